package dev.ringback.http;

import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.PUBLIC_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Only Twilio speaks on /twilio/*: a signature made with another key or for another URL is
 * refused and stores nothing, and a valid request sent again (Twilio retrying, or someone
 * replaying a captured request) changes nothing: the same rows, the same calls placed.
 */
class TwilioSignatureTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final Duration DEADLINE = Duration.ofSeconds(15);
  static final String AGENT = "+14155550161";
  static final List<String> WEBHOOKS = List.of("/twilio/voice", "/twilio/dial", "/twilio/status", "/twilio/recording",
      "/twilio/callback?callback=1", "/twilio/gather?callback=1", "/twilio/connect?task=1&agent=1", "/twilio/when");
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;

  /** A webhook as it was sent: path, parameters and the signature, to be sent again byte for byte. */
  record Sent(String pathAndQuery, List<Map.Entry<String, String>> params, String signature) {}

  static final List<Sent> sent = new ArrayList<>();
  /** Every TwiML answer, to look at the URLs Ringback hands Twilio. */
  static final List<String> answers = new ArrayList<>();
  static final java.util.regex.Pattern URL_IN_TWIML =
      java.util.regex.Pattern.compile("(?:action|statusCallback|url)=\"([^\"]*)\"|<Redirect[^>]*>([^<]*)</Redirect>");

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    // 10:00 on the line's clock (Los Angeles): "tomorrow at 10:00" is the same moment however long the test takes.
    clock = new MutableClock(Instant.parse("2026-11-23T18:00:00Z"));
    server = RingbackServer.start("dialer:\n  calls-per-second: 0\n  poll-millis: 100\n" + RingbackServer.LINES_YAML,
        RingbackServer.environment(db, twilio.baseUrl()), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  /** Sends a webhook exactly as Twilio does and keeps it for the replay. */
  static HttpResponse<String> webhook(String pathAndQuery, String... nameValues) {
    List<Map.Entry<String, String>> params = RingbackServer.pairs(nameValues);
    String signature = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, PUBLIC_URL + pathAndQuery, params);
    sent.add(new Sent(pathAndQuery, params, signature));
    HttpResponse<String> response = server.twilioSigned(pathAndQuery, signature, params);
    assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    answers.add(response.body());
    return response;
  }

  static String at(long seconds) {
    return TWILIO.format(clock.instant().plusSeconds(seconds));
  }

  /** Every row of every table, as text, by table. */
  static Map<String, List<String>> snapshot() {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    // The retention job's own bookkeeping is written on its timer, whatever the webhooks do.
    for (var table : db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        + "AND table_type = 'BASE TABLE' AND table_name NOT IN ('flyway_schema_history', 'retention_run') ORDER BY table_name")) {
      String name = (String) table.get("table_name");
      rows.put(name, db.query("SELECT t::text AS row FROM " + name + " t ORDER BY 1").stream().map(r -> (String) r.get("row")).toList());
    }
    return rows;
  }

  /** The dialler has nothing left to do at this (held) moment. */
  static void settle() {
    RingbackServer.await("the dialler to settle", DEADLINE, () -> db.count("""
        SELECT count(*) FROM callbacks
        WHERE (state = 'scheduled' AND due_at <= ?) OR (state = 'dialing' AND lease_until IS NOT NULL)""",
        java.sql.Timestamp.from(clock.instant())) == 0);
  }

  @Test
  void aSignatureWithAnotherKeyOrForAnotherUrlIsRefusedOnEveryWebhook() {
    Map<String, List<String>> before = snapshot();
    for (String path : WEBHOOKS) {
      var params = RingbackServer.pairs("CallSid", "CAforged0001", "From", "+14155550171", "To", LINE_NUMBER, "CallStatus", "completed",
          "DialCallStatus", "no-answer", "Digits", "9", "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE11111111111111111111111111111111");
      String otherKey = TwilioSigner.sign("0123456789abcdef0123456789abcdee", PUBLIC_URL + path, params);
      String otherHost = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, "https://attacker.example.com" + path, params);
      String otherPath = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, PUBLIC_URL + (path.equals("/twilio/voice") ? "/twilio/dial" : "/twilio/voice"),
          params);
      String otherScheme = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, PUBLIC_URL.replace("https:", "http:") + path, params);
      for (String signature : List.of(otherKey, otherHost, otherPath, otherScheme)) {
        HttpResponse<String> response = server.twilioSigned(path, signature, params);
        assertThat(response.statusCode()).as(path).isEqualTo(403);
        assertThat(Xml.childNames(Xml.parse(response.body()))).contains("Hangup");
      }
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void everyWebhookSentAgainChangesNothing() {
    long rita = new JsonObject(server.api("POST", "/api/agents", "application/json",
        "{\"name\":\"Rita\",\"contact\":\"" + AGENT + "\",\"lines\":[\"main\"]}").body()).getLong("id");
    String ritaToken = "Bearer " + new JsonObject(server.api("POST", "/api/agents/" + rita + "/token", null, null).body()).getString("token");
    server.api("PUT", "/api/agents/" + rita + "/presence", "application/json", "{\"presence\":\"available\"}");

    // A missed call: the agent's leg rings out, the <Dial> ends unanswered, the caller leaves a voicemail.
    webhook("/twilio/voice", "CallSid", "CArep00001", "From", "+14155550172", "To", LINE_NUMBER, "Direction", "inbound");
    webhook("/twilio/status", "CallSid", "CArepleg01", "ParentCallSid", "CArep00001", "CallStatus", "ringing", "To", AGENT,
        "Direction", "outbound-dial", "Timestamp", at(1));
    webhook("/twilio/status", "CallSid", "CArepleg01", "ParentCallSid", "CArep00001", "CallStatus", "no-answer", "To", AGENT,
        "Direction", "outbound-dial", "Timestamp", at(21));
    webhook("/twilio/dial", "CallSid", "CArep00001", "From", "+14155550172", "To", LINE_NUMBER, "DialCallStatus", "no-answer");
    webhook("/twilio/recording", "CallSid", "CArep00001", "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE22222222222222222222222222222222");
    webhook("/twilio/recording", "CallSid", "CArep00001", "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE22222222222222222222222222222222",
        "RecordingStatus", "completed");
    webhook("/twilio/status", "CallSid", "CArep00001", "CallStatus", "completed", "Direction", "inbound", "Timestamp", at(60));

    // Another missed caller chooses when to be called back: tomorrow at 10:00.
    webhook("/twilio/voice", "CallSid", "CArep00002", "From", "+14155550173", "To", LINE_NUMBER, "Direction", "inbound");
    webhook("/twilio/dial", "CallSid", "CArep00002", "From", "+14155550173", "To", LINE_NUMBER, "DialCallStatus", "busy");
    webhook("/twilio/when", "CallSid", "CArep00002", "From", "+14155550173", "To", LINE_NUMBER, "Digits", "2");
    webhook("/twilio/when?step=day", "CallSid", "CArep00002", "From", "+14155550173", "To", LINE_NUMBER, "Digits", "2");
    var chosen = webhook("/twilio/when?step=time&day=2", "CallSid", "CArep00002", "From", "+14155550173", "To", LINE_NUMBER,
        "Digits", "1000");
    assertThat(chosen.body()).contains("tomorrow at 10:00");

    // An answered call: the agent is busy while on it, available after.
    webhook("/twilio/voice", "CallSid", "CArep00003", "From", "+14155550174", "To", LINE_NUMBER, "Direction", "inbound");
    webhook("/twilio/status", "CallSid", "CArepleg03", "ParentCallSid", "CArep00003", "CallStatus", "in-progress", "To", AGENT,
        "Direction", "outbound-dial", "Timestamp", at(5));
    webhook("/twilio/status", "CallSid", "CArepleg03", "ParentCallSid", "CArep00003", "CallStatus", "completed", "To", AGENT,
        "Direction", "outbound-dial", "Timestamp", at(90));
    webhook("/twilio/dial", "CallSid", "CArep00003", "From", "+14155550174", "To", LINE_NUMBER, "DialCallStatus", "completed");
    webhook("/twilio/status", "CallSid", "CArep00003", "CallStatus", "completed", "Direction", "inbound", "Timestamp", at(91));
    assertThat(new JsonObject(server.api("GET", "/api/agents/" + rita, null, null).body()).getString("presence")).isEqualTo("available");

    // A callback the dialler places: answered, no agent takes it, the customer presses 9.
    long callback = new JsonObject(server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"+14155550175\",\"line\":\"main\"}").body()).getLong("id");
    RingbackServer.await("the callback to be placed", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", callback) == 1);
    String sid = (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", callback).get(0).get("call_sid");
    webhook("/twilio/status?callback=" + callback, "CallSid", sid, "CallStatus", "ringing", "Direction", "outbound-api", "Timestamp", at(2));
    webhook("/twilio/status?callback=" + callback, "CallSid", sid, "CallStatus", "in-progress", "AnsweredBy", "human",
        "Direction", "outbound-api", "Timestamp", at(8));
    webhook("/twilio/callback?callback=" + callback, "CallSid", sid, "AnsweredBy", "human", "To", "+14155550175");
    webhook("/twilio/dial?callback=" + callback, "CallSid", sid, "DialCallStatus", "no-answer");
    webhook("/twilio/gather?callback=" + callback, "CallSid", sid, "Digits", "9", "From", LINE_NUMBER, "To", "+14155550175");
    webhook("/twilio/status?callback=" + callback, "CallSid", sid, "CallStatus", "completed", "Direction", "outbound-api",
        "Timestamp", at(30));

    // Click to connect: the agent's phone rings first, then the customer is dialled.
    long task = new JsonObject(server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"+14155550176\",\"line\":\"main\"}").body())
        .getLong("id");
    assertThat(server.request("POST", "/api/tasks/" + task + "/claim", null, null, ritaToken).statusCode()).isEqualTo(200);
    var call = server.request("POST", "/api/tasks/" + task + "/call", null, null, ritaToken);
    assertThat(call.statusCode()).as(call.body()).isEqualTo(202);
    String agentSid = new JsonObject(call.body()).getString("agent_call_sid");
    webhook("/twilio/status", "CallSid", agentSid, "CallStatus", "in-progress", "To", AGENT, "Direction", "outbound-api", "Timestamp", at(3));
    var whisper = webhook("/twilio/connect?task=" + task + "&agent=" + rita, "CallSid", agentSid, "To", AGENT);
    assertThat(Xml.childNames(Xml.parse(whisper.body()))).containsExactly("Say", "Dial");
    for (var step : List.of(List.of("ringing", "4"), List.of("in-progress", "9"), List.of("completed", "70"))) {
      webhook("/twilio/status?callback=" + task, "CallSid", "CArepcust06", "ParentCallSid", agentSid, "CallStatus", step.get(0),
          "To", "+14155550176", "Direction", "outbound-dial", "Timestamp", at(Long.parseLong(step.get(1))));
    }
    webhook("/twilio/connect?task=" + task + "&agent=" + rita + "&ended=1", "CallSid", agentSid, "DialCallStatus", "completed");
    webhook("/twilio/status", "CallSid", agentSid, "CallStatus", "completed", "To", AGENT, "Direction", "outbound-api", "Timestamp", at(71));

    // The URLs Ringback gives Twilio (in TwiML and when placing calls) carry ids, never a number or a name.
    List<String> urls = new ArrayList<>();
    for (String twiml : answers) {
      var m = URL_IN_TWIML.matcher(twiml);
      while (m.find()) {
        urls.add(m.group(1) != null ? m.group(1) : m.group(2));
      }
    }
    twilio.callCreations().forEach(r -> urls.addAll(List.of(r.param("Url"), r.param("StatusCallback"))));
    assertThat(urls).hasSizeGreaterThan(10).allSatisfy(url -> assertThat(url).startsWith(PUBLIC_URL + "/twilio/")
        .doesNotContain("415555").doesNotContain("%2B").doesNotContainIgnoringCase("rita"));

    // The customer who pressed 9 is on the do-not-call list: their retry is cancelled when it falls due.
    clock.advance(Duration.ofSeconds(150));
    RingbackServer.await("the listed customer's retry to be cancelled", DEADLINE,
        () -> "cancelled".equals(db.query("SELECT state FROM callbacks WHERE id = ?", callback).get(0).get("state")));
    settle();
    Map<String, List<String>> before = snapshot();
    int dials = twilio.callCreationCount();
    assertThat(before.get("callbacks")).hasSizeGreaterThanOrEqualTo(4);

    for (Sent again : List.copyOf(sent)) {
      HttpResponse<String> response = server.twilioSigned(again.pathAndQuery(), again.signature(), again.params());
      assertThat(response.statusCode()).as("again: " + again.pathAndQuery()).isEqualTo(200);
      Xml.parse(response.body());
    }
    settle();
    Map<String, List<String>> after = snapshot();
    var softly = new org.assertj.core.api.SoftAssertions();
    for (String table : before.keySet()) {
      softly.assertThat(after.get(table)).as("%s after every webhook was sent again", table).isEqualTo(before.get(table));
    }
    softly.assertThat(twilio.callCreationCount()).as("no call placed again").isEqualTo(dials);
    softly.assertAll();
  }
}
