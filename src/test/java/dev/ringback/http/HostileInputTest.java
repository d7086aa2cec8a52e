package dev.ringback.http;

import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.PUBLIC_URL;
import static dev.ringback.support.RingbackServer.SUPPORT_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RawHttp;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input against every webhook and API endpoint: thousands of generated requests with
 * truncated forms, broken encodings, wrong content types, huge values, SQL and XML
 * metacharacters, invalid phone numbers, duplicate parameters and missing headers. Webhooks are
 * signed as Twilio and the shops sign them, and the API is called with real tokens, so the
 * requests get past the gates into the handlers.
 *
 * <p>Each answer must be below 500; a 4xx must carry {@code {"error": ...}} (TwiML on
 * /twilio/*); a rejected request must leave every table as it was; and the server must still be
 * healthy afterwards. The generator is seeded: {@code -Dringback.fuzz.seed=N} explores other
 * inputs, {@code -Dringback.fuzz.scale=4} sends four times as many.
 */
class HostileInputTest {
  static final long SEED = Long.getLong("ringback.fuzz.seed", 20261123L);
  static final double SCALE = Double.parseDouble(System.getProperty("ringback.fuzz.scale", "1"));
  /** The clock stands still, so nothing becomes due behind the test's back while it compares tables. */
  static final Instant NOW = Instant.parse("2026-11-23T18:05:00Z");
  static final String SECRET = "fuzz-shop-secret-0123456789";
  static final String NAME_MARKER = "Zelda Fuzzmarker";
  static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  static TestDatabase db;
  static TwilioStandIn twilio;
  static RingbackServer server;
  static Connection jdbc;
  static List<String> tables;
  static Random random;
  static Map<String, String> baseline;
  /** Agents the fuzz calls the API as; never deleted, re-keyed or reassigned by it. */
  static final List<Long> reservedAgentIds = new ArrayList<>();
  static final List<String> agentTokens = new ArrayList<>();
  static final List<String> callSids = new ArrayList<>();
  static final List<Long> knownIds = new ArrayList<>();
  static int cases;

  @BeforeAll
  static void start() throws SQLException {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, twilio.baseUrl()));
    env.put("RINGBACK_SHOPIFY_SECRET", SECRET);
    env.put("RINGBACK_WOOCOMMERCE_SECRET", SECRET);
    env.put("RINGBACK_ORDER_SECRET", SECRET);
    // Orders wait an hour, so an accepted one does not set the dialler to work mid-comparison.
    String yaml = """
        callbacks:
          delay-seconds:
            order: 3600
        dialer:
          calls-per-second: 0
        """ + RingbackServer.LINES_YAML;
    server = RingbackServer.start(yaml, env, Clock.fixed(NOW, ZoneOffset.UTC));
    jdbc = db.connect();
    // The retention job's own bookkeeping is written on its timer, whatever the requests do; so is
    // the outbox's sending of the answers to texts accepted earlier (what a text said is kept in
    // text_replies, which is compared).
    tables = db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        + "AND table_type = 'BASE TABLE' AND table_name NOT IN ('flyway_schema_history', 'retention_run', 'texts') ORDER BY table_name")
        .stream().map(row -> (String) row.get("table_name")).toList();
    seed();
    settle();
    baseline = checksums();
  }

  @AfterAll
  static void stop() throws SQLException {
    System.out.printf("HostileInputTest: %d cases, seed %d%n", cases, SEED);
    jdbc.close();
    server.close();
    twilio.close();
  }

  /** Rows for the handlers to find: customers, agents, a missed call with its callback, a task, an order. */
  static void seed() {
    server.api("PUT", "/api/customers/%2B14155550123", "application/json", "{\"name\":\"Nikolay Petrov\",\"tier\":\"vip\"}");
    server.api("PUT", "/api/customers/%2B14155550124", "application/json", "{\"name\":\"" + NAME_MARKER + "\"}");
    for (String[] agent : new String[][] {{"Fuzz Ana", "+14155550131", "main"}, {"Fuzz Bo", "+14155550132", "support"}}) {
      var created = new JsonObject(server.api("POST", "/api/agents", "application/json",
          new JsonObject().put("name", agent[0]).put("contact", agent[1]).put("lines", new JsonArray().add(agent[2])).encode()).body());
      reservedAgentIds.add(created.getLong("id"));
      agentTokens.add(created.getString("token"));
    }
    server.twilio("/twilio/voice", "CallSid", "CAfuzzseed01", "From", "+14155550125", "To", LINE_NUMBER);
    server.twilio("/twilio/dial", "CallSid", "CAfuzzseed01", "From", "+14155550125", "To", LINE_NUMBER, "DialCallStatus", "no-answer");
    callSids.add("CAfuzzseed01");
    server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"+14155550126\",\"line\":\"main\"}");
    byte[] order = "{\"order_id\":\"fuzz-1\",\"phone\":\"+14155550127\",\"name\":\"Ann Order\"}".getBytes(StandardCharsets.UTF_8);
    server.post("/orders", Map.of("Content-Type", "application/json", "X-Ringback-Signature", ShopSigner.generic(SECRET, order)), order);
    db.query("SELECT id FROM callbacks").forEach(row -> knownIds.add((Long) row.get("id")));
  }

  // --- the families ---

  @Test
  void twilioWebhooks() {
    run("twilio", 1000, HostileInputTest::twilioCase);
  }

  @Test
  void orderWebhooks() {
    run("orders", 600, HostileInputTest::orderCase);
  }

  @Test
  void api() {
    run("api", 1200, HostileInputTest::apiCase);
  }

  @Test
  void anyPathAnyMethod() {
    run("stray", 200, HostileInputTest::strayCase);
  }

  /**
   * One request to send, exactly.
   *
   * @param framed false when the bytes are not a well-formed HTTP request (a broken chunk): the
   *     HTTP layer may drop the connection instead of answering
   */
  record Case(String method, String target, List<Map.Entry<String, String>> headers, byte[] body, boolean framed) {
    Case(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
      this(method, target, headers, body, true);
    }

    /** What a route can see: a target with no raw spaces or control bytes, a request line and headers within Netty's limits. */
    boolean routable() {
      int headerBytes = headers.stream().mapToInt(h -> h.getKey().length() + h.getValue().length() + 4).sum();
      return target.length() < 4000 && headerBytes < 8000 && target.chars().allMatch(ch -> ch > 0x20 && ch != 0x7f);
    }

    String path() {
      int query = target.indexOf('?');
      return query < 0 ? target : target.substring(0, query);
    }

    String describe() {
      String text = body == null ? "-" : new String(body, StandardCharsets.UTF_8);
      return method + " " + RawHttp.abbreviate(target) + " " + headers + " body " + RawHttp.abbreviate(text);
    }
  }

  static void run(String family, int count, Supplier<Case> generator) {
    // A stream of its own per family, so one family run alone (-Dtest=HostileInputTest#api) sends the same cases.
    random = new Random(SEED ^ family.hashCode());
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    int n = (int) Math.max(1, count * SCALE);
    for (int i = 0; i < n; i++) {
      Case c = generator.get();
      String problem;
      try {
        RawHttp.Response response = RawHttp.send(server.ringback().port(), c.method(), c.target(), c.headers(), c.body());
        statuses.merge(response.status(), 1, Integer::sum);
        problem = judge(c, response);
      } catch (RuntimeException | AssertionError e) {
        problem = e.toString();
      }
      cases++;
      if (problem != null) {
        failures.add(problem + "\n    for " + c.describe());
        if (failures.size() >= 25) {
          break;
        }
      }
    }
    System.out.printf("HostileInputTest %s: %d cases, answers by status %s%n", family, n, statuses);
    assertThat(failures).as("seed %d: hostile requests answered badly", SEED).isEmpty();
    var health = server.get("/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    String metrics = server.get("/metrics").body();
    for (String leak : List.of("4155550123", "4155550124", "4155550125", "7911123456", NAME_MARKER, "Nikolay")) {
      assertThat(metrics).as("metrics carry no phone numbers or names").doesNotContain(leak);
    }
  }

  /** Judges the answer to one case; null when it is fine. */
  static String judge(Case c, RawHttp.Response response) {
    int status = response.status();
    if (status == 0) {
      return c.framed() ? "closed the connection without an answer" : null;
    }
    if (status >= 500) {
      return "answered " + status + ": " + RawHttp.abbreviate(response.text());
    }
    // A request no route can see (a raw space in the target, headers over 8 KiB) is refused with JSON before routing.
    boolean twiml = c.routable() && (c.path().equals("/twilio") || c.path().startsWith("/twilio/"));
    String type = String.valueOf(response.header("Content-Type"));
    if (status >= 400 || (twiml && status < 300)) {
      if (twiml) {
        if (!type.startsWith("text/xml")) {
          return "answered " + status + " with " + type + " instead of TwiML: " + RawHttp.abbreviate(response.text());
        }
        var root = Xml.parse(response.text());
        if (!root.getTagName().equals("Response")) {
          return "answered " + status + " with XML that is not TwiML: " + RawHttp.abbreviate(response.text());
        }
      } else if (!type.startsWith("application/json") || !(errorOf(response.text()) instanceof String)) {
        return "answered " + status + " without a JSON error: " + type + " " + RawHttp.abbreviate(response.text());
      }
    }
    if (status >= 200 && status < 300) {
      remember(response);
      settle();
      baseline = checksums();
      return null;
    }
    Map<String, String> after = checksums();
    if (!after.equals(baseline)) {
      List<String> changed = after.keySet().stream().filter(t -> !after.get(t).equals(baseline.get(t))).toList();
      baseline = after;
      return "rejected with " + status + " but changed " + changed + ": " + RawHttp.abbreviate(response.text());
    }
    return null;
  }

  private static Object errorOf(String body) {
    try {
      return new JsonObject(body).getValue("error");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Ids the server hands out become targets of later requests. */
  private static void remember(RawHttp.Response response) {
    String type = String.valueOf(response.header("Content-Type"));
    if (!type.startsWith("application/json")) {
      return;
    }
    try {
      Object id = new JsonObject(response.text()).getValue("id");
      if (id instanceof Number number && !knownIds.contains(number.longValue())) {
        knownIds.add(number.longValue());
      }
      Object callback = new JsonObject(response.text()).getValue("callback_id");
      if (callback instanceof Number number && !knownIds.contains(number.longValue())) {
        knownIds.add(number.longValue());
      }
    } catch (RuntimeException e) {
      // Not an object: nothing to remember.
    }
  }

  /** Waits until the dialler has nothing left to do at this (frozen) moment. */
  static void settle() {
    RingbackServer.await("the dialler to settle", Duration.ofSeconds(20), () -> count("""
        SELECT count(*) FROM callbacks
        WHERE (state = 'scheduled' AND due_at <= ?) OR (state = 'dialing' AND lease_until IS NOT NULL)""") == 0);
  }

  static long count(String sql) {
    try (PreparedStatement statement = jdbc.prepareStatement(sql)) {
      statement.setTimestamp(1, Timestamp.from(NOW));
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One digest per table over every row and column. */
  static Map<String, String> checksums() {
    String sql = tables.stream()
        .map(t -> "SELECT '" + t + "', md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + t + " t")
        .collect(Collectors.joining(" UNION ALL "));
    Map<String, String> sums = new TreeMap<>();
    // Prepared, so PostgreSQL plans this union of every table once, not for each of thousands of cases.
    try (var statement = jdbc.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        sums.put(rows.getString(1), rows.getString(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return sums;
  }

  // --- values ---

  static final List<String> VALID_PHONES = List.of("+14155550123", "+14155550124", "(415) 555-0125", "+44 7911 123456",
      "4155550126", "+1-415-555-0127");
  static final List<String> BAD_PHONES = List.of("", " ", "123", "+", "+1", "+999999999999999999999", "anonymous", "client:alice",
      "sip:x@example.com", "+1415555012a", "+1 415 555 0123 ext. 99", "1".repeat(65), "+1\u0000415", "<Number>+1</Number>",
      "'; DROP TABLE customers; --", "+14155550100", "٤١٥٥٥٥٠١٢٣", "+1 (415) 555-0123)", "%2B14155550123");
  static final List<String> NASTY = List.of(
      "' OR '1'='1", "'; DROP TABLE calls; --", "\\'; SELECT pg_sleep(5); --", "$1", "%s%n%x", "${jndi:ldap://x/a}", "{{7*7}}",
      "<Response><Dial>+15555550100</Dial></Response>", "]]><Hangup/>", "&amp;&lt;&#0;", "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
      "Zoë 🎉", "\u202Eevil", "\uFEFF", "\u0000", "\uD800", "\r\nX-Injected: 1", "\t", "\"}", "{{", "null", "true",
      "-1", "0", "9223372036854775808", "-9223372036854775809", "1e309", "NaN", "0x1F", "1.5",
      "2026-13-45T99:99:99Z", "Tue, 31 Feb 2026 25:00:00 +0000", "../../etc/passwd", "%00", "%zz", "+", "&", "=", "?", "#",
      "A".repeat(65), "A".repeat(1000), "é".repeat(3000));

  static <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  static boolean chance(double p) {
    return random.nextDouble() < p;
  }

  static String nasty() {
    if (chance(0.05)) {
      StringBuilder junk = new StringBuilder();
      for (int i = 1 + random.nextInt(20); i > 0; i--) {
        junk.appendCodePoint(random.nextInt(0x11000));
      }
      return junk.toString();
    }
    return pick(NASTY);
  }

  static String phone() {
    return chance(0.6) ? pick(VALID_PHONES) : chance(0.7) ? pick(BAD_PHONES) : nasty();
  }

  static String anyText() {
    return chance(0.5) ? nasty() : chance(0.5) ? phone() : "Fuzz " + random.nextInt(1000);
  }

  static String id() {
    if (chance(0.6) && !knownIds.isEmpty()) {
      return Long.toString(pick(knownIds));
    }
    return pick(List.of("0", "-1", "999999", "99999999999999999999", "abc", "1.5", "1e3", " 1", "%20", "me", "%00", "1%3BDROP"));
  }

  static String callSid() {
    return chance(0.4) && !callSids.isEmpty() ? pick(callSids)
        : chance(0.8) ? "CA" + HexFormat.of().formatHex(longBytes()) + HexFormat.of().formatHex(longBytes()) : anyText();
  }

  static byte[] longBytes() {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return bytes;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // --- Twilio ---

  static final List<String> TWILIO_PATHS = List.of("voice", "dial", "status", "recording", "callback", "gather", "connect", "when",
      "feedback", "sms");

  static Case twilioCase() {
    String path = "/twilio/" + pick(TWILIO_PATHS);
    List<Map.Entry<String, String>> params = twilioParams(path);
    String query = twilioQuery(path);
    String target = path + query;
    for (int i = random.nextInt(4); i > 0; i--) {
      mutateParams(params);
    }
    if (chance(0.01)) {
      for (int i = 0; i < 300; i++) {
        params.add(Map.entry("F" + i, "v"));
      }
    }
    if (chance(0.03)) {
      // Near and over the 64 KiB limit.
      params.add(Map.entry("Padding", "p".repeat(64 * 1024 - 600 + random.nextInt(1200))));
    }
    Charset charset = chance(0.05) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
    byte[] body = params.stream()
        .map(p -> URLEncoder.encode(p.getKey(), charset) + "=" + URLEncoder.encode(p.getValue(), charset))
        .collect(Collectors.joining("&")).getBytes(StandardCharsets.ISO_8859_1);
    if (chance(0.15)) {
      body = mangle(body);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    String type = chance(0.85) ? pick(List.of("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8"))
        : pick(List.of("", "application/json", "text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded; charset=iso-8859-1",
            "APPLICATION/X-WWW-FORM-URLENCODED", "application/x-www-form-urlencodedx"));
    if (!type.isEmpty()) {
      headers.add(Map.entry("Content-Type", type));
    }
    double sign = random.nextDouble();
    if (sign < 0.75) {
      headers.add(Map.entry("X-Twilio-Signature", TwilioSigner.sign(RingbackServer.AUTH_TOKEN, PUBLIC_URL + target, params)));
    } else if (sign < 0.85) {
      // As the server reads a repeated parameter: its first value.
      Map<String, String> first = new java.util.LinkedHashMap<>();
      params.forEach(p -> first.putIfAbsent(p.getKey(), p.getValue()));
      headers.add(Map.entry("X-Twilio-Signature", TwilioSigner.sign(RingbackServer.AUTH_TOKEN, PUBLIC_URL + target,
          new ArrayList<>(first.entrySet()))));
    } else if (sign < 0.9) {
      headers.add(Map.entry("X-Twilio-Signature", TwilioSigner.sign("not-the-auth-token", PUBLIC_URL + target, params)));
    } else if (sign < 0.95) {
      headers.add(Map.entry("X-Twilio-Signature", pick(List.of("", "x", "====", "A".repeat(500), "é"))));
    }
    return new Case("POST", target, headers, body);
  }

  static String twilioQuery(String path) {
    String query = switch (path) {
      case "/twilio/callback", "/twilio/gather" -> "?callback=" + id();
      case "/twilio/dial" -> pick(List.of("", "", "?callback=" + id(), "?nobody=available", "?DialCallStatus=no-answer"));
      case "/twilio/status" -> chance(0.3) ? "?callback=" + id() : "";
      case "/twilio/connect" -> "?task=" + id() + "&agent=" + id() + (chance(0.3) ? "&ended=1" : "");
      case "/twilio/when" -> pick(List.of("", "?step=offer", "?step=day", "?step=time&day=" + pick(List.of("1", "2", "3", "4", "x")),
          "?step=time&day=2&retry=1", "?step=" + encode(nasty())));
      default -> "";
    };
    if (chance(0.1)) {
      query += (query.isEmpty() ? "?" : "&") + pick(List.of("callback=1&callback=2", "%zz=1", "x=%E9", "a=\u00ff", "step=", "callback="
          + encode(nasty())));
    }
    return query;
  }

  static List<Map.Entry<String, String>> twilioParams(String path) {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("AccountSid", RingbackServer.ACCOUNT_SID));
    p.add(Map.entry("CallSid", callSid()));
    p.add(Map.entry("From", chance(0.2) ? pick(List.of(LINE_NUMBER, SUPPORT_NUMBER)) : phone()));
    p.add(Map.entry("To", chance(0.7) ? pick(List.of(LINE_NUMBER, SUPPORT_NUMBER, "+1 415 555 0100")) : phone()));
    switch (path) {
      case "/twilio/voice" -> {
        p.add(Map.entry("CallStatus", "ringing"));
        p.add(Map.entry("Direction", "inbound"));
        p.add(Map.entry("ApiVersion", "2010-04-01"));
      }
      case "/twilio/dial", "/twilio/connect" -> {
        p.add(Map.entry("DialCallStatus", pick(List.of("no-answer", "busy", "failed", "completed", "answered", "canceled", "", "x"))));
        p.add(Map.entry("DialCallSid", callSid()));
      }
      case "/twilio/status" -> {
        if (chance(0.5)) {
          p.add(Map.entry("ParentCallSid", callSid()));
        }
        p.add(Map.entry("CallStatus", pick(List.of("initiated", "ringing", "in-progress", "answered", "completed", "busy", "no-answer",
            "failed", "canceled", "queued", "Ringing", "", "x"))));
        p.add(Map.entry("Timestamp", chance(0.8) ? RFC_1123.format(NOW.minusSeconds(random.nextInt(100))) : anyText()));
        p.add(Map.entry("SequenceNumber", chance(0.8) ? Integer.toString(random.nextInt(6)) : anyText()));
        p.add(Map.entry("Direction", pick(List.of("inbound", "outbound-dial", "outbound-api", "x"))));
        p.add(Map.entry("CallDuration", chance(0.8) ? Integer.toString(random.nextInt(100)) : anyText()));
        if (chance(0.3)) {
          p.add(Map.entry("AnsweredBy", pick(List.of("human", "machine_start", "fax", "unknown", "x"))));
        }
        if (chance(0.3)) {
          p.set(3, Map.entry("To", pick(List.of(RingbackServer.AGENT_NUMBER, RingbackServer.AGENT_SIP, "+14155550131", "sip:;;;"))));
        }
      }
      case "/twilio/recording" -> {
        p.add(Map.entry("RecordingUrl", pick(List.of("https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Recordings/RE00000000000000000000000000000001", "javascript:alert(1)",
            "http://" + "a".repeat(600), "", "ftp://x", "https://x/" + nasty()))));
        if (chance(0.5)) {
          p.add(Map.entry("RecordingStatus", pick(List.of("completed", "failed", "absent", "x"))));
        }
        p.add(Map.entry("RecordingDuration", Integer.toString(random.nextInt(200))));
      }
      case "/twilio/callback" -> p.add(Map.entry("AnsweredBy", pick(List.of("human", "machine_end_beep", "unknown", "", "x"))));
      case "/twilio/sms" -> {
        p.add(Map.entry("MessageSid", "SM" + Long.toHexString(random.nextLong())));
        p.add(Map.entry("Body", pick(List.of("5", "1", "4 thanks", "10", "", "great", anyText()))));
      }
      case "/twilio/gather", "/twilio/when", "/twilio/feedback" -> p.add(Map.entry("Digits", pick(List.of("1", "2", "3", "9", "0", "", "#", "1".repeat(100),
          "1230", "0900", "2400", "1199", "x", "ab12"))));
      default -> { }
    }
    return p;
  }

  static void mutateParams(List<Map.Entry<String, String>> params) {
    if (params.isEmpty()) {
      return;
    }
    int at = random.nextInt(params.size());
    switch (random.nextInt(5)) {
      case 0 -> params.set(at, Map.entry(params.get(at).getKey(), anyText()));
      case 1 -> params.remove(at);
      case 2 -> params.add(Map.entry(params.get(at).getKey(), anyText()));
      case 3 -> params.add(Map.entry(chance(0.5) ? anyText() : "Unknown", anyText()));
      default -> params.set(at, Map.entry(params.get(at).getKey(), ""));
    }
  }

  /** Damages encoded bytes: truncated, invalid escapes, raw bytes that are not UTF-8. */
  static byte[] mangle(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = body.length == 0 ? 0 : random.nextInt(body.length + 1);
    switch (random.nextInt(6)) {
      case 0 -> out.write(body, 0, at);
      case 1 -> {
        out.write(body, 0, at);
        out.writeBytes(pick(List.of("%zz", "%", "%E9", "%C3%28", "%F0%9F", "%00", "&&&=", "==", ";")).getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, at, body.length - at);
      }
      case 2 -> {
        out.write(body, 0, at);
        out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, 0});
        out.write(body, at, body.length - at);
      }
      case 3 -> {
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes(body);
      }
      case 4 -> {
        byte[] noise = new byte[1 + random.nextInt(64)];
        random.nextBytes(noise);
        out.writeBytes(noise);
      }
      default -> out.writeBytes(new String(body, StandardCharsets.ISO_8859_1).replace('&', ';').getBytes(StandardCharsets.ISO_8859_1));
    }
    return out.toByteArray();
  }

  // --- orders ---

  static final List<String> ORDER_SOURCES = List.of("/orders", "/orders/shopify", "/orders/woocommerce");
  static final JsonObject SHOPIFY = new JsonObject(new String(ShopSigner.fixture("shopify-orders-create.json"), StandardCharsets.UTF_8));
  static final JsonObject WOOCOMMERCE = new JsonObject(new String(ShopSigner.fixture("woocommerce-order-created.json"), StandardCharsets.UTF_8));

  static Case orderCase() {
    String path = pick(ORDER_SOURCES);
    String target = path + (chance(0.1) ? "?line=" + encode(pick(List.of("main", "support", "nope", nasty()))) : "");
    JsonObject order = switch (path) {
      case "/orders/shopify" -> SHOPIFY.copy().put("id", orderId());
      case "/orders/woocommerce" -> WOOCOMMERCE.copy().put("id", orderId());
      default -> new JsonObject().put("order_id", orderId()).put("phone", phone()).put("name", chance(0.2) ? NAME_MARKER : anyText())
          .put("total", "19.99").put("currency", "USD").put("items", 2);
    };
    if (!path.equals("/orders") && chance(0.5)) {
      // The buyer's phone, where each shop keeps it.
      JsonObject address = order.getJsonObject(path.endsWith("shopify") ? "shipping_address" : "billing");
      address.put("phone", phone());
    }
    for (int i = random.nextInt(4); i > 0; i--) {
      mutateJson(order, path.equals("/orders")
          ? List.of("order_id", "phone", "name", "total", "currency", "items", "line", "number", "country", "call_at")
          : List.of("id", "name", "phone", "total_price", "currency", "line_items", "customer", "billing_address", "shipping_address",
              "billing", "shipping", "total", "number", "date_created_gmt", "created_at"));
    }
    byte[] body = order.encode().getBytes(StandardCharsets.UTF_8);
    if (chance(0.2)) {
      body = mangleJson(body);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (chance(0.9)) {
      headers.add(Map.entry("Content-Type", chance(0.9) ? "application/json" : pick(List.of("text/plain", "application/x-www-form-urlencoded",
          "application/jsonx", "APPLICATION/JSON; charset=utf-8"))));
    }
    String header = switch (path) {
      case "/orders/shopify" -> "X-Shopify-Hmac-Sha256";
      case "/orders/woocommerce" -> "X-WC-Webhook-Signature";
      default -> "X-Ringback-Signature";
    };
    double sign = random.nextDouble();
    String signature = path.equals("/orders") ? ShopSigner.generic(SECRET, body) : ShopSigner.base64(SECRET, body);
    if (sign < 0.8) {
      headers.add(Map.entry(header, signature));
    } else if (sign < 0.85) {
      headers.add(Map.entry(header, path.equals("/orders") ? ShopSigner.base64(SECRET, body) : ShopSigner.generic(SECRET, body)));
    } else if (sign < 0.9) {
      headers.add(Map.entry(header, signature.substring(0, signature.length() - 2) + "AA"));
    } else if (sign < 0.95) {
      headers.add(Map.entry(header, pick(List.of("", "sha256=", "sha256=zz", "====", "A".repeat(500), "sha1=abc"))));
    }
    if (path.equals("/orders/shopify") && chance(0.7)) {
      headers.add(Map.entry("X-Shopify-Topic", chance(0.8) ? "orders/create" : pick(List.of("orders/updated", "", "x"))));
    }
    if (path.equals("/orders/woocommerce") && chance(0.7)) {
      headers.add(Map.entry("X-WC-Webhook-Topic", chance(0.8) ? "order.created" : pick(List.of("order.updated", "", "x"))));
    }
    return new Case("POST", target, headers, body);
  }

  static Object orderId() {
    return chance(0.3) ? (Object) (long) random.nextInt(50) : chance(0.8) ? "fuzz-" + random.nextInt(1_000_000) : randomJson();
  }

  static Object randomJson() {
    return switch (random.nextInt(9)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> pick(List.of(Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0L, 3L));
      case 3 -> pick(List.of(1.5, -0.0, 1e300, 19.999));
      case 4 -> new JsonArray().add(anyText()).add(1);
      case 5 -> new JsonObject().put("x", anyText());
      case 6 -> phone();
      default -> anyText();
    };
  }

  static void mutateJson(JsonObject body, List<String> fields) {
    String field = chance(0.9) ? pick(fields) : anyText();
    switch (random.nextInt(4)) {
      case 0 -> body.remove(field);
      case 1 -> body.put(field, anyText());
      default -> body.put(field, randomJson());
    }
  }

  static byte[] mangleJson(byte[] body) {
    return switch (random.nextInt(10)) {
      case 8 -> {
        // Numbers no Java type holds.
        String number = pick(List.of("1e999999", "-1e999999", "123456789012345678901234567890", "0.0000000000000000000001", "-0", "1E+2"));
        yield new String(body, StandardCharsets.UTF_8).replaceAll(":(\"[^\"]*\"|-?[0-9.]+)", ":" + number)
            .getBytes(StandardCharsets.UTF_8);
      }
      case 0 -> java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
      case 1 -> ("[" + new String(body, StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
      case 2 -> pick(List.of("", "null", "\"str\"", "42", "[]", "{", "}", "{\"a\":}", "{'a':1}")).getBytes(StandardCharsets.UTF_8);
      case 3 -> ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
      case 4 -> (new String(body, StandardCharsets.UTF_8) + "garbage").getBytes(StandardCharsets.UTF_8);
      case 5 -> {
        String text = new String(body, StandardCharsets.UTF_8);
        yield ("{\"pad\":\"" + "p".repeat(64 * 1024 - 600 + random.nextInt(1200)) + "\"," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
      }
      case 6 -> {
        String text = new String(body, StandardCharsets.UTF_8);
        // The same key twice.
        yield text.replaceFirst("\\{", "{\"phone\":\"+14155550123\",\"order_id\":\"dup\",").getBytes(StandardCharsets.UTF_8);
      }
      default -> mangle(body);
    };
  }

  // --- the API ---

  record Route(String method, String template, String body) {}

  static final List<Route> ROUTES = List.of(
      new Route("GET", "/api/customers", null),
      new Route("POST", "/api/customers", "customer"),
      new Route("POST", "/api/customers/import", "csv"),
      new Route("GET", "/api/customers/import/sample.csv", null),
      new Route("GET", "/api/customers/{phone}", null),
      new Route("GET", "/api/customers/{phone}/timeline", null),
      new Route("PUT", "/api/customers/{phone}/do-not-call", "dnc"),
      new Route("PUT", "/api/customers/{phone}", "customer"),
      new Route("DELETE", "/api/customers/{phone}", null),
      new Route("GET", "/api/callbacks", null),
      new Route("POST", "/api/callbacks", "callback"),
      new Route("GET", "/api/callbacks/{id}", null),
      new Route("POST", "/api/callbacks/{id}/cancel", null),
      new Route("GET", "/api/callbacks/{id}/recording", null),
      new Route("GET", "/api/calls/{callSid}/recording", null),
      new Route("GET", "/api/agents", null),
      new Route("POST", "/api/agents", "agent"),
      new Route("GET", "/api/agents/{agent}", null),
      new Route("PUT", "/api/agents/{agent}", "agent"),
      new Route("DELETE", "/api/agents/{agent}", null),
      new Route("POST", "/api/agents/{agent}/token", null),
      new Route("PUT", "/api/agents/{agent}/presence", "presence"),
      new Route("GET", "/api/tasks", null),
      new Route("POST", "/api/tasks", "task"),
      new Route("POST", "/api/tasks/next", null),
      new Route("GET", "/api/tasks/{id}", null),
      new Route("POST", "/api/tasks/{id}/claim", null),
      new Route("POST", "/api/tasks/{id}/renew", null),
      new Route("POST", "/api/tasks/{id}/release", null),
      new Route("POST", "/api/tasks/{id}/call", null),
      new Route("POST", "/api/tasks/{id}/complete", "complete"),
      new Route("GET", "/api/lines", null),
      new Route("GET", "/api/lines/{line}/hours", null),
      new Route("PUT", "/api/lines/{line}/hours", "hours"),
      new Route("DELETE", "/api/lines/{line}/hours", null),
      new Route("GET", "/api/reports/agents", null),
      new Route("GET", "/api/reports/lines", null),
      new Route("GET", "/api/events", null));

  static final Map<String, List<String>> QUERIES = Map.of(
      "/api/customers", List.of("limit", "cursor"),
      "/api/customers/{phone}/timeline", List.of("limit", "cursor"),
      "/api/callbacks", List.of("state", "trigger", "phone", "line", "from", "to", "limit", "cursor"),
      "/api/tasks", List.of("limit"),
      "/api/reports/agents", List.of("from", "to", "tz"),
      "/api/reports/lines", List.of("from", "to", "tz"));

  static Case apiCase() {
    Route route = pick(ROUTES);
    boolean admin = chance(0.7);
    boolean events = route.template().equals("/api/events");
    String authorization;
    if (events) {
      // A valid token opens a stream that never ends; only the gate is fuzzed here.
      authorization = pick(List.of("", "Bearer", "Bearer x", "Basic " + RingbackServer.API_TOKEN, "Bearer " + nasty()));
    } else if (admin) {
      authorization = "Bearer " + RingbackServer.API_TOKEN;
    } else if (chance(0.7)) {
      authorization = "Bearer " + pick(agentTokens);
    } else {
      authorization = pick(List.of("", "Bearer", "Bearer ", "Bearer x", "bearer " + RingbackServer.API_TOKEN + "x", "Basic dXNlcjpwYXNz",
          "Bearer " + RingbackServer.API_TOKEN.substring(1), "Bearer " + encode(nasty())));
    }
    String path = route.template()
        .replace("{phone}", encode(phone()))
        .replace("{id}", encode(id()))
        .replace("{callSid}", encode(callSid()))
        .replace("{line}", encode(pick(List.of("main", "support", "nope", nasty()))))
        .replace("{agent}", encode(agentId(route.method(), admin)));
    StringBuilder query = new StringBuilder();
    for (String param : QUERIES.getOrDefault(route.template(), List.of())) {
      if (chance(0.3)) {
        query.append(query.length() == 0 ? '?' : '&').append(param).append('=').append(encode(queryValue(param)));
      }
    }
    if (chance(0.05)) {
      query.append(query.length() == 0 ? '?' : '&').append(pick(List.of("limit=1&limit=2", "%zz", "x=\u00ff", "cursor=%E9", "unknown=1")));
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (!authorization.isEmpty()) {
      headers.add(Map.entry("Authorization", authorization));
    }
    byte[] body = null;
    if (route.body() != null) {
      boolean csv = route.body().equals("csv");
      body = csv ? csvBody() : jsonBody(route.body());
      if (!csv && chance(0.15)) {
        body = mangleJson(body);
      }
      String expected = csv ? "text/csv" : "application/json";
      if (chance(0.92)) {
        headers.add(Map.entry("Content-Type", chance(0.9) ? expected : pick(List.of("text/plain", "application/x-www-form-urlencoded",
            expected + "; charset=utf-8", expected + "; charset=iso-8859-1", "multipart/form-data"))));
      }
    } else if (chance(0.1)) {
      body = jsonBody("customer");
      headers.add(Map.entry("Content-Type", "application/json"));
    }
    return new Case(route.method(), path + query, headers, body);
  }

  /** Agents the fuzz works as are never deleted, re-keyed or changed by it; anyone else is fair game. */
  static String agentId(String method, boolean admin) {
    boolean destructive = !method.equals("GET") && admin;
    List<String> choices = new ArrayList<>(List.of("me", "0", "-1", "999999", "x", "9999999999999999999999"));
    knownIds.stream().filter(id -> !destructive || !reservedAgentIds.contains(id))
        .forEach(id -> choices.add(Long.toString(id)));
    if (!destructive) {
      reservedAgentIds.forEach(r -> choices.add(Long.toString(r)));
    }
    return pick(choices);
  }

  static String queryValue(String param) {
    return switch (param) {
      case "limit" -> pick(List.of("1", "50", "500", "501", "0", "-1", "x", "99999999999", ""));
      case "cursor" -> chance(0.5) ? pick(List.of("0", "-1", "x", "", "MjAyNi0xMS0yM1QxODowNTowMFp8Y2FsbHwx", "AAAA")) : anyText();
      case "state" -> pick(List.of("scheduled", "dialing", "agent_queue", "done", "x", ""));
      case "trigger" -> pick(List.of("missed", "order", "manual", "x", ""));
      case "phone" -> phone();
      case "line" -> pick(List.of("main", "support", "nope", ""));
      case "from", "to" -> pick(List.of("2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", "2026-13-01T00:00:00Z", "yesterday", "",
          "2026-11-23", "2026-11-23T09:00", "+999999999-12-31", "-999999999-01-01T00:00"));
      case "tz" -> pick(List.of("Europe/Berlin", "UTC", "Mars/Base", "+18:00", "GMT+25", "", anyText()));
      default -> anyText();
    };
  }

  static byte[] jsonBody(String kind) {
    JsonObject body;
    List<String> fields;
    switch (kind) {
      case "customer" -> {
        body = new JsonObject().put("phone", phone()).put("name", chance(0.2) ? NAME_MARKER : anyText())
            .put("tier", pick(List.of("standard", "vip", "gold", ""))).put("language", pick(List.of("en-US", "de", "xx-", "")))
            .put("time_zone", pick(List.of("Europe/Berlin", "Mars/Olympus", ""))).put("notes", anyText());
        fields = List.of("phone", "name", "tier", "language", "time_zone", "notes", "id", "created_at");
      }
      case "dnc" -> {
        body = new JsonObject().put("do_not_call", random.nextBoolean()).put("reason", anyText());
        fields = List.of("do_not_call", "reason");
      }
      case "callback" -> {
        body = new JsonObject().put("phone", phone()).put("line", pick(List.of("main", "support", "nope")))
            .put("due_at", pick(List.of("2026-11-24T10:00:00Z", "2026-11-23T18:10:00+01:00", "2030-01-01T00:00:00Z", "soon")));
        fields = List.of("phone", "line", "due_at");
      }
      case "agent" -> {
        body = new JsonObject().put("name", anyText()).put("contact", chance(0.3) ? "sip:" + encode(anyText()) + "@x.example" : phone())
            .put("lines", new JsonArray().add(pick(List.of("main", "support", "nope"))));
        fields = List.of("name", "contact", "lines");
      }
      case "presence" -> {
        body = new JsonObject().put("presence", pick(List.of("available", "busy", "offline", "asleep", "")));
        fields = List.of("presence");
      }
      case "hours" -> {
        body = new JsonObject().put("week", new JsonObject().put(pick(List.of("mon", "tue", "sun", "monday", "")),
                new JsonArray().add(pick(List.of("09:00-17:00", "00:00-24:00", "17:00-09:00", "9-5", "")))))
            .put("closed", new JsonArray().add(pick(List.of("2026-12-25", "2026-02-30", "christmas", ""))));
        fields = List.of("week", "closed");
      }
      case "task" -> {
        body = new JsonObject().put("phone", phone()).put("line", pick(List.of("main", "support", "nope")));
        fields = List.of("phone", "line");
      }
      default -> {
        body = new JsonObject().put("outcome", pick(List.of("reached", "no_answer", "wrong_number", "resolved_other_way", "called")))
            .put("note", anyText());
        if (chance(0.3)) {
          body.put("retry_at", pick(List.of("2026-11-24T10:00:00Z", "2099-01-01T00:00:00+01:00", "+999999999-12-31T23:59:59Z",
              "2026-11-24T10:00", "soon", "")));
        }
        fields = List.of("outcome", "note", "retry_at");
      }
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      mutateJson(body, fields);
    }
    return body.encode().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] csvBody() {
    List<String> columns = new ArrayList<>(List.of("phone", "name", "tier", "language", "time_zone", "notes"));
    if (chance(0.1)) {
      columns.add(pick(List.of("email", "", "phone", nasty())));
    }
    if (chance(0.1)) {
      columns.remove("phone");
    }
    StringBuilder csv = new StringBuilder(chance(0.05) ? "\uFEFF" : "").append(String.join(",", columns)).append(chance(0.2) ? "\r\n" : "\n");
    for (int row = random.nextInt(6); row > 0; row--) {
      List<String> cells = new ArrayList<>();
      for (String column : columns) {
        String value = column.equals("phone") ? phone() : column.equals("tier") ? pick(List.of("vip", "standard", "x")) : anyText();
        cells.add(chance(0.5) ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
      }
      if (chance(0.1)) {
        cells.add("extra");
      }
      csv.append(String.join(",", cells)).append('\n');
    }
    if (chance(0.1)) {
      csv.append("\"unbalanced,quote\n");
    }
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    return chance(0.1) ? mangle(bytes) : bytes;
  }

  // --- anything else ---

  static Case strayCase() {
    String method = pick(List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"));
    String path = pick(List.of("/", "/health", "/metrics", "/openapi.yaml", "/console", "/console/", "/console/index.html",
        "/console/../../../etc/passwd", "/console/%2e%2e/%2e%2e/etc/passwd", "/api", "/api/", "//api//customers", "/api/customers/%00",
        "/%ff%fe", "/twilio", "/orders/", "/orders/unknown", "/api/customers/%2B14155550123/x/y", "/api/tasks/1/claim/", "/\u00ff",
        "/api/customers?limit=%", "/" + encode(nasty()), "/api/" + "a".repeat(5000)));
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (chance(0.5)) {
      headers.add(Map.entry("Authorization", "Bearer " + RingbackServer.API_TOKEN));
    }
    if (chance(0.1)) {
      headers.add(Map.entry("Authorization", pick(List.of("Bearer x", "Bearer " + RingbackServer.API_TOKEN))));
    }
    if (chance(0.05)) {
      headers.add(Map.entry("X-Big", "b".repeat(9000)));
    }
    byte[] body = null;
    if (chance(0.4)) {
      body = jsonBody("customer");
      for (int i = chance(0.1) ? 2 : 1; i > 0; i--) {
        headers.add(Map.entry("Content-Type", pick(List.of("application/json", "text/csv", "application/x-www-form-urlencoded",
            "application/json; charset=\"utf-8\"; boundary=", "multipart/form-data; boundary=----x"))));
      }
      if (chance(0.2)) {
        // Chunked: the same bytes, or a chunk size that is not hex.
        headers.add(Map.entry("Transfer-Encoding", "chunked"));
        String chunk = Integer.toHexString(body.length) + "\r\n" + new String(body, StandardCharsets.ISO_8859_1) + "\r\n";
        boolean framed = chance(0.8);
        body = (framed ? chunk + "0\r\n\r\n" : chunk + "zz\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return new Case(method, path, headers, body, framed);
      }
    }
    return new Case(method, path, headers, body);
  }
}
