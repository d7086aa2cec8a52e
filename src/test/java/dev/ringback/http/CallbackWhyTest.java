package dev.ringback.http;

import static dev.ringback.support.LosAngeles.TWILIO;
import static dev.ringback.support.LosAngeles.la;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * For any callback the API says why it is where it is, and what the reason names: the time it is
 * due or held until, the task's reason, the call that got through, who cancelled it, the outcomes
 * of its attempts. One attempt per callback, customers called 08:00-21:00 in Los Angeles.
 */
class CallbackWhyTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  static final String MAIN = RingbackServer.LINE_NUMBER;
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(la("2026-12-02T14:05"));
    String yaml = """
        dialer:
          calls-per-second: 0
          poll-millis: 100
          max-attempts: 1
          allowed-hours: "08:00-21:00"
        """ + RingbackServer.LINES_YAML;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  @BeforeEach
  void afternoon() {
    clock.set(la("2026-12-02T14:05"));
  }

  static long missed(String callSid, String caller) {
    server.missedCall(callSid, caller, MAIN);
    return (Long) db.query("SELECT id FROM callbacks WHERE customer_phone = ? ORDER BY id DESC LIMIT 1", caller).get(0).get("id");
  }

  static JsonObject why(long id) {
    var response = server.api("GET", "/api/callbacks/" + id, null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    return (body.containsKey("callback") ? body.getJsonObject("callback") : body).getJsonObject("why");
  }

  static void awaitState(long id, String state) {
    RingbackServer.await("callback " + id + " to be " + state, DEADLINE,
        () -> db.count("SELECT count(*) FROM callbacks WHERE id = ? AND state = ?", id, state) == 1);
  }

  @Test
  void aWaitingCallbackIsDueAtItsTime() {
    long id = missed("CAwhy0001", "+14155550401");
    JsonObject why = why(id);
    assertThat(why.getString("reason")).isEqualTo("due");
    assertThat(Instant.parse(why.getString("until"))).isAfter(clock.instant());
  }

  @Test
  void aCallbackDueAtNightIsHeldForTheCustomersCallingHours() {
    clock.set(la("2026-12-02T21:30"));
    long id = missed("CAwhy0002", "+14155550402");
    clock.advance(Duration.ofMinutes(2));
    RingbackServer.await("the callback to be held for the morning", DEADLINE,
        () -> db.count("SELECT count(*) FROM callbacks WHERE id = ? AND waiting_for = 'quiet_hours'", id) == 1);
    JsonObject why = why(id);
    assertThat(why.getString("reason")).isEqualTo("waiting_for_calling_hours");
    assertThat(Instant.parse(why.getString("until"))).isEqualTo(la("2026-12-03T08:00"));
  }

  @Test
  void aCallbackIsCancelledWhenTheCallerGetsThroughAndSaysOnWhichCall() {
    String caller = "+14155550403";
    long id = missed("CAwhy0003", caller);
    server.twilio("/twilio/voice", "CallSid", "CAwhy0013", "From", caller, "To", MAIN);
    assertThat(server.twilio("/twilio/status", "CallSid", "CAwhy0013leg", "ParentCallSid", "CAwhy0013", "CallStatus", "in-progress",
        "To", "+14155550101", "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant())).statusCode()).isEqualTo(200);
    awaitState(id, "cancelled");
    JsonObject why = why(id);
    assertThat(why.getString("reason")).isEqualTo("cancelled_got_through");
    assertThat(why.getString("call_sid")).isEqualTo("CAwhy0013");
  }

  @Test
  void aCallbackCancelledByHandSaysByWhom() {
    long byAdmin = missed("CAwhy0004", "+14155550404");
    assertThat(server.api("POST", "/api/callbacks/" + byAdmin + "/cancel", null, null).statusCode()).isEqualTo(200);
    assertThat(why(byAdmin).getString("reason")).isEqualTo("cancelled_by_hand");
    assertThat(why(byAdmin).getValue("by")).as("the admin").isNull();

    var agent = server.api("POST", "/api/agents", "application/json", "{\"name\":\"Dana\",\"contact\":\"+14155550111\",\"lines\":[\"main\"]}");
    assertThat(agent.statusCode()).as(agent.body()).isEqualTo(201);
    String token = new JsonObject(agent.body()).getString("token");
    long byAgent = missed("CAwhy0014", "+14155550414");
    var cancelled = server.request("POST", "/api/callbacks/" + byAgent + "/cancel", null, null, "Bearer " + token);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(why(byAgent).getString("by")).isEqualTo("Dana");
    // Without registered agents the line's exhausted callbacks expire instead of going to them (see below).
    assertThat(server.api("DELETE", "/api/agents/" + new JsonObject(agent.body()).getLong("id"), null, null).statusCode()).isEqualTo(204);
  }

  @Test
  void theDoNotCallListCancelsACallback() {
    long id = missed("CAwhy0005", "+14155550405");
    var listed = server.api("PUT", "/api/customers/%2B14155550405/do-not-call", "application/json", "{\"do_not_call\":true}");
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(why(id).getString("reason")).isEqualTo("cancelled_do_not_call");
  }

  @Test
  void aTaskIsWithTheAgentsForItsReason() {
    var task = server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"+14155550406\",\"line\":\"main\"}");
    assertThat(task.statusCode()).as(task.body()).isEqualTo(201);
    JsonObject why = why(new JsonObject(task.body()).getLong("id"));
    assertThat(why.getString("reason")).isEqualTo("with_agents");
    assertThat(why.getString("task_reason")).isEqualTo("by_hand");
  }

  @Test
  void aCallbackBeingDialledAndThenGivenUpSaysSoWithItsAttempts() {
    // An unstaffed line: a callback whose attempts are used up expires (a staffed one's goes to the agents).
    assertThat(db.count("SELECT count(*) FROM agent_lines")).isZero();
    String caller = "+14155550407";
    long id = missed("CAwhy0007", caller);
    clock.advance(Duration.ofMinutes(2));
    RingbackServer.await("the callback to be dialled", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", id) == 1);
    assertThat(why(id).getString("reason")).isEqualTo("being_dialled");
    String sid = (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", id).get(0).get("call_sid");
    server.twilio("/twilio/status?callback=" + id, "CallSid", sid, "CallStatus", "no-answer",
        "Timestamp", TWILIO.format(clock.instant().plusSeconds(25)), "Direction", "outbound-api");
    awaitState(id, "expired");
    JsonObject why = why(id);
    assertThat(why.getString("reason")).isEqualTo("expired");
    assertThat(why.getJsonArray("attempts").getList()).isEqualTo(List.of("no_answer"));
    assertThat(Map.of("outcome", why.getString("outcome"))).containsEntry("outcome", "expired");
  }
}
