package dev.ringback.domain;

import java.util.Optional;

/**
 * Whether an agent's leg asks the agent to press 1 before the caller is put through: a phone's
 * voicemail answers like a person, and must not take the caller. The words are the configuration's.
 */
public enum Screening {
  /** Phone numbers are screened; SIP legs (auto-answer softphones) are not. */
  AUTO("auto"),
  ALWAYS("always"),
  NEVER("never");

  private final String value;

  Screening(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** Whether a leg to this contact (an E.164 number or a {@code sip:} URI) is screened. */
  public boolean screens(String contact) {
    return switch (this) {
      case AUTO -> !Line.isSipUri(contact);
      case ALWAYS -> true;
      case NEVER -> false;
    };
  }

  public static Optional<Screening> parse(String value) {
    for (Screening screening : values()) {
      if (screening.value.equals(value)) {
        return Optional.of(screening);
      }
    }
    return Optional.empty();
  }
}
