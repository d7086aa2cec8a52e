package dev.ringback.domain;

import java.time.Instant;

/**
 * One status callback from Twilio for one call leg.
 *
 * @param timestamp Twilio's own time of the event, the only clock ring-to-answer trusts
 */
public record CallEvent(
    String callSid,
    String parentCallSid,
    CallStatus status,
    Instant timestamp,
    Integer sequenceNumber,
    String direction,
    String from,
    String to,
    Integer callDuration,
    String answeredBy) {

  public boolean isChildLeg() {
    return parentCallSid != null && !parentCallSid.isEmpty();
  }

  /**
   * Whether it does more to an inbound call than be kept: an agent's leg answered (the caller got
   * through), or the call ended (it may be missed, abandoned or dropped).
   */
  public boolean changesTheCall() {
    return isChildLeg() ? status.isAnswer() : status.isFinal();
  }
}
