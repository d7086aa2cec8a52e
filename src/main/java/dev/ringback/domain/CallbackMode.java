package dev.ringback.domain;

import java.util.List;
import java.util.Optional;

/**
 * Whom a callback calls first. A customer who answers must always find a person: phones take
 * longer to ring than a customer will wait, so their agents are called first; softphones that
 * answer by themselves can be rung once the customer answered. The words are the configuration's.
 */
public enum CallbackMode {
  /** Agent first when any agent of the line is a phone number; customer first when all are SIP (or it has none). */
  AUTO("auto"),
  AGENT_FIRST("agent-first"),
  CUSTOMER_FIRST("customer-first");

  private final String value;

  CallbackMode(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** Whether a callback on a line whose agents (free or not) are {@code contacts} rings an agent first. */
  public boolean agentFirst(List<String> contacts) {
    return switch (this) {
      case AUTO -> contacts.stream().anyMatch(c -> !Line.isSipUri(c));
      case AGENT_FIRST -> true;
      case CUSTOMER_FIRST -> false;
    };
  }

  public static Optional<CallbackMode> parse(String value) {
    for (CallbackMode mode : values()) {
      if (mode.value.equals(value)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
