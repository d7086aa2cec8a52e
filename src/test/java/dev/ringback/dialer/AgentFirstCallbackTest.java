package dev.ringback.dialer;

import static dev.ringback.support.RingbackServer.PUBLIC_URL;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Agent-first callbacks, through the real dispatcher, the Twilio stand-in and the URLs Ringback
 * hands Twilio: the agent's phone rings first, and the customer is dialled only once a person
 * pressed 1, so a customer who answers always finds one.
 */
class AgentFirstCallbackTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final Duration DEADLINE = Duration.ofSeconds(15);
  static final String LINE = "+14155550100";
  static final String ANA = "+14155550101";
  static final String BEN = "+14155550102";
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
        dialer:
          calls-per-second: 0
          lease-seconds: 5
          poll-millis: 100
        lines:
          - id: main
            number: "+14155550100"
            name: Acme
            agents: ["+14155550101", "+14155550102"]
            feedback-channel: sms
          - id: staffed
            number: "+14155550300"
            name: Acme Staffed
            agents: []
          - id: night
            number: "+14155550400"
            name: Acme Night
            agents: ["+14155550104", "+14155550105"]
          - id: spare
            number: "+14155550500"
            name: Acme Spare
            agents: ["+14155550106", "+14155550107"]
          - id: desk
            number: "+14155550200"
            name: Acme Desk
            agents: ["sip:desk@acme.sip.twilio.com"]
        """;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static List<TwilioStandIn.RecordedRequest> dialsTo(String phone) {
    return twilio.callCreations().stream().filter(r -> phone.equals(r.param("To"))).toList();
  }

  static TwilioStandIn.RecordedRequest awaitDial(String phone, int n) {
    RingbackServer.await(n + " call(s) to " + phone, DEADLINE, () -> dialsTo(phone).size() >= n);
    assertThat(dialsTo(phone)).hasSize(n);
    return dialsTo(phone).get(n - 1);
  }

  static long scheduleByHand(String phone, String line) {
    HttpResponse<String> response = server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"" + phone + "\",\"line\":\"" + line + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body()).getLong("id");
  }

  static Map<String, Object> callback(long id) {
    return db.query("SELECT state, outcome, attempts, task_reason, waiting_for, array_to_string(tried_agents, ',') AS tried "
        + "FROM callbacks WHERE id = ?", id).get(0);
  }

  /** The agent's call, as the dispatcher recorded it once Twilio took it. */
  static String agentCallSid(long id, String agent) {
    RingbackServer.await("the call to " + agent + " to be recorded", DEADLINE, () -> db.count(
        "SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND agent_contact = ? AND agent_call_sid IS NOT NULL", id, agent) == 1);
    return (String) db.query("SELECT agent_call_sid FROM callback_attempts WHERE callback_id = ? AND agent_contact = ?", id, agent)
        .get(0).get("agent_call_sid");
  }

  /** A request to one of the URLs Ringback handed Twilio, as Twilio sends it. */
  static HttpResponse<String> follow(String url, String... nameValues) {
    assertThat(url).startsWith(PUBLIC_URL);
    HttpResponse<String> response = server.twilio(url.substring(PUBLIC_URL.length()), nameValues);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  static void agentStatus(TwilioStandIn.RecordedRequest call, String sid, String status) {
    follow(call.param("StatusCallback"), "CallSid", sid, "CallStatus", status, "From", LINE, "To", call.param("To"),
        "Direction", "outbound-api", "Timestamp", TWILIO.format(clock.instant()));
  }

  /** The agent answers: what they hear, and where their key goes. */
  static String answer(TwilioStandIn.RecordedRequest call, String sid, List<String> heard) {
    agentStatus(call, sid, "in-progress");
    Element twiml = Xml.parse(follow(call.param("Url"), "CallSid", sid, "From", LINE, "To", call.param("To"),
        "CallStatus", "in-progress", "Direction", "outbound-api").body());
    assertThat(Xml.childNames(twiml)).as("the whisper listens for a key, then hangs up").containsExactly("Gather", "Hangup");
    Element gather = Xml.child(twiml, "Gather");
    heard.add(Xml.child(gather, "Say").getTextContent());
    return gather.getAttribute("action");
  }

  static Element press(String keyUrl, TwilioStandIn.RecordedRequest call, String sid, String digits) {
    return Xml.parse(follow(keyUrl, "CallSid", sid, "From", LINE, "To", call.param("To"), "CallStatus", "in-progress",
        "Direction", "outbound-api", "Digits", digits).body());
  }

  static void customerStatus(long id, String agentSid, String legSid, String phone, String status) {
    follow(PUBLIC_URL + "/twilio/status?callback=" + id, "CallSid", legSid, "ParentCallSid", agentSid, "CallStatus", status,
        "From", LINE, "To", phone, "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant()));
  }

  @Test
  void theAgentIsRungFirstAndTheCustomerDialledOnceTheyPressOne() {
    String phone = "+14155550160";
    server.api("PUT", "/api/customers/%2B14155550160", "application/json", "{\"name\":\"Nikolay Petrov\",\"tier\":\"vip\"}");
    double placed = server.metric("ringback_callback_delay_seconds_count", "trigger=\"manual\"");
    double first = server.metric("ringback_callback_first_attempt_delay_seconds_count", "trigger=\"manual\"");
    double connected = server.metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"connected\"");
    int anaCalls = dialsTo(ANA).size();
    long id = scheduleByHand(phone, "main");

    TwilioStandIn.RecordedRequest call = awaitDial(ANA, anaCalls + 1);
    assertThat(call.param("From")).isEqualTo(LINE);
    assertThat(call.param("Url")).isEqualTo(PUBLIC_URL + "/twilio/agent-first?callback=" + id);
    assertThat(call.param("StatusCallback")).isEqualTo(PUBLIC_URL + "/twilio/status?callback=" + id + "&agent=1");
    assertThat(call.param("MachineDetection")).as("the agent is a person or their voicemail: the key tells").isNull();
    String agentSid = agentCallSid(id, ANA);
    assertThat(server.metric("ringback_callback_delay_seconds_count", "trigger=\"manual\"")).as("nobody called back yet").isEqualTo(placed);

    List<String> heard = new ArrayList<>();
    agentStatus(call, agentSid, "ringing");
    String keyUrl = answer(call, agentSid, heard);
    assertThat(heard.get(0)).isEqualTo("Callback to Nikolay Petrov, VIP customer, asked to be called back. Press 1 to call them now.");
    Element dial = press(keyUrl, call, agentSid, "1");
    assertThat(Xml.childNames(dial)).containsExactly("Dial");
    Element customer = Xml.child(Xml.child(dial, "Dial"), "Number");
    assertThat(customer.getTextContent()).isEqualTo(phone);
    assertThat(Xml.child(dial, "Dial").getAttribute("callerId")).isEqualTo(LINE);
    assertThat(customer.getAttribute("statusCallback")).isEqualTo(PUBLIC_URL + "/twilio/status?callback=" + id);
    assertThat(server.metric("ringback_callback_delay_seconds_count", "trigger=\"manual\"")).as("called back now").isEqualTo(placed + 1);
    assertThat(server.metric("ringback_callback_first_attempt_delay_seconds_count", "trigger=\"manual\"")).as("a first attempt")
        .isEqualTo(first + 1);

    // The key again (Twilio's retry, a second press): nobody is dialled twice.
    Element again = press(keyUrl, call, agentSid, "1");
    assertThat(Xml.childNames(again)).containsExactly("Say", "Hangup");

    customerStatus(id, agentSid, "CAafcust0001", phone, "initiated");
    customerStatus(id, agentSid, "CAafcust0001", phone, "ringing");
    customerStatus(id, agentSid, "CAafcust0001", phone, "in-progress");
    clock.advance(Duration.ofSeconds(90));
    customerStatus(id, agentSid, "CAafcust0001", phone, "completed");
    // The customer hung up: the agent's <Dial> ends, and the customer is asked for a score by SMS.
    Element after = Xml.parse(follow(Xml.child(dial, "Dial").getAttribute("action"), "CallSid", agentSid, "From", LINE, "To", ANA,
        "DialCallStatus", "completed", "DialCallSid", "CAafcust0001").body());
    assertThat(Xml.childNames(after)).containsExactly("Hangup");
    RingbackServer.await("the score to be asked by SMS", DEADLINE,
        () -> twilio.messageCreations().stream().anyMatch(m -> phone.equals(m.param("To"))));
    assertThat(twilio.messageCreations()).filteredOn(m -> phone.equals(m.param("To"))).singleElement()
        .satisfies(m -> assertThat(m.param("Body")).contains("Acme"));
    agentStatus(call, agentSid, "completed");

    assertThat(callback(id)).containsEntry("state", "done").containsEntry("outcome", "connected").containsEntry("attempts", 1);
    assertThat(db.query("SELECT call_sid, agent_call_sid, outcome FROM callback_attempts WHERE callback_id = ?", id))
        .singleElement().satisfies(a -> assertThat(a).containsEntry("call_sid", "CAafcust0001").containsEntry("agent_call_sid", agentSid)
            .containsEntry("outcome", "connected"));
    assertThat(server.metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"connected\"")).isEqualTo(connected + 1);
    assertThat(dialsTo(phone)).as("the customer is dialled by the agent's call, never on their own").isEmpty();
  }

  @Test
  void anAgentWhoDeclinesOrLeavesItToVoicemailIsNotTriedAgainAndAPersonTakesItWhenNobodyIsLeft() {
    String phone = "+14155550161";
    int anaCalls = dialsTo(ANA).size();
    int benCalls = dialsTo(BEN).size();
    long id = scheduleByHand(phone, "main");

    TwilioStandIn.RecordedRequest toAna = awaitDial(ANA, anaCalls + 1);
    String anaSid = agentCallSid(id, ANA);
    List<String> heard = new ArrayList<>();
    assertThat(Xml.childNames(press(answer(toAna, anaSid, heard), toAna, anaSid, "2"))).containsExactly("Hangup");
    agentStatus(toAna, anaSid, "completed");
    assertThat(heard.get(0)).as("a number we do not know").startsWith("Callback to a caller we do not know yet");

    // Ben's voicemail answers: it hears the whisper and presses nothing.
    TwilioStandIn.RecordedRequest toBen = awaitDial(BEN, benCalls + 1);
    String benSid = agentCallSid(id, BEN);
    answer(toBen, benSid, heard);
    agentStatus(toBen, benSid, "completed");

    RingbackServer.await("the callback to reach the agents' queue", DEADLINE, () -> "agent_queue".equals(callback(id).get("state")));
    assertThat(callback(id)).containsEntry("task_reason", "no_agent_available").containsEntry("attempts", 0)
        .containsEntry("tried", ANA + "," + BEN);
    assertThat(dialsTo(ANA)).as("Ana declined: not rung again").hasSize(anaCalls + 1);
    assertThat(dialsTo(BEN)).hasSize(benCalls + 1);
    assertThat(dialsTo(phone)).isEmpty();
    assertThat(db.query("SELECT outcome FROM callback_attempts WHERE callback_id = ? ORDER BY id", id))
        .extracting(r -> r.get("outcome")).containsExactly("agent_not_accepted", "agent_not_accepted");
  }

  @Test
  void aCustomerWhoDoesNotAnswerUsesAnAttemptAndTheAgentHearsSo() {
    String phone = "+14155550162";
    int anaCalls = dialsTo(ANA).size();
    long id = scheduleByHand(phone, "main");
    TwilioStandIn.RecordedRequest call = awaitDial(ANA, anaCalls + 1);
    String agentSid = agentCallSid(id, ANA);
    press(answer(call, agentSid, new ArrayList<>()), call, agentSid, "1");
    customerStatus(id, agentSid, "CAafcust0003", phone, "ringing");
    clock.advance(Duration.ofSeconds(25));
    customerStatus(id, agentSid, "CAafcust0003", phone, "no-answer");
    Element told = Xml.parse(follow(PUBLIC_URL + "/twilio/agent-first?callback=" + id + "&step=ended", "CallSid", agentSid,
        "From", LINE, "To", ANA, "DialCallStatus", "no-answer").body());
    assertThat(Xml.child(told, "Say").getTextContent()).isEqualTo("The customer did not answer. We will try them again later. Goodbye.");
    agentStatus(call, agentSid, "completed");
    assertThat(callback(id)).containsEntry("state", "scheduled").containsEntry("attempts", 1).containsEntry("tried", "");
    assertThat(db.query("SELECT outcome FROM callback_attempts WHERE callback_id = ?", id)).extracting(r -> r.get("outcome"))
        .containsExactly("no_answer");
  }

  @Test
  void whileNoAgentIsFreeTheCallbackWaitsForOneAndSaysSo() {
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", "Cleo").put("contact", "+14155550103").put("lines", List.of("staffed")).put("presence", "away").encode());
    assertThat(created.statusCode()).isEqualTo(201);
    long id = scheduleByHand("+14155550163", "staffed");
    RingbackServer.await("the callback to wait for an agent", DEADLINE, () -> "agent".equals(callback(id).get("waiting_for")));
    JsonObject shown = new JsonObject(server.api("GET", "/api/callbacks/" + id, null, null).body());
    assertThat(shown.getString("waiting_for")).isEqualTo("agent");
    assertThat(shown.getString("state")).isEqualTo("scheduled");
    assertThat(callback(id)).containsEntry("attempts", 0);
    assertThat(dialsTo("+14155550163")).isEmpty();
    assertThat(dialsTo("+14155550103")).isEmpty();

    long cleo = new JsonObject(created.body()).getLong("id");
    assertThat(server.api("PUT", "/api/agents/" + cleo + "/presence", "application/json", "{\"presence\":\"available\"}").statusCode())
        .isEqualTo(200);
    clock.advance(Duration.ofSeconds(31));
    awaitDial("+14155550103", 1);
  }

  @Test
  void anAgentsCallWhoseEndWasNeverReportedIsLookedUpAndTheNextAgentRung() {
    long id = scheduleByHand("+14155550165", "night");
    String first = agentCallSid(id, "+14155550104");
    Instant rang = clock.instant();
    // Nobody answers the agent's phone, and the status callback of its end is lost.
    twilio.progress(first, "no-answer", null, rang.plusSeconds(25), null);
    clock.advance(Duration.ofSeconds(150)); // past its ring timeout and dialer.status-check-seconds
    String second = agentCallSid(id, "+14155550105");
    assertThat(second).isNotEqualTo(first);
    assertThat(db.query("SELECT outcome FROM callback_attempts WHERE agent_call_sid = ?", first)).extracting(r -> r.get("outcome"))
        .containsExactly("agent_not_accepted");
    assertThat(callback(id)).containsEntry("tried", "+14155550104").containsEntry("attempts", 1);
  }

  @Test
  void anAgentsNumberTwilioRefusesForGoodDoesNotFailTheCustomersCallbackAndTheNextAgentIsRung() {
    twilio.failNext(400, 21211, "The 'To' number +14155550106 is not a valid phone number.");
    long id = scheduleByHand("+14155550166", "spare");
    String next = agentCallSid(id, "+14155550107");
    assertThat(next).isNotNull();
    assertThat(callback(id)).containsEntry("state", "dialing").containsEntry("tried", "+14155550106").containsEntry("attempts", 1);
    assertThat(db.query("SELECT outcome, error_code FROM callback_attempts WHERE callback_id = ? AND agent_contact = ?", id,
        "+14155550106")).singleElement().satisfies(a -> assertThat(a).containsEntry("outcome", "api_error").containsEntry("error_code", 21211));
  }

  @Test
  void aLineOfSoftphonesOnlyCallsTheCustomerFirst() {
    String phone = "+14155550164";
    long id = scheduleByHand(phone, "desk");
    TwilioStandIn.RecordedRequest call = awaitDial(phone, 1);
    assertThat(call.param("Url")).isEqualTo(PUBLIC_URL + "/twilio/callback?callback=" + id);
    RingbackServer.await("the call to be recorded", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", id) == 1);
  }
}
