package dev.ringback.domain;

import java.util.Optional;

/**
 * What made Ringback promise a callback; the words are the {@code callbacks.trigger} column's,
 * the API's and the {@code trigger} label's.
 */
public enum CallbackTrigger {
  ORDER("order"),
  MISSED("missed"),
  ABANDONED("abandoned"),
  DROPPED("dropped"),
  VOICEMAIL("voicemail"),
  AFTER_HOURS("after_hours"),
  /** The caller chose a time for the callback. */
  SCHEDULED("scheduled"),
  /** Scheduled by a person through the API or the console. */
  MANUAL("manual"),
  /** A poor feedback score: a service-recovery task. */
  FEEDBACK("feedback"),
  /** The customer texted words a person should read, with no callback open. */
  TEXT("text");

  private final String value;

  CallbackTrigger(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<CallbackTrigger> parse(String value) {
    for (CallbackTrigger trigger : values()) {
      if (trigger.value.equals(value)) {
        return Optional.of(trigger);
      }
    }
    return Optional.empty();
  }
}
