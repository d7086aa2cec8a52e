package dev.ringback.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiML;
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
import dev.ringback.support.Xml;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
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
  private static final Line LINE = new Line("main", "+14155550100", "Acme & Sons", ZoneId.of("America/Los_Angeles"), "en-GB",
      "Thank you for calling <Acme>.", "Hello {first-name}, thank you for calling.", List.of("+14155550101"), 20, null,
      "We are closed.", "voice", "How did we do? Press 1 to 5.");
  private static final Customer ZOE = new Customer(7, "+14155550123", "Zoë \"Z\" O'Brien <&>", Customer.Tier.VIP, "fr-FR", null,
      null, Instant.EPOCH, Instant.EPOCH);

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
        .say(say("Hello Zoë, thank you for calling.", Say.Language.FR_FR)).dial(dial).build();
    assertSameDocument(expected, Twiml.inbound(LINE, Optional.of(ZOE), List.of("+14155550101", "sip:desk@acme.sip.twilio.com"),
        true, DIAL, STATUS));

    VoiceResponse nobody = new VoiceResponse.Builder()
        .say(say("Thank you for calling <Acme>.", Say.Language.EN_GB))
        .redirect(new Redirect.Builder(DIAL + "?DialCallStatus=no-answer&nobody=available").method(HttpMethod.POST).build())
        .build();
    assertSameDocument(nobody, Twiml.inbound(LINE, Optional.empty(), List.of(), true, DIAL, STATUS));
  }

  @Test
  void aCallbackListensForNineThenRingsTheAgentsWithTheLinesNumber() {
    String menu = "https://rb.example.com/twilio/callback-menu";
    VoiceResponse expected = new VoiceResponse.Builder()
        .gather(new Gather.Builder().numDigits(1).timeout(1).action(menu).method(HttpMethod.POST).actionOnEmptyResult(false)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say("Hello Zoë, this is Acme & Sons. Thank you for your order #1001. Connecting you now.", Say.Language.FR_FR))
            .say(say("To stop these calls, press 9.", Say.Language.FR_FR))
            .build())
        .dial(new Dial.Builder().timeout(15).action(DIAL).method(HttpMethod.POST).callerId("+14155550100")
            .number(new Number.Builder("+14155550101").statusCallback(STATUS).statusCallbackMethod(HttpMethod.POST)
                .statusCallbackEvents(List.of(Number.Event.INITIATED, Number.Event.RINGING, Number.Event.ANSWERED,
                    Number.Event.COMPLETED)).build())
            .build())
        .build();
    assertSameDocument(expected, Twiml.callback(LINE, Optional.of(ZOE), "Thank you for your order #1001.", List.of("+14155550101"),
        15, DIAL, STATUS, menu));
  }

  @Test
  void aMissedCallOffersTheChoiceThenRecordsAVoicemail() {
    String recording = "https://rb.example.com/twilio/recording";
    String choose = "https://rb.example.com/twilio/choose";
    VoiceResponse expected = new VoiceResponse.Builder()
        .gather(new Gather.Builder().numDigits(1).timeout(2).action(choose).method(HttpMethod.POST).actionOnEmptyResult(false)
            .inputs(List.of(Gather.Input.DTMF))
            .say(say("Sorry, nobody could take your call right now. We will call you back within 5 minutes.", Say.Language.EN_GB))
            .say(say("To choose when we call you back, press 2. Or leave a message after the tone, then hang up.",
                Say.Language.EN_GB))
            .build())
        .record(new Record.Builder().maxLength(120).playBeep(true).timeout(5).action(recording).method(HttpMethod.POST)
            .recordingStatusCallback(recording).recordingStatusCallbackMethod(HttpMethod.POST).build())
        .say(say("We will call you back soon. Goodbye.", Say.Language.EN_GB))
        .hangup(new Hangup.Builder().build())
        .build();
    assertSameDocument(expected, Twiml.missed(LINE, 5, 120, recording, choose));
  }

  @Test
  void smsRepliesAndTheEmptyAcknowledgement() {
    assertSameDocument(new MessagingResponse.Builder().message(new Message.Builder().body(new Body.Builder("Thanks & bye").build())
        .build()).build(), Twiml.message("Thanks & bye"));
    assertSameDocument(new MessagingResponse.Builder().build(), Twiml.message(null));
    assertSameDocument(new VoiceResponse.Builder().build(), Twiml.empty());
    assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>", Twiml.empty().toXml());
  }

  @Test
  void aLanguageSayDoesNotKnowIsLeftOutAndForbiddenCharactersAreDropped() {
    Customer odd = new Customer(8, "+14155550124", "Bob\u0001\u0007 \uD800Smith\uD83D\uDE00", Customer.Tier.STANDARD, "xx-YY",
        null, null, Instant.EPOCH, Instant.EPOCH);
    Element say = Xml.child(Xml.parse(Twiml.inbound(LINE, Optional.of(odd), List.of("+14155550101"), true, DIAL, STATUS).toXml()),
        "Say");
    assertFalse(say.hasAttribute("language"), "xx-YY is no language of <Say>: Twilio's default voice speaks");
    assertEquals("Hello Bob, thank you for calling.", say.getTextContent());
    Element known = Xml.child(Xml.parse(TwimlElement.response().add(TwimlElement.of("Say").attribute("x", "a\"b\tc\u0002")
        .text(odd.name())).toXml()), "Say");
    assertEquals("a\"b\tc", known.getAttribute("x"));
    assertEquals("Bob Smith\uD83D\uDE00", known.getTextContent());
  }
}
