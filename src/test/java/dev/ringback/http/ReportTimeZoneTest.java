package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reports count the days of the business's time zone, not UTC's: a call at 22:00 in New York on
 * 23 November is a call of the 23rd there, though it is already the 24th in UTC.
 */
class ReportTimeZoneTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  /** 22:00 on 23 November in New York. */
  static final Instant EVENING = Instant.parse("2026-11-24T03:00:00Z");
  static final String NY_LINE = "+14155550100";
  static final String NY_AGENT = "+14155550101";
  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    MutableClock clock = new MutableClock(EVENING);
    String yaml = """
        lines:
          - id: ny
            number: "+14155550100"
            name: Acme New York
            time-zone: America/New_York
            agents: ["+14155550101"]
          - id: tokyo
            number: "+14155550300"
            name: Acme Tokyo
            time-zone: Asia/Tokyo
            agents: ["+14155550301"]
        """;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, "http://127.0.0.1:9"), clock);
    // One call to New York, answered after 6 s.
    String sid = "CAtz0001";
    server.twilio("/twilio/voice", "CallSid", sid, "From", "+14155550401", "To", NY_LINE);
    server.twilio("/twilio/status", "CallSid", sid + "leg", "CallStatus", "in-progress", "ParentCallSid", sid, "To", NY_AGENT,
        "Direction", "outbound-dial", "Timestamp", TWILIO.format(EVENING.plusSeconds(6)));
    clock.set(EVENING.plusSeconds(60));
    server.twilio("/twilio/dial", "CallSid", sid, "From", "+14155550401", "To", NY_LINE, "CallStatus", "in-progress",
        "DialCallStatus", "completed", "DialCallSid", sid + "leg");
    server.twilio("/twilio/status", "CallSid", sid, "CallStatus", "completed", "Timestamp", TWILIO.format(EVENING.plusSeconds(60)));
    clock.set(EVENING.plusSeconds(3600));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject report(String query) {
    HttpResponse<String> response = server.api("GET", "/api/reports/lines?" + query, null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static long offeredInNewYork(JsonObject report) {
    return report.getJsonArray("items").stream().map(JsonObject.class::cast).filter(i -> i.getString("line").equals("ny"))
        .findFirst().orElseThrow().getLong("calls_offered");
  }

  static String error(String path, int status) {
    HttpResponse<String> response = server.api("GET", path, null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return new JsonObject(response.body()).getString("error");
  }

  @Test
  void aDateIsADayOfTheFirstLinesTimeZone() {
    JsonObject report = report("from=2026-11-23&to=2026-11-23");
    assertThat(report.getString("time_zone")).isEqualTo("America/New_York");
    assertThat(report.getString("from")).isEqualTo("2026-11-23T05:00:00Z");
    assertThat(report.getString("to")).isEqualTo("2026-11-24T05:00:00Z");
    assertThat(offeredInNewYork(report)).isEqualTo(1);
    assertThat(offeredInNewYork(report("from=2026-11-24&to=2026-11-24"))).isZero();
  }

  @Test
  void tzChoosesAnotherZonesDays() {
    assertThat(offeredInNewYork(report("from=2026-11-23&to=2026-11-23&tz=UTC"))).isZero();
    assertThat(offeredInNewYork(report("from=2026-11-24&to=2026-11-24&tz=UTC"))).isEqualTo(1);
    JsonObject tokyo = report("from=2026-11-24&to=2026-11-24&tz=Asia/Tokyo");
    assertThat(tokyo.getString("time_zone")).isEqualTo("Asia/Tokyo");
    assertThat(tokyo.getString("from")).isEqualTo("2026-11-23T15:00:00Z");
    assertThat(offeredInNewYork(tokyo)).isEqualTo(1);
    HttpResponse<String> agents = server.api("GET", "/api/reports/agents?from=2026-11-23&to=2026-11-23", null, null);
    assertThat(new JsonObject(agents.body()).getString("time_zone")).isEqualTo("America/New_York");
  }

  @Test
  void aTimeWithoutAnOffsetIsATimeOfTheZone() {
    assertThat(offeredInNewYork(report("from=2026-11-23T21:00&to=2026-11-23T23:00"))).isEqualTo(1);
    assertThat(offeredInNewYork(report("from=2026-11-23T21:00&to=2026-11-23T23:00&tz=UTC"))).isZero();
    assertThat(offeredInNewYork(report("from=" + encode("2026-11-24T02:59:00Z") + "&to=" + encode("2026-11-24T03:01:00+00:00"))))
        .isEqualTo(1);
  }

  @Test
  void everyRefusalNamesTheValueSent() {
    assertThat(error("/api/reports/lines?tz=Mars/Base", 400))
        .isEqualTo("tz: 'Mars/Base' is not a time zone (an IANA name such as Europe/Berlin)");
    assertThat(error("/api/reports/lines?from=2026-13-01", 400)).isEqualTo("from: '2026-13-01' is not a date (YYYY-MM-DD)");
    assertThat(error("/api/reports/agents?to=2026-11-31", 400)).isEqualTo("to: '2026-11-31' is not a date (YYYY-MM-DD)");
    assertThat(error("/api/reports/lines?from=yesterday", 400)).startsWith("from: 'yesterday' is neither a date (YYYY-MM-DD)");
    assertThat(error("/api/reports/lines?from=2026-11-23T24:30", 400)).startsWith("from: '2026-11-23T24:30' is not a date and time");
    // Reversed: the values as sent, not the instants they became.
    assertThat(error("/api/reports/lines?from=2026-11-24&to=2026-11-22", 422)).isEqualTo("from: '2026-11-24' is not before to '2026-11-22'");
    assertThat(error("/api/reports/lines?from=2026-11-25", 422)).isEqualTo("from: '2026-11-25' is not before now (no to was given)");
    assertThat(error("/api/reports/agents?from=2025-01-01&to=2026-11-23", 422))
        .isEqualTo("from: '2025-01-01' is more than 366 days before to '2026-11-23'; a report covers at most 366 days");
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
