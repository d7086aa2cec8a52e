package dev.ringback.domain;

import java.util.Optional;

/** Twilio's CallStatus values; {@code in-progress} is the "answered" event. */
public enum CallStatus {
  QUEUED("queued"),
  INITIATED("initiated"),
  RINGING("ringing"),
  IN_PROGRESS("in-progress"),
  COMPLETED("completed"),
  BUSY("busy"),
  FAILED("failed"),
  NO_ANSWER("no-answer"),
  CANCELED("canceled");

  private final String value;

  CallStatus(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public boolean isAnswer() {
    return this == IN_PROGRESS;
  }

  public boolean isFinal() {
    return this == COMPLETED || this == BUSY || this == FAILED || this == NO_ANSWER || this == CANCELED;
  }

  public static Optional<CallStatus> parse(String value) {
    for (CallStatus status : values()) {
      if (status.value.equals(value)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
