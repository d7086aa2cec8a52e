package dev.ringback.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.CallbackMode;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.Catalog;
import dev.ringback.domain.Catalogs;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Line;
import dev.ringback.domain.Prompt;
import dev.ringback.domain.RingStrategy;
import dev.ringback.domain.Screening;
import dev.ringback.domain.Speech;
import dev.ringback.domain.TextBack;
import dev.ringback.support.Xml;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Our TwiML is written directly, not through twilio-java's builders; these documents must be the
 * ones twilio-java writes for the same verbs (same elements, attributes and text), and stay
 * well-formed whatever a customer's name holds.
 */
class TwimlTest {
  private static final String DIAL = "https://rb.example.com/twilio/dial";
  private static final String STATUS = "https://rb.example.com/twilio/status";
  private static final Catalogs CATALOGS = RingbackConfig.parse("empty.yaml", "", Map.of()).catalogs();
  private static final Line LINE = new Line("main", "+14155550100", "Acme & Sons", ZoneId.of("America/Los_Angeles"), "en-GB", null,
      List.of("+14155550101"), 20, RingStrategy.SIMULTANEOUS, 15, Screening.AUTO, CallbackMode.AUTO, null, "voice", TextBack.OFF,
      Map.of("greeting", Prompt.text("Thank you for calling <Acme>."), "greeting.known", Prompt.text("Hello {first-name}, thank you for calling.")));
  /** A customer whose own language is one Ringback speaks: spoken to in it, not in the line's. */
  private static final Customer ZOE = new Customer(7, "+14155550123", "Zoë \"Z\" O'Brien <&>", Customer.Tier.VIP, "es-ES", null,
      null, Instant.EPOCH, Instant.EPOCH);
  private static final Catalog SPANISH = CATALOGS.forLanguage("es-ES").orElseThrow();
  private static final Catalog BRITISH = CATALOGS.forLanguage("en-GB").orElseThrow();

  private static Speech speech(Optional<Customer> customer) {
    return Speech.on(CATALOGS, LINE, customer.map(Customer::language));
  }

  private static void assertSameDocument(TwiML expected, TwimlElement actual) {
    Element want = Xml.parse(expected.toXml());
    Element got = Xml.parse(actual.toXml());
    assertTrue(want.isEqualNode(got), "expected " + expected.toXml() + "\nbut got  " + actual.toXml());
  }

  private static Say say(String text, Say.Language language) {
    Say.Builder say = new Say.Builder(text);
    return (language == null ? say : say.language(language)).build();
  }

  @Test
  void anInboundCallRingsNumbersAndSipAgentsAsTwilioJavaWouldWriteIt() {
    Dial dial = new Dial.Builder().timeout(20).action(DIAL).method(HttpMethod.POST)
        .number(new Number.Builder("+14155550101").statusCallback(STATUS).statusCallbackMethod(HttpMethod.POST)
            .statusCallbackEvents(List.of(Number.Event.INITIATED, Number.Event.RINGING, Number.Event.ANSWERED,
                Number.Event.COMPLETED)).build())
        .sip(new Sip.Builder("sip:desk@acme.sip.twilio.com").statusCallback(STATUS).statusCallbackMethod(HttpMethod.POST)
            .statusCallbackEvents(List.of(Sip.Event.INITIATED, Sip.Event.RINGING, Sip.Event.ANSWERED, Sip.Event.COMPLETED)).build())
        .build();
    VoiceResponse expected = new VoiceResponse.Builder()
        .say(say(SPANISH.text("greeting.known", Map.of("first-name", "Zoë", "name", "Zoë \"Z\" O'Brien <&>", "business", "Acme & Sons")),
            Say.Language.ES_ES)).dial(dial).build();
    assertSameDocument(expected, Twiml.inbound(speech(Optional.of(ZOE)), LINE, Optional.of(ZOE),
        List.of("+14155550101", "sip:desk@acme.sip.twilio.com"), 20, true, DIAL, Twiml.Legs.unscreened(STATUS)));

    VoiceResponse nobody = new VoiceResponse.Builder()
        .say(say("Thank you for calling <Acme>.", Say.Language.EN_GB))
        .redirect(new Redirect.Builder(DIAL + "?DialCallStatus=no-answer&nobody=available").method(HttpMethod.POST).build())
        .build();
    assertSameDocument(nobody, Twiml.inbound(speech(Optional.empty()), LINE, Optional.empty(), List.of(), 20, true, DIAL, Twiml.Legs.unscreened(STATUS)));
  }

  @Test
  void aScreenedPhoneLegRunsTheWhisperFirstAndReportsAsScreenedWhileSipRingsAsItIs() {
    String screen = "https://rb.example.com/twilio/screen?call=CA1&line=main";
    Dial dial = new Dial.Builder().timeout(20).action(DIAL).method(HttpMethod.POST)
        .number(new Number.Builder("+14155550101").statusCallback(STATUS + "?screened=1").statusCallbackMethod(HttpMethod.POST)
            .statusCallbackEvents(List.of(Number.Event.INITIATED, Number.Event.RINGING, Number.Event.ANSWERED, Number.Event.COMPLETED))
            .url(screen).method(HttpMethod.POST).build())
        .sip(new Sip.Builder("sip:desk@acme.sip.twilio.com").statusCallback(STATUS).statusCallbackMethod(HttpMethod.POST)
            .statusCallbackEvents(List.of(Sip.Event.INITIATED, Sip.Event.RINGING, Sip.Event.ANSWERED, Sip.Event.COMPLETED)).build())
        .build();
    VoiceResponse expected = new VoiceResponse.Builder().say(say("Thank you for calling <Acme>.", Say.Language.EN_GB)).dial(dial).build();
    assertSameDocument(expected, Twiml.inbound(speech(Optional.empty()), LINE, Optional.empty(),
        List.of("+14155550101", "sip:desk@acme.sip.twilio.com"), 20, true, DIAL, new Twiml.Legs(STATUS, Screening.AUTO, screen)));

    String decided = "https://rb.example.com/twilio/screened?call=CA1&line=main";
    VoiceResponse whisper = new VoiceResponse.Builder()
        .gather(new Gather.Builder().numDigits(1).timeout(6).action(decided).method(HttpMethod.POST).actionOnEmptyResult(false)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say("Call for Acme & Sons from Zoë \"Z\" O'Brien <&>, VIP customer. Press 1 to take it.", Say.Language.EN_GB)).build())
        .hangup(new Hangup.Builder().build())
        .build();
    assertSameDocument(whisper, Twiml.screen(speech(Optional.empty()), Twiml.screeningWhisper(LINE, Optional.of(ZOE), false), decided));
  }

  @Test
  void aCallbackListensForNineThenRingsTheAgentsWithTheLinesNumber() {
    String menu = "https://rb.example.com/twilio/callback-menu";
    VoiceResponse expected = new VoiceResponse.Builder()
        .gather(new Gather.Builder().numDigits(1).timeout(1).action(menu).method(HttpMethod.POST).actionOnEmptyResult(false)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say(SPANISH.text("callback.hello.known", Map.of("first-name", "Zoë", "name", "Zoë", "business", "Acme & Sons")) + " "
                + SPANISH.text("callback.why.order", Map.of("order", "#1001")) + " " + SPANISH.text("callback.connecting", Map.of()),
                Say.Language.ES_ES))
            .say(say(SPANISH.text("callback.stop-calls", Map.of()), Say.Language.ES_ES))
            .build())
        .dial(new Dial.Builder().timeout(15).action(DIAL).method(HttpMethod.POST).callerId("+14155550100")
            .number(new Number.Builder("+14155550101").statusCallback(STATUS).statusCallbackMethod(HttpMethod.POST)
                .statusCallbackEvents(List.of(Number.Event.INITIATED, Number.Event.RINGING, Number.Event.ANSWERED,
                    Number.Event.COMPLETED)).build())
            .build())
        .build();
    assertSameDocument(expected, Twiml.callback(speech(Optional.of(ZOE)), LINE, Optional.of(ZOE),
        Twiml.why(CallbackTrigger.ORDER, "14:05", Optional.of("#1001")), List.of("+14155550101"), 15, DIAL, Twiml.Legs.unscreened(STATUS), menu));
  }

  @Test
  void aMissedCallOffersTheChoiceThenRecordsAVoicemail() {
    String recording = "https://rb.example.com/twilio/recording";
    String choose = "https://rb.example.com/twilio/choose";
    VoiceResponse expected = new VoiceResponse.Builder()
        .gather(new Gather.Builder().numDigits(1).timeout(2).action(choose).method(HttpMethod.POST).actionOnEmptyResult(false)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say(BRITISH.text("missed", Map.of("minutes", 5)), Say.Language.EN_GB))
            .say(say(BRITISH.text("choose-or-leave-message", Map.of()), Say.Language.EN_GB))
            .build())
        .record(new Record.Builder().maxLength(120).playBeep(true).timeout(5).action(recording).method(HttpMethod.POST)
            .recordingStatusCallback(recording).recordingStatusCallbackMethod(HttpMethod.POST).build())
        .say(say(BRITISH.text("missed.goodbye", Map.of()), Say.Language.EN_GB))
        .hangup(new Hangup.Builder().build())
        .build();
    assertSameDocument(expected, Twiml.missed(speech(Optional.empty()), 5, 120, recording, choose));
  }

  @Test
  void aLinesRecordingIsPlayedInsteadOfItsSentenceAndItsVoiceSpeaksTheRest() {
    Line recorded = new Line("main", "+14155550100", "Acme", ZoneId.of("UTC"), "en-US", "Polly.Joanna", List.of(), 20,
        RingStrategy.SIMULTANEOUS, 15, Screening.AUTO, CallbackMode.AUTO, null, "voice", TextBack.OFF, Map.of("missed", Prompt.play("https://example.com/missed.mp3")));
    Element twiml = Xml.parse(Twiml.missed(Speech.on(CATALOGS, recorded, Optional.empty()), 5, 120, "https://rb/rec", "https://rb/when")
        .toXml());
    Element gather = Xml.child(twiml, "Gather");
    assertEquals(List.of("Play", "Say"), Xml.childNames(gather));
    assertEquals("https://example.com/missed.mp3", Xml.child(gather, "Play").getTextContent());
    assertEquals("Polly.Joanna", Xml.child(gather, "Say").getAttribute("voice"));
    assertEquals("en-US", Xml.child(gather, "Say").getAttribute("language"));
  }

  @Test
  void theEmptyAcknowledgement() {
    // Texts are answered by texts of their own: an SMS webhook's answer is this empty document too.
    assertSameDocument(new MessagingResponse.Builder().build(), Twiml.empty());
    assertSameDocument(new VoiceResponse.Builder().build(), Twiml.empty());
    assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>", Twiml.empty().toXml());
  }

  @Test
  void aCustomersLanguageWithoutACatalogIsSpokenToInTheLinesAndForbiddenCharactersAreDropped() {
    Customer odd = new Customer(8, "+14155550124", "Bob\u0001\u0007 \uD800Smith\uD83D\uDE00", Customer.Tier.STANDARD, "xx-YY",
        null, null, Instant.EPOCH, Instant.EPOCH);
    Element say = Xml.child(Xml.parse(Twiml.inbound(speech(Optional.of(odd)), LINE, Optional.of(odd), List.of("+14155550101"), 20,
        true, DIAL, Twiml.Legs.unscreened(STATUS)).toXml()), "Say");
    assertEquals("en-GB", say.getAttribute("language"), "xx-YY has no catalog: the line's language is spoken");
    assertEquals("Hello Bob, thank you for calling.", say.getTextContent());
    Element known = Xml.child(Xml.parse(TwimlElement.response().add(TwimlElement.of("Say").attribute("x", "a\"b\tc\u0002")
        .text(odd.name())).toXml()), "Say");
    assertEquals("a\"b\tc", known.getAttribute("x"));
    assertEquals("Bob Smith\uD83D\uDE00", known.getTextContent());
  }
}
