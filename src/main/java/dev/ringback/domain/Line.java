package dev.ringback.domain;

import java.time.ZoneId;
import java.util.List;

/**
 * A Twilio number that belongs to a business, as declared in the configuration.
 *
 * @param id short name used in the API, logs and metrics
 * @param number the Twilio number in E.164
 * @param agents E.164 numbers or {@code sip:} URIs rung for inbound calls
 * @param hours when the line is open; outside them callers leave a message and are called back at the opening
 * @param feedbackChannel how this line's customers are asked for a score: voice, sms or none
 * @param feedbackQuestion the spoken 1-5 question after a call
 */
public record Line(
    String id,
    String number,
    String name,
    ZoneId timeZone,
    String language,
    String greeting,
    String greetingKnown,
    List<String> agents,
    int ringTimeoutSeconds,
    OpeningHours hours,
    String afterHoursMessage,
    String feedbackChannel,
    String feedbackQuestion) {

  public Line {
    agents = List.copyOf(agents);
  }

  public static boolean isSipUri(String agent) {
    return agent.startsWith("sip:") || agent.startsWith("sips:");
  }
}
