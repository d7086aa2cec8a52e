package dev.ringback.http;

import static dev.ringback.support.LosAngeles.TWILIO;
import static dev.ringback.support.LosAngeles.la;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The owner's day from the database: yesterday evening one call answered; this afternoon one
 * answered within the target, one missed and an order, each order and missed call a callback
 * still open at 14:45 (the customer's calling hours end at 14:30).
 */
class TodayTest {
  static final String MAIN = RingbackServer.LINE_NUMBER;
  static final String SECRET = "today-order-secret-0123456789";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(la("2026-12-01T19:10"));
    String yaml = """
        dialer:
          calls-per-second: 0
          allowed-hours: "08:00-14:30"
        orders:
          generic:
            secret: "%s"
            line: main
        """.formatted(SECRET) + RingbackServer.LINES_YAML;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static void answered(String callSid, String caller, int afterSeconds) {
    server.twilio("/twilio/voice", "CallSid", callSid, "From", caller, "To", MAIN);
    assertThat(server.twilio("/twilio/status", "CallSid", callSid + "leg", "ParentCallSid", callSid, "CallStatus", "in-progress",
        "To", "+14155550101", "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant().plusSeconds(afterSeconds)))
        .statusCode()).isEqualTo(200);
  }

  @Test
  void theDayAndItsHoursAndDaysComeFromTheDatabase() {
    answered("CAtoday001", "+14155550501", 4);
    clock.set(la("2026-12-02T14:05"));
    answered("CAtoday002", "+14155550502", 4);
    server.twilio("/twilio/voice", "CallSid", "CAtoday003", "From", "+14155550503", "To", MAIN);
    server.twilio("/twilio/dial", "CallSid", "CAtoday003", "From", "+14155550503", "To", MAIN, "DialCallStatus", "no-answer");
    String order = "{\"order_id\":\"t-1\",\"phone\":\"+14155550504\",\"name\":\"Ana\"}";
    byte[] body = order.getBytes(StandardCharsets.UTF_8);
    assertThat(server.post("/orders", Map.of("Content-Type", "application/json", "X-Ringback-Signature", ShopSigner.generic(SECRET, body)),
        body).statusCode()).isBetween(200, 202);
    clock.set(la("2026-12-02T14:45"));

    var response = server.api("GET", "/api/today", null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject today = new JsonObject(response.body());
    assertThat(today.getString("time_zone")).isEqualTo("America/Los_Angeles");
    assertThat(today.getString("day")).isEqualTo("2026-12-02");
    JsonObject calls = today.getJsonObject("calls");
    assertThat(calls.getLong("offered")).isEqualTo(2);
    assertThat(calls.getLong("answered")).isEqualTo(1);
    assertThat(calls.getLong("missed")).isEqualTo(1);
    assertThat(calls.getDouble("service_level")).isEqualTo(0.5);
    assertThat(today.getJsonObject("orders").getLong("received")).isEqualTo(1);
    assertThat(today.getJsonObject("orders").getLong("called")).isEqualTo(1);
    JsonObject callbacks = today.getJsonObject("callbacks");
    assertThat(callbacks.getLong("waiting")).isEqualTo(2);
    // Both customers have waited since 14:05; the clock stands at 14:45.
    assertThat(callbacks.getLong("oldest_waiting_seconds")).isEqualTo(Duration.ofMinutes(40).toSeconds());

    JsonArray hours = today.getJsonArray("hours");
    assertThat(hours).hasSize(24);
    JsonObject lastHour = hours.getJsonObject(23);
    assertThat(Instant.parse(lastHour.getString("start"))).isEqualTo(la("2026-12-02T14:00"));
    assertThat(lastHour.getLong("offered")).isEqualTo(2);
    JsonObject lastEvening = hours.getJsonObject(4);
    assertThat(Instant.parse(lastEvening.getString("start"))).isEqualTo(la("2026-12-01T19:00"));
    assertThat(lastEvening.getLong("answered")).isEqualTo(1);

    JsonArray days = today.getJsonArray("days");
    assertThat(days).hasSize(7);
    assertThat(days.getJsonObject(6).getLong("offered")).isEqualTo(2);
    assertThat(days.getJsonObject(5).getLong("offered")).isEqualTo(1);
    assertThat(days.getJsonObject(5).getLong("missed")).isZero();

    // Another zone's day: in UTC, 2 December holds all three calls (03:10 and 22:05).
    JsonObject utc = new JsonObject(server.api("GET", "/api/today?tz=UTC", null, null).body());
    assertThat(utc.getJsonObject("calls").getLong("offered")).isEqualTo(3);
    assertThat(server.api("GET", "/api/today?tz=Mars/Olympus", null, null).statusCode()).isEqualTo(400);
  }
}
