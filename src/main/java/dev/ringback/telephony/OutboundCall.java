package dev.ringback.telephony;

import java.util.List;

/**
 * One outbound call to place.
 *
 * @param twimlUrl where Twilio fetches the call's TwiML once it is answered
 * @param statusCallbackUrl where every leg event is reported
 * @param machineDetection Twilio's MachineDetection value, or null for none
 */
public record OutboundCall(
    String from,
    String to,
    String twimlUrl,
    String statusCallbackUrl,
    String machineDetection,
    int timeoutSeconds) {

  /** Sent as four repeated parameters: one space-separated value makes Twilio report only some. */
  public static final List<String> STATUS_EVENTS = List.of("initiated", "ringing", "answered", "completed");
}
