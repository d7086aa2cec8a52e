package dev.ringback.domain;

/**
 * What a Twilio error code on a text says about the number: most say nothing lasting (a phone
 * switched off, a carrier's filter, a passing fault); a few say no text will ever reach it.
 */
public enum TextFailure {
  /** Nothing lasting: a later text may be delivered. */
  PASSING,
  /** No text can reach this number: a landline, an unknown or invalid number. */
  UNABLE,
  /** The recipient has opted out at Twilio (replied STOP to the sender). */
  OPTED_OUT;

  /**
   * @param code Twilio's error code: 21211 invalid 'To' number, 21614 not a mobile number, 30005
   *     unknown destination handset, 30006 landline or unreachable carrier, 21610 unsubscribed recipient
   */
  public static TextFailure of(Integer code) {
    if (code == null) {
      return PASSING;
    }
    return switch (code) {
      case 21211, 21614, 30005, 30006 -> UNABLE;
      case 21610 -> OPTED_OUT;
      default -> PASSING;
    };
  }
}
