package dev.ringback.domain;

import java.util.Optional;

/** Whether an agent takes calls; the words are the {@code agents.presence} column's, the API's and the gauge's. */
public enum Presence {
  AVAILABLE("available"),
  BUSY("busy"),
  OFFLINE("offline");

  private final String value;

  Presence(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<Presence> parse(String value) {
    for (Presence presence : values()) {
      if (presence.value.equals(value)) {
        return Optional.of(presence);
      }
    }
    return Optional.empty();
  }
}
