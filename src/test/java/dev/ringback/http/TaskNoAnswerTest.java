package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
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

/**
 * A task an agent completes as "no answer" goes back to the dialler: after the wait an
 * unanswered attempt gets, or at the time the agent chose, and it expires once its attempts are
 * used up, like any callback.
 */
class TaskNoAnswerTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final Duration DEADLINE = Duration.ofSeconds(15);
  static final String ANA_CONTACT = "+14155550131";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;
  static long ana;
  static String anaToken;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    // Two attempts, the second 2 minutes after the first (retry-minutes' default).
    String yaml = """
        dialer:
          calls-per-second: 0
          poll-millis: 100
          max-attempts: 2
        """ + RingbackServer.LINES_YAML + """
          - id: first
            number: "+14155550500"
            name: Acme Agent First
            callback-mode: agent-first
            agents: []
        """;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", "Ana").put("contact", ANA_CONTACT).put("lines", List.of("main", "first")).encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    ana = new JsonObject(created.body()).getLong("id");
    anaToken = new JsonObject(created.body()).getString("token");
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static HttpResponse<String> asAna(String method, String path, String json) {
    return server.request(method, path, json == null ? null : "application/json", json, "Bearer " + anaToken);
  }

  static long heldTask(String phone) {
    var created = server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = new JsonObject(created.body()).getLong("id");
    assertThat(asAna("POST", "/api/tasks/" + id + "/claim", null).statusCode()).isEqualTo(200);
    return id;
  }

  static JsonObject complete(long id, JsonObject body) {
    var done = asAna("POST", "/api/tasks/" + id + "/complete", body.encode());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    return new JsonObject(done.body());
  }

  static List<TwilioStandIn.RecordedRequest> dialsTo(String phone) {
    return twilio.callCreations().stream().filter(r -> phone.equals(r.param("To"))).toList();
  }

  static double finished(String outcome) {
    return server.metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"" + outcome + "\"");
  }

  @Test
  void noAnswerSendsTheCallbackBackToTheDiallerUntilItsAttemptsAreUsedUp() {
    String phone = "+14155550171";
    long id = heldTask(phone);
    double noAnswer = finished("no_answer");
    double expired = finished("expired");

    JsonObject retried = complete(id, new JsonObject().put("outcome", "no_answer").put("note", "Rang out, try later"));
    // The agent's call is the first attempt; an unanswered one is tried again 2 minutes later.
    assertThat(retried.getMap()).containsEntry("state", "scheduled").containsEntry("attempts", 1).containsEntry("outcome", null)
        .containsEntry("holder", null).containsEntry("due_at", clock.instant().plus(Duration.ofMinutes(2)).toString());
    assertThat(db.query("SELECT state, completed_by, task_agent_id FROM callbacks WHERE id = ?", id).get(0))
        .containsEntry("state", "scheduled").containsEntry("completed_by", null).containsEntry("task_agent_id", null);
    assertThat(db.query("SELECT agent_id, outcome, note FROM customer_notes WHERE callback_id = ?", id))
        .containsExactly(Map.of("agent_id", ana, "outcome", "no_answer", "note", "Rang out, try later"));
    assertThat(finished("no_answer")).isEqualTo(noAnswer + 1);
    assertThat(new JsonObject(asAna("GET", "/api/tasks", null).body()).getJsonArray("items").stream()
        .map(t -> ((JsonObject) t).getLong("id"))).as("no longer in the queue").doesNotContain(id);
    assertThat(dialsTo(phone)).as("not before the wait").isEmpty();

    clock.advance(Duration.ofMinutes(2));
    RingbackServer.await("the dialler to call again", DEADLINE, () -> !dialsTo(phone).isEmpty());
    RingbackServer.await("the attempt to be placed", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND attempt = 2 AND call_sid IS NOT NULL", id) == 1);
    String sid = (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ? AND attempt = 2", id).get(0).get("call_sid");
    server.twilio("/twilio/status?callback=" + id, "CallSid", sid, "CallStatus", "no-answer", "Direction", "outbound-api",
        "Timestamp", TWILIO.format(clock.instant().plusSeconds(25)));
    // The dialler's attempts used up on a staffed line: back to the agents.
    assertThat(db.query("SELECT state, task_reason, attempts FROM callbacks WHERE id = ?", id).get(0))
        .containsEntry("state", "agent_queue").containsEntry("task_reason", "retries_exhausted").containsEntry("attempts", 2);

    assertThat(asAna("POST", "/api/tasks/" + id + "/claim", null).statusCode()).isEqualTo(200);
    JsonObject ended = complete(id, new JsonObject().put("outcome", "no_answer"));
    assertThat(ended.getMap()).containsEntry("state", "expired").containsEntry("outcome", "expired").containsEntry("attempts", 3)
        .containsEntry("due_at", null);
    assertThat(db.query("SELECT completed_by FROM callbacks WHERE id = ?", id).get(0)).containsEntry("completed_by", ana);
    assertThat(finished("expired")).as("once, when the dialler's attempts were used up").isEqualTo(expired + 1);
    assertThat(finished("no_answer")).isEqualTo(noAnswer + 3);
    assertThat(asAna("POST", "/api/tasks/" + id + "/claim", null).statusCode()).as("ended").isEqualTo(409);
  }

  @Test
  void theAgentsOwnCallCountsOnceAndTheyMayChooseWhenToTryAgain() {
    String phone = "+14155550172";
    long id = heldTask(phone);
    var call = asAna("POST", "/api/tasks/" + id + "/call", null);
    assertThat(call.statusCode()).as(call.body()).isEqualTo(202);
    String agentSid = new JsonObject(call.body()).getString("agent_call_sid");
    server.twilio("/twilio/connect?task=" + id + "&agent=" + ana, "CallSid", agentSid, "To", ANA_CONTACT);
    assertThat(db.query("SELECT attempts FROM callbacks WHERE id = ?", id).get(0)).as("the customer leg is an attempt")
        .containsEntry("attempts", 1);
    server.twilio("/twilio/status?callback=" + id, "CallSid", "CAnoanswerleg01", "ParentCallSid", agentSid, "CallStatus", "no-answer",
        "To", phone, "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant().plusSeconds(20)));

    Instant retryAt = clock.instant().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
    JsonObject retried = complete(id, new JsonObject().put("outcome", "no_answer")
        .put("retry_at", retryAt.atOffset(ZoneOffset.ofHours(1)).toString()));
    assertThat(retried.getMap()).containsEntry("state", "scheduled").containsEntry("attempts", 1)
        .containsEntry("due_at", retryAt.toString());
    assertThat(db.query("SELECT due_at = ? AS at_the_chosen_time FROM callbacks WHERE id = ?", retryAt.atOffset(ZoneOffset.UTC), id)
        .get(0)).containsEntry("at_the_chosen_time", true);
  }

  @Test
  void anAgentWhoseOwnCallsUsedUpTheAttemptsEndsTheCallback() {
    String phone = "+14155550174";
    long id = heldTask(phone);
    double expired = finished("expired");
    for (int call = 1; call <= 2; call++) {
      var placed = asAna("POST", "/api/tasks/" + id + "/call", null);
      assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
      server.twilio("/twilio/connect?task=" + id + "&agent=" + ana, "CallSid", new JsonObject(placed.body()).getString("agent_call_sid"),
          "To", ANA_CONTACT);
    }
    JsonObject ended = complete(id, new JsonObject().put("outcome", "no_answer"));
    assertThat(ended.getMap()).containsEntry("state", "expired").containsEntry("outcome", "expired").containsEntry("attempts", 2);
    assertThat(finished("expired")).isEqualTo(expired + 1);
  }

  @Test
  void onAnAgentFirstLineTheRetryRingsTheAgentsAgain() {
    String phone = "+14155550175";
    var created = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"first\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = new JsonObject(created.body()).getLong("id");
    // Ana, the line's only agent, lets her call ring out: nobody is left to try, a person takes it.
    RingbackServer.await("Ana to be called first", DEADLINE, () -> dialsTo(ANA_CONTACT).stream()
        .anyMatch(r -> r.param("StatusCallback").endsWith("callback=" + id + "&agent=1")));
    RingbackServer.await("her call to be recorded", DEADLINE, () -> db.count(
        "SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND agent_call_sid IS NOT NULL", id) == 1);
    String agentSid = (String) db.query("SELECT agent_call_sid FROM callback_attempts WHERE callback_id = ?", id).get(0).get("agent_call_sid");
    server.twilio("/twilio/status?callback=" + id + "&agent=1", "CallSid", agentSid, "CallStatus", "no-answer", "To", ANA_CONTACT,
        "Direction", "outbound-api", "Timestamp", TWILIO.format(clock.instant()));
    RingbackServer.await("the callback to reach the agents' queue", DEADLINE,
        () -> "agent_queue".equals(db.query("SELECT state FROM callbacks WHERE id = ?", id).get(0).get("state")));
    assertThat(db.query("SELECT task_reason, array_to_string(tried_agents, ',') AS tried FROM callbacks WHERE id = ?", id).get(0))
        .containsEntry("task_reason", "no_agent_available").containsEntry("tried", ANA_CONTACT);

    assertThat(asAna("POST", "/api/tasks/" + id + "/claim", null).statusCode()).isEqualTo(200);
    assertThat(complete(id, new JsonObject().put("outcome", "no_answer")).getMap()).containsEntry("state", "scheduled")
        .containsEntry("attempts", 1).containsEntry("reason", null);
    assertThat(db.query("SELECT array_to_string(tried_agents, ',') AS tried FROM callbacks WHERE id = ?", id).get(0))
        .as("a new round of agents").containsEntry("tried", "");
    clock.advance(Duration.ofMinutes(2));
    RingbackServer.await("Ana to be called first again", DEADLINE, () -> dialsTo(ANA_CONTACT).stream()
        .filter(r -> r.param("StatusCallback").endsWith("callback=" + id + "&agent=1")).count() == 2);
  }

  @Test
  void aRetryTimeThatIsNotInTheNext30DaysIsRefusedNamingIt() {
    long id = heldTask("+14155550173");
    Instant now = clock.instant();
    String past = now.minus(Duration.ofMinutes(1)).toString();
    String farAhead = now.plus(Duration.ofDays(31)).toString();
    String soon = now.plus(Duration.ofHours(1)).toString();
    Map<JsonObject, String> refused = Map.of(
        new JsonObject().put("outcome", "no_answer").put("retry_at", past), "retry_at: '" + past + "' is not in the future",
        new JsonObject().put("outcome", "no_answer").put("retry_at", farAhead), "retry_at: '" + farAhead + "' is more than 30 days ahead",
        new JsonObject().put("outcome", "no_answer").put("retry_at", "tomorrow 9am"), "retry_at: 'tomorrow 9am' is not a time",
        new JsonObject().put("outcome", "no_answer").put("retry_at", 20261124), "retry_at: 20261124 is not a time",
        new JsonObject().put("outcome", "reached").put("retry_at", soon), "retry_at: '" + soon + "' goes with the outcome no_answer only");
    refused.forEach((body, message) -> {
      var response = asAna("POST", "/api/tasks/" + id + "/complete", body.encode());
      assertThat(response.statusCode()).as(body.encode()).isEqualTo(400);
      assertThat(new JsonObject(response.body()).getString("error")).startsWith(message);
    });
    assertThat(new JsonObject(asAna("GET", "/api/tasks/" + id, null).body()).getMap()).as("untouched")
        .containsEntry("state", "agent_queue").containsEntry("holder", (int) ana).containsEntry("attempts", 0);
  }
}
