package dev.ringback.http;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Line;
import java.util.List;
import java.util.Optional;

/**
 * The words callers hear and the TwiML that carries them. twilio-java's builders escape every
 * value, so a name with {@code <}, {@code &} or quotes cannot break the document.
 */
final class Twiml {
  private static final List<Number.Event> NUMBER_EVENTS =
      List.of(Number.Event.INITIATED, Number.Event.RINGING, Number.Event.ANSWERED, Number.Event.COMPLETED);
  private static final List<Sip.Event> SIP_EVENTS =
      List.of(Sip.Event.INITIATED, Sip.Event.RINGING, Sip.Event.ANSWERED, Sip.Event.COMPLETED);

  private Twiml() {}

  /**
   * Greets (by name when the caller is known), then rings every agent in {@code ring} at once;
   * with nobody to ring, the call goes straight to the apology and the voicemail.
   */
  static VoiceResponse inbound(Line line, Optional<Customer> caller, List<String> ring, boolean staffed, String dialActionUrl,
                               String statusUrl) {
    VoiceResponse.Builder response = new VoiceResponse.Builder()
        .say(say(greeting(line, caller), language(line, caller)));
    if (ring.isEmpty()) {
      // On a staffed line, nobody to ring means every agent is busy or offline: a person will call back.
      return response.redirect(new Redirect.Builder(dialActionUrl + "?DialCallStatus=no-answer" + (staffed ? "&nobody=available" : ""))
          .method(HttpMethod.POST).build()).build();
    }
    return response.dial(agentsDial(ring, line.ringTimeoutSeconds(), dialActionUrl, statusUrl).build()).build();
  }

  /** Rings every agent at once; each leg reports its progress to the status URL. */
  private static Dial.Builder agentsDial(List<String> ring, int timeoutSeconds, String dialActionUrl, String statusUrl) {
    Dial.Builder dial = new Dial.Builder()
        .timeout(timeoutSeconds)
        .action(dialActionUrl)
        .method(HttpMethod.POST);
    for (String agent : ring) {
      if (Line.isSipUri(agent)) {
        dial.sip(new Sip.Builder(agent).statusCallback(statusUrl).statusCallbackMethod(HttpMethod.POST)
            .statusCallbackEvents(SIP_EVENTS).build());
      } else {
        dial.number(new Number.Builder(agent).statusCallback(statusUrl).statusCallbackMethod(HttpMethod.POST)
            .statusCallbackEvents(NUMBER_EVENTS).build());
      }
    }
    return dial;
  }

  /**
   * A callback a person answered: who we are, why we call, then every agent rings, but only for
   * {@code agentAnswerSeconds}: a customer we called must not be left waiting for us.
   */
  static VoiceResponse callback(Line line, Optional<Customer> customer, String why, List<String> ring, int agentAnswerSeconds,
                                String dialActionUrl, String statusUrl, String menuUrl) {
    Dial.Builder dial = agentsDial(ring, agentAnswerSeconds, dialActionUrl, statusUrl).callerId(line.number());
    String language = language(line, customer);
    // The greeting listens for 9 ("stop these calls"); with no key pressed the agents ring at once.
    return new VoiceResponse.Builder()
        .gather(new Gather.Builder()
            .numDigits(1)
            .timeout(1)
            .action(menuUrl)
            .method(HttpMethod.POST)
            .actionOnEmptyResult(false)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say(hello(customer) + line.name() + ". " + why + " Connecting you now.", language))
            .say(say("To stop these calls, press 9.", language))
            .build())
        .dial(dial.build())
        .build();
  }

  /** The customer pressed 9 during a callback: never called again. */
  static VoiceResponse stoppedCalling(String language) {
    return new VoiceResponse.Builder()
        .say(say("Understood. We will not call you again. Goodbye.", language))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** Why we call, in one sentence: the order, or the call we missed. */
  static String why(String trigger, String when, Optional<String> orderNumber) {
    if (orderNumber.isPresent()) {
      return "Thank you for your order " + orderNumber.get() + ".";
    }
    return switch (trigger) {
      case "missed", "abandoned", "after_hours", "voicemail" -> "You called us at " + when + " and we missed you.";
      case "dropped" -> "Our call at " + when + " was cut off.";
      default -> "You asked us to call you back.";
    };
  }

  static VoiceResponse callbackMachine(Line line, Optional<Customer> customer, Optional<String> orderNumber) {
    String thanks = orderNumber.map(n -> ", thanking you for your order " + n).orElse(" returning your call");
    return new VoiceResponse.Builder()
        .say(say(hello(customer) + line.name() + thanks + ". Please call us back at " + spelled(line.number())
            + ". Thank you, goodbye.", language(line, customer)))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  static VoiceResponse callbackWithoutAgents(Line line, Optional<Customer> customer) {
    String hello = hello(customer);
    return new VoiceResponse.Builder()
        .say(say(hello + line.name() + " returning your call. Nobody can take it just now; we will call you again shortly. Goodbye.",
            language(line, customer)))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** A callback answered while every agent of the line is busy or offline: a person will call back. */
  static VoiceResponse callbackToAgentQueue(Line line, Optional<Customer> customer) {
    return new VoiceResponse.Builder()
        .say(say(hello(customer) + line.name() + " returning your call. All of our team are busy just now; one of them will call you"
            + " back personally as soon as they are free. Goodbye.", language(line, customer)))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** An order call on a line with no agents to ring: the order is confirmed, and 1 asks for a person. */
  static VoiceResponse orderWithoutAgents(Line line, Optional<Customer> customer, String orderNumber, String gatherActionUrl) {
    String language = language(line, customer);
    return new VoiceResponse.Builder()
        .gather(new Gather.Builder()
            .numDigits(1)
            .timeout(6)
            .action(gatherActionUrl)
            .method(HttpMethod.POST)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say(hello(customer) + line.name() + ". Thank you for your order " + orderNumber
                + ". It is confirmed. To talk to someone about it, press 1. Otherwise, you can simply hang up.", language))
            .say(say("To stop these calls, press 9.", language))
            .build())
        .say(say("Thank you for your order. Goodbye.", language))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** The answer to the order call's question: 1 hands the buyer to an agent. */
  static VoiceResponse orderGathered(boolean wantsAgent, String language) {
    String text = wantsAgent ? "Thank you. Someone from our team will call you back shortly. Goodbye."
        : "Thank you for your order. Goodbye.";
    return new VoiceResponse.Builder().say(say(text, language)).hangup(new Hangup.Builder().build()).build();
  }

  /** What an agent hears before the customer is dialled: "Callback to Nikolay, VIP, missed call at 14:05." */
  static VoiceResponse whisperAndConnect(Line line, String customerName, boolean vip, String reason, String customerPhone,
                                         int timeoutSeconds, String dialActionUrl, String customerStatusUrl) {
    String who = customerName == null || customerName.isBlank() ? "a caller we do not know yet" : customerName.trim();
    Dial dial = new Dial.Builder()
        .callerId(line.number())
        .timeout(timeoutSeconds)
        .action(dialActionUrl)
        .method(HttpMethod.POST)
        .number(new Number.Builder(customerPhone).statusCallback(customerStatusUrl).statusCallbackMethod(HttpMethod.POST)
            .statusCallbackEvents(NUMBER_EVENTS).build())
        .build();
    return new VoiceResponse.Builder()
        .say(say("Callback to " + who + (vip ? ", VIP" : "") + ", " + reason + ". Connecting now.", line.language()))
        .dial(dial)
        .build();
  }

  /** Why the task exists, in a few words for the whisper. */
  static String whisperReason(String trigger, String reason, String when, Optional<String> orderNumber) {
    if (orderNumber.isPresent()) {
      return "order " + orderNumber.get();
    }
    if ("voicemail".equals(reason)) {
      return "left a voicemail at " + when;
    }
    return switch (trigger) {
      case "missed" -> "missed call at " + when;
      case "abandoned" -> "hung up waiting at " + when;
      case "dropped" -> "dropped call at " + when;
      default -> "asked to be called back";
    };
  }

  static VoiceResponse customerNotReached() {
    return new VoiceResponse.Builder()
        .say(say("The customer did not answer. The task is still yours. Goodbye.", "en-US"))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  static VoiceResponse taskGone() {
    return new VoiceResponse.Builder()
        .say(say("This task is no longer yours, so nobody will be dialled. Goodbye.", "en-US"))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  static VoiceResponse noAgent() {
    return new VoiceResponse.Builder()
        .say(say("Sorry, nobody is free to take your call right now. We will call you again shortly. Goodbye.", "en-US"))
        .hangup(new Hangup.Builder().build())
        .build();
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
  static VoiceResponse notAnswered(Line line) {
    return new VoiceResponse.Builder()
        .say(say("Sorry, nobody could take your call right now. Please try again a little later. Goodbye.", line.language()))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** Nobody answered: apologise, promise the callback, offer to choose its time, then a voicemail. */
  static VoiceResponse missed(Line line, int promiseMinutes, int voicemailMaxSeconds, String recordingUrl, String chooseUrl) {
    return messageThenVoicemail(line.language(), "Sorry, nobody could take your call right now. We will call you back within "
            + promiseMinutes + (promiseMinutes == 1 ? " minute." : " minutes."),
        voicemailMaxSeconds, recordingUrl, chooseUrl, "We will call you back soon. Goodbye.");
  }

  /** Outside opening hours: the line's message, by name when the caller is known, then a voicemail. */
  static VoiceResponse afterHours(Line line, Optional<Customer> caller, int voicemailMaxSeconds, String recordingUrl, String chooseUrl) {
    String hello = caller.filter(Customer::hasName).map(c -> "Hello " + firstName(c.name()) + ". ").orElse("");
    return messageThenVoicemail(language(line, caller), hello + line.afterHoursMessage(), voicemailMaxSeconds, recordingUrl, chooseUrl,
        "We will call you back when we open. Goodbye.");
  }

  /**
   * The message (listening for 2: "choose when we call you back"), then a voicemail after the
   * tone; with no key pressed the recording starts at once.
   */
  private static VoiceResponse messageThenVoicemail(String language, String message, int voicemailMaxSeconds, String recordingUrl,
                                                    String chooseUrl, String closing) {
    return new VoiceResponse.Builder()
        .gather(new Gather.Builder()
            .numDigits(1)
            .timeout(2)
            .action(chooseUrl)
            .method(HttpMethod.POST)
            .actionOnEmptyResult(false)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say(message, language))
            .say(say("To choose when we call you back, press 2. Or leave a message after the tone, then hang up.", language))
            .build())
        .record(voicemail(voicemailMaxSeconds, recordingUrl))
        .say(say(closing, language))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  private static Record voicemail(int voicemailMaxSeconds, String recordingUrl) {
    return new Record.Builder()
        .maxLength(voicemailMaxSeconds)
        .playBeep(true)
        .timeout(5)
        .action(recordingUrl)
        .method(HttpMethod.POST)
        .recordingStatusCallback(recordingUrl)
        .recordingStatusCallbackMethod(HttpMethod.POST)
        .build();
  }

  /** Choosing the time, step 1: which day. */
  static VoiceResponse askDay(String language, String actionUrl) {
    return new VoiceResponse.Builder()
        .gather(new Gather.Builder().numDigits(1).timeout(6).action(actionUrl).method(HttpMethod.POST)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say("For today, press 1. For tomorrow, press 2. For the day after tomorrow, press 3.", language))
            .build())
        .say(say("We will call you back as soon as we can. Goodbye.", language))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** Choosing the time, step 2: the time as four digits; {@code problem} says why the last one could not be taken. */
  static VoiceResponse askTime(String language, String actionUrl, String problem) {
    return new VoiceResponse.Builder()
        .gather(new Gather.Builder().numDigits(4).timeout(8).action(actionUrl).method(HttpMethod.POST)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say((problem == null ? "" : problem + " ")
                + "Enter the time as four digits, for example 1 4 3 0 for half past two in the afternoon.", language))
            .build())
        .say(say("We will call you back as soon as we can. Goodbye.", language))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** The chosen time, read back. */
  static VoiceResponse timeChosen(String language, String when) {
    return new VoiceResponse.Builder()
        .say(say("Thank you. We will call you back " + when + ". Goodbye.", language))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  static VoiceResponse timeNotChosen(String language, String why) {
    return new VoiceResponse.Builder()
        .say(say(why + " We will call you back as soon as we can. Goodbye.", language))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  static VoiceResponse voicemailThanks() {
    return new VoiceResponse.Builder()
        .say(say("Thank you for your message. We will call you back soon. Goodbye.", "en-US"))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  static VoiceResponse notInService() {
    return new VoiceResponse.Builder()
        .say(say("Sorry, this number is not in service. Goodbye.", "en-US"))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** Ends a call politely when a request could not be handled. */
  static VoiceResponse apology() {
    return new VoiceResponse.Builder()
        .say(say("Sorry, we cannot take your call right now. Please try again later. Goodbye.", "en-US"))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /**
   * The satisfaction question, once the agent has hung up and the customer is still on the line.
   *
   * @param problem said first when the previous answer was no score
   */
  static VoiceResponse askFeedback(Line line, String actionUrl, String problem) {
    Gather.Builder gather = new Gather.Builder().numDigits(1).timeout(8).action(actionUrl).method(HttpMethod.POST)
        .actionOnEmptyResult(false).inputs(List.of(Gather.Input.DTMF));
    if (problem != null) {
      gather.say(say(problem, line.language()));
    }
    return new VoiceResponse.Builder()
        .gather(gather.say(say(line.feedbackQuestion(), line.language())).build())
        .say(say("Thank you for calling. Goodbye.", line.language()))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** The score is in; a poor one is answered with the promise that someone will follow it up. */
  static VoiceResponse feedbackThanks(String language, boolean poor) {
    return new VoiceResponse.Builder()
        .say(say(poor ? "Thank you, and we are sorry we let you down. Someone will call you about it soon. Goodbye."
            : "Thank you for your answer. Goodbye.", language))
        .hangup(new Hangup.Builder().build())
        .build();
  }

  /** A reply to an SMS; no text: no reply at all. */
  static MessagingResponse message(String text) {
    MessagingResponse.Builder response = new MessagingResponse.Builder();
    if (text != null) {
      response.message(new Message.Builder().body(new Body.Builder(text).build()).build());
    }
    return response.build();
  }

  static VoiceResponse hangup() {
    return new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build();
  }

  /** An empty document: acknowledges a status callback. */
  static VoiceResponse empty() {
    return new VoiceResponse.Builder().build();
  }

  private static String firstName(String name) {
    String trimmed = name.trim();
    int space = trimmed.indexOf(' ');
    return space < 0 ? trimmed : trimmed.substring(0, space);
  }

  private static String language(Line line, Optional<Customer> caller) {
    return caller.map(Customer::language).filter(l -> l != null && !l.isBlank()).orElse(line.language());
  }

  private static Say say(String text, String language) {
    Say.Builder say = new Say.Builder(text);
    for (Say.Language candidate : Say.Language.values()) {
      if (candidate.toString().equalsIgnoreCase(language)) {
        say.language(candidate);
        break;
      }
    }
    return say.build();
  }
}
