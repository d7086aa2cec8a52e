package dev.ringback.http;

import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Line;
import dev.ringback.domain.Screening;
import dev.ringback.domain.Speech;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TwiML of every answer to Twilio ({@link TwimlElement} escapes every value). Every sentence
 * comes from the call's {@link Speech}: its language's catalog, or the line's own words or
 * recordings.
 */
final class Twiml {
  /** Every progress event of an agent's or customer's leg goes to the status URL. */
  private static final String LEG_EVENTS = "initiated ringing answered completed";

  private Twiml() {}

  /** One sentence of the catalog, by key, with the values of its placeholders. */
  record Sentence(String key, Map<String, ?> values) {
    static Sentence of(String key) {
      return new Sentence(key, Map.of());
    }

    static Sentence of(String key, String name, Object value) {
      return new Sentence(key, Map.of(name, value));
    }
  }

  /**
   * How the agents' legs of a {@code <Dial>} report and are screened: a screened leg first runs
   * {@code screenUrl} (the whisper and "press 1") on the agent's phone, and reports to the status
   * URL with {@code screened=1}, so that its answer alone does not count as the caller's.
   */
  record Legs(String statusUrl, Screening screening, String screenUrl) {
    static Legs unscreened(String statusUrl) {
      return new Legs(statusUrl, Screening.NEVER, null);
    }

    TwimlElement leg(String contact) {
      boolean sip = Line.isSipUri(contact);
      if (!screening.screens(contact)) {
        return Twiml.leg(sip ? "Sip" : "Number", contact, statusUrl);
      }
      return Twiml.leg(sip ? "Sip" : "Number", contact, statusUrl + (statusUrl.contains("?") ? "&" : "?") + "screened=1")
          .attribute("method", "POST").attribute("url", screenUrl);
    }
  }

  /**
   * Greets (by name when the caller is known), then rings the agents of the call's first step
   * ({@code ring}, for {@code ringSeconds}); with nobody to ring, the call goes straight to the
   * apology and the voicemail.
   */
  static TwimlElement inbound(Speech speech, Line line, Optional<Customer> caller, List<String> ring, int ringSeconds, boolean staffed,
                               String dialActionUrl, Legs legs) {
    Sentence greeting = caller.filter(Customer::hasName)
        .map(c -> new Sentence("greeting.known", withBusiness(line, c.names())))
        .orElse(new Sentence("greeting", withBusiness(line, Map.of())));
    TwimlElement response = TwimlElement.response();
    speak(response, speech, List.of(greeting));
    if (ring.isEmpty()) {
      // On a staffed line, nobody to ring means every agent is busy or offline: a person will call back.
      return response.add(TwimlElement.of("Redirect").attribute("method", "POST")
          .text(dialActionUrl + "?DialCallStatus=no-answer" + (staffed ? "&nobody=available" : "")));
    }
    return response.add(agentsDial(ring, ringSeconds, dialActionUrl, legs));
  }

  /** Nobody answered the last agent: the next one rings, the caller still hearing the ringing. */
  static TwimlElement ringNext(List<String> ring, int ringSeconds, String dialActionUrl, Legs legs) {
    return TwimlElement.response().add(agentsDial(ring, ringSeconds, dialActionUrl, legs));
  }

  /** Rings every agent at once; each leg reports its progress to the status URL, and is screened as the line says. */
  private static TwimlElement agentsDial(List<String> ring, int timeoutSeconds, String dialActionUrl, Legs legs) {
    TwimlElement dial = dial(timeoutSeconds, dialActionUrl);
    for (String agent : ring) {
      dial.add(legs.leg(agent));
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
  static TwimlElement callback(Speech speech, Line line, Optional<Customer> customer, Sentence why, List<String> ring,
                               int agentAnswerSeconds, String dialActionUrl, Legs legs, String menuUrl) {
    TwimlElement dial = agentsDial(ring, agentAnswerSeconds, dialActionUrl, legs).attribute("callerId", line.number());
    // The greeting listens for 9 ("stop these calls"); with no key pressed the agents ring at once.
    TwimlElement menu = gather(1, 1, menuUrl, false);
    speak(menu, speech, List.of(hello(line, customer), why, Sentence.of("callback.connecting")));
    speak(menu, speech, List.of(Sentence.of("callback.stop-calls")));
    return TwimlElement.response().add(menu).add(dial);
  }

  /**
   * What a screened agent hears on answering, while the caller still hears ringing: who calls,
   * and "press 1". Silence (a voicemail's greeting) or another key hangs this leg up, and the
   * others keep ringing.
   */
  static TwimlElement screen(Speech speech, Sentence whisper, String decisionUrl) {
    TwimlElement menu = gather(1, 6, decisionUrl, false);
    speak(menu, speech, List.of(whisper));
    return TwimlElement.response().add(menu).add(hangupVerb());
  }

  /** Who a screened leg's whisper names: the caller by name (as a VIP when they are one), else only the business. */
  static Sentence screeningWhisper(Line line, Optional<Customer> caller, boolean callback) {
    String key = callback ? "screening.callback" : "screening.whisper";
    return caller.filter(Customer::hasName)
        .map(c -> new Sentence(key + (c.tier() == Customer.Tier.VIP ? ".vip" : ""), withBusiness(line, c.names())))
        .orElse(new Sentence(key + ".unknown", withBusiness(line, Map.of())));
  }

  /** The agent pressed 1: an empty document ends the whisper, and Twilio puts the caller through. */
  static TwimlElement accepted() {
    return TwimlElement.response();
  }

  /** Why we call, in one sentence: the order, or the call we missed ({@code time}: when, as the language says it). */
  static Sentence why(CallbackTrigger trigger, String time, Optional<String> orderNumber) {
    if (orderNumber.isPresent()) {
      return Sentence.of("callback.why.order", "order", orderNumber.get());
    }
    return switch (trigger) {
      case MISSED, ABANDONED, AFTER_HOURS, VOICEMAIL -> Sentence.of("callback.why.missed", "time", time);
      case DROPPED -> Sentence.of("callback.why.dropped", "time", time);
      default -> Sentence.of("callback.why.asked");
    };
  }

  /** A callback an answering machine took: who called, and the number to call back. */
  static TwimlElement callbackMachine(Speech speech, Line line, Optional<Customer> customer, Optional<String> orderNumber,
                                      String spokenNumber) {
    Sentence purpose = orderNumber.map(n -> Sentence.of("callback.machine.order", "order", n))
        .orElse(Sentence.of("callback.machine.returning"));
    return speakThenHangUp(speech, hello(line, customer), purpose, Sentence.of("callback.machine.call-us", "number", spokenNumber));
  }

  static TwimlElement callbackWithoutAgents(Speech speech, Line line, Optional<Customer> customer) {
    return speakThenHangUp(speech, hello(line, customer), Sentence.of("callback.no-agents"));
  }

  /** A callback answered while every agent of the line is busy or offline: a person will call back. */
  static TwimlElement callbackToAgentQueue(Speech speech, Line line, Optional<Customer> customer) {
    return speakThenHangUp(speech, hello(line, customer), Sentence.of("callback.agents-busy"));
  }

  /** An order call on a line with no agents to ring: the order is confirmed, and 1 asks for a person. */
  static TwimlElement orderWithoutAgents(Speech speech, Line line, Optional<Customer> customer, String orderNumber,
                                         String gatherActionUrl) {
    TwimlElement menu = gather(1, 6, gatherActionUrl, null);
    speak(menu, speech, List.of(hello(line, customer), Sentence.of("order.confirmed", "order", orderNumber)));
    speak(menu, speech, List.of(Sentence.of("callback.stop-calls")));
    TwimlElement response = TwimlElement.response().add(menu);
    speak(response, speech, List.of(Sentence.of("order.goodbye")));
    return response.add(hangupVerb());
  }

  /** The answer to the order call's question: 1 hands the buyer to an agent. */
  static TwimlElement orderGathered(Speech speech, boolean wantsAgent) {
    return speakThenHangUp(speech, Sentence.of(wantsAgent ? "order.agent-will-call" : "order.goodbye"));
  }

  /** What an agent hears before the customer is dialled: "Callback to Nikolay, VIP customer, missed call at 14:05." */
  static TwimlElement whisperAndConnect(Speech speech, String customerName, boolean vip, Sentence reason, String customerPhone,
                                        String callerId, int timeoutSeconds, String dialActionUrl, String customerStatusUrl) {
    TwimlElement response = TwimlElement.response();
    speak(response, speech, List.of(whisper("whisper", speech, customerName, vip, reason)));
    return response.add(customerDial(customerPhone, callerId, timeoutSeconds, dialActionUrl, customerStatusUrl));
  }

  /**
   * What the agent of an agent-first callback hears on answering: who is to be called and why,
   * and "press 1". Silence (their voicemail) or another key hangs up; nobody is dialled.
   */
  static TwimlElement agentFirstWhisper(Speech speech, Optional<Customer> customer, Sentence reason, String decisionUrl) {
    Optional<Customer> named = customer.filter(Customer::hasName);
    TwimlElement menu = gather(1, 6, decisionUrl, false);
    speak(menu, speech, List.of(whisper("agent-first.whisper", speech, named.map(Customer::name).orElse(null),
        named.filter(c -> c.tier() == Customer.Tier.VIP).isPresent(), reason)));
    return TwimlElement.response().add(menu).add(hangupVerb());
  }

  /** The agent pressed 1: the customer is dialled from the line's number, the agent hearing it ring. */
  static TwimlElement dialCustomer(String customerPhone, String callerId, int timeoutSeconds, String dialActionUrl,
                                   String customerStatusUrl) {
    return TwimlElement.response().add(customerDial(customerPhone, callerId, timeoutSeconds, dialActionUrl, customerStatusUrl));
  }

  private static TwimlElement customerDial(String customerPhone, String callerId, int timeoutSeconds, String dialActionUrl,
                                           String customerStatusUrl) {
    return dial(timeoutSeconds, dialActionUrl).attribute("callerId", callerId).add(leg("Number", customerPhone, customerStatusUrl));
  }

  /** "Callback to Nikolay Petrov, VIP customer, missed call at 14:05.", by the keys {@code key}, {@code key.vip}, {@code key.unknown}. */
  private static Sentence whisper(String key, Speech speech, String customerName, boolean vip, Sentence reason) {
    String why = speech.text(reason.key(), reason.values());
    if (customerName == null || customerName.isBlank()) {
      return Sentence.of(key + ".unknown", "reason", why);
    }
    return new Sentence(vip ? key + ".vip" : key, Map.of("name", customerName.trim(), "reason", why));
  }

  /** Why the task exists, in a few words for the whisper ({@code time}: when, as the language says it). */
  static Sentence whisperReason(CallbackTrigger trigger, String taskReason, String time, Optional<String> orderNumber) {
    if (orderNumber.isPresent()) {
      return Sentence.of("whisper.reason.order", "order", orderNumber.get());
    }
    if ("voicemail".equals(taskReason)) {
      return Sentence.of("whisper.reason.voicemail", "time", time);
    }
    return switch (trigger) {
      case MISSED -> Sentence.of("whisper.reason.missed", "time", time);
      case ABANDONED -> Sentence.of("whisper.reason.abandoned", "time", time);
      case DROPPED -> Sentence.of("whisper.reason.dropped", "time", time);
      default -> Sentence.of("whisper.reason.asked");
    };
  }

  /** "Hello Nikolay, this is Acme." for a known name, "Hello, this is Acme." otherwise. */
  private static Sentence hello(Line line, Optional<Customer> customer) {
    return customer.filter(Customer::hasName)
        .map(c -> new Sentence("callback.hello.known", withBusiness(line, c.names())))
        .orElse(new Sentence("callback.hello", withBusiness(line, Map.of())));
  }

  /** Nobody answered: apologise, promise the callback, offer to choose its time, then a voicemail. */
  static TwimlElement missed(Speech speech, int promiseMinutes, int voicemailMaxSeconds, String recordingUrl, String chooseUrl) {
    return messageThenVoicemail(speech, List.of(Sentence.of("missed", "minutes", promiseMinutes)), voicemailMaxSeconds, recordingUrl,
        chooseUrl, Sentence.of("missed.goodbye"));
  }

  /** Outside opening hours: the line's message, by name when the caller is known, then a voicemail. */
  static TwimlElement afterHours(Speech speech, Line line, Optional<Customer> caller, int voicemailMaxSeconds, String recordingUrl,
                                 String chooseUrl) {
    List<Sentence> message = new ArrayList<>();
    caller.filter(Customer::hasName).ifPresent(c -> message.add(new Sentence("after-hours.hello", c.names())));
    message.add(new Sentence("after-hours", withBusiness(line, Map.of())));
    return messageThenVoicemail(speech, message, voicemailMaxSeconds, recordingUrl, chooseUrl, Sentence.of("after-hours.goodbye"));
  }

  /**
   * The message (listening for 2: "choose when we call you back"), then a voicemail after the
   * tone; with no key pressed the recording starts at once.
   */
  private static TwimlElement messageThenVoicemail(Speech speech, List<Sentence> message, int voicemailMaxSeconds, String recordingUrl,
                                                   String chooseUrl, Sentence goodbye) {
    TwimlElement menu = gather(1, 2, chooseUrl, false);
    speak(menu, speech, message);
    speak(menu, speech, List.of(Sentence.of("choose-or-leave-message")));
    TwimlElement response = TwimlElement.response().add(menu).add(voicemail(voicemailMaxSeconds, recordingUrl));
    speak(response, speech, List.of(goodbye));
    return response.add(hangupVerb());
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
  static TwimlElement askDay(Speech speech, String actionUrl) {
    TwimlElement menu = gather(1, 6, actionUrl, null);
    speak(menu, speech, List.of(Sentence.of("picker.ask-day")));
    TwimlElement response = TwimlElement.response().add(menu);
    speak(response, speech, List.of(Sentence.of("picker.as-soon-as-we-can")));
    return response.add(hangupVerb());
  }

  /**
   * Choosing the time, step 2: the time as four digits; {@code problem} says why the last one
   * could not be taken; {@code example} is 14:30 as the language says it.
   */
  static TwimlElement askTime(Speech speech, String actionUrl, Sentence problem, String example) {
    TwimlElement menu = gather(4, 8, actionUrl, null);
    List<Sentence> said = new ArrayList<>();
    if (problem != null) {
      said.add(problem);
    }
    said.add(Sentence.of("picker.ask-time", "time", example));
    speak(menu, speech, said);
    TwimlElement response = TwimlElement.response().add(menu);
    speak(response, speech, List.of(Sentence.of("picker.as-soon-as-we-can")));
    return response.add(hangupVerb());
  }

  /** The chosen time, read back. */
  static TwimlElement timeChosen(Speech speech, Sentence chosen) {
    return speakThenHangUp(speech, chosen);
  }

  /** No time was chosen: why, then the promise to call as soon as we can. */
  static TwimlElement timeNotChosen(Speech speech, Sentence why) {
    return speakThenHangUp(speech, why, Sentence.of("picker.as-soon-as-we-can"));
  }

  /**
   * The satisfaction question, once the agent has hung up and the customer is still on the line.
   *
   * @param again said first when the previous answer was no score
   */
  static TwimlElement askFeedback(Speech speech, String actionUrl, boolean again) {
    TwimlElement menu = gather(1, 8, actionUrl, false);
    List<Sentence> said = new ArrayList<>();
    if (again) {
      said.add(Sentence.of("feedback.not-a-choice"));
    }
    said.add(Sentence.of("feedback.question"));
    speak(menu, speech, said);
    TwimlElement response = TwimlElement.response().add(menu);
    speak(response, speech, List.of(Sentence.of("feedback.goodbye")));
    return response.add(hangupVerb());
  }

  /** The score is in; a poor one is answered with the promise that someone will follow it up. */
  static TwimlElement feedbackThanks(Speech speech, boolean poor) {
    return speakThenHangUp(speech, Sentence.of(poor ? "feedback.sorry" : "feedback.thanks"));
  }

  /**
   * One sentence, then the call ends: an apology ({@code apology}), a number not in service, the
   * thanks for a voicemail, "we will not call you again", what an agent hears of a task gone.
   */
  static TwimlElement goodbye(String key, Speech speech) {
    return speakThenHangUp(speech, Sentence.of(key));
  }

  /** A test call from the set-up page: the line's greeting as its callers hear it, then what this call was. */
  static TwimlElement testCall(Speech speech, Line line) {
    TwimlElement response = TwimlElement.response();
    speak(response, speech, List.of(new Sentence("greeting", withBusiness(line, Map.of())), Sentence.of("test-call")));
    return response.add(hangupVerb());
  }

  static TwimlElement hangup() {
    return TwimlElement.response().add(hangupVerb());
  }

  /** An empty document: acknowledges a status callback. */
  static TwimlElement empty() {
    return TwimlElement.response();
  }

  private static Map<String, Object> withBusiness(Line line, Map<String, Object> values) {
    Map<String, Object> all = new HashMap<>(values);
    all.put("business", line.name());
    return all;
  }

  /**
   * The sentences in order: those in text in one {@code <Say>} (one voice, no pause between
   * them), a line's recording of one as a {@code <Play>} between them.
   */
  private static void speak(TwimlElement parent, Speech speech, List<Sentence> sentences) {
    StringBuilder text = new StringBuilder();
    for (Sentence sentence : sentences) {
      Optional<String> recording = speech.recording(sentence.key());
      if (recording.isPresent()) {
        flush(parent, speech, text);
        parent.add(TwimlElement.of("Play").text(recording.get()));
      } else {
        String said = speech.text(sentence.key(), sentence.values());
        if (!said.isEmpty()) {
          text.append(text.length() == 0 ? "" : " ").append(said);
        }
      }
    }
    flush(parent, speech, text);
  }

  private static void flush(TwimlElement parent, Speech speech, StringBuilder text) {
    if (text.length() > 0) {
      parent.add(TwimlElement.of("Say").attribute("language", speech.sayLanguage()).attribute("voice", speech.voice())
          .text(text.toString()));
      text.setLength(0);
    }
  }

  private static TwimlElement speakThenHangUp(Speech speech, Sentence... sentences) {
    TwimlElement response = TwimlElement.response();
    speak(response, speech, List.of(sentences));
    return response.add(hangupVerb());
  }
}
