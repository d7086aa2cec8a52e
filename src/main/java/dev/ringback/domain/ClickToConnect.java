package dev.ringback.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where an agent's click-to-connect call stands, read from the status events of its two legs:
 * the call to the agent's phone, and the customer's leg it dials once the agent answers.
 */
public final class ClickToConnect {
  /** The steps of the call as the agent lives them; the words are the API's. */
  public enum Stage {
    /** Placed; the agent's phone is not ringing yet. */
    CALLING_AGENT("calling_agent"),
    RINGING_AGENT("ringing_agent"),
    /** The agent answered and hears who is called; the customer is being dialled. */
    AGENT_ANSWERED("agent_answered"),
    RINGING_CUSTOMER("ringing_customer"),
    TALKING("talking"),
    /** Either leg ended, or the attempt did. */
    ENDED("ended");

    private final String value;

    Stage(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  /**
   * @param since when the stage began, by the events' own times; null when no event says
   * @param talkedSince when the customer answered, if they did
   */
  public record Progress(Stage stage, Instant since, Instant talkedSince) {}

  private ClickToConnect() {}

  /**
   * @param agentLeg each status the agent's call reported, with its time
   * @param customerLeg each status the customer's leg reported, with its time
   * @param attemptEnded when the attempt was recorded as ended, or null
   */
  public static Progress progress(Map<CallStatus, Instant> agentLeg, Map<CallStatus, Instant> customerLeg, Instant attemptEnded) {
    Instant talked = customerLeg.get(CallStatus.IN_PROGRESS);
    Optional<Instant> ended = Stream.concat(Stream.of(attemptEnded), Stream.concat(finals(agentLeg), finals(customerLeg)))
        .filter(Objects::nonNull).min(Instant::compareTo);
    if (ended.isPresent()) {
      return new Progress(Stage.ENDED, ended.get(), talked);
    }
    if (talked != null) {
      return new Progress(Stage.TALKING, talked, talked);
    }
    if (!customerLeg.isEmpty()) {
      return new Progress(Stage.RINGING_CUSTOMER, earliest(customerLeg), null);
    }
    if (agentLeg.containsKey(CallStatus.IN_PROGRESS)) {
      return new Progress(Stage.AGENT_ANSWERED, agentLeg.get(CallStatus.IN_PROGRESS), null);
    }
    if (agentLeg.containsKey(CallStatus.RINGING)) {
      return new Progress(Stage.RINGING_AGENT, agentLeg.get(CallStatus.RINGING), null);
    }
    return new Progress(Stage.CALLING_AGENT, earliest(agentLeg), null);
  }

  private static Stream<Instant> finals(Map<CallStatus, Instant> leg) {
    return leg.entrySet().stream().filter(e -> e.getKey().isFinal()).map(Map.Entry::getValue);
  }

  private static Instant earliest(Map<CallStatus, Instant> leg) {
    return leg.values().stream().filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
  }
}
