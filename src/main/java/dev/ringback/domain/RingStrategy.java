package dev.ringback.domain;

import java.util.Optional;

/** How a line's agents ring for an incoming call; the words are the configuration's. */
public enum RingStrategy {
  /** Every agent at once: the first to answer takes the call. */
  SIMULTANEOUS("simultaneous"),
  /** One agent after another, in the line's order, each for the line's ring-seconds. */
  SEQUENTIAL("sequential"),
  /** One agent after another, the one available longest first. */
  LONGEST_IDLE("longest-idle");

  private final String value;

  RingStrategy(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<RingStrategy> parse(String value) {
    for (RingStrategy strategy : values()) {
      if (strategy.value.equals(value)) {
        return Optional.of(strategy);
      }
    }
    return Optional.empty();
  }
}
