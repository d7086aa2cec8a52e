package dev.ringback.domain;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * An agent-first callback that is due: which agent its call rings. An agent who declined it, or
 * let it ring out, is not tried again for this callback.
 *
 * @param agent the agent to ring, when there is one
 * @param waitForAgent nobody the line rings is free now: the callback waits, without using an attempt
 */
public record AgentFirst(Optional<String> agent, boolean waitForAgent) {
  /**
   * @param ringing whom the line rings now (its available agents, else its configured numbers), in order
   * @param tried the agents already rung for this callback
   * @return the first agent not yet tried; else wait while nobody is free, or hand the callback
   *     to the agents' queue when everyone free has been tried (neither agent nor wait)
   */
  public static AgentFirst choose(List<String> ringing, Collection<String> tried) {
    Optional<String> next = ringing.stream().filter(agent -> !tried.contains(agent)).findFirst();
    if (next.isPresent()) {
      return new AgentFirst(next, false);
    }
    return new AgentFirst(Optional.empty(), ringing.isEmpty());
  }

  /** Everyone the line rings was tried: a person takes the callback from the agents' queue. */
  public boolean toAgentQueue() {
    return agent.isEmpty() && !waitForAgent;
  }
}
