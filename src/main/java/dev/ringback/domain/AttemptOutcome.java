package dev.ringback.domain;

import java.util.Optional;

/**
 * How a callback attempt ended, or the callback itself; the words are the {@code outcome}
 * columns' and the {@code ringback_callbacks_finished_total} label's.
 */
public enum AttemptOutcome {
  CONNECTED("connected"),
  NO_ANSWER("no_answer"),
  BUSY("busy"),
  MACHINE("machine"),
  /** The customer answered and no agent took the call. */
  NO_AGENT("no_agent"),
  FAILED("failed"),
  CANCELLED("cancelled"),
  EXPIRED("expired"),
  /** The network refused the request: no call was made, so the callback is tried again and never finishes this way. */
  API_ERROR("api_error"),
  /**
   * An agent-first callback's agent did not press 1 (declined, silent, or not reached): the
   * customer was not called, so the callback is tried again with another agent and never finishes this way.
   */
  AGENT_NOT_ACCEPTED("agent_not_accepted");

  private final String value;

  AttemptOutcome(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** Whether a callback can finish this way (and so be counted with it). */
  public boolean finishesCallback() {
    return this != API_ERROR && this != AGENT_NOT_ACCEPTED;
  }

  public static Optional<AttemptOutcome> parse(String value) {
    for (AttemptOutcome outcome : values()) {
      if (outcome.value.equals(value)) {
        return Optional.of(outcome);
      }
    }
    return Optional.empty();
  }
}
