package dev.ringback.http;

import static dev.ringback.support.RingbackServer.AGENT_NUMBER;
import static dev.ringback.support.RingbackServer.AGENT_SIP;
import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.PUBLIC_URL;
import static dev.ringback.support.RingbackServer.SUPPORT_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.Xml;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** POST /twilio/voice driven exactly as Twilio drives it. */
class InboundCallTest {
  static final String CALLER = "+14155550123";
  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    server = RingbackServer.start(db, "http://127.0.0.1:9");
    var created = server.api("POST", "/api/customers", "application/json",
        "{\"phone\":\"" + CALLER + "\",\"name\":\"Nikolay Petrov\",\"tier\":\"vip\"}");
    assertThat(created.statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> incoming(String callSid, String from, String to) {
    return server.twilio("/twilio/voice", "AccountSid", RingbackServer.ACCOUNT_SID, "CallSid", callSid, "From", from,
        "To", to, "CallStatus", "ringing", "Direction", "inbound", "ApiVersion", "2010-04-01");
  }

  @Test
  void knownCallerIsGreetedByNameAndEveryAgentRings() {
    HttpResponse<String> response = incoming("CAknown0001", CALLER, LINE_NUMBER);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/xml"));
    Element twiml = Xml.parse(response.body());
    assertThat(twiml.getTagName()).isEqualTo("Response");
    assertThat(Xml.childNames(twiml)).containsExactly("Say", "Dial");
    assertThat(Xml.child(twiml, "Say").getTextContent()).isEqualTo("Hello Nikolay, thank you for calling Acme.");

    Element dial = Xml.child(twiml, "Dial");
    assertThat(dial.getAttribute("action")).isEqualTo(PUBLIC_URL + "/twilio/dial");
    assertThat(dial.getAttribute("method")).isEqualTo("POST");
    assertThat(dial.getAttribute("timeout")).isEqualTo("20");
    assertThat(Xml.childNames(dial)).containsExactly("Number", "Sip");
    for (Element leg : Xml.children(dial)) {
      assertThat(leg.getAttribute("statusCallbackEvent")).isEqualTo("initiated ringing answered completed");
      assertThat(leg.getAttribute("statusCallbackMethod")).isEqualTo("POST");
    }
    // The phone is screened (its agent presses 1); the SIP softphone answers by itself.
    assertThat(Xml.child(dial, "Number").getAttribute("statusCallback")).isEqualTo(PUBLIC_URL + "/twilio/status?screened=1");
    assertThat(Xml.child(dial, "Number").getAttribute("url")).isEqualTo(PUBLIC_URL + "/twilio/screen?call=CAknown0001&line=main");
    assertThat(Xml.child(dial, "Sip").getAttribute("statusCallback")).isEqualTo(PUBLIC_URL + "/twilio/status");
    assertThat(Xml.child(dial, "Sip").getAttribute("url")).isEmpty();
    assertThat(Xml.child(dial, "Number").getTextContent()).isEqualTo(AGENT_NUMBER);
    assertThat(Xml.child(dial, "Sip").getTextContent()).isEqualTo(AGENT_SIP);

    var call = db.query("SELECT c.direction, c.from_number, c.to_number, cu.name FROM calls c "
        + "JOIN customers cu ON cu.id = c.customer_id WHERE c.call_sid = 'CAknown0001'");
    assertThat(call).hasSize(1);
    assertThat(call.get(0)).containsEntry("direction", "inbound").containsEntry("from_number", CALLER)
        .containsEntry("to_number", LINE_NUMBER).containsEntry("name", "Nikolay Petrov");
  }

  @Test
  void callerWrittenNationallyIsStillRecognised() {
    HttpResponse<String> response = incoming("CAknown0002", "(415) 555-0123", LINE_NUMBER);
    assertThat(Xml.child(Xml.parse(response.body()), "Say").getTextContent()).startsWith("Hello Nikolay");
  }

  @Test
  void unknownCallerHearsTheLineGreetingNeverHelloNull() {
    HttpResponse<String> response = incoming("CAunknown01", "+14155550999", LINE_NUMBER);
    Element twiml = Xml.parse(response.body());
    assertThat(Xml.child(twiml, "Say").getTextContent()).isEqualTo("Thank you for calling Acme.");
    assertThat(response.body()).doesNotContain("null");
  }

  @Test
  void anonymousCallerHearsTheLineGreeting() {
    HttpResponse<String> response = incoming("CAanon0001", "anonymous", LINE_NUMBER);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Xml.child(Xml.parse(response.body()), "Say").getTextContent()).isEqualTo("Thank you for calling Acme.");
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAanon0001' AND customer_id IS NULL")).isEqualTo(1);
  }

  @Test
  void namesWithMarkupAreEscaped() {
    String phone = "+14155550177";
    assertThat(server.api("PUT", "/api/customers/" + phone, "application/json",
        "{\"name\":\"O'Brien <b>&amp; \\\"Sons\\\"</b>\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> response = incoming("CAescape01", phone, LINE_NUMBER);
    Element twiml = Xml.parse(response.body());
    assertThat(Xml.childNames(twiml)).containsExactly("Say", "Dial");
    assertThat(Xml.child(twiml, "Say").getTextContent()).isEqualTo("Hello O'Brien, thank you for calling Acme.");
    assertThat(Xml.child(twiml, "Say").getChildNodes().getLength()).isEqualTo(1);
  }

  @Test
  void theSameWebhookTwiceRecordsOneCall() {
    incoming("CAtwice001", CALLER, LINE_NUMBER);
    incoming("CAtwice001", CALLER, LINE_NUMBER);
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAtwice001'")).isEqualTo(1);
  }

  @Test
  void lineWithoutAgentsGoesStraightToTheNotAnsweredPath() {
    Element twiml = Xml.parse(incoming("CAnoagent01", CALLER, SUPPORT_NUMBER).body());
    assertThat(Xml.childNames(twiml)).containsExactly("Say", "Redirect");
    assertThat(Xml.child(twiml, "Redirect").getTextContent()).isEqualTo(PUBLIC_URL + "/twilio/dial?DialCallStatus=no-answer");
  }

  @Test
  void numberThatIsNoLineGetsAPoliteMessage() {
    HttpResponse<String> response = incoming("CAnoline01", CALLER, "+14155550999");
    assertThat(response.statusCode()).isEqualTo(200);
    Element twiml = Xml.parse(response.body());
    assertThat(Xml.childNames(twiml)).containsExactly("Say", "Hangup");
    assertThat(Xml.child(twiml, "Say").getTextContent()).contains("not in service");
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAnoline01'")).isZero();
  }

  @Test
  void dialNotAnsweredApologisesAndRecordsTheStatus() {
    incoming("CAdial0001", CALLER, LINE_NUMBER);
    HttpResponse<String> response = server.twilio("/twilio/dial", "CallSid", "CAdial0001", "From", CALLER, "To", LINE_NUMBER,
        "DialCallStatus", "no-answer", "DialCallSid", "CAleg00001");
    Element twiml = Xml.parse(response.body());
    assertThat(Xml.childNames(twiml)).containsExactly("Gather", "Record", "Say", "Hangup");
    assertThat(db.query("SELECT dial_status FROM calls WHERE call_sid = 'CAdial0001'").get(0)).containsEntry("dial_status", "no-answer");

    HttpResponse<String> answered = server.twilio("/twilio/dial", "CallSid", "CAdial0002", "From", CALLER, "To", LINE_NUMBER,
        "DialCallStatus", "completed");
    assertThat(Xml.childNames(Xml.parse(answered.body()))).containsExactly("Hangup");
  }

  // --- bad input ---

  @Test
  void missingSignatureIs403AndNothingIsStored() {
    var params = RingbackServer.pairs("CallSid", "CAforged01", "From", CALLER, "To", LINE_NUMBER);
    HttpResponse<String> response = server.twilioSigned("/twilio/voice", null, params);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(Xml.childNames(Xml.parse(response.body()))).contains("Hangup");
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAforged01'")).isZero();
  }

  @Test
  void wrongSignatureIs403AndNothingIsStored() {
    var params = RingbackServer.pairs("CallSid", "CAforged02", "From", CALLER, "To", LINE_NUMBER);
    String wrongKey = TwilioSigner.sign("not-the-auth-token", PUBLIC_URL + "/twilio/voice", params);
    assertThat(server.twilioSigned("/twilio/voice", wrongKey, params).statusCode()).isEqualTo(403);
    String otherUrl = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, "https://elsewhere.example.com/twilio/voice", params);
    assertThat(server.twilioSigned("/twilio/voice", otherUrl, params).statusCode()).isEqualTo(403);
    String otherParams = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, PUBLIC_URL + "/twilio/voice",
        RingbackServer.pairs("CallSid", "CAforged02", "From", "+14155550888", "To", LINE_NUMBER));
    assertThat(server.twilioSigned("/twilio/voice", otherParams, params).statusCode()).isEqualTo(403);
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAforged02'")).isZero();
  }

  @Test
  void missingCallSidIs400WithTwiml() {
    HttpResponse<String> response = server.twilio("/twilio/voice", "From", CALLER, "To", LINE_NUMBER);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Xml.childNames(Xml.parse(response.body()))).containsExactly("Say", "Hangup");
  }

  @Test
  void malformedFormBodyIs400() {
    String body = "CallSid=CAbad&From=%zz&To=%2B14155550100";
    HttpResponse<String> response = RingbackServer.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/twilio/voice"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", "irrelevant")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(response.statusCode()).isEqualTo(400);
    Xml.parse(response.body());
  }

  @Test
  void notAFormIs400() {
    HttpResponse<String> response = RingbackServer.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/twilio/voice"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"CallSid\":\"CA1\"}")).build());
    assertThat(response.statusCode()).isEqualTo(400);
    Xml.parse(response.body());
  }

  @Test
  void bodyOver64KiBIs413AndNothingIsStored() {
    String padding = "x".repeat(70 * 1024);
    HttpResponse<String> response = server.twilio("/twilio/voice", "CallSid", "CAhuge0001", "From", CALLER, "To", LINE_NUMBER,
        "Padding", padding);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAhuge0001'")).isZero();
  }

  @Test
  void signatureCoversTheQueryString() {
    var params = RingbackServer.pairs("CallSid", "CAquery001", "From", CALLER, "To", LINE_NUMBER);
    String signedWithoutQuery = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, PUBLIC_URL + "/twilio/voice", params);
    assertThat(server.twilioSigned("/twilio/voice?x=1", signedWithoutQuery, params).statusCode()).isEqualTo(403);
    assertThat(server.twilio("/twilio/voice?x=1", "CallSid", "CAquery001", "From", CALLER, "To", LINE_NUMBER).statusCode())
        .isEqualTo(200);
  }

  @Test
  void unknownTwilioPathIsTwimlNot500() {
    HttpResponse<String> response = server.twilio("/twilio/nothing-here", "CallSid", "CA1");
    assertThat(response.statusCode()).isEqualTo(404);
    Xml.parse(response.body());
  }

}
