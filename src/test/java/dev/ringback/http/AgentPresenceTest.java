package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Registered agents decide whom a line rings: only those available; calls make them busy and
 * free them again; and when nobody is free, the customer goes to the agent queue.
 */
class AgentPresenceTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final Duration DEADLINE = Duration.ofSeconds(15);
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;
  static long nina;
  static long omar;
  static String ninaToken;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    String yaml = "dialer:\n  calls-per-second: 0\n  poll-millis: 100\n"
        + "  max-attempts: 1\n" + RingbackServer.LINES_YAML_AGENTS_ONLY;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
    nina = agent("Nina", "+14155550151");
    ninaToken = lastToken;
    omar = agent("Omar", "sip:omar@acme.sip.twilio.com");
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static String lastToken;

  static long agent(String name, String contact) {
    var response = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", name).put("contact", contact).put("lines", List.of("main")).encode());
    assertThat(response.statusCode()).isEqualTo(201);
    lastToken = new JsonObject(response.body()).getString("token");
    return new JsonObject(response.body()).getLong("id");
  }

  static void presence(long agent, String presence) {
    assertThat(server.api("PUT", "/api/agents/" + agent + "/presence", "application/json", "{\"presence\":\"" + presence + "\"}")
        .statusCode()).isEqualTo(200);
  }

  static String presenceOf(long agent) {
    return new JsonObject(server.api("GET", "/api/agents/" + agent, null, null).body()).getString("presence");
  }

  static List<String> ringing(String twiml) {
    Element root = Xml.parse(twiml);
    if (!Xml.childNames(root).contains("Dial")) {
      return List.of();
    }
    Element dial = Xml.child(root, "Dial");
    List<String> rung = new java.util.ArrayList<>();
    for (String kind : List.of("Number", "Sip")) {
      var nodes = dial.getElementsByTagName(kind);
      for (int i = 0; i < nodes.getLength(); i++) {
        rung.add(nodes.item(i).getTextContent().trim());
      }
    }
    return rung;
  }

  static void leg(String parent, String leg, String status, String to) {
    server.twilio("/twilio/status", "CallSid", leg, "ParentCallSid", parent, "CallStatus", status, "To", to,
        "Timestamp", TWILIO.format(clock.instant()), "Direction", "outbound-dial");
  }

  @Test
  void onlyAvailableAgentsRingAndCallsMakeThemBusyThenAvailable() {
    presence(nina, "available");
    presence(omar, "offline");
    var voice = server.twilio("/twilio/voice", "CallSid", "CApres0001", "From", "+14155550191", "To", RingbackServer.LINE_NUMBER);
    assertThat(ringing(voice.body())).as("only the available registered agent").containsExactly("+14155550151");

    leg("CApres0001", "CApresleg01", "in-progress", "+14155550151");
    assertThat(presenceOf(nina)).isEqualTo("busy");
    var second = server.twilio("/twilio/voice", "CallSid", "CApres0002", "From", "+14155550192", "To", RingbackServer.LINE_NUMBER);
    assertThat(Xml.childNames(Xml.parse(second.body()))).as("nobody free: straight to the apology").containsExactly("Say", "Redirect");

    leg("CApres0001", "CApresleg01", "completed", "+14155550151");
    assertThat(presenceOf(nina)).isEqualTo("available");

    presence(omar, "available");
    leg("CApres0003", "CApresleg03", "in-progress", "sip:omar@acme.sip.twilio.com;transport=tls");
    assertThat(presenceOf(omar)).isEqualTo("busy");
    presence(omar, "offline");
    leg("CApres0003", "CApresleg03", "completed", "sip:omar@acme.sip.twilio.com");
    assertThat(presenceOf(omar)).as("the agent's own choice is kept").isEqualTo("offline");
  }

  @Test
  void anAnswerThatArrivesAfterItsLegEndedLeavesTheAgentAvailable() {
    presence(nina, "available");
    // Twilio does not promise the order of status callbacks: the leg's end can overtake its answer.
    leg("CApres0004", "CApresleg04", "completed", "+14155550151");
    leg("CApres0004", "CApresleg04", "in-progress", "+14155550151");
    assertThat(presenceOf(nina)).as("the call is over, whatever order its events came in").isEqualTo("available");
    leg("CApres0005", "CApresleg05", "in-progress", "+14155550151");
    assertThat(presenceOf(nina)).as("a leg answered and not ended still makes the agent busy").isEqualTo("busy");
    leg("CApres0005", "CApresleg05", "completed", "+14155550151");
    assertThat(presenceOf(nina)).isEqualTo("available");
  }

  @Test
  void aCallbackAnsweredWhileEveryAgentIsBusyGoesToTheAgentQueue() {
    presence(nina, "busy");
    presence(omar, "offline");
    String phone = "+14155550193";
    var created = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    long id = new JsonObject(created.body()).getLong("id");
    RingbackServer.await("the callback to be placed", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", id) == 1);
    String sid = (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", id).get(0).get("call_sid");
    var answer = server.twilio("/twilio/callback?callback=" + id, "CallSid", sid, "AnsweredBy", "human");
    Element root = Xml.parse(answer.body());
    assertThat(Xml.childNames(root)).containsExactly("Say", "Hangup");
    assertThat(Xml.child(root, "Say").getTextContent()).contains("call you back personally");
    assertThat(db.query("SELECT state, task_reason FROM callbacks WHERE id = ?", id).get(0))
        .isEqualTo(Map.of("state", "agent_queue", "task_reason", "no_agent_available"));
    server.twilio("/twilio/status?callback=" + id, "CallSid", sid, "CallStatus", "in-progress", "AnsweredBy", "human",
        "Timestamp", TWILIO.format(clock.instant()));
    server.twilio("/twilio/status?callback=" + id, "CallSid", sid, "CallStatus", "completed", "Timestamp", TWILIO.format(clock.instant()));
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", id).get(0)).as("the call's end does not take it back")
        .containsEntry("state", "agent_queue");
    assertThat(db.query("SELECT outcome FROM callback_attempts WHERE callback_id = ?", id).get(0)).containsEntry("outcome", "no_agent");
  }

  @Test
  void aVoicemailOnAStaffedLineBecomesATask() {
    presence(nina, "offline");
    presence(omar, "offline");
    String phone = "+14155550194";
    server.twilio("/twilio/voice", "CallSid", "CApres0004", "From", phone, "To", RingbackServer.LINE_NUMBER);
    server.twilio("/twilio/dial", "CallSid", "CApres0004", "From", phone, "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer");
    assertThat(db.query("SELECT state FROM callbacks WHERE customer_phone = ?", phone).get(0)).as("due in 60 s")
        .containsEntry("state", "scheduled");
    server.twilio("/twilio/recording", "CallSid", "CApres0004", "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE11111111111111111111111111111111",
        "RecordingStatus", "completed");
    assertThat(db.query("SELECT state, task_reason, recording_url FROM callbacks WHERE customer_phone = ?", phone).get(0))
        .containsEntry("state", "agent_queue").containsEntry("task_reason", "voicemail")
        .containsEntry("recording_url", "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE11111111111111111111111111111111");
  }

  @Test
  void aCallbackWhoseAttemptsAreUsedUpGoesToAPersonOnAStaffedLine() {
    presence(nina, "available");
    String phone = "+14155550195";
    var created = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    long id = new JsonObject(created.body()).getLong("id");
    RingbackServer.await("the callback to be placed", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", id) == 1);
    String sid = (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", id).get(0).get("call_sid");
    server.twilio("/twilio/status?callback=" + id, "CallSid", sid, "CallStatus", "no-answer", "Timestamp", TWILIO.format(clock.instant()));
    assertThat(db.query("SELECT state, task_reason, outcome FROM callbacks WHERE id = ?", id).get(0))
        .containsEntry("state", "agent_queue").containsEntry("task_reason", "retries_exhausted").containsEntry("outcome", null);
  }

  @Test
  void clickToConnectCallsTheAgentFirstWhispersThenBridgesTheCustomer() {
    presence(nina, "available");
    String customer = "+14155550196";
    server.api("PUT", "/api/customers/%2B14155550196", "application/json", "{\"name\":\"Nikolay Petrov\",\"tier\":\"vip\"}");
    var created = server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"" + customer + "\",\"line\":\"main\"}");
    long task = new JsonObject(created.body()).getLong("id");
    String bearer = "Bearer " + ninaToken;
    assertThat(server.request("POST", "/api/tasks/" + task + "/call", null, null, bearer).statusCode()).as("claim it first").isEqualTo(409);
    assertThat(server.request("POST", "/api/tasks/" + task + "/claim", null, null, bearer).statusCode()).isEqualTo(200);
    double rings = server.metric("ringback_ring_to_answer_seconds_count", "direction=\"callback\"");

    var call = server.request("POST", "/api/tasks/" + task + "/call", null, null, bearer);
    assertThat(call.statusCode()).as(call.body()).isEqualTo(202);
    String agentSid = new JsonObject(call.body()).getString("agent_call_sid");
    TwilioStandIn.RecordedRequest toAgent = twilio.callCreations().stream().filter(r -> "+14155550151".equals(r.param("To"))).findFirst()
        .orElseThrow();
    assertThat(toAgent.param("From")).isEqualTo(RingbackServer.LINE_NUMBER);
    assertThat(toAgent.param("Url")).isEqualTo(RingbackServer.PUBLIC_URL + "/twilio/connect?task=" + task + "&agent=" + nina);

    // The agent answers: a whisper, then the customer is dialled from the line's number.
    server.twilio("/twilio/status", "CallSid", agentSid, "CallStatus", "in-progress", "To", "+14155550151", "Direction", "outbound-api",
        "Timestamp", TWILIO.format(clock.instant()));
    assertThat(presenceOf(nina)).isEqualTo("busy");
    var connect = server.twilio("/twilio/connect?task=" + task + "&agent=" + nina, "CallSid", agentSid, "To", "+14155550151");
    Element root = Xml.parse(connect.body());
    assertThat(Xml.childNames(root)).containsExactly("Say", "Dial");
    assertThat(Xml.child(root, "Say").getTextContent()).isEqualTo("Callback to Nikolay Petrov, VIP customer, asked to be called back. Connecting now.");
    Element dial = Xml.child(root, "Dial");
    assertThat(dial.getAttribute("callerId")).isEqualTo(RingbackServer.LINE_NUMBER);
    Element number = Xml.child(dial, "Number");
    assertThat(number.getTextContent().trim()).isEqualTo(customer);
    assertThat(number.getAttribute("statusCallback")).isEqualTo(RingbackServer.PUBLIC_URL + "/twilio/status?callback=" + task);

    // The customer leg is measured like any callback.
    String leg = "CAcustomerleg0001";
    for (var step : List.of(List.of("ringing", "1"), List.of("in-progress", "7"), List.of("completed", "95"))) {
      server.twilio("/twilio/status?callback=" + task, "CallSid", leg, "ParentCallSid", agentSid, "CallStatus", step.get(0),
          "To", customer, "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant().plusSeconds(Long.parseLong(step.get(1)))));
    }
    assertThat(server.metric("ringback_ring_to_answer_seconds_count", "direction=\"callback\"")).isEqualTo(rings + 1);
    assertThat(db.query("SELECT call_sid, outcome FROM callback_attempts WHERE callback_id = ?", task).get(0))
        .isEqualTo(Map.of("call_sid", leg, "outcome", "connected"));
    assertThat(Xml.childNames(Xml.parse(server.twilio("/twilio/connect?task=" + task + "&agent=" + nina + "&ended=1",
        "CallSid", agentSid, "DialCallStatus", "completed").body()))).containsExactly("Hangup");
    server.twilio("/twilio/status", "CallSid", agentSid, "CallStatus", "completed", "To", "+14155550151", "Direction", "outbound-api",
        "Timestamp", TWILIO.format(clock.instant().plusSeconds(100)));
    assertThat(presenceOf(nina)).isEqualTo("available");
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", task).get(0)).as("the agent completes it").containsEntry("state", "agent_queue");
  }

  @Test
  void anAgentWhoseCallsRingUnansweredThreeTimesInARowIsSetAway() {
    // Pia serves the support line only: the other tests ring main.
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", "Pia").put("contact", "+14155550155").put("lines", List.of("support")).encode());
    assertThat(created.statusCode()).isEqualTo(201);
    long pia = new JsonObject(created.body()).getLong("id");
    double setAway = server.registryHas("ringback_agents_set_away_total") ? server.metric("ringback_agents_set_away_total") : 0;
    leg("CAaway01", "CAawayleg01", "no-answer", "+14155550155");
    leg("CAaway02", "CAawayleg02", "busy", "+14155550155");
    // An answered call starts the count again.
    leg("CAaway03", "CAawayleg03", "in-progress", "+14155550155");
    leg("CAaway03", "CAawayleg03", "completed", "+14155550155");
    leg("CAaway04", "CAawayleg04", "no-answer", "+14155550155");
    leg("CAaway05", "CAawayleg05", "no-answer", "+14155550155");
    // Another agent's leg cancelled because a colleague answered first does not count.
    leg("CAaway06", "CAawayleg06", "canceled", "+14155550155");
    assertThat(presenceOf(pia)).isEqualTo("available");
    leg("CAaway07", "CAawayleg07", "no-answer", "+14155550155");
    assertThat(presenceOf(pia)).isEqualTo("away");
    assertThat(server.metric("ringback_agents_set_away_total")).isEqualTo(setAway + 1);
    // The same event again (a Twilio retry) changes nothing; the agent comes back by choice.
    leg("CAaway07", "CAawayleg07", "no-answer", "+14155550155");
    assertThat(server.metric("ringback_agents_set_away_total")).isEqualTo(setAway + 1);
    presence(pia, "available");
    leg("CAaway08", "CAawayleg08", "no-answer", "+14155550155");
    assertThat(presenceOf(pia)).as("counted afresh").isEqualTo("available");
  }
}
