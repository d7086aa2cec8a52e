package dev.ringback.domain;

import java.util.List;
import java.util.Optional;

/** Where a callback stands; the words are the {@code callbacks.state} column's and the API's. */
public enum CallbackState {
  SCHEDULED("scheduled"),
  DIALING("dialing"),
  AGENT_QUEUE("agent_queue"),
  DONE("done"),
  CANCELLED("cancelled"),
  EXPIRED("expired"),
  FAILED("failed");

  /** Work not finished: at most one such callback per line and phone. */
  public static final List<CallbackState> OPEN = List.of(SCHEDULED, DIALING, AGENT_QUEUE);

  private final String value;

  CallbackState(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<CallbackState> parse(String value) {
    for (CallbackState state : values()) {
      if (state.value.equals(value)) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }
}
