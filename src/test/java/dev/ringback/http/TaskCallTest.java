package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent's click-to-connect call as it goes: their phone rings, they answer, the customer is
 * dialled and rings, they talk, it ends; {@code GET /api/tasks/{id}/call} tells each step from
 * the status events in the database, and the task's attempt is recorded with its outcome, also
 * when the agent's phone was not answered and the customer never dialled (which uses none of the
 * customer's attempts).
 */
class TaskCallTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;
  static long agentId;
  static String bearer;
  static final String CONTACT = "+14155550891";

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    server = RingbackServer.start("dialer:\n  calls-per-second: 0\n" + RingbackServer.LINES_YAML_AGENTS_ONLY,
        RingbackServer.environment(db, twilio.baseUrl()), clock);
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", "Dora").put("contact", CONTACT).put("lines", List.of("main")).encode());
    assertThat(created.statusCode()).isEqualTo(201);
    agentId = new JsonObject(created.body()).getLong("id");
    bearer = "Bearer " + new JsonObject(created.body()).getString("token");
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  /** When the latest call was placed: its events' times count from here. */
  static Instant placedAt;

  /** A task claimed by the agent, then Call: the agent's phone is called; its CallSid. */
  static String call(long task) {
    placedAt = clock.instant();
    assertThat(server.request("POST", "/api/tasks/" + task + "/claim", null, null, bearer).statusCode()).isEqualTo(200);
    var call = server.request("POST", "/api/tasks/" + task + "/call", null, null, bearer);
    assertThat(call.statusCode()).as(call.body()).isEqualTo(202);
    return new JsonObject(call.body()).getString("agent_call_sid");
  }

  static long task(String phone) {
    var created = server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    return new JsonObject(created.body()).getLong("id");
  }

  static void agentLeg(String sid, String status, int atSecond) {
    server.twilio("/twilio/status", "CallSid", sid, "CallStatus", status, "To", CONTACT, "Direction", "outbound-api",
        "Timestamp", TWILIO.format(placedAt.plusSeconds(atSecond)));
  }

  static void customerLeg(long task, String agentSid, String sid, String status, String to, int atSecond) {
    server.twilio("/twilio/status?callback=" + task, "CallSid", sid, "ParentCallSid", agentSid, "CallStatus", status,
        "To", to, "Direction", "outbound-dial", "Timestamp", TWILIO.format(placedAt.plusSeconds(atSecond)));
  }

  static JsonObject progress(long task) {
    var response = server.request("GET", "/api/tasks/" + task + "/call", null, null, bearer);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @Test
  void eachStepOfTheCallIsToldAsItHappensAndTheAttemptEndsWithItsOutcome() {
    String customer = "+14155550893";
    long task = task(customer);
    assertThat(server.request("GET", "/api/tasks/" + task + "/call", null, null, bearer).statusCode()).as("no call yet").isEqualTo(404);
    String agentSid = call(task);
    JsonObject placed = progress(task);
    assertThat(placed.getString("stage")).isEqualTo("calling_agent");
    assertThat(placed.getString("agent")).isEqualTo("Dora");
    assertThat(placed.getString("agent_call_sid")).isEqualTo(agentSid);
    assertThat(placed.getValue("outcome")).isNull();

    agentLeg(agentSid, "initiated", 0);
    agentLeg(agentSid, "ringing", 1);
    clock.set(placedAt.plusSeconds(3));
    assertThat(progress(task).getString("stage")).isEqualTo("ringing_agent");
    assertThat(progress(task).getLong("seconds")).isEqualTo(2);

    agentLeg(agentSid, "in-progress", 3);
    assertThat(progress(task).getString("stage")).isEqualTo("agent_answered");
    server.twilio("/twilio/connect?task=" + task + "&agent=" + agentId, "CallSid", agentSid, "To", CONTACT);
    String leg = "CAtaskcallcustomer01";
    customerLeg(task, agentSid, leg, "initiated", customer, 5);
    customerLeg(task, agentSid, leg, "ringing", customer, 6);
    assertThat(progress(task).getString("stage")).isEqualTo("ringing_customer");

    customerLeg(task, agentSid, leg, "in-progress", customer, 10);
    clock.set(placedAt.plusSeconds(40));
    JsonObject talking = progress(task);
    assertThat(talking.getString("stage")).isEqualTo("talking");
    assertThat(talking.getString("customer_call_sid")).isEqualTo(leg);
    assertThat(talking.getLong("seconds")).as("since the customer answered").isEqualTo(30);
    assertThat(talking.getLong("talked_seconds")).isEqualTo(30);

    customerLeg(task, agentSid, leg, "completed", customer, 95);
    agentLeg(agentSid, "completed", 96);
    JsonObject ended = progress(task);
    assertThat(ended.getString("stage")).isEqualTo("ended");
    assertThat(ended.getString("outcome")).isEqualTo("connected");
    assertThat(ended.getLong("talked_seconds")).isEqualTo(85);
    assertThat(db.query("SELECT call_sid, outcome FROM callback_attempts WHERE callback_id = ?", task))
        .containsExactly(Map.of("call_sid", leg, "outcome", "connected"));
    assertThat(db.query("SELECT attempts FROM callbacks WHERE id = ?", task).get(0)).containsEntry("attempts", 1);
  }

  @Test
  void aCustomerWhoDoesNotAnswerEndsTheCallSo() {
    String customer = "+14155550894";
    long task = task(customer);
    String agentSid = call(task);
    agentLeg(agentSid, "in-progress", 3);
    server.twilio("/twilio/connect?task=" + task + "&agent=" + agentId, "CallSid", agentSid, "To", CONTACT);
    // The agent hangs up while the customer's phone still rings: the customer's leg is cancelled.
    agentLeg(agentSid, "completed", 30);
    assertThat(progress(task).getString("stage")).isEqualTo("ended");
    customerLeg(task, agentSid, "CAtaskcallcustomer02", "ringing", customer, 6);
    customerLeg(task, agentSid, "CAtaskcallcustomer02", "canceled", customer, 30);
    JsonObject ended = progress(task);
    assertThat(ended.getString("outcome")).isEqualTo("no_answer");
    assertThat(ended.getValue("talked_seconds")).isNull();
    assertThat(db.query("SELECT attempts FROM callbacks WHERE id = ?", task).get(0)).as("the customer was called")
        .containsEntry("attempts", 1);
  }

  @Test
  void anAgentWhoDoesNotAnswerEndsTheAttemptWithoutCallingTheCustomerOrUsingAnAttempt() {
    long task = task("+14155550892");
    String agentSid = call(task);
    agentLeg(agentSid, "ringing", 1);
    agentLeg(agentSid, "no-answer", 20);
    JsonObject ended = progress(task);
    assertThat(ended.getString("stage")).isEqualTo("ended");
    assertThat(ended.getString("outcome")).isEqualTo("agent_not_accepted");
    assertThat(db.query("SELECT agent_call_sid, call_sid, outcome FROM callback_attempts WHERE callback_id = ?", task))
        .containsExactly(new java.util.HashMap<>(Map.of("agent_call_sid", agentSid, "outcome", "agent_not_accepted")) {{
          put("call_sid", null);
        }});
    assertThat(db.query("SELECT attempts, state FROM callbacks WHERE id = ?", task).get(0))
        .containsEntry("attempts", 0).containsEntry("state", "agent_queue");

    // The agent tries again: a new attempt, the first of the customer's.
    String again = server.request("POST", "/api/tasks/" + task + "/call", null, null, bearer).statusCode() == 202
        ? progress(task).getString("agent_call_sid") : null;
    assertThat(again).isNotNull().isNotEqualTo(agentSid);
    assertThat(progress(task).getString("stage")).isEqualTo("calling_agent");
    assertThat(progress(task).getInteger("attempt")).isEqualTo(1);
  }

  @Test
  void onlyTheAgentsOfTheTasksLineSeeItsCall() {
    long task = task("+14155550895");
    call(task);
    var other = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", "Eli").put("contact", "+14155550896").put("lines", List.of("support")).encode());
    String eli = "Bearer " + new JsonObject(other.body()).getString("token");
    assertThat(server.request("GET", "/api/tasks/" + task + "/call", null, null, eli).statusCode()).isEqualTo(403);
    assertThat(server.api("GET", "/api/tasks/" + task + "/call", null, null).statusCode()).as("the admin").isEqualTo(200);
    assertThat(server.request("GET", "/api/tasks/99999/call", null, null, bearer).statusCode()).isEqualTo(404);
  }
}
