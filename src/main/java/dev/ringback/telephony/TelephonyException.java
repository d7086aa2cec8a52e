package dev.ringback.telephony;

/** A failed request to place a call, classified by what the caller may safely do next. */
public final class TelephonyException extends RuntimeException {

  public enum Kind {
    /** The request can never succeed (invalid number, no permission): do not retry. */
    PERMANENT,
    /** Nothing was created (rate limit, server error, no connection): retry with backoff. */
    RETRYABLE,
    /** The request was sent but no answer came back: the call may exist; reconcile before redialling. */
    AMBIGUOUS
  }

  private final Kind kind;
  private final Integer code;

  public TelephonyException(Kind kind, Integer code, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  /** Twilio's error code (e.g. 21211), or null when there was none. */
  public Integer code() {
    return code;
  }
}
