package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent and line reports, computed from a scripted morning: four calls (one missed), the
 * callback of the missed one, and three scores, each at a known time.
 */
class ReportTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String MAIN = "+14155550100";
  static final String ANA = "+14155550101";
  static final String BO = "+14155550102";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;
  static String anaToken;
  static String cyToken;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(T0);
    String yaml = """
        callbacks:
          mode: customer-first
        dialer:
          calls-per-second: 0
          poll-millis: 100
        feedback:
          after-inbound: true
        lines:
          - id: main
            number: "+14155550100"
            name: Acme
            agents: ["+14155550101", "+14155550102"]
          - id: shop
            number: "+14155550300"
            name: Acme Shop
            time-zone: America/New_York
            agents: ["+14155550301"]
        """;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
    JsonObject ana = new JsonObject(server.api("POST", "/api/agents", "application/json",
        "{\"name\":\"Ana Ruiz\",\"contact\":\"" + ANA + "\",\"lines\":[\"main\"],\"role\":\"supervisor\"}").body());
    anaToken = ana.getString("token");
    server.api("PUT", "/api/agents/" + ana.getLong("id") + "/presence", "application/json", "{\"presence\":\"available\"}");
    cyToken = new JsonObject(server.api("POST", "/api/agents", "application/json",
        "{\"name\":\"Cy\",\"contact\":\"+14155550301\",\"lines\":[\"shop\"]}").body()).getString("token");
    script();
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static void at(int seconds) {
    clock.set(T0.plusSeconds(seconds));
  }

  static void status(String query, String sid, String status, int seconds, String... extra) {
    List<String> params = new java.util.ArrayList<>(List.of("CallSid", sid, "CallStatus", status,
        "Timestamp", TWILIO.format(T0.plusSeconds(seconds))));
    params.addAll(List.of(extra));
    assertThat(server.twilio("/twilio/status" + query, params.toArray(String[]::new)).statusCode()).isEqualTo(200);
  }

  /** A call that arrives at {@code arrive} and is answered by {@code agent} {@code ring} seconds later, then scored. */
  static void answeredCall(String sid, String caller, int arrive, String agent, int ring, int score) {
    at(arrive);
    server.twilio("/twilio/voice", "CallSid", sid, "From", caller, "To", MAIN);
    status("", sid + "leg", "in-progress", arrive + ring, "ParentCallSid", sid, "To", agent, "Direction", "outbound-dial");
    at(arrive + 100);
    server.twilio("/twilio/dial", "CallSid", sid, "From", caller, "To", MAIN, "CallStatus", "in-progress",
        "DialCallStatus", "completed", "DialCallSid", sid + "leg");
    server.twilio("/twilio/feedback", "CallSid", sid, "From", caller, "To", MAIN, "Digits", String.valueOf(score));
    status("", sid + "leg", "completed", arrive + 100, "ParentCallSid", sid, "To", agent, "Direction", "outbound-dial");
    status("", sid, "completed", arrive + 110);
  }

  static void script() {
    answeredCall("CArep01", "+14155550401", 0, ANA, 6, 5);      // 1 ring
    answeredCall("CArep02", "+14155550402", 60, ANA, 24, 4);    // 4 rings: over the 3-ring target
    answeredCall("CArep03", "+14155550403", 120, BO, 12, 3);    // 2 rings
    // A missed call at T0+180, called back 61 s later and connected to Bo, who gets a 2.
    String caller = "+14155550404";
    at(180);
    server.twilio("/twilio/voice", "CallSid", "CArep04", "From", caller, "To", MAIN);
    server.twilio("/twilio/dial", "CallSid", "CArep04", "From", caller, "To", MAIN, "DialCallStatus", "no-answer");
    status("", "CArep04", "completed", 200);
    long callbackId = (Long) db.query("SELECT id FROM callbacks WHERE customer_phone = ?", caller).get(0).get("id");
    at(241);
    RingbackServer.await("the callback to be placed", Duration.ofSeconds(15),
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", callbackId) == 1);
    String sid = (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", callbackId).get(0).get("call_sid");
    String query = "?callback=" + callbackId;
    status(query, sid, "ringing", 242, "Direction", "outbound-api");
    status(query, sid, "in-progress", 250, "Direction", "outbound-api", "AnsweredBy", "human");
    server.twilio("/twilio/callback" + query, "CallSid", sid, "From", MAIN, "To", caller, "CallStatus", "in-progress",
        "AnsweredBy", "human");
    status("", sid + "leg", "in-progress", 252, "ParentCallSid", sid, "To", BO, "Direction", "outbound-dial");
    at(400);
    server.twilio("/twilio/dial" + query, "CallSid", sid, "From", MAIN, "To", caller, "CallStatus", "in-progress",
        "DialCallStatus", "completed", "DialCallSid", sid + "leg");
    server.twilio("/twilio/feedback", "CallSid", sid, "From", MAIN, "To", caller, "Digits", "2");
    status("", sid + "leg", "completed", 400, "ParentCallSid", sid, "To", BO, "Direction", "outbound-dial");
    status(query, sid, "completed", 410, "Direction", "outbound-api", "CallDuration", "160");
    RingbackServer.await("the attempt to end connected", Duration.ofSeconds(15),
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND outcome = 'connected'", callbackId) == 1);
    at(3600);
  }

  static JsonObject item(JsonArray items, String field, String value) {
    return items.stream().map(JsonObject.class::cast).filter(i -> value.equals(i.getString(field))).findFirst().orElseThrow();
  }

  static JsonObject report(String path) {
    HttpResponse<String> response = server.api("GET", path, null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @Test
  void eachLineHasItsServiceLevelRingsCallbacksAndScores() {
    JsonObject report = report("/api/reports/lines?from=2026-11-23&to=2026-11-23");
    assertThat(report.getString("from")).isEqualTo("2026-11-23T00:00:00Z");
    assertThat(report.getString("to")).isEqualTo("2026-11-24T00:00:00Z");
    JsonObject main = item(report.getJsonArray("items"), "line", "main");
    assertThat(main.getLong("calls_offered")).isEqualTo(4);
    assertThat(main.getLong("calls_answered")).isEqualTo(3);
    // Answered after 6, 24 and 12 s; 2 of 4 within 3 rings of 6 s.
    assertThat(main.getDouble("service_level")).isEqualTo(0.5);
    assertThat(main.getDouble("rings_to_answer_median")).isEqualTo(2.0);
    assertThat(main.getDouble("rings_to_answer_p90")).isEqualTo(3.6);
    assertThat(main.getLong("callbacks_connected")).isEqualTo(1);
    assertThat(main.getDouble("speed_to_callback_median_seconds")).isEqualTo(61.0);
    assertThat(main.getDouble("feedback_average")).isEqualTo(3.5);
    assertThat(main.getLong("feedback_count")).isEqualTo(4);
    assertThat(main.getLong("feedback_poor")).isEqualTo(1);
    JsonObject shop = item(report.getJsonArray("items"), "line", "shop");
    assertThat(shop.getLong("calls_offered")).isZero();
    assertThat(shop.getValue("service_level")).isNull();
    assertThat(shop.getValue("feedback_average")).isNull();

    JsonObject later = item(report("/api/reports/lines?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z").getJsonArray("items"),
        "line", "main");
    assertThat(later.getLong("calls_offered")).isZero();
    assertThat(later.getLong("feedback_count")).isZero();
  }

  @Test
  void oneLinesReportHasThatLineOnlyInItsOwnDays() {
    JsonObject main = report("/api/reports/lines?line=main&from=2026-11-23&to=2026-11-23");
    assertThat(main.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("line")).toList()).containsExactly("main");
    assertThat(main.getJsonArray("items").getJsonObject(0).getLong("calls_offered")).isEqualTo(4);
    // The shop's days are New York's, unless tz says otherwise.
    JsonObject shop = report("/api/reports/lines?line=shop&from=2026-11-23&to=2026-11-23");
    assertThat(shop.getString("time_zone")).isEqualTo("America/New_York");
    assertThat(shop.getString("from")).isEqualTo("2026-11-23T05:00:00Z");
    assertThat(shop.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("line")).toList()).containsExactly("shop");
    assertThat(report("/api/reports/lines?line=shop&tz=UTC&from=2026-11-23&to=2026-11-23").getString("from"))
        .isEqualTo("2026-11-23T00:00:00Z");
    HttpResponse<String> csv = server.request("GET", "/api/reports/lines?line=shop&from=2026-11-23&to=2026-11-23", null, null,
        "Bearer " + RingbackServer.API_TOKEN, "Accept", "text/csv");
    assertThat(parseCsv(csv.body())).hasSize(2);
    HttpResponse<String> unknown = server.api("GET", "/api/reports/lines?line=back", null, null);
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(unknown.body()).getString("error")).isEqualTo("line: 'back' is not a configured line");
  }

  @Test
  void eachAgentHasWhatTheyAnsweredAndHowTheirCustomersScoredThem() {
    JsonArray items = report("/api/reports/agents?from=2026-11-23T09:00:00Z&to=2026-11-23T12:00:00Z").getJsonArray("items");
    JsonObject ana = item(items, "contact", ANA);
    assertThat(ana.getString("name")).isEqualTo("Ana Ruiz");
    assertThat(ana.getLong("calls_answered")).isEqualTo(2);
    assertThat(ana.getDouble("service_level")).isEqualTo(0.5);
    assertThat(ana.getDouble("rings_to_answer_median")).isEqualTo(2.5);
    assertThat(ana.getDouble("feedback_average")).isEqualTo(4.5);
    assertThat(ana.getLong("feedback_poor")).isZero();
    assertThat(ana.getLong("callbacks_connected")).isZero();
    JsonObject bo = item(items, "contact", BO);
    assertThat(bo.getValue("agent_id")).as("a configured number, not a registered agent").isNull();
    assertThat(bo.getLong("calls_answered")).isEqualTo(1);
    assertThat(bo.getDouble("service_level")).isEqualTo(1.0);
    assertThat(bo.getLong("callbacks_connected")).isEqualTo(1);
    assertThat(bo.getDouble("speed_to_callback_median_seconds")).isEqualTo(61.0);
    assertThat(bo.getDouble("feedback_average")).isEqualTo(2.5);
    assertThat(bo.getLong("feedback_count")).isEqualTo(2);
    assertThat(bo.getLong("feedback_poor")).isEqualTo(1);
    JsonObject cy = item(items, "name", "Cy");
    assertThat(cy.getLong("calls_answered")).as("a registered agent with nothing to show is listed").isZero();
  }

  static final Pattern EMPTY_QUOTED_FIELD = Pattern.compile("(^|,)\"\"(,|$)");

  @Test
  void csvHasTheSameColumnsAndFigures() {
    HttpResponse<String> response = server.request("GET", "/api/reports/agents?from=2026-11-23&to=2026-11-23", null, null,
        "Bearer " + RingbackServer.API_TOKEN, "Accept", "text/csv");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
    List<List<String>> records = parseCsv(response.body());
    assertThat(String.join(",", records.get(0))).isEqualTo("agent_id,name,contact,calls_answered,rings_to_answer_median,"
        + "rings_to_answer_p90,service_level,callbacks_connected,speed_to_callback_median_seconds,speed_to_callback_p90_seconds,"
        + "feedback_average,feedback_count,feedback_poor");
    // Text quoted, figures not.
    assertThat(response.body().lines()).contains("1,\"Ana Ruiz\",\"'" + ANA + "\",2,2.5,3.7,0.5,0,,,4.5,2,0");
    // A contact beginning with + is text to a spreadsheet too: escaped as every such cell is.
    assertThat(records).contains(List.of("", "", "'" + BO, "1", "2.0", "2.0", "1.0", "1", "61.0", "61.0", "2.5", "2", "1"));
    // A configured number is no registered agent: no id and no name, as empty fields, not as "".
    assertThat(response.body().lines()).contains(",,\"'" + BO + "\",1,2.0,2.0,1.0,1,61.0,61.0,2.5,2,1");
    assertThat(response.body().lines()).noneMatch(EMPTY_QUOTED_FIELD.asPredicate());
    HttpResponse<String> lines = server.request("GET", "/api/reports/lines?from=2026-11-23&to=2026-11-23", null, null,
        "Bearer " + RingbackServer.API_TOKEN, "Accept", "text/csv");
    assertThat(lines.body().lines()).contains("\"shop\",\"Acme Shop\",0,0,,,,0,,,,0,0");
    assertThat(lines.body().lines()).noneMatch(EMPTY_QUOTED_FIELD.asPredicate());
    assertThat(records).contains(List.of("1", "Ana Ruiz", "'" + ANA, "2", "2.5", "3.7", "0.5", "0", "", "", "4.5", "2", "0"));
  }

  @Test
  void emptyTextIsAnEmptyFieldLikeAMissingValue() {
    String csv = ReportApi.csv(List.of("key", "name", "figure"), List.of(new JsonObject().put("key", "a").put("name", "").putNull("figure")));
    assertThat(csv.lines()).containsExactly("\"key\",\"name\",\"figure\"", "\"a\",,");
  }

  @Test
  void csvCellsThatASpreadsheetWouldRunAsAFormulaAreEscaped() {
    List<String> names = List.of("=HYPERLINK(\"https://evil.example/\",\"open\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)");
    for (int i = 0; i < names.size(); i++) {
      HttpResponse<String> created = server.api("POST", "/api/agents", "application/json", new JsonObject().put("name", names.get(i))
          .put("contact", "sip:formula" + i + "@acme.sip.twilio.com").put("lines", new JsonArray()).encode());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
    HttpResponse<String> response = server.request("GET", "/api/reports/agents?from=2026-11-23&to=2026-11-23", null, null,
        "Bearer " + RingbackServer.API_TOKEN, "Accept", "text/csv");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"open\"\")\"");
    List<String> cells = parseCsv(response.body()).stream().map(r -> r.get(1)).toList();
    for (String name : names) {
      assertThat(cells).as("the name cell of " + name).contains("'" + name).doesNotContain(name);
    }
    // JSON is no spreadsheet: the names come back as they were given.
    JsonArray items = report("/api/reports/agents?from=2026-11-23&to=2026-11-23").getJsonArray("items");
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("name"))).containsAll(names);
  }

  static List<List<String>> parseCsv(String body) {
    try (var parser = org.apache.commons.csv.CSVParser.parse(body, org.apache.commons.csv.CSVFormat.DEFAULT)) {
      return parser.getRecords().stream().map(r -> r.toList()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void supervisorsMayReadReportsAgentsMayNotAndBadRangesAreRefused() {
    assertThat(server.request("GET", "/api/reports/lines", null, null, "Bearer " + anaToken).statusCode()).isEqualTo(200);
    HttpResponse<String> agent = server.request("GET", "/api/reports/agents", null, null, "Bearer " + cyToken);
    assertThat(agent.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(agent.body()).getString("error")).contains("supervisors");
    HttpResponse<String> reversed = server.api("GET", "/api/reports/lines?from=2026-11-24&to=2026-11-22", null, null);
    assertThat(reversed.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(reversed.body()).getString("error")).startsWith("from:");
    assertThat(server.api("GET", "/api/reports/agents?from=2025-01-01&to=2026-11-23", null, null).statusCode()).isEqualTo(422);
    assertThat(server.api("GET", "/api/reports/agents?from=yesterday", null, null).statusCode()).isEqualTo(400);
  }

  @Test
  void theCustomerFileListsEverythingNewestFirstInPages() {
    List<JsonObject> entries = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = report("/api/customers/%2B14155550404/timeline?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      page.getJsonArray("items").forEach(item -> entries.add((JsonObject) item));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(entries.stream().map(e -> e.getString("kind")))
        .containsExactly("feedback", "callback", "callback_attempt", "callback", "call");
    assertThat(pages).isEqualTo(3);
    assertThat(entries.stream().map(e -> e.getString("at")))
        .containsExactly(T0.plusSeconds(400).toString(), T0.plusSeconds(400).toString(), T0.plusSeconds(241).toString(),
            T0.plusSeconds(180).toString(), T0.plusSeconds(180).toString());
    assertThat(entries.get(0).getJsonObject("detail").getInteger("score")).isEqualTo(2);
    // The 2 put a service-recovery task in the queue, in the file at the same moment.
    assertThat(entries.get(1).getJsonObject("detail").getString("trigger")).isEqualTo("feedback");
    assertThat(entries.get(0).getJsonObject("detail").getLong("recovery_task")).isEqualTo(entries.get(1).getLong("id"));
    assertThat(entries.get(2).getJsonObject("detail").getString("outcome")).isEqualTo("connected");
    assertThat(entries.get(2).getJsonObject("detail").getString("agent")).isEqualTo(BO);
    assertThat(entries.get(3).getJsonObject("detail").getString("trigger")).isEqualTo("missed");
    assertThat(entries.get(4).getJsonObject("detail").getString("outcome")).isEqualTo("missed");

    JsonObject answered = report("/api/customers/%2B14155550402/timeline").getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(e -> e.getString("kind").equals("call")).findFirst().orElseThrow();
    assertThat(answered.getJsonObject("detail").getDouble("rings")).isEqualTo(4.0);
    assertThat(answered.getJsonObject("detail").getString("answered_by_agent")).isEqualTo("Ana Ruiz");

    assertThat(server.api("GET", "/api/customers/%2B14155550499/timeline", null, null).statusCode()).isEqualTo(404);
  }
}
