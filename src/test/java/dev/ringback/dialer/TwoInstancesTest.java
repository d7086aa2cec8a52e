package dev.ringback.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Two Ringback instances on one database share the queue: every callback is dialled exactly once. */
class TwoInstancesTest {

  @Test
  void eachCallbackIsDialledOnceAndNotifyWakesTheDiallers() {
    TestDatabase db = TestDatabase.create();
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      // A one-minute poll: only NOTIFY can make these dials happen within the deadline.
      String yaml = "dialer:\n  calls-per-second: 0\n  poll-millis: 60000\n  batch-size: 3\n" + RingbackServer.LINES_YAML;
      var env = RingbackServer.environment(db, twilio.baseUrl());
      try (RingbackServer first = RingbackServer.start(yaml, env, Clock.systemUTC());
           RingbackServer second = RingbackServer.start(yaml, env, Clock.systemUTC())) {
        int count = 30;
        for (int i = 0; i < count; i++) {
          RingbackServer via = i % 2 == 0 ? first : second;
          String phone = String.format("+1415555%04d", 3000 + i);
          assertThat(via.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}")
              .statusCode()).isEqualTo(201);
        }
        RingbackServer.await(count + " dials", Duration.ofSeconds(30), () -> twilio.callCreations().size() >= count);
        RingbackServer.await("every attempt recorded as placed", Duration.ofSeconds(10),
            () -> db.count("SELECT count(*) FROM callback_attempts WHERE call_sid IS NOT NULL") == count);

        Map<String, Long> perNumber = twilio.callCreations().stream()
            .collect(Collectors.groupingBy(r -> r.param("To"), Collectors.counting()));
        assertThat(perNumber).hasSize(count);
        assertThat(perNumber.values()).allMatch(n -> n == 1);
        assertThat(twilio.callCreations()).hasSize(count);
        List<Object> owners = db.query("SELECT DISTINCT owner FROM callbacks").stream().map(r -> r.get("owner")).toList();
        assertThat(owners).as("both instances took part").hasSize(2);

        // Placed calls are recorded in groups: each callback still gets its own call's SID, and its lease is released.
        Map<String, String> sidByNumber = twilio.calls().stream()
            .collect(Collectors.toMap(call -> call.getString("to"), call -> call.getString("sid")));
        Map<String, String> recorded = db.query("""
                SELECT cb.customer_phone, a.call_sid FROM callbacks cb JOIN callback_attempts a ON a.callback_id = cb.id
                WHERE cb.state = 'dialing' AND cb.lease_until IS NULL AND cb.check_at > a.placed_at""").stream()
            .collect(Collectors.toMap(r -> (String) r.get("customer_phone"), r -> (String) r.get("call_sid")));
        assertThat(recorded).isEqualTo(sidByNumber);
      }
    }
  }

  /** A task made through one instance reaches a console connected to the other (NOTIFY, then the event bus). */
  @Test
  void aTaskChangeOnOneInstanceReachesTheConsolesOfTheOther() throws Exception {
    TestDatabase db = TestDatabase.create();
    var env = RingbackServer.environment(db, "http://127.0.0.1:9");
    try (RingbackServer first = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC());
         RingbackServer second = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      java.util.concurrent.LinkedBlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
      var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(second.baseUrl() + "/api/events"))
          .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).build();
      var stream = java.net.http.HttpClient.newHttpClient()
          .sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofLines())
          .thenAccept(response -> response.body().filter(line -> line.startsWith("data:")).forEach(events::add));
      try {
        String first0 = events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(first0).as("the queue at once").isNotNull().contains("\"items\"");
        var created = first.api("POST", "/api/tasks", "application/json", "{\"phone\":\"+14155550199\",\"line\":\"main\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = new io.vertx.core.json.JsonObject(created.body()).getLong("id");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean seen = false;
        while (!seen && System.nanoTime() < deadline) {
          String event = events.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
          seen = event != null && event.contains("\"id\":" + id + ",");
        }
        assertThat(seen).as("task " + id + " pushed by the other instance").isTrue();
      } finally {
        stream.cancel(true);
      }
    }
  }

  /** Opening hours set through one instance answer the calls that reach the other. */
  @Test
  void hoursSetOnOneInstanceApplyOnTheOther() {
    TestDatabase db = TestDatabase.create();
    var env = RingbackServer.environment(db, "http://127.0.0.1:9");
    try (RingbackServer first = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC());
         RingbackServer second = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      String today = java.time.LocalDate.now(java.time.ZoneId.of("America/Los_Angeles")).toString();
      String tomorrow = java.time.LocalDate.now(java.time.ZoneId.of("America/Los_Angeles")).plusDays(1).toString();
      var set = first.api("PUT", "/api/lines/main/hours", "application/json",
          "{\"closed\":[\"" + today + "\",\"" + tomorrow + "\"]}");
      assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
      RingbackServer.await("the other instance to close the line", Duration.ofSeconds(10), () ->
          !new io.vertx.core.json.JsonObject(second.api("GET", "/api/lines/main/hours", null, null).body()).getBoolean("open_now"));
      var answer = second.twilio("/twilio/voice", "CallSid", "CAtwohours01", "From", "+14155550198", "To", RingbackServer.LINE_NUMBER);
      assertThat(answer.body()).contains("<Record");
    }
  }
}
