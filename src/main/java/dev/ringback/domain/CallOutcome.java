package dev.ringback.domain;

import java.util.Optional;

/** How a call ended; the words are the {@code calls.outcome} column's and the {@code ringback_calls_total} label's. */
public enum CallOutcome {
  ANSWERED("answered"),
  MISSED("missed"),
  ABANDONED("abandoned"),
  DROPPED("dropped"),
  BUSY("busy"),
  FAILED("failed"),
  VOICEMAIL("voicemail"),
  MACHINE("machine");

  private final String value;

  CallOutcome(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<CallOutcome> parse(String value) {
    for (CallOutcome outcome : values()) {
      if (outcome.value.equals(value)) {
        return Optional.of(outcome);
      }
    }
    return Optional.empty();
  }
}
