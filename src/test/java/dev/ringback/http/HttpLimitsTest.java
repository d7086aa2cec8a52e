package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RawHttp;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a stranger's requests may cost: nothing is read of a body before its sender is known to
 * be allowed to send it, the bodies held in memory at once have a ceiling, and a stalled upload
 * or an idle connection is cut off. Every answer carries the security headers.
 */
class HttpLimitsTest {
  static final int BUDGET = 65536;
  static final String YAML = """
      http:
        max-body-bytes: 65536
        max-buffered-bytes: 65536
        body-timeout-seconds: 2
        idle-timeout-seconds: 3
        max-concurrent-imports: 1
      orders:
        generic:
          secret: generic-shop-secret-0123456789
      """ + RingbackServer.LINES_YAML;

  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    server = RingbackServer.start(YAML, RingbackServer.environment(db, "http://127.0.0.1:9"), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  int port() {
    return server.ringback().port();
  }

  @Test
  void anUploadWithoutAValidTokenIsRefusedBeforeItsBodyIsRead() {
    for (String authorization : new String[] {null, "Bearer not-a-token"}) {
      List<Map.Entry<String, String>> headers = authorization == null ? List.of(Map.entry("Content-Type", "text/csv"))
          : List.of(Map.entry("Content-Type", "text/csv"), Map.entry("Authorization", authorization));
      try (RawHttp.Stalled upload = RawHttp.stall(port(), "POST", "/api/customers/import", headers, 10 * 1024 * 1024, 4096)) {
        RawHttp.Response answer = upload.answer(5000);
        assertThat(answer).as("answered and closed while 10 MB were still to come").isNotNull();
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("connection")).isEqualTo("close");
      }
    }
    // The same for a JSON body to any other route.
    try (RawHttp.Stalled put = RawHttp.stall(port(), "PUT", "/api/customers/%2B14155550100",
        List.of(Map.entry("Content-Type", "application/json")), 60000, 100)) {
      assertThat(put.answer(5000)).extracting(RawHttp.Response::status).isEqualTo(401);
    }
  }

  @Test
  void webhooksThatCannotBeGenuineAreRefusedBeforeTheirBodyIsRead() {
    try (RawHttp.Stalled unsigned = RawHttp.stall(port(), "POST", "/twilio/status",
        List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")), 60000, 100)) {
      RawHttp.Response answer = unsigned.answer(5000);
      assertThat(answer).as("Twilio signs every request: none may be read unsigned").isNotNull();
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.text()).contains("<Response>");
    }
    try (RawHttp.Stalled unsigned = RawHttp.stall(port(), "POST", "/orders",
        List.of(Map.entry("Content-Type", "application/json")), 60000, 100)) {
      assertThat(unsigned.answer(5000)).extracting(RawHttp.Response::status).isEqualTo(401);
    }
    try (RawHttp.Stalled disabled = RawHttp.stall(port(), "POST", "/orders/shopify",
        List.of(Map.entry("Content-Type", "application/json"), Map.entry("X-Shopify-Hmac-Sha256", "AAAA")), 60000, 100)) {
      assertThat(disabled.answer(5000)).extracting(RawHttp.Response::status).isEqualTo(404);
    }
  }

  @Test
  void bodiesBeyondWhatMemoryMayHoldAreRefusedAtOnceAndTheOthersStillServed() {
    List<Map.Entry<String, String>> form = List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded"),
        Map.entry("X-Twilio-Signature", "forged"));
    try (RawHttp.Stalled hog = RawHttp.stall(port(), "POST", "/twilio/status", form, 60000, 1000)) {
      RingbackServer.await("the stalled body to hold its room", Duration.ofSeconds(5), () ->
          server.metric("ringback_http_buffered_bytes") >= 60000);
      RawHttp.Response refused = RawHttp.send(port(), "POST", "/twilio/status", form, formOf(10000));
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("retry-after")).isEqualTo("1");
      // What fits beside it, and what has no body, is served.
      assertThat(server.get("/health").statusCode()).isEqualTo(200);
      HttpResponse<String> voice = server.twilio("/twilio/voice", "CallSid", "CAlimits01", "From", "+14155550177",
          "To", RingbackServer.LINE_NUMBER);
      assertThat(voice.statusCode()).isEqualTo(200);
    }
    RingbackServer.await("the room to be free once the stalled client is gone", Duration.ofSeconds(5), () ->
        RawHttp.send(port(), "POST", "/twilio/status", form, formOf(10000)).status() == 403);
  }

  @Test
  void aBodyThatStallsIsCutOffAndAnIdleConnectionClosed() {
    List<Map.Entry<String, String>> form = List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded"),
        Map.entry("X-Twilio-Signature", "forged"));
    try (RawHttp.Stalled slow = RawHttp.stall(port(), "POST", "/twilio/status", form, 5000, 100)) {
      RawHttp.Response answer = slow.answer(10_000);
      assertThat(answer).as("cut off after body-timeout-seconds").isNotNull();
      assertThat(answer.status()).isEqualTo(408);
    }
    try (RawHttp.Stalled idle = RawHttp.stall(port(), "GET", "/health", List.of(), 0, 0)) {
      assertThat(idle.answer(5000)).as("the health answer").isNotNull();
    }
    try (java.net.Socket silent = new java.net.Socket("127.0.0.1", port())) {
      silent.setSoTimeout(10_000);
      assertThat(silent.getInputStream().read()).as("closed after idle-timeout-seconds with nothing sent").isEqualTo(-1);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anAgentsTokenLetsABodyThrough() {
    var created = server.api("POST", "/api/agents", "application/json",
        "{\"name\":\"Limits Agent\",\"contact\":\"+14155550188\",\"lines\":[\"main\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String token = new JsonObject(created.body()).getString("token");
    // The agent's token is looked up in the database while the body waits unread.
    var saved = server.request("PUT", "/api/customers/%2B14155550189", "application/json", "{\"name\":\"Read After Lookup\"}",
        "Bearer " + token);
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
    assertThat(new JsonObject(saved.body()).getString("name")).isEqualTo("Read After Lookup");
  }

  @Test
  void aLargeImportIsStreamedInBatchesAndRepeatsAcrossBatchesAreFound() {
    StringBuilder csv = new StringBuilder("phone,name\n");
    int rows = 3000;
    for (int i = 0; i < rows; i++) {
      csv.append("+1415556").append(String.format("%04d", i)).append(",Customer ").append(i).append('\n');
    }
    // Line 2 holds the first customer; its number again after 2,000 rows lies in a later batch.
    csv.append("+14155560000,Again\n");
    csv.append("not a phone,Bad\n");
    var response = server.api("POST", "/api/customers/import", "text/csv", csv.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject result = new JsonObject(response.body());
    assertThat(result.getInteger("added")).isEqualTo(rows);
    assertThat(result.getLong("rejected_count")).isEqualTo(2);
    assertThat(result.getJsonArray("rejected").getJsonObject(0).getString("reason")).isEqualTo("phone +14155560000 is already on line 2");
    assertThat(result.getJsonArray("rejected").getJsonObject(0).getLong("line")).isEqualTo(rows + 2);
    assertThat(db.count("SELECT count(*) FROM customers WHERE name = 'Again'")).isZero();
    // Again on the same pool: the import's scratch table is gone with its transaction.
    var again = server.api("POST", "/api/customers/import", "text/csv", "phone,name\n+14155560001,Renamed\n");
    assertThat(new JsonObject(again.body()).getInteger("updated")).isEqualTo(1);
  }

  @Test
  void importsBeyondTheLimitWaitAndAnOversizedOneStoresNothing() {
    List<Map.Entry<String, String>> csv = List.of(Map.entry("Content-Type", "text/csv"),
        Map.entry("Authorization", "Bearer " + RingbackServer.API_TOKEN));
    byte[] head = "phone,name\n+14155557001,First\n".getBytes(StandardCharsets.UTF_8);
    RingbackServer.await("no request of another test in hand", Duration.ofSeconds(10), () -> server.metric("ringback_http_in_flight") == 0);
    try (RawHttp.Stalled first = RawHttp.stall(port(), "POST", "/api/customers/import", csv, head.length + 1000, 0)) {
      assertThat(first.send(head)).isTrue();
      // A new connection's request may be read after one sent later on an open connection: wait until the first is in hand.
      RingbackServer.await("the first import to be in hand", Duration.ofSeconds(5), () -> server.metric("ringback_http_in_flight") == 1);
      RingbackServer.await("a second import to be refused while the first runs", Duration.ofSeconds(5), () ->
          server.api("POST", "/api/customers/import", "text/csv", "phone\n+14155557002\n").statusCode() == 503);
    }
    RingbackServer.await("imports to run again once the first is gone", Duration.ofSeconds(10), () ->
        server.api("POST", "/api/customers/import", "text/csv", "phone\n+14155557003\n").statusCode() == 200);

    String big = "phone,name\n" + "+14155557004,".repeat(1) + "x".repeat(11 * 1024 * 1024) + "\n";
    RawHttp.Response tooBig = RawHttp.send(port(), "POST", "/api/customers/import",
        List.of(Map.entry("Content-Type", "text/csv"), Map.entry("Authorization", "Bearer " + RingbackServer.API_TOKEN),
            Map.entry("Transfer-Encoding", "chunked")), chunked(big.getBytes(StandardCharsets.UTF_8)));
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(db.count("SELECT count(*) FROM customers WHERE phone = '+14155557004'")).isZero();
  }

  @Test
  void pastCapacityARequestIsRefusedAtOnceAndHealthStillAnswers() {
    String yaml = "http:\n  max-in-flight: 2\n" + RingbackServer.LINES_YAML;
    try (RingbackServer small = RingbackServer.start(yaml, RingbackServer.environment(db, "http://127.0.0.1:9"), Clock.systemUTC())) {
      int port = small.ringback().port();
      List<Map.Entry<String, String>> form = List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded"),
          Map.entry("X-Twilio-Signature", "forged"));
      try (RawHttp.Stalled one = RawHttp.stall(port, "POST", "/twilio/status", form, 5000, 10);
           RawHttp.Stalled two = RawHttp.stall(port, "POST", "/twilio/status", form, 5000, 10)) {
        RingbackServer.await("two requests in flight", Duration.ofSeconds(5), () -> small.metric("ringback_http_in_flight") == 2);
        long start = System.nanoTime();
        var refused = small.api("GET", "/api/customers", null, null);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat((System.nanoTime() - start) / 1_000_000).as("refused at once").isLessThan(1000);
        assertThat(small.get("/health").statusCode()).isEqualTo(200);
      }
      RingbackServer.await("requests to be served again", Duration.ofSeconds(10),
          () -> small.api("GET", "/api/customers", null, null).statusCode() == 200);
    }
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    List<HttpResponse<String>> answers = List.of(
        server.api("GET", "/api/customers", null, null),
        server.request("GET", "/api/customers", null, null, null),
        server.get("/health"),
        server.get("/console/"),
        server.get("/nowhere"),
        server.twilio("/twilio/voice", "CallSid", "CAlimits02", "From", "+14155550177", "To", RingbackServer.LINE_NUMBER));
    for (HttpResponse<String> answer : answers) {
      var headers = answer.headers();
      assertThat(headers.firstValue("X-Content-Type-Options")).as(answer.uri().toString()).hasValue("nosniff");
      assertThat(headers.firstValue("X-Frame-Options")).as(answer.uri().toString()).hasValue("DENY");
      assertThat(headers.firstValue("Content-Security-Policy")).as(answer.uri().toString()).get().asString()
          .contains("frame-ancestors 'none'");
      assertThat(headers.firstValue("Cache-Control")).as(answer.uri().toString()).isPresent();
    }
    assertThat(server.api("GET", "/api/customers", null, null).headers().firstValue("Cache-Control")).hasValue("no-store");
    for (String page : List.of("/console/", "/admin/")) {
      var headers = server.get(page).headers();
      assertThat(headers.firstValue("Content-Security-Policy")).as(page).get().asString()
          .contains("script-src 'self'").contains("style-src 'self'").doesNotContain("unsafe-inline");
      assertThat(headers.firstValue("Cache-Control")).as(page).hasValue("no-cache");
    }
    // Only the pages load scripts: a path that merely begins like one is data.
    assertThat(server.get("/administrator").headers().firstValue("Content-Security-Policy")).hasValue(SecurityHeaders.DATA_POLICY);
  }

  @Test
  void publicHealthSaysOnlyHowItIsAndTheAdminSeesWhy() {
    JsonObject open = new JsonObject(server.get("/health").body());
    assertThat(open.fieldNames()).containsExactly("status");
    assertThat(open.getString("status")).isIn("up", "degraded");
    JsonObject detailed = new JsonObject(server.healthDetails().body());
    assertThat(detailed.getJsonObject("checks").getString("database")).isEqualTo("up");
    JsonObject wrongToken = new JsonObject(server.request("GET", "/health", null, null, "Bearer wrong").body());
    assertThat(wrongToken.fieldNames()).containsExactly("status");
  }

  /** A form body of this many bytes. */
  static byte[] formOf(int bytes) {
    return ("CallSid=" + "x".repeat(bytes - 8)).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] chunked(byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int size = 64 * 1024;
    for (int at = 0; at < body.length; at += size) {
      int n = Math.min(size, body.length - at);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }
}
