package dev.ringback.http;

import com.twilio.twiml.voice.Say;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Line;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The words callers hear and the TwiML that carries them ({@link TwimlElement} escapes every value). */
final class Twiml {
  /** Every progress event of an agent's or customer's leg goes to the status URL. */
  private static final String LEG_EVENTS = "initiated ringing answered completed";
  /** The languages {@code <Say>} knows (twilio-java's list), by lower-case name. */
  private static final Map<String, String> SAY_LANGUAGES = Arrays.stream(Say.Language.values())
      .map(Say.Language::toString)
      .collect(Collectors.toMap(l -> l.toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));

  /** A time of day as the callers and agents hear it. */
  static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm");

  private Twiml() {}

  /**
   * Greets (by name when the caller is known), then rings every agent in {@code ring} at once;
   * with nobody to ring, the call goes straight to the apology and the voicemail.
   */
  static TwimlElement inbound(Line line, Optional<Customer> caller, List<String> ring, boolean staffed, String dialActionUrl,
                               String statusUrl) {
    TwimlElement response = TwimlElement.response().add(say(greeting(line, caller), language(line, caller)));
    if (ring.isEmpty()) {
      // On a staffed line, nobody to ring means every agent is busy or offline: a person will call back.
      return response.add(TwimlElement.of("Redirect").attribute("method", "POST")
          .text(dialActionUrl + "?DialCallStatus=no-answer" + (staffed ? "&nobody=available" : "")));
    }
    return response.add(agentsDial(ring, line.ringTimeoutSeconds(), dialActionUrl, statusUrl));
  }

  /** Rings every agent at once; each leg reports its progress to the status URL. */
  private static TwimlElement agentsDial(List<String> ring, int timeoutSeconds, String dialActionUrl, String statusUrl) {
    TwimlElement dial = dial(timeoutSeconds, dialActionUrl);
    for (String agent : ring) {
      dial.add(leg(Line.isSipUri(agent) ? "Sip" : "Number", agent, statusUrl));
    }
    return dial;
  }

  private static TwimlElement dial(int timeoutSeconds, String actionUrl) {
    return TwimlElement.of("Dial").attribute("timeout", timeoutSeconds).attribute("action", actionUrl).attribute("method", "POST");
  }

  /** A {@code <Number>} or {@code <Sip>} whose progress goes to the status URL. */
  private static TwimlElement leg(String noun, String address, String statusUrl) {
    return TwimlElement.of(noun).attribute("statusCallback", statusUrl).attribute("statusCallbackMethod", "POST")
        .attribute("statusCallbackEvent", LEG_EVENTS).text(address);
  }

  /** Listens for DTMF digits, posting them to {@code actionUrl}; {@code actionOnEmptyResult} null leaves Twilio's default. */
  private static TwimlElement gather(int numDigits, int timeoutSeconds, String actionUrl, Boolean actionOnEmptyResult) {
    return TwimlElement.of("Gather").attribute("action", actionUrl).attribute("actionOnEmptyResult", actionOnEmptyResult)
        .attribute("input", "dtmf").attribute("method", "POST").attribute("numDigits", numDigits).attribute("timeout", timeoutSeconds);
  }

  private static TwimlElement hangupVerb() {
    return TwimlElement.of("Hangup");
  }

  /**
   * A callback a person answered: who we are, why we call, then every agent rings, but only for
   * {@code agentAnswerSeconds}: a customer we called must not be left waiting for us.
   */
  static TwimlElement callback(Line line, Optional<Customer> customer, String why, List<String> ring, int agentAnswerSeconds,
                                String dialActionUrl, String statusUrl, String menuUrl) {
    TwimlElement dial = agentsDial(ring, agentAnswerSeconds, dialActionUrl, statusUrl).attribute("callerId", line.number());
    String language = language(line, customer);
    // The greeting listens for 9 ("stop these calls"); with no key pressed the agents ring at once.
    return TwimlElement.response()
        .add(gather(1, 1, menuUrl, false)
            .add(say(hello(customer) + line.name() + ". " + why + " Connecting you now.", language))
            .add(say("To stop these calls, press 9.", language)))
        .add(dial);
  }

  /** The customer pressed 9 during a callback: never called again. */
  static TwimlElement stoppedCalling(String language) {
    return sayThenHangUp("Understood. We will not call you again. Goodbye.", language);
  }

  /** Why we call, in one sentence: the order, or the call we missed. */
  static String why(CallbackTrigger trigger, String when, Optional<String> orderNumber) {
    if (orderNumber.isPresent()) {
      return "Thank you for your order " + orderNumber.get() + ".";
    }
    return switch (trigger) {
      case MISSED, ABANDONED, AFTER_HOURS, VOICEMAIL -> "You called us at " + when + " and we missed you.";
      case DROPPED -> "Our call at " + when + " was cut off.";
      default -> "You asked us to call you back.";
    };
  }

  static TwimlElement callbackMachine(Line line, Optional<Customer> customer, Optional<String> orderNumber) {
    String thanks = orderNumber.map(n -> ", thanking you for your order " + n).orElse(" returning your call");
    return sayThenHangUp(hello(customer) + line.name() + thanks + ". Please call us back at " + spelled(line.number())
            + ". Thank you, goodbye.", language(line, customer));
  }

  static TwimlElement callbackWithoutAgents(Line line, Optional<Customer> customer) {
    String hello = hello(customer);
    return sayThenHangUp(hello + line.name() + " returning your call. Nobody can take it just now; we will call you again shortly. Goodbye.",
            language(line, customer));
  }

  /** A callback answered while every agent of the line is busy or offline: a person will call back. */
  static TwimlElement callbackToAgentQueue(Line line, Optional<Customer> customer) {
    return sayThenHangUp(hello(customer) + line.name() + " returning your call. All of our team are busy just now; one of them will call you"
            + " back personally as soon as they are free. Goodbye.", language(line, customer));
  }

  /** An order call on a line with no agents to ring: the order is confirmed, and 1 asks for a person. */
  static TwimlElement orderWithoutAgents(Line line, Optional<Customer> customer, String orderNumber, String gatherActionUrl) {
    String language = language(line, customer);
    return TwimlElement.response()
        .add(gather(1, 6, gatherActionUrl, null)
            .add(say(hello(customer) + line.name() + ". Thank you for your order " + orderNumber
                + ". It is confirmed. To talk to someone about it, press 1. Otherwise, you can simply hang up.", language))
            .add(say("To stop these calls, press 9.", language)))
        .add(say("Thank you for your order. Goodbye.", language))
        .add(hangupVerb());
  }

  /** The answer to the order call's question: 1 hands the buyer to an agent. */
  static TwimlElement orderGathered(boolean wantsAgent, String language) {
    String text = wantsAgent ? "Thank you. Someone from our team will call you back shortly. Goodbye."
        : "Thank you for your order. Goodbye.";
    return sayThenHangUp(text, language);
  }

  /** What an agent hears before the customer is dialled: "Callback to Nikolay, VIP, missed call at 14:05." */
  static TwimlElement whisperAndConnect(Line line, String customerName, boolean vip, String reason, String customerPhone,
                                         int timeoutSeconds, String dialActionUrl, String customerStatusUrl) {
    String who = customerName == null || customerName.isBlank() ? "a caller we do not know yet" : customerName.trim();
    TwimlElement dial = dial(timeoutSeconds, dialActionUrl).attribute("callerId", line.number())
        .add(leg("Number", customerPhone, customerStatusUrl));
    return TwimlElement.response()
        .add(say("Callback to " + who + (vip ? ", VIP" : "") + ", " + reason + ". Connecting now.", line.language()))
        .add(dial);
  }

  /** Why the task exists, in a few words for the whisper. */
  static String whisperReason(CallbackTrigger trigger, String reason, String when, Optional<String> orderNumber) {
    if (orderNumber.isPresent()) {
      return "order " + orderNumber.get();
    }
    if ("voicemail".equals(reason)) {
      return "left a voicemail at " + when;
    }
    return switch (trigger) {
      case MISSED -> "missed call at " + when;
      case ABANDONED -> "hung up waiting at " + when;
      case DROPPED -> "dropped call at " + when;
      default -> "asked to be called back";
    };
  }

  static TwimlElement customerNotReached() {
    return sayThenHangUp("The customer did not answer. The task is still yours. Goodbye.", "en-US");
  }

  static TwimlElement taskGone() {
    return sayThenHangUp("This task is no longer yours, so nobody will be dialled. Goodbye.", "en-US");
  }

  static TwimlElement noAgent() {
    return sayThenHangUp("Sorry, nobody is free to take your call right now. We will call you again shortly. Goodbye.", "en-US");
  }

  /** "Hello Nikolay, this is " for a known name, "Hello, this is " otherwise. */
  private static String hello(Optional<Customer> customer) {
    return customer.filter(Customer::hasName).map(c -> "Hello " + firstName(c.name()) + ", this is ").orElse("Hello, this is ");
  }

  /** Digits one by one, so a number is read out as a number, not as billions. */
  private static String spelled(String number) {
    return String.join(" ", number.replace("+", "").split(""));
  }

  static String greeting(Line line, Optional<Customer> caller) {
    return caller.filter(Customer::hasName)
        .map(c -> line.greetingKnown()
            .replace("{first-name}", firstName(c.name()))
            .replace("{name}", c.name().trim()))
        .orElse(line.greeting());
  }

  /** The agents did not take the call. */
  static TwimlElement notAnswered(Line line) {
    return sayThenHangUp("Sorry, nobody could take your call right now. Please try again a little later. Goodbye.", line.language());
  }

  /** Nobody answered: apologise, promise the callback, offer to choose its time, then a voicemail. */
  static TwimlElement missed(Line line, int promiseMinutes, int voicemailMaxSeconds, String recordingUrl, String chooseUrl) {
    return messageThenVoicemail(line.language(), "Sorry, nobody could take your call right now. We will call you back within "
            + promiseMinutes + (promiseMinutes == 1 ? " minute." : " minutes."),
        voicemailMaxSeconds, recordingUrl, chooseUrl, "We will call you back soon. Goodbye.");
  }

  /** Outside opening hours: the line's message, by name when the caller is known, then a voicemail. */
  static TwimlElement afterHours(Line line, Optional<Customer> caller, int voicemailMaxSeconds, String recordingUrl, String chooseUrl) {
    String hello = caller.filter(Customer::hasName).map(c -> "Hello " + firstName(c.name()) + ". ").orElse("");
    return messageThenVoicemail(language(line, caller), hello + line.afterHoursMessage(), voicemailMaxSeconds, recordingUrl, chooseUrl,
        "We will call you back when we open. Goodbye.");
  }

  /**
   * The message (listening for 2: "choose when we call you back"), then a voicemail after the
   * tone; with no key pressed the recording starts at once.
   */
  private static TwimlElement messageThenVoicemail(String language, String message, int voicemailMaxSeconds, String recordingUrl,
                                                    String chooseUrl, String closing) {
    return TwimlElement.response()
        .add(gather(1, 2, chooseUrl, false)
            .add(say(message, language))
            .add(say("To choose when we call you back, press 2. Or leave a message after the tone, then hang up.", language)))
        .add(voicemail(voicemailMaxSeconds, recordingUrl))
        .add(say(closing, language))
        .add(hangupVerb());
  }

  private static TwimlElement voicemail(int voicemailMaxSeconds, String recordingUrl) {
    return TwimlElement.of("Record")
        .attribute("action", recordingUrl)
        .attribute("maxLength", voicemailMaxSeconds)
        .attribute("method", "POST")
        .attribute("playBeep", true)
        .attribute("recordingStatusCallback", recordingUrl)
        .attribute("recordingStatusCallbackMethod", "POST")
        .attribute("timeout", 5);
  }

  /** Choosing the time, step 1: which day. */
  static TwimlElement askDay(String language, String actionUrl) {
    return TwimlElement.response()
        .add(gather(1, 6, actionUrl, null)
            .add(say("For today, press 1. For tomorrow, press 2. For the day after tomorrow, press 3.", language)))
        .add(say("We will call you back as soon as we can. Goodbye.", language))
        .add(hangupVerb());
  }

  /** Choosing the time, step 2: the time as four digits; {@code problem} says why the last one could not be taken. */
  static TwimlElement askTime(String language, String actionUrl, String problem) {
    return TwimlElement.response()
        .add(gather(4, 8, actionUrl, null)
            .add(say((problem == null ? "" : problem + " ")
                + "Enter the time as four digits, for example 1 4 3 0 for half past two in the afternoon.", language)))
        .add(say("We will call you back as soon as we can. Goodbye.", language))
        .add(hangupVerb());
  }

  /** The chosen time, read back. */
  static TwimlElement timeChosen(String language, String when) {
    return sayThenHangUp("Thank you. We will call you back " + when + ". Goodbye.", language);
  }

  static TwimlElement timeNotChosen(String language, String why) {
    return sayThenHangUp(why + " We will call you back as soon as we can. Goodbye.", language);
  }

  static TwimlElement voicemailThanks() {
    return sayThenHangUp("Thank you for your message. We will call you back soon. Goodbye.", "en-US");
  }

  static TwimlElement notInService() {
    return sayThenHangUp("Sorry, this number is not in service. Goodbye.", "en-US");
  }

  /** Ends a call politely when a request could not be handled. */
  static TwimlElement apology() {
    return sayThenHangUp("Sorry, we cannot take your call right now. Please try again later. Goodbye.", "en-US");
  }

  /**
   * The satisfaction question, once the agent has hung up and the customer is still on the line.
   *
   * @param problem said first when the previous answer was no score
   */
  static TwimlElement askFeedback(Line line, String actionUrl, String problem) {
    TwimlElement gather = gather(1, 8, actionUrl, false);
    if (problem != null) {
      gather.add(say(problem, line.language()));
    }
    return TwimlElement.response()
        .add(gather.add(say(line.feedbackQuestion(), line.language())))
        .add(say("Thank you for calling. Goodbye.", line.language()))
        .add(hangupVerb());
  }

  /** The score is in; a poor one is answered with the promise that someone will follow it up. */
  static TwimlElement feedbackThanks(String language, boolean poor) {
    return sayThenHangUp(poor ? "Thank you, and we are sorry we let you down. Someone will call you about it soon. Goodbye."
            : "Thank you for your answer. Goodbye.", language);
  }

  /** A reply to an SMS; no text: no reply at all. */
  static TwimlElement message(String text) {
    TwimlElement response = TwimlElement.response();
    if (text != null) {
      response.add(TwimlElement.of("Message").add(TwimlElement.of("Body").text(text)));
    }
    return response;
  }

  static TwimlElement hangup() {
    return TwimlElement.response().add(hangupVerb());
  }

  /** An empty document: acknowledges a status callback. */
  static TwimlElement empty() {
    return TwimlElement.response();
  }

  private static String firstName(String name) {
    String trimmed = name.trim();
    int space = trimmed.indexOf(' ');
    return space < 0 ? trimmed : trimmed.substring(0, space);
  }

  private static String language(Line line, Optional<Customer> caller) {
    return caller.map(Customer::language).filter(l -> l != null && !l.isBlank()).orElse(line.language());
  }

  /** Speech in the given language when {@code <Say>} knows it, else in Twilio's default. */
  private static TwimlElement say(String text, String language) {
    return TwimlElement.of("Say")
        .attribute("language", language == null ? null : SAY_LANGUAGES.get(language.toLowerCase(Locale.ROOT)))
        .text(text);
  }

  private static TwimlElement sayThenHangUp(String text, String language) {
    return TwimlElement.response().add(say(text, language)).add(hangupVerb());
  }
}
