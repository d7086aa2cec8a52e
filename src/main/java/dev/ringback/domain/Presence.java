package dev.ringback.domain;

import java.util.Map;
import java.util.Optional;

/** Whether an agent takes calls; the words are the {@code agents.presence} column's, the API's and the gauge's. */
public enum Presence {
  AVAILABLE("available"),
  BUSY("busy"),
  OFFLINE("offline"),
  /** Set by Ringback when the agent's phone left agents.away-after-missed calls in a row unanswered. */
  AWAY("away");

  private final String value;

  Presence(String value) {
    this.value = value;
  }

  /** The count of each presence in a business with no agents: every presence is there, at zero. */
  public static final Map<Presence, Long> NO_AGENTS = Map.of(AVAILABLE, 0L, BUSY, 0L, OFFLINE, 0L, AWAY, 0L);

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
