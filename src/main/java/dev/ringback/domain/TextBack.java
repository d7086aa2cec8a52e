package dev.ringback.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A line's texts: whether a caller Ringback missed, or a new customer, is texted within seconds,
 * and from which sender.
 *
 * @param calls text after a missed, abandoned or after-hours call (and a voicemail left on one)
 * @param orders text after an order
 * @param messagingServiceSid send through this Twilio Messaging Service (MG...) instead of the line's number; empty: the number
 */
public record TextBack(boolean calls, boolean orders, String messagingServiceSid) {
  public static final TextBack OFF = new TextBack(false, false, "");
  private static final Set<CallbackTrigger> CALLS = Set.of(CallbackTrigger.MISSED, CallbackTrigger.ABANDONED,
      CallbackTrigger.AFTER_HOURS, CallbackTrigger.VOICEMAIL);

  public TextBack {
    messagingServiceSid = messagingServiceSid == null ? "" : messagingServiceSid;
  }

  /** Whether a callback this trigger created is texted about. A dropped call was answered: the caller knows we exist. */
  public boolean wanted(CallbackTrigger trigger) {
    return calls && CALLS.contains(trigger) || orders && trigger == CallbackTrigger.ORDER;
  }

  /** Whether Ringback starts texts on this line at all (the text after a last failed attempt too). */
  public boolean any() {
    return calls || orders;
  }

  /**
   * Whether a text can say "within N minutes" of a callback due at {@code due}; otherwise it
   * names the day and time (after hours, or a callback the customer put off).
   */
  public static boolean callsWithin(Instant due, Instant now, int promiseMinutes) {
    return !due.isAfter(now.plus(Duration.ofMinutes(promiseMinutes)));
  }
}
