package dev.ringback.domain;

import java.util.Optional;

/**
 * What became of a text: decided by Ringback (not sent, and why), by Twilio's answer to the
 * request, or by the final delivery status. The words are the {@code texts.result} column's and
 * the {@code result} label's.
 */
public enum TextResult {
  /** Handed to Twilio. */
  SENT("sent"),
  /** Twilio refused the request (an invalid number, an unsubscribed recipient, ...). */
  REFUSED("refused"),
  DELIVERED("delivered"),
  UNDELIVERED("undelivered"),
  FAILED("failed"),
  /** Not sent: the number cannot take texts (a landline, by its numbering plan). */
  NOT_MOBILE("not_mobile"),
  /** Not sent: the number is on the do-not-call list. */
  DO_NOT_CALL("do_not_call"),
  /** Not sent: the customer replied STOP. */
  OPTED_OUT("opted_out"),
  /** Not sent: a text to this number failed for good before. */
  UNABLE("unable");

  private final String value;

  TextResult(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /**
   * The final result of Twilio's {@code MessageStatus}; empty while it is on its way ({@code queued},
   * {@code sending}, {@code sent}...). A {@code read} receipt is a delivery.
   */
  public static Optional<TextResult> ofFinalStatus(String messageStatus) {
    return switch (messageStatus == null ? "" : messageStatus) {
      case "delivered", "read" -> Optional.of(DELIVERED);
      case "undelivered" -> Optional.of(UNDELIVERED);
      case "failed", "canceled" -> Optional.of(FAILED);
      default -> Optional.empty();
    };
  }

  public static Optional<TextResult> parse(String value) {
    for (TextResult result : values()) {
      if (result.value.equals(value)) {
        return Optional.of(result);
      }
    }
    return Optional.empty();
  }
}
