package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/agents/me/today}: the tasks an agent completed today, how many reached the
 * customer, and the average from claim to completion; the day as it is in the agent's time zone.
 */
class AgentTodayTest {
  /** 21:00 on the 23rd in Los Angeles, the main line's time zone; already the 24th in Tokyo. */
  static final Instant EVENING = Instant.parse("2026-11-24T05:00:00Z");

  MutableClock clock = new MutableClock(EVENING.minus(Duration.ofHours(22)));
  RingbackServer server;

  String agent(String name, String contact) {
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", name).put("contact", contact).encode());
    assertThat(created.statusCode()).isEqualTo(201);
    return "Bearer " + new JsonObject(created.body()).getString("token");
  }

  long task(String phone) {
    var created = server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    return new JsonObject(created.body()).getLong("id");
  }

  void work(String agent, long task, Duration taking, String outcome) {
    assertThat(server.request("POST", "/api/tasks/" + task + "/claim", null, null, agent).statusCode()).isEqualTo(200);
    clock.advance(taking);
    var done = server.request("POST", "/api/tasks/" + task + "/complete", "application/json", "{\"outcome\":\"" + outcome + "\"}", agent);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
  }

  JsonObject today(String agent, String query) {
    HttpResponse<String> response = server.request("GET", "/api/agents/me/today" + query, null, null, agent);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @Test
  void countsTheAgentsOwnTasksCompletedTodayAndTheirAverageHandlingTime() {
    server = RingbackServer.start(RingbackServer.LINES_YAML, RingbackServer.environment(TestDatabase.create(), "http://127.0.0.1:9"), clock);
    try {
      String ana = agent("Ana", "+14155550871");
      String ben = agent("Ben", "+14155550872");
      // Yesterday's task is not today's.
      work(ana, task("+14155550881"), Duration.ofMinutes(4), "reached");
      clock.set(EVENING);
      assertThat(today(ana, "")).isEqualTo(new JsonObject().put("date", "2026-11-23").put("time_zone", "America/Los_Angeles")
          .put("tasks_completed", 0).put("reached", 0).putNull("average_handling_seconds"));

      work(ana, task("+14155550882"), Duration.ofSeconds(90), "reached");
      // Given back and taken again: the time runs from the second claim.
      long third = task("+14155550883");
      assertThat(server.request("POST", "/api/tasks/" + third + "/claim", null, null, ana).statusCode()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(3));
      assertThat(server.request("POST", "/api/tasks/" + third + "/release", null, null, ana).statusCode()).isEqualTo(200);
      work(ana, third, Duration.ofSeconds(150), "no_answer");
      // Another agent's task is theirs.
      work(ben, task("+14155550884"), Duration.ofMinutes(4), "reached");

      assertThat(today(ana, "")).isEqualTo(new JsonObject().put("date", "2026-11-23").put("time_zone", "America/Los_Angeles")
          .put("tasks_completed", 2).put("reached", 1).put("average_handling_seconds", 120));
      assertThat(today(ben, "").getInteger("tasks_completed")).isEqualTo(1);
      // In Tokyo it is already the 24th: those tasks were completed after its midnight too.
      assertThat(today(ana, "?time_zone=Asia/Tokyo")).isEqualTo(new JsonObject().put("date", "2026-11-24").put("time_zone", "Asia/Tokyo")
          .put("tasks_completed", 2).put("reached", 1).put("average_handling_seconds", 120));
      // In Samoa, 24 hours behind Tokyo, the 23rd began after yesterday's task.
      assertThat(today(ana, "?time_zone=Pacific/Pago_Pago").getInteger("tasks_completed")).isEqualTo(2);

      assertThat(server.request("GET", "/api/agents/me/today?time_zone=Mars/Olympus", null, null, ana).statusCode()).isEqualTo(400);
      assertThat(server.api("GET", "/api/agents/me/today", null, null).statusCode()).as("the admin has no day of their own").isEqualTo(403);
    } finally {
      server.close();
    }
  }
}
