package dev.ringback.http;

import static dev.ringback.support.LosAngeles.la;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The owner moves a waiting callback to another time, under the rules a caller's own choice
 * follows: not passed, not when the line is closed, not outside the customer's calling hours
 * (08:00-21:00 in Los Angeles), at most 30 days ahead. The clock stands on Wednesday 14:05.
 */
class CallbackMoveTest {
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    clock = new MutableClock(la("2026-12-02T14:05"));
    String yaml = """
        dialer:
          allowed-hours: "08:00-21:00"
        """ + RingbackServer.LINES_YAML.replace("    callback-mode: customer-first\n", """
            callback-mode: customer-first
            hours:
              mon: ["09:00-17:00"]
              tue: ["09:00-17:00"]
              wed: ["09:00-17:00"]
              thu: ["09:00-22:00"]
              fri: ["09:00-17:00"]
        """);
    assertThat(yaml).contains("thu: [\"09:00-22:00\"]");
    server = RingbackServer.start(yaml, RingbackServer.environment(TestDatabase.create(), null), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static long waiting(String phone) {
    var created = server.api("POST", "/api/callbacks", "application/json",
        new JsonObject().put("phone", phone).put("line", "main").put("due_at", "2026-12-02T16:00:00-08:00").encode());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new JsonObject(created.body()).getLong("id");
  }

  static HttpResponse<String> move(long id, String dueAt) {
    return server.api("POST", "/api/callbacks/" + id + "/move", "application/json", new JsonObject().put("due_at", dueAt).encode());
  }

  @Test
  void aWaitingCallbackMovesToAnOpenCallableTime() {
    long id = waiting("+14155550601");
    var moved = move(id, "2026-12-03T10:30:00-08:00");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    assertThat(Instant.parse(new JsonObject(moved.body()).getString("due_at"))).isEqualTo(la("2026-12-03T10:30"));
    assertThat(new JsonObject(moved.body()).getJsonObject("why").getString("reason")).isEqualTo("due");
  }

  @Test
  void aTimeACallerCouldNotChooseIsRefusedSayingWhy() {
    long id = waiting("+14155550602");
    assertThat(error(move(id, "2026-12-02T10:00:00-08:00"))).contains("has passed");
    assertThat(error(move(id, "2026-12-02T18:00:00-08:00"))).contains("the line is closed");
    assertThat(error(move(id, "2026-12-03T21:30:00-08:00"))).contains("outside the hours the customer may be called");
    assertThat(error(move(id, "2027-02-01T10:00:00-08:00"))).contains("more than 30 days ahead");
    assertThat(error(move(id, "tomorrow"))).startsWith("due_at");
    assertThat(error(server.api("POST", "/api/callbacks/" + id + "/move", "application/json", "{}"))).contains("due_at: required");
  }

  @Test
  void aCallbackThatNoLongerWaitsCannotBeMoved() {
    long id = waiting("+14155550603");
    assertThat(server.api("POST", "/api/callbacks/" + id + "/cancel", null, null).statusCode()).isEqualTo(200);
    assertThat(move(id, "2026-12-03T10:30:00-08:00").statusCode()).isEqualTo(409);
    assertThat(move(999_999, "2026-12-03T10:30:00-08:00").statusCode()).isEqualTo(404);
  }

  static String error(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    return new JsonObject(response.body()).getString("error");
  }
}
