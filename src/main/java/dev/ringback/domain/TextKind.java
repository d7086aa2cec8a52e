package dev.ringback.domain;

import java.util.Optional;

/** Why Ringback sends a text; the words are the {@code texts.kind} column's and the {@code kind} label's. */
public enum TextKind {
  /** Within seconds of a missed, abandoned or after-hours call, or an order: we noticed, and when we will call. */
  TEXT_BACK("text_back"),
  /** The last attempt of a callback failed: when we tried, and how to reach us. */
  LAST_ATTEMPT("last_attempt"),
  /** The answer to a customer's text: a time read back, an opt-out confirmed. */
  REPLY("reply"),
  /** The question after a conversation, and its answers. */
  FEEDBACK("feedback");

  private final String value;

  TextKind(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<TextKind> parse(String value) {
    for (TextKind kind : values()) {
      if (kind.value.equals(value)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
