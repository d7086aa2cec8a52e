package dev.ringback.domain;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * A Twilio number that belongs to a business, as declared in the configuration.
 *
 * @param id short name used in the API, logs and metrics
 * @param number the Twilio number in E.164
 * @param agents E.164 numbers or {@code sip:} URIs rung for inbound calls
 * @param hours when the line is open; outside them callers leave a message and are called back at the opening
 * @param language the language its callers are spoken to in, as Twilio's {@code <Say>} names it (ru-RU)
 * @param voice the {@code <Say>} voice, or null for Twilio's default for the language
 * @param ringTimeoutSeconds how long a call rings in all before it counts as missed
 * @param ringStrategy whether the agents ring all at once or one after another
 * @param ringSeconds how long each agent rings when they ring one after another
 * @param screening which agents' legs must press 1 before the caller is put through
 * @param callbackMode whether a callback rings an agent first, or the customer first
 * @param feedbackChannel how this line's customers are asked for a score: voice, sms or none
 * @param textBack whether callers and new customers are texted within seconds, and from which sender
 * @param prompts the line's own sentences, by catalog key, instead of its language's
 */
public record Line(
    String id,
    String number,
    String name,
    ZoneId timeZone,
    String language,
    String voice,
    List<String> agents,
    int ringTimeoutSeconds,
    RingStrategy ringStrategy,
    int ringSeconds,
    Screening screening,
    CallbackMode callbackMode,
    OpeningHours hours,
    String feedbackChannel,
    TextBack textBack,
    Map<String, Prompt> prompts) {

  public Line {
    agents = List.copyOf(agents);
    prompts = Map.copyOf(prompts);
  }

  public Line withHours(OpeningHours opening) {
    return new Line(id, number, name, timeZone, language, voice, agents, ringTimeoutSeconds, ringStrategy, ringSeconds, screening,
        callbackMode, opening, feedbackChannel, textBack, prompts);
  }

  public Line withTextBack(TextBack texts) {
    return new Line(id, number, name, timeZone, language, voice, agents, ringTimeoutSeconds, ringStrategy, ringSeconds, screening,
        callbackMode, hours, feedbackChannel, texts, prompts);
  }

  public static boolean isSipUri(String agent) {
    return agent.startsWith("sip:") || agent.startsWith("sips:");
  }
}
