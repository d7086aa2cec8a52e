package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Night callers are recorded and called back at the opening, spread out; and no callback rings
 * a customer outside the allowed hours of their local time. The server's clock stands at 22:00
 * on a Friday before a closed Monday, in Los Angeles.
 */
class AfterHoursTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final String LINE = "+14155550100";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;

  static Instant la(String local) {
    return LocalDateTime.parse(local).atZone(LA).toInstant();
  }

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(la("2026-11-27T22:00"));
    String yaml = """
        callbacks:
          after-hours-seconds-per-agent: 20
          mode: customer-first
        dialer:
          calls-per-second: 0
          poll-millis: 100
          allowed-hours: "08:00-21:00"
        lines:
          - id: main
            number: "+14155550100"
            name: Acme
            time-zone: America/Los_Angeles
            agents: ["+14155550101"]
            hours:
              mon: ["09:00-17:00"]
              tue: ["09:00-17:00"]
              wed: ["09:00-17:00"]
              thu: ["09:00-17:00"]
              fri: ["09:00-17:00"]
            closed: ["2026-11-30"]
            after-hours-message: "Acme is closed. Leave a message and we will call you back."
          - id: shop
            number: "+14155550200"
            name: Acme Shop
            time-zone: America/Los_Angeles
            agents: ["+14155550201", "+14155550202", "+14155550203", "+14155550204"]
            hours:
              mon: ["09:00-17:00"]
              tue: ["09:00-17:00"]
        """;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static Map<String, Object> callback(String phone) {
    return db.query("SELECT * FROM callbacks WHERE customer_phone = ? ORDER BY id DESC LIMIT 1", phone).get(0);
  }

  static Instant due(String phone) {
    return ((Timestamp) callback(phone).get("due_at")).toInstant();
  }

  @Test
  void nightCallersLeaveAMessageAndAreCalledBackSpreadAfterTheOpening() {
    clock.set(la("2026-11-27T22:00"));
    server.api("PUT", "/api/customers/%2B14155550163", "application/json", "{\"name\":\"Vera Lang\",\"tier\":\"vip\"}");
    var first = server.twilio("/twilio/voice", "CallSid", "CAnight0001", "From", "+14155550161", "To", LINE);
    Element twiml = Xml.parse(first.body());
    assertThat(Xml.childNames(twiml)).containsExactly("Gather", "Record", "Say", "Hangup");
    assertThat(Xml.child(Xml.child(twiml, "Gather"), "Say").getTextContent()).isEqualTo("Acme is closed. Leave a message and we will call you back.");
    assertThat(Xml.child(twiml, "Record").getAttribute("recordingStatusCallback"))
        .isEqualTo(RingbackServer.PUBLIC_URL + "/twilio/recording?callback=" + callback("+14155550161").get("id"));
    server.twilio("/twilio/voice", "CallSid", "CAnight0002", "From", "+14155550162", "To", LINE);
    var vip = server.twilio("/twilio/voice", "CallSid", "CAnight0003", "From", "+14155550163", "To", LINE);
    assertThat(Xml.child(Xml.parse(vip.body()), "Gather").getTextContent()).startsWith("Hello Vera. Acme is closed.");

    Instant tuesday = la("2026-12-01T09:00");
    assertThat(callback("+14155550161")).containsEntry("trigger", "after_hours").containsEntry("state", "scheduled");
    assertThat(due("+14155550161")).as("Monday is closed").isEqualTo(tuesday);
    assertThat(due("+14155550162")).isEqualTo(tuesday.plusSeconds(20));
    assertThat(due("+14155550163")).as("VIP first, at the opening").isEqualTo(tuesday);
    assertThat((Integer) callback("+14155550163").get("priority")).isGreaterThan((Integer) callback("+14155550161").get("priority"));

    // Hanging up after the message is not an abandoned call, and adds no callback.
    server.twilio("/twilio/status", "CallSid", "CAnight0001", "CallStatus", "completed", "Timestamp", TWILIO.format(clock.instant()));
    assertThat(db.query("SELECT outcome FROM calls WHERE call_sid = 'CAnight0001'").get(0)).containsEntry("outcome", "voicemail");
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = '+14155550161'")).isEqualTo(1);
    assertThat(twilio.callCreations().stream().map(r -> r.param("To")))
        .as("no night caller is dialled before the opening").doesNotContain("+14155550161", "+14155550162", "+14155550163");
  }

  @Test
  void theMorningIsSharedAmongTheLinesAgents() {
    clock.set(la("2026-11-27T22:30"));
    String shop = "+14155550200";
    for (int i = 1; i <= 3; i++) {
      server.twilio("/twilio/voice", "CallSid", "CAshop000" + i, "From", "+1415555017" + i, "To", shop);
    }
    Instant monday = la("2026-11-30T09:00");
    // 20 s of one agent's time, four agents on the line: one callback every 5 s.
    assertThat(due("+14155550171")).isEqualTo(monday);
    assertThat(due("+14155550172")).isEqualTo(monday.plusSeconds(5));
    assertThat(due("+14155550173")).isEqualTo(monday.plusSeconds(10));
    // A fifth agent registered on the line shortens the interval for the callers still to come.
    var agent = server.api("POST", "/api/agents", "application/json",
        "{\"name\":\"Mo\",\"contact\":\"+14155550205\",\"lines\":[\"shop\"]}");
    assertThat(agent.statusCode()).as(agent.body()).isEqualTo(201);
    server.twilio("/twilio/voice", "CallSid", "CAshop0004", "From", "+14155550174", "To", shop);
    assertThat(due("+14155550174")).isEqualTo(monday.plusSeconds(3 * 4));
  }

  @Test
  void noCallbackRingsOutsideTheCustomersAllowedHours() {
    clock.set(la("2026-11-28T23:00"));
    String phone = "+14155550164";
    var created = server.api("POST", "/api/callbacks", "application/json", "{\"line\":\"main\",\"phone\":\"" + phone + "\"}");
    long id = new JsonObject(created.body()).getLong("id");
    RingbackServer.await("the dialler to put it off", Duration.ofSeconds(15), () -> "quiet_hours".equals(callback(phone).get("waiting_for")));
    assertThat(callback(phone)).containsEntry("state", "scheduled").containsEntry("attempts", 0);
    assertThat(due(phone)).isEqualTo(la("2026-11-29T08:00"));
    assertThat(new JsonObject(server.api("GET", "/api/callbacks/" + id, null, null).body()).getString("waiting_for")).isEqualTo("quiet_hours");
    assertThat(twilio.callCreations().stream().filter(r -> phone.equals(r.param("To")))).isEmpty();

    // A customer in Tokyo, where it is 16:00, may be called now.
    String tokyo = "+14155550165";
    server.api("PUT", "/api/customers/%2B14155550165", "application/json", "{\"name\":\"Kenji\",\"time_zone\":\"Asia/Tokyo\"}");
    server.api("POST", "/api/callbacks", "application/json", "{\"line\":\"main\",\"phone\":\"" + tokyo + "\"}");
    twilio.awaitRequests(r -> tokyo.equals(r.param("To")), 1, Duration.ofSeconds(15));

    clock.set(la("2026-11-29T08:00"));
    twilio.awaitRequests(r -> phone.equals(r.param("To")), 1, Duration.ofSeconds(15));
    assertThat(callback(phone)).containsEntry("waiting_for", null).containsEntry("attempts", 1);
  }

  @Test
  void aCustomerWithoutATimeZoneIsPlacedByTheirNumber() {
    clock.set(la("2026-11-28T23:30"));
    String newYork = "+12125550166";
    String london = "+442071234567";
    server.api("POST", "/api/callbacks", "application/json", "{\"line\":\"main\",\"phone\":\"" + newYork + "\"}");
    server.api("POST", "/api/callbacks", "application/json", "{\"line\":\"main\",\"phone\":\"" + london + "\"}");
    RingbackServer.await("the dialler to put both off", Duration.ofSeconds(15),
        () -> "quiet_hours".equals(callback(newYork).get("waiting_for")) && "quiet_hours".equals(callback(london).get("waiting_for")));
    // 02:30 in New York and 07:30 in London: each waits for 08:00 where the customer is, not on the line.
    assertThat(due(newYork)).isEqualTo(LocalDateTime.parse("2026-11-29T08:00").atZone(ZoneId.of("America/New_York")).toInstant());
    assertThat(due(london)).isEqualTo(LocalDateTime.parse("2026-11-29T08:00").atZone(ZoneId.of("Europe/London")).toInstant());

    clock.set(la("2026-11-29T00:00"));
    twilio.awaitRequests(r -> london.equals(r.param("To")), 1, Duration.ofSeconds(15));
    assertThat(twilio.callCreations().stream().filter(r -> newYork.equals(r.param("To")))).as("still night in New York").isEmpty();
    clock.set(la("2026-11-29T05:00"));
    twilio.awaitRequests(r -> newYork.equals(r.param("To")), 1, Duration.ofSeconds(15));
  }

  @Test
  void aNumberInSeveralZonesRingsOnlyWhenItIsDaytimeInAllOfThem() {
    // An Australian mobile is not tied to a place: every zone of the country, Christmas Island to Lord Howe.
    clock.set(la("2026-11-29T05:00"));
    String mobile = "+61412345678";
    List<ZoneId> zones = dev.ringback.domain.TimeZones.forNumber(mobile);
    assertThat(zones).hasSizeGreaterThan(3);
    server.api("POST", "/api/callbacks", "application/json", "{\"line\":\"main\",\"phone\":\"" + mobile + "\"}");
    RingbackServer.await("the dialler to put it off", Duration.ofSeconds(15), () -> "quiet_hours".equals(callback(mobile).get("waiting_for")));
    Instant due = due(mobile);
    assertThat(zones).as("at the due time every zone is between 08:00 and 21:00").allSatisfy(zone -> {
      java.time.LocalTime local = due.atZone(zone).toLocalTime();
      assertThat(local).isBetween(java.time.LocalTime.of(8, 0), java.time.LocalTime.of(20, 59));
    });
    assertThat(zones).as("a minute earlier one of them is not").anySatisfy(zone ->
        assertThat(due.minusSeconds(60).atZone(zone).toLocalTime()).isBefore(java.time.LocalTime.of(8, 0)));

    clock.set(due.minusSeconds(60));
    assertThat(twilio.callCreations().stream().filter(r -> mobile.equals(r.param("To")))).isEmpty();
    clock.set(due);
    twilio.awaitRequests(r -> mobile.equals(r.param("To")), 1, Duration.ofSeconds(15));
  }

  @Test
  void hoursSetThroughTheApiApplyAtOnceUntilClearedBackToTheConfig() {
    clock.set(la("2026-12-02T10:00"));
    String week = "{\"mon\":[\"09:00-17:00\"],\"tue\":[\"09:00-17:00\"],\"wed\":[\"09:00-17:00\"],"
        + "\"thu\":[\"09:00-12:00\",\"13:00-17:00\"],\"fri\":[\"09:00-17:00\"]}";
    try {
      // A staff day today: closed, as every instance learns at once.
      var set = server.api("PUT", "/api/lines/main/hours", "application/json", "{\"week\":" + week + ",\"closed\":[\"2026-12-02\"]}");
      assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
      JsonObject hours = new JsonObject(set.body());
      assertThat(hours.getString("source")).isEqualTo("api");
      assertThat(hours.getBoolean("open_now")).isFalse();
      assertThat(hours.getString("next_opening")).isEqualTo(la("2026-12-03T09:00").toString());
      assertThat(hours.getJsonObject("week").getJsonArray("thu").getList()).containsExactly("09:00-12:00", "13:00-17:00");
      var closedNow = server.twilio("/twilio/voice", "CallSid", "CAstaffday01", "From", "+14155550175", "To", LINE);
      assertThat(Xml.childNames(Xml.parse(closedNow.body()))).containsExactly("Gather", "Record", "Say", "Hangup");
      assertThat(due("+14155550175")).isEqualTo(la("2026-12-03T09:00"));

      // What is not hours is refused, naming the field, and changes nothing.
      assertThat(hoursError("{\"week\":{\"mon\":[\"17:00-09:00\"]}}")).startsWith("week.mon[0]:");
      assertThat(hoursError("{\"week\":{\"monday\":[\"09:00-17:00\"]}}")).startsWith("week.monday:");
      assertThat(hoursError("{\"closed\":[\"christmas\"]}")).startsWith("closed[0]:");
      assertThat(hoursError("{\"week\":\"9 to 5\"}")).startsWith("week:");
      assertThat(hoursError("{\"open\":true}")).contains("open");
      assertThat(new JsonObject(server.api("GET", "/api/lines/main/hours", null, null).body()).getJsonArray("closed").getList())
          .containsExactly("2026-12-02");
      var agent = new JsonObject(server.api("POST", "/api/agents", "application/json",
          "{\"name\":\"Lu\",\"contact\":\"+14155550206\",\"lines\":[\"shop\"]}").body());
      assertThat(server.request("DELETE", "/api/lines/main/hours", null, null, "Bearer " + agent.getString("token")).statusCode())
          .as("only the admin sets hours").isEqualTo(403);
    } finally {
      var cleared = server.api("DELETE", "/api/lines/main/hours", null, null);
      assertThat(cleared.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(cleared.body()).getString("source")).isEqualTo("config");
    }
    assertThat(new JsonObject(server.api("GET", "/api/lines/main/hours", null, null).body()).getBoolean("open_now")).isTrue();
    var openAgain = server.twilio("/twilio/voice", "CallSid", "CAstaffday02", "From", "+14155550176", "To", LINE);
    assertThat(Xml.childNames(Xml.parse(openAgain.body()))).contains("Dial");
  }

  static String hoursError(String body) {
    var response = server.api("PUT", "/api/lines/main/hours", "application/json", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    return new JsonObject(response.body()).getString("error");
  }

  @Test
  void theHoursAreReadableThroughTheApi() {
    clock.set(la("2026-11-27T22:00"));
    JsonObject hours = new JsonObject(server.api("GET", "/api/lines/main/hours", null, null).body());
    assertThat(hours.getString("time_zone")).isEqualTo("America/Los_Angeles");
    assertThat(hours.getJsonObject("week").getJsonArray("fri").getList()).containsExactly("09:00-17:00");
    assertThat(hours.getJsonObject("week").getJsonArray("sat").getList()).isEmpty();
    assertThat(hours.getJsonArray("closed").getList()).containsExactly("2026-11-30");
    assertThat(hours.getBoolean("open_now")).isFalse();
    assertThat(hours.getString("next_opening")).isEqualTo(la("2026-12-01T09:00").toString());
    assertThat(server.api("GET", "/api/lines/nope/hours", null, null).statusCode()).isEqualTo(404);
    assertThat(new JsonObject(server.api("GET", "/api/lines", null, null).body()).getJsonArray("items").getJsonObject(0).getBoolean("open_now"))
        .isFalse();
  }

  static String say(String twiml) {
    return Xml.parse(twiml).getTextContent();
  }

  @Test
  void theCallerChoosesWhenToBeCalledBack() {
    clock.set(la("2026-11-27T22:00"));
    String caller = "+14155550169";
    String sid = "CAnight0009";
    var night = server.twilio("/twilio/voice", "CallSid", sid, "From", caller, "To", LINE);
    assertThat(callback(caller)).containsEntry("trigger", "after_hours");
    String callback = "callback=" + callback(caller).get("id");
    String offer = Xml.child(Xml.parse(night.body()), "Gather").getAttribute("action");
    assertThat(offer).isEqualTo(RingbackServer.PUBLIC_URL + "/twilio/when?" + callback);
    var day = server.twilio("/twilio/when?" + callback, "CallSid", sid, "From", caller, "To", LINE, "Digits", "2");
    assertThat(say(day.body())).contains("For tomorrow, press 2");
    // Saturday: closed. Asked again, with the reason.
    var saturday = server.twilio("/twilio/when?step=day&" + callback, "CallSid", sid, "From", caller, "To", LINE, "Digits", "2");
    String timeUrl = Xml.child(Xml.parse(saturday.body()), "Gather").getAttribute("action");
    assertThat(timeUrl).isEqualTo(RingbackServer.PUBLIC_URL + "/twilio/when?step=time&day=2&" + callback);
    var closed = server.twilio("/twilio/when?step=time&day=2&" + callback, "CallSid", sid, "From", caller, "To", LINE, "Digits", "1430");
    assertThat(say(closed.body())).contains("Sorry, we are closed then.");
    assertThat(Xml.child(Xml.parse(closed.body()), "Gather").getAttribute("action"))
        .isEqualTo(RingbackServer.PUBLIC_URL + "/twilio/when?step=time&day=2&retry=1&" + callback);
    var notATime = server.twilio("/twilio/when?step=time&day=2&retry=1&" + callback, "CallSid", sid, "From", caller, "To", LINE,
        "Digits", "2575");
    assertThat(say(notATime.body())).contains("Sorry, that is not a time.").contains("as soon as we can");
    assertThat(callback(caller)).as("unchanged").containsEntry("trigger", "after_hours");

    // Tuesday is open: choose from a new menu on Monday night, for the day after tomorrow at 10:15.
    clock.set(la("2026-11-30T20:00"));
    var chosen = server.twilio("/twilio/when?step=time&day=2&" + callback, "CallSid", sid, "From", caller, "To", LINE, "Digits", "1015");
    assertThat(say(chosen.body())).contains("We will call you back tomorrow at 10:15 AM.");
    assertThat(callback(caller)).containsEntry("trigger", "scheduled");
    assertThat(due(caller)).isEqualTo(la("2026-12-01T10:15"));
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = ?", caller)).as("moved, not added").isEqualTo(1);
  }
}
