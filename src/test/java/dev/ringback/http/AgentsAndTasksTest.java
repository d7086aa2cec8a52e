package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Agents with tokens of their own, their presence, and the task queue they work, over HTTP. */
class AgentsAndTasksTest {
  static TestDatabase db;
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    // Twilio unreachable: nothing here is dialled automatically (tasks are worked by people).
    server = RingbackServer.start("agents:\n  task-lease-seconds: 60\n" + RingbackServer.LINES_YAML,
        RingbackServer.environment(db, "http://127.0.0.1:9"), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Agent(long id, String token) {}

  static Agent agent(String name, String contact, String... lines) {
    JsonObject body = new JsonObject().put("name", name).put("contact", contact);
    if (lines.length > 0) {
      body.put("lines", new JsonArray(List.of(lines)));
    }
    var response = server.api("POST", "/api/agents", "application/json", body.encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonObject created = new JsonObject(response.body());
    return new Agent(created.getLong("id"), created.getString("token"));
  }

  static HttpResponse<String> as(Agent agent, String method, String path, String json) {
    return server.request(method, path, json == null ? null : "application/json", json, "Bearer " + agent.token());
  }

  static long task(String phone, String line) {
    var response = server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"" + line + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body()).getLong("id");
  }

  @Test
  void theAdminManagesAgentsAndEachAgentHasATokenOfTheirOwn() {
    Agent ana = agent("Ana Lima", "+1 415 555 0131", "main");
    var me = as(ana, "GET", "/api/agents/me", null);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(me.body()).getMap()).containsEntry("name", "Ana Lima").containsEntry("contact", "+14155550131")
        .containsEntry("presence", "available");
    assertThat(new JsonObject(me.body()).getJsonArray("lines").getList()).containsExactly("main");
    assertThat(me.body()).doesNotContain("token");
    assertThat(db.query("SELECT token_sha256 FROM agents WHERE id = ?", ana.id()).get(0).toString()).doesNotContain(ana.token());

    assertThat(as(ana, "POST", "/api/agents", "{\"name\":\"X\",\"contact\":\"+14155550132\"}").statusCode()).isEqualTo(403);
    assertThat(as(ana, "GET", "/api/customers", null).statusCode()).as("agents read the customers' files").isEqualTo(200);

    Agent sip = agent("Desk", "sip:desk@acme.sip.twilio.com");
    assertThat(new JsonObject(server.api("GET", "/api/agents/" + sip.id(), null, null).body()).getJsonArray("lines").getList())
        .containsExactly("main", "support");

    var rotated = server.api("POST", "/api/agents/" + ana.id() + "/token", null, null);
    assertThat(rotated.statusCode()).isEqualTo(200);
    Agent renewed = new Agent(ana.id(), new JsonObject(rotated.body()).getString("token"));
    assertThat(as(ana, "GET", "/api/agents/me", null).statusCode()).as("the old token stops working").isEqualTo(401);
    assertThat(as(renewed, "GET", "/api/agents/me", null).statusCode()).isEqualTo(200);

    var replaced = server.api("PUT", "/api/agents/" + ana.id(), "application/json",
        "{\"name\":\"Ana Lima\",\"contact\":\"+14155550133\",\"lines\":[\"support\"]}");
    assertThat(new JsonObject(replaced.body()).getString("contact")).isEqualTo("+14155550133");
    assertThat(new JsonObject(replaced.body()).getJsonArray("lines").getList()).containsExactly("support");

    assertThat(server.api("DELETE", "/api/agents/" + sip.id(), null, null).statusCode()).isEqualTo(204);
    assertThat(as(sip, "GET", "/api/agents/me", null).statusCode()).isEqualTo(401);
    assertThat(server.api("GET", "/api/agents/" + sip.id(), null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void theAdminRevokesAnAgentsTokenAndLaterGivesThemANewOne() {
    Agent eva = agent("Eva", "+14155550161", "main");
    assertThat(new JsonObject(server.api("GET", "/api/agents/" + eva.id(), null, null).body()).getBoolean("can_sign_in")).isTrue();
    assertThat(as(eva, "DELETE", "/api/agents/" + eva.id() + "/token", null).statusCode()).as("an agent revokes no token").isEqualTo(403);
    assertThat(server.api("DELETE", "/api/agents/999999/token", null, null).statusCode()).isEqualTo(404);

    var revoked = server.api("DELETE", "/api/agents/" + eva.id() + "/token", null, null);
    assertThat(revoked.statusCode()).isEqualTo(204);
    assertThat(revoked.body()).isEmpty();
    assertThat(as(eva, "GET", "/api/agents/me", null).statusCode()).as("the revoked token").isEqualTo(401);
    JsonObject kept = new JsonObject(server.api("GET", "/api/agents/" + eva.id(), null, null).body());
    assertThat(kept.getBoolean("can_sign_in")).isFalse();
    assertThat(kept.getString("presence")).as("the agent stays, as they were").isEqualTo("available");
    assertThat(kept.getJsonArray("lines").getList()).containsExactly("main");
    assertThat(server.api("DELETE", "/api/agents/" + eva.id() + "/token", null, null).statusCode()).as("again").isEqualTo(204);

    var renewed = server.api("POST", "/api/agents/" + eva.id() + "/token", null, null);
    assertThat(renewed.statusCode()).isEqualTo(200);
    Agent back = new Agent(eva.id(), new JsonObject(renewed.body()).getString("token"));
    assertThat(as(back, "GET", "/api/agents/me", null).statusCode()).isEqualTo(200);
    assertThat(new JsonObject(as(back, "GET", "/api/agents/me", null).body()).getBoolean("can_sign_in")).isTrue();
    assertThat(as(eva, "GET", "/api/agents/me", null).statusCode()).isEqualTo(401);
  }

  @Test
  void theAdminChangesAnAgentsRole() {
    Agent flo = agent("Flo", "+14155550162", "main");
    var promoted = server.api("PUT", "/api/agents/" + flo.id(), "application/json",
        "{\"name\":\"Flo\",\"contact\":\"+14155550162\",\"lines\":[\"main\"],\"role\":\"supervisor\"}");
    assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
    assertThat(new JsonObject(as(flo, "GET", "/api/agents/me", null).body()).getString("role")).isEqualTo("supervisor");
    var refused = server.api("PUT", "/api/agents/" + flo.id(), "application/json",
        "{\"name\":\"Flo\",\"contact\":\"+14155550162\",\"role\":\"owner\"}");
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("role: must be agent or supervisor");
    assertThat(new JsonObject(as(flo, "GET", "/api/agents/me", null).body()).getString("role")).isEqualTo("supervisor");
  }

  @Test
  void badAgentInputIsRefused() {
    agent("Bo", "+14155550134");
    assertThat(server.api("POST", "/api/agents", "application/json", "{\"name\":\"Bo 2\",\"contact\":\"+14155550134\"}").statusCode())
        .as("contact taken").isEqualTo(409);
    assertThat(server.api("POST", "/api/agents", "application/json", "{\"name\":\"C\",\"contact\":\"123\"}").statusCode()).isEqualTo(422);
    assertThat(server.api("POST", "/api/agents", "application/json", "{\"name\":\"C\",\"contact\":\"+14155550135\",\"lines\":[\"nope\"]}")
        .statusCode()).isEqualTo(422);
    assertThat(server.api("POST", "/api/agents", "application/json", "{\"name\":\"C\",\"contact\":\"+14155550135\",\"role\":\"x\"}")
        .statusCode()).isEqualTo(422);
    assertThat(server.api("POST", "/api/agents", "application/json", "{\"contact\":\"+14155550135\"}").statusCode()).isEqualTo(422);
    assertThat(server.api("GET", "/api/agents/999999", null, null).statusCode()).isEqualTo(404);
    assertThat(server.api("GET", "/api/agents/me", null, null).statusCode()).as("the admin is no agent").isEqualTo(403);
  }

  /** The console signs in with /api/agents/me and shows the error it gets: an admin token is told what the console needs. */
  @Test
  void theAdminTokenIsToldThatTheConsoleNeedsAnAgentsTokenAndWhereToGetOne() {
    for (String[] request : new String[][] {{"GET", "/api/agents/me"}, {"POST", "/api/tasks/next"}}) {
      var refused = server.api(request[0], request[1], null, null);
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(new JsonObject(refused.body()).getString("error")).as(request[1])
          .contains("needs an agent's token, not the admin token").contains("the console").contains("POST /api/agents");
    }
  }

  @Test
  void presenceIsSetByTheAgentOrTheAdmin() {
    Agent cy = agent("Cy", "+14155550136");
    Agent di = agent("Di", "+14155550137");
    assertThat(as(di, "PUT", "/api/agents/me/presence", "{\"presence\":\"offline\"}").statusCode()).isEqualTo(200);
    var available = as(cy, "PUT", "/api/agents/me/presence", "{\"presence\":\"available\"}");
    assertThat(available.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(available.body()).getString("presence")).isEqualTo("available");
    assertThat(as(di, "PUT", "/api/agents/" + cy.id() + "/presence", "{\"presence\":\"offline\"}").statusCode()).isEqualTo(403);
    assertThat(as(cy, "PUT", "/api/agents/me/presence", "{\"presence\":\"asleep\"}").statusCode()).isEqualTo(422);
    assertThat(server.api("PUT", "/api/agents/" + cy.id() + "/presence", "application/json", "{\"presence\":\"busy\"}").statusCode())
        .isEqualTo(200);
    RingbackServer.await("the agents gauge", Duration.ofSeconds(10),
        () -> server.metric("ringback_agents", "state=\"busy\"") >= 1 && server.metric("ringback_agents", "state=\"offline\"") >= 1);
  }

  @Test
  void anAgentClaimsWorksAndCompletesATaskAndTheNoteGoesIntoTheFile() {
    Agent eve = agent("Eve", "+14155550138", "main");
    Agent fay = agent("Fay", "+14155550139", "main");
    double reached = server.metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"connected\"");
    long id = task("+14155550171", "main");

    var listed = new JsonObject(as(fay, "GET", "/api/tasks", null).body()).getJsonArray("items");
    assertThat(listed.stream().map(t -> ((JsonObject) t).getLong("id"))).contains(id);

    var claimed = as(eve, "POST", "/api/tasks/" + id + "/claim", null);
    assertThat(claimed.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(claimed.body()).getLong("holder")).isEqualTo(eve.id());
    assertThat(new JsonObject(claimed.body()).getMap()).containsEntry("mine", true)
        .containsEntry("reason", "by_hand").containsEntry("state", "agent_queue");
    assertThat(as(fay, "POST", "/api/tasks/" + id + "/claim", null).statusCode()).as("held by Eve").isEqualTo(409);
    assertThat(as(fay, "POST", "/api/tasks/" + id + "/complete", "{\"outcome\":\"reached\"}").statusCode()).isEqualTo(403);
    assertThat(as(fay, "POST", "/api/tasks/" + id + "/release", null).statusCode()).isEqualTo(403);
    assertThat(as(eve, "POST", "/api/tasks/" + id + "/renew", null).statusCode()).isEqualTo(200);
    assertThat(as(eve, "POST", "/api/tasks/" + id + "/complete", "{\"outcome\":\"called\"}").statusCode()).isEqualTo(422);

    var done = as(eve, "POST", "/api/tasks/" + id + "/complete", "{\"outcome\":\"reached\",\"note\":\"Wants the blue one instead.\"}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(new JsonObject(done.body()).getMap()).containsEntry("state", "done").containsEntry("outcome", "reached");
    assertThat(db.query("SELECT agent_id, outcome, note FROM customer_notes WHERE customer_phone = '+14155550171'"))
        .containsExactly(Map.of("agent_id", eve.id(), "outcome", "reached", "note", "Wants the blue one instead."));
    assertThat(as(eve, "POST", "/api/tasks/" + id + "/claim", null).statusCode()).as("done: no longer in the queue").isEqualTo(409);
    assertThat(server.metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"connected\"")).isEqualTo(reached + 1);
  }

  @Test
  void anExpiredLeaseReturnsTheTaskAndReleasingGivesItBack() {
    Agent gus = agent("Gus", "+14155550140", "support");
    Agent hal = agent("Hal", "+14155550141", "support");
    long id = task("+14155550172", "support");
    assertThat(as(gus, "POST", "/api/tasks/" + id + "/claim", null).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(61));
    assertThat(as(gus, "POST", "/api/tasks/" + id + "/renew", null).statusCode()).as("lease gone").isEqualTo(409);
    assertThat(as(hal, "POST", "/api/tasks/" + id + "/claim", null).statusCode()).isEqualTo(200);
    assertThat(as(hal, "POST", "/api/tasks/" + id + "/release", null).statusCode()).isEqualTo(200);
    assertThat(as(hal, "POST", "/api/tasks/" + id + "/release", null).statusCode()).as("no longer hers").isEqualTo(409);
    assertThat(as(gus, "POST", "/api/tasks/" + id + "/claim", null).statusCode()).isEqualTo(200);
  }

  @Test
  void claimingTheNextTaskTakesTheBestFreeOneUntilNoneIsLeft() {
    Agent max = agent("Max", "+14155550146", "support");
    task("+14155550176", "support");
    while (true) {
      JsonObject best = new JsonObject(as(max, "GET", "/api/tasks", null).body()).getJsonArray("items").stream()
          .map(JsonObject.class::cast).filter(t -> t.getValue("holder") == null).findFirst().orElse(null);
      var next = as(max, "POST", "/api/tasks/next", null);
      if (best == null) {
        assertThat(next.statusCode()).as("the queue is empty for him").isEqualTo(204);
        break;
      }
      assertThat(next.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(next.body()).getLong("id")).as("the first free task of the ordered list").isEqualTo(best.getLong("id"));
    }
  }

  @Test
  void theQueueIsOrderedByPriorityThenAgeAndAgentsSeeOnlyTheirLines() {
    Agent ida = agent("Ida", "+14155550142", "main");
    Agent jon = agent("Jon", "+14155550143", "support");
    server.api("PUT", "/api/customers/%2B14155550174", "application/json", "{\"name\":\"Very Important\",\"tier\":\"vip\"}");
    long older = task("+14155550173", "main");
    clock.advance(Duration.ofSeconds(1));
    long vip = task("+14155550174", "main");
    long support = task("+14155550175", "support");
    List<Long> seen = new JsonObject(as(ida, "GET", "/api/tasks", null).body()).getJsonArray("items").stream()
        .map(t -> ((JsonObject) t).getLong("id")).toList();
    assertThat(seen).doesNotContain(support);
    assertThat(seen.indexOf(vip)).isLessThan(seen.indexOf(older));
    assertThat(new JsonObject(as(ida, "GET", "/api/tasks", null).body()).getJsonArray("items").getJsonObject(seen.indexOf(vip)).getMap())
        .containsEntry("customer_name", "Very Important").containsEntry("customer_tier", "vip");
    assertThat(as(ida, "POST", "/api/tasks/" + support + "/claim", null).statusCode()).as("not her line").isEqualTo(403);
    assertThat(as(jon, "POST", "/api/tasks/999999/claim", null).statusCode()).isEqualTo(404);
    assertThat(server.api("POST", "/api/tasks/" + vip + "/claim", null, null).statusCode()).as("the admin holds no tasks").isEqualTo(403);
  }

  @Test
  void anAgentSeesAndWorksOnlyTheTasksAndCallbacksOfTheirLines() throws Exception {
    Agent pia = agent("Pia", "+14155550147", "main");
    Agent quinn = agent("Quinn", "+14155550148", "support");
    long theirs = task("+14155550177", "support");
    assertThat(as(quinn, "POST", "/api/tasks/" + theirs + "/claim", null).statusCode()).isEqualTo(200);
    long other = task("+14155550178", "support");

    assertThat(new JsonObject(as(pia, "GET", "/api/tasks", null).body()).getJsonArray("items").stream()
        .map(t -> ((JsonObject) t).getString("line"))).doesNotContain("support");
    for (long id : List.of(theirs, other)) {
      assertThat(as(pia, "GET", "/api/tasks/" + id, null).statusCode()).as("read").isEqualTo(403);
      for (String action : List.of("claim", "renew", "release", "call")) {
        assertThat(as(pia, "POST", "/api/tasks/" + id + "/" + action, null).statusCode()).as(action).isEqualTo(403);
      }
      assertThat(as(pia, "POST", "/api/tasks/" + id + "/complete", "{\"outcome\":\"reached\"}").statusCode()).as("complete").isEqualTo(403);
    }
    var next = as(pia, "POST", "/api/tasks/next", null);
    if (next.statusCode() == 200) {
      assertThat(new JsonObject(next.body()).getString("line")).as("the next task is one of hers").isEqualTo("main");
    } else {
      assertThat(next.statusCode()).isEqualTo(204);
    }
    assertThat(as(pia, "POST", "/api/tasks", "{\"phone\":\"+14155550179\",\"line\":\"support\"}").statusCode()).as("create").isEqualTo(403);

    // A task is a callback waiting for a person: the callbacks API keeps to the same lines.
    assertThat(new JsonObject(as(pia, "GET", "/api/callbacks?state=agent_queue", null).body()).getJsonArray("items").stream()
        .map(c -> ((JsonObject) c).getString("line"))).doesNotContain("support");
    assertThat(as(pia, "GET", "/api/callbacks?line=support", null).statusCode()).isEqualTo(403);
    assertThat(as(pia, "GET", "/api/callbacks/" + other, null).statusCode()).isEqualTo(403);
    assertThat(as(pia, "POST", "/api/callbacks/" + other + "/cancel", null).statusCode()).isEqualTo(403);
    assertThat(as(pia, "POST", "/api/callbacks", "{\"phone\":\"+14155550179\",\"line\":\"support\"}").statusCode()).isEqualTo(403);
    assertThat(db.query("SELECT state, task_agent_id FROM callbacks WHERE id = ?", theirs).get(0))
        .containsEntry("state", "agent_queue").containsEntry("task_agent_id", quinn.id());
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", other).get(0)).containsEntry("state", "agent_queue");
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = '+14155550179'")).isZero();

    // Her live queue, too, carries her lines only.
    HttpResponse<java.util.stream.Stream<String>> events = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/events")).header("Authorization", "Bearer " + pia.token()).build(),
        HttpResponse.BodyHandlers.ofLines());
    try (var lines = events.body()) {
      String queue = CompletableFuture.supplyAsync(() -> lines.dropWhile(l -> !l.equals("event: queue")).skip(1).findFirst().orElseThrow())
          .get(10, TimeUnit.SECONDS);
      assertThat(new JsonObject(queue.substring("data: ".length())).getJsonArray("items").stream()
          .map(t -> ((JsonObject) t).getString("line"))).doesNotContain("support");
    }

    assertThat(as(quinn, "GET", "/api/tasks/" + other, null).statusCode()).as("his line").isEqualTo(200);
    assertThat(as(quinn, "GET", "/api/callbacks/" + other, null).statusCode()).isEqualTo(200);
  }

  @Test
  void anAgentMovedOffALineCanNoLongerEndItsTaskButCanGiveItBack() {
    Agent rae = agent("Rae", "+14155550149", "main");
    long held = task("+14155550191", "main");
    assertThat(as(rae, "POST", "/api/tasks/" + held + "/claim", null).statusCode()).isEqualTo(200);
    var moved = server.api("PUT", "/api/agents/" + rae.id(), "application/json",
        "{\"name\":\"Rae\",\"contact\":\"+14155550149\",\"lines\":[\"support\"]}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);

    for (String action : List.of("renew", "call")) {
      assertThat(as(rae, "POST", "/api/tasks/" + held + "/" + action, null).statusCode()).as(action).isEqualTo(403);
    }
    var completed = as(rae, "POST", "/api/tasks/" + held + "/complete", "{\"outcome\":\"resolved_other_way\"}");
    assertThat(completed.statusCode()).as(completed.body()).isEqualTo(403);
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", held).get(0)).containsEntry("state", "agent_queue");
    assertThat(as(rae, "POST", "/api/callbacks/" + held + "/cancel", null).statusCode()).isEqualTo(403);
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", held).get(0)).containsEntry("state", "agent_queue");

    assertThat(as(rae, "POST", "/api/tasks/" + held + "/release", null).statusCode()).as("giving it back to the line").isEqualTo(200);
    assertThat(db.query("SELECT task_agent_id FROM callbacks WHERE id = ?", held).get(0).get("task_agent_id")).isNull();
  }

  @Test
  void anAgentWithoutLinesCancelsNoCallback() {
    Agent nell = agentWithoutLines("Nell", "+14155550150");
    long waiting = task("+14155550192", "main");
    assertThat(as(nell, "POST", "/api/callbacks/" + waiting + "/cancel", null).statusCode()).isEqualTo(403);
    assertThat(as(nell, "POST", "/api/tasks/" + waiting + "/claim", null).statusCode()).isEqualTo(403);
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", waiting).get(0)).containsEntry("state", "agent_queue");
  }

  static Agent agentWithoutLines(String name, String contact) {
    var response = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", name).put("contact", contact).put("lines", new JsonArray()).encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonObject created = new JsonObject(response.body());
    assertThat(created.getJsonArray("lines")).isEmpty();
    return new Agent(created.getLong("id"), created.getString("token"));
  }

  static int doNotCall(String authorization, String phone, boolean listed) {
    return server.request("PUT", "/api/customers/" + phone.replace("+", "%2B") + "/do-not-call", "application/json",
        "{\"do_not_call\":" + listed + "}", authorization).statusCode();
  }

  static boolean listed(String phone) {
    return db.count("SELECT count(*) FROM do_not_call WHERE phone = ?", phone) == 1;
  }

  @Test
  void agentsListOnlyNumbersTheirLinesWorkWithAndOnlyTheAdminAndSupervisorsTakeOneOff() {
    String phone = "+14155550193";
    Agent nobody = agentWithoutLines("Nia", "+14155550151");
    Agent mainAgent = agent("Max", "+14155550152", "main");
    Agent supportAgent = agent("Sue", "+14155550153", "support");
    Agent supportSupervisor = supervisor("Sam", "+14155550154", "support");
    Agent mainSupervisor = supervisor("Mia", "+14155550155", "main");
    long waiting = task(phone, "support");

    assertThat(doNotCall("Bearer " + nobody.token(), phone, true)).as("an agent serving no line").isEqualTo(403);
    assertThat(doNotCall("Bearer " + mainAgent.token(), phone, true)).as("an agent of another line").isEqualTo(403);
    assertThat(listed(phone)).isFalse();
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", waiting).get(0)).containsEntry("state", "agent_queue");

    assertThat(doNotCall("Bearer " + supportAgent.token(), phone, true)).as("an agent of the customer's line").isEqualTo(200);
    assertThat(listed(phone)).isTrue();
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", waiting).get(0)).containsEntry("state", "cancelled");

    assertThat(doNotCall("Bearer " + supportAgent.token(), phone, false)).as("agents take no number off").isEqualTo(403);
    assertThat(doNotCall("Bearer " + mainSupervisor.token(), phone, false)).as("a supervisor of another line").isEqualTo(403);
    assertThat(listed(phone)).isTrue();
    assertThat(doNotCall("Bearer " + supportSupervisor.token(), phone, false)).isEqualTo(200);
    assertThat(listed(phone)).isFalse();

    String stranger = "+14155550194";
    assertThat(doNotCall("Bearer " + supportSupervisor.token(), stranger, true)).as("a number none of their lines knows").isEqualTo(403);
    assertThat(doNotCall("Bearer " + RingbackServer.API_TOKEN, stranger, true)).as("the admin, any number").isEqualTo(200);
    assertThat(listed(stranger)).isTrue();
  }

  static Agent supervisor(String name, String contact, String line) {
    var response = server.api("POST", "/api/agents", "application/json", new JsonObject().put("name", name).put("contact", contact)
        .put("role", "supervisor").put("lines", new JsonArray().add(line)).encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonObject created = new JsonObject(response.body());
    return new Agent(created.getLong("id"), created.getString("token"));
  }

  @Test
  void twoAgentsRacingForOneTaskExactlyOneWins() throws Exception {
    Agent kim = agent("Kim", "+14155550144", "main");
    Agent lou = agent("Lou", "+14155550145", "main");
    HttpClient http = HttpClient.newHttpClient();
    for (int round = 0; round < 10; round++) {
      long id = task("+1415555018" + round, "main");
      List<CompletableFuture<HttpResponse<String>>> racers = new ArrayList<>();
      for (Agent agent : List.of(kim, lou, kim, lou)) {
        racers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/tasks/" + id + "/claim"))
            .header("Authorization", "Bearer " + agent.token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      List<Long> holders = new ArrayList<>();
      for (var racer : racers) {
        HttpResponse<String> response = racer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isIn(200, 409);
        if (response.statusCode() == 200) {
          holders.add(new JsonObject(response.body()).getLong("holder"));
        }
      }
      assertThat(holders).isNotEmpty();
      assertThat(holders.stream().distinct()).as("one agent holds task " + id).hasSize(1);
      assertThat(db.query("SELECT task_agent_id FROM callbacks WHERE id = ?", id).get(0).get("task_agent_id")).isEqualTo(holders.get(0));
    }
  }
}
