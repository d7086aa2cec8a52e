package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Screened legs, through the real server and the URLs its TwiML hands Twilio: a phone's answer
 * is not the caller's until the agent presses 1; silence (a voicemail) or another key leaves the
 * others ringing, and ring-to-answer runs to the acceptance.
 */
class ScreeningTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final String VOICEMAIL_PHONE = "+14155550101";
  static final String DECLINING_PHONE = "+14155550102";
  static final String TAKING_PHONE = "+14155550103";
  static final String SOFTPHONE = "sip:front-desk@acme.sip.twilio.com";
  static final String DESK_NUMBER = "+14155550400";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    String yaml = """
        lines:
          - id: main
            number: "+14155550100"
            name: Acme
            agents: ["+14155550101", "+14155550102", "+14155550103", "sip:front-desk@acme.sip.twilio.com"]
            ring-timeout-seconds: 30
          - id: desk
            number: "+14155550400"
            name: Acme Desk
            agents: []
          - id: direct
            number: "+14155550500"
            name: Acme Direct
            agents: ["+14155550101", "sip:front-desk@acme.sip.twilio.com"]
            screening: never
          - id: strict
            number: "+14155550600"
            name: Acme Strict
            agents: ["sip:front-desk@acme.sip.twilio.com"]
            screening: always
        """;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
    assertThat(server.api("PUT", "/api/customers/%2B14155550181", "application/json",
        "{\"name\":\"Nikolay Petrov\",\"tier\":\"vip\"}").statusCode()).isIn(200, 201);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  /** Each leg of the {@code <Dial>}: its address, the URL it runs on answering (empty when not screened), its status URL. */
  record Leg(String to, String screenUrl, String statusUrl) {}

  static Map<String, Leg> legs(String twiml) {
    Element dial = Xml.child(Xml.parse(twiml), "Dial");
    Map<String, Leg> legs = new LinkedHashMap<>();
    for (String noun : List.of("Number", "Sip")) {
      NodeList nodes = dial.getElementsByTagName(noun);
      for (int i = 0; i < nodes.getLength(); i++) {
        Element leg = (Element) nodes.item(i);
        String to = leg.getTextContent().trim();
        legs.put(to, new Leg(to, leg.getAttribute("url"), leg.getAttribute("statusCallback")));
      }
    }
    return legs;
  }

  /** A request to one of the URLs Ringback handed Twilio, as Twilio sends it. */
  static HttpResponse<String> follow(String url, String... nameValues) {
    assertThat(url).startsWith(RingbackServer.PUBLIC_URL);
    return server.twilio(url.substring(RingbackServer.PUBLIC_URL.length()), nameValues);
  }

  static void legStatus(Leg leg, String parent, String legSid, String status) {
    assertThat(follow(leg.statusUrl(), "CallSid", legSid, "ParentCallSid", parent, "CallStatus", status, "To", leg.to(),
        "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant())).statusCode()).isEqualTo(200);
  }

  /** The agent's phone answers: the whisper it hears; the URL its key goes to. */
  static String whisper(Leg leg, String parent, String legSid, List<String> said) {
    legStatus(leg, parent, legSid, "in-progress");
    HttpResponse<String> screen = follow(leg.screenUrl(), "CallSid", legSid, "ParentCallSid", parent, "CallStatus", "in-progress",
        "To", leg.to(), "Direction", "outbound-dial");
    assertThat(screen.statusCode()).isEqualTo(200);
    Element root = Xml.parse(screen.body());
    assertThat(Xml.childNames(root)).as("the whisper listens for a key, then hangs the leg up").containsExactly("Gather", "Hangup");
    Element gather = Xml.child(root, "Gather");
    said.add(Xml.child(gather, "Say").getTextContent());
    return gather.getAttribute("action");
  }

  static HttpResponse<String> press(String decisionUrl, Leg leg, String parent, String legSid, String digits) {
    return follow(decisionUrl, "CallSid", legSid, "ParentCallSid", parent, "CallStatus", "in-progress", "To", leg.to(),
        "Direction", "outbound-dial", "Digits", digits);
  }

  static Map<String, Object> call(String callSid) {
    return db.query("SELECT answered_at, answered_leg_sid, agent_contact FROM calls WHERE call_sid = ?", callSid).get(0);
  }

  static double answeredCount() {
    return server.metric("ringback_ring_to_answer_seconds_count", "direction=\"inbound\"");
  }

  @Test
  void aPhoneAnswersTheCallerOnlyOnceItsAgentPressesOneAndRingToAnswerRunsToThatMoment() {
    double answeredBefore = answeredCount();
    double secondsBefore = server.metric("ringback_ring_to_answer_seconds_sum", "direction=\"inbound\"");
    String parent = "CAscreen0001";
    HttpResponse<String> voice = server.twilio("/twilio/voice", "CallSid", parent, "From", "+14155550181", "To", "+14155550100");
    Map<String, Leg> legs = legs(voice.body());
    assertThat(legs.keySet()).containsExactly(VOICEMAIL_PHONE, DECLINING_PHONE, TAKING_PHONE, SOFTPHONE);
    assertThat(legs.get(SOFTPHONE).screenUrl()).as("an auto-answer softphone is not screened").isEmpty();
    assertThat(legs.get(SOFTPHONE).statusUrl()).doesNotContain("screened");
    for (String phone : List.of(VOICEMAIL_PHONE, DECLINING_PHONE, TAKING_PHONE)) {
      assertThat(legs.get(phone).screenUrl()).as("a phone is screened").contains("/twilio/screen?");
      assertThat(legs.get(phone).statusUrl()).contains("screened=1");
    }

    List<String> said = new ArrayList<>();
    // A voicemail answers within seconds: it hears the whisper, presses nothing, and its leg is hung up.
    clock.advance(Duration.ofSeconds(4));
    whisper(legs.get(VOICEMAIL_PHONE), parent, "CAscrleg0001", said);
    legStatus(legs.get(VOICEMAIL_PHONE), parent, "CAscrleg0001", "completed");
    assertThat(call(parent).get("answered_at")).as("a voicemail's answer is not the caller's").isNull();
    assertThat(answeredCount()).isEqualTo(answeredBefore);
    assertThat(said.get(0)).isEqualTo("Call for Acme from Nikolay Petrov, VIP customer. Press 1 to take it.");

    // Another agent answers, hears who calls, and declines with another key.
    clock.advance(Duration.ofSeconds(3));
    String declineUrl = whisper(legs.get(DECLINING_PHONE), parent, "CAscrleg0002", said);
    HttpResponse<String> declined = press(declineUrl, legs.get(DECLINING_PHONE), parent, "CAscrleg0002", "2");
    assertThat(Xml.childNames(Xml.parse(declined.body()))).containsExactly("Hangup");
    legStatus(legs.get(DECLINING_PHONE), parent, "CAscrleg0002", "completed");
    assertThat(call(parent).get("answered_at")).isNull();

    // The third presses 1, twelve seconds after the call came in: the caller is put through.
    clock.advance(Duration.ofSeconds(5));
    String takeUrl = whisper(legs.get(TAKING_PHONE), parent, "CAscrleg0003", said);
    HttpResponse<String> taken = press(takeUrl, legs.get(TAKING_PHONE), parent, "CAscrleg0003", "1");
    assertThat(taken.statusCode()).isEqualTo(200);
    assertThat(Xml.childNames(Xml.parse(taken.body()))).as("an empty document ends the whisper and bridges the caller").isEmpty();
    Map<String, Object> answered = call(parent);
    assertThat(answered.get("answered_leg_sid")).isEqualTo("CAscrleg0003");
    assertThat(answered.get("agent_contact")).isEqualTo(TAKING_PHONE);
    assertThat(answeredCount()).isEqualTo(answeredBefore + 1);
    assertThat(server.metric("ringback_ring_to_answer_seconds_sum", "direction=\"inbound\""))
        .as("from the call's arrival to the agent's 1").isEqualTo(secondsBefore + 12.0);

    // Twilio sends the key again (a retry): counted once.
    assertThat(Xml.childNames(Xml.parse(press(takeUrl, legs.get(TAKING_PHONE), parent, "CAscrleg0003", "1").body()))).isEmpty();
    assertThat(answeredCount()).isEqualTo(answeredBefore + 1);

    HttpResponse<String> over = server.twilio("/twilio/dial", "CallSid", parent, "From", "+14155550181", "To", "+14155550100",
        "DialCallStatus", "completed", "CallStatus", "in-progress");
    assertThat(over.body()).doesNotContain("call you back");
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = '+14155550181'")).isZero();
  }

  @Test
  void anAgentsPhoneLeftToItsVoicemailThreeTimesInARowIsSetAwayAndPressingOneStartsTheCountAgain() {
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", "Pia").put("contact", "+14155550104").put("lines", List.of("desk")).encode());
    assertThat(created.statusCode()).isEqualTo(201);
    long pia = new JsonObject(created.body()).getLong("id");
    List<String> said = new ArrayList<>();
    List<Boolean> takes = List.of(false, true, false, false, false);
    for (int i = 0; i < takes.size(); i++) {
      String parent = "CAscreenaway" + i;
      Map<String, Leg> legs = legs(server.twilio("/twilio/voice", "CallSid", parent, "From", "+14155550182", "To", DESK_NUMBER).body());
      Leg leg = legs.get("+14155550104");
      String decision = whisper(leg, parent, parent + "leg", said);
      if (takes.get(i)) {
        press(decision, leg, parent, parent + "leg", "1");
      }
      legStatus(leg, parent, parent + "leg", "completed");
      String presence = new JsonObject(server.api("GET", "/api/agents/" + pia, null, null).body()).getString("presence");
      assertThat(presence).as("after call %d", i + 1).isEqualTo(i == takes.size() - 1 ? "away" : "available");
    }
    assertThat(said.get(0)).as("a caller we do not know").isEqualTo("Call for Acme Desk. Press 1 to take it.");
  }

  @Test
  void eachLineSaysWhichLegsAreScreened() {
    Map<String, Leg> direct = legs(server.twilio("/twilio/voice", "CallSid", "CAscreendirect", "From", "+14155550183",
        "To", "+14155550500").body());
    assertThat(direct.values()).allSatisfy(leg -> assertThat(leg.screenUrl()).isEmpty());
    Map<String, Leg> strict = legs(server.twilio("/twilio/voice", "CallSid", "CAscreenstrict", "From", "+14155550183",
        "To", "+14155550600").body());
    assertThat(strict.get(SOFTPHONE).screenUrl()).as("always: SIP legs too").contains("/twilio/screen?");
  }
}
