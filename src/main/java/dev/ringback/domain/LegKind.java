package dev.ringback.domain;

import java.util.Optional;

/** What a call leg is to Ringback, as the status URL it reports to says; the words are the journal's. */
public enum LegKind {
  /** Any leg: a caller's call, an agent's unscreened leg, a callback's customer. */
  PLAIN("plain"),
  /** An agent's leg that must press 1 before its answer counts as the caller's. */
  SCREENED("screened"),
  /** An agent-first callback's call to the agent: the customer is dialled only once the agent presses 1. */
  AGENT_FIRST("agent_first");

  private final String value;

  LegKind(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** Whether the leg's answer may be a voicemail's: only the agent's key says a person took it. */
  public boolean awaitsKey() {
    return this != PLAIN;
  }

  public static Optional<LegKind> parse(String value) {
    for (LegKind kind : values()) {
      if (kind.value.equals(value)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
