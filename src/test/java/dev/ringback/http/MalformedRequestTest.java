package dev.ringback.http;

import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RawHttp;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests the hostile-input fuzz (HostileInputTest) found answered with a 500 or not at all:
 * each now gets a 4xx with a JSON error (TwiML on /twilio/*) and changes nothing.
 */
class MalformedRequestTest {
  static final String SECRET = "malformed-shop-secret-0123";
  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, "http://127.0.0.1:9"));
    env.put("RINGBACK_ORDER_SECRET", SECRET);
    server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static RawHttp.Response send(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
    return RawHttp.send(server.ringback().port(), method, target, headers, body);
  }

  static String jsonError(RawHttp.Response response) {
    assertThat(response.header("Content-Type")).as(response.text()).startsWith("application/json");
    return new JsonObject(response.text()).getString("error");
  }

  static RawHttp.Response signedForm(String pathAndQuery, List<Map.Entry<String, String>> params) {
    String signature = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, RingbackServer.PUBLIC_URL + pathAndQuery, params);
    return send("POST", pathAndQuery, List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded"),
        Map.entry("X-Twilio-Signature", signature)), RingbackServer.form(params).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMalformedEscapeInTheQueryOfAFormIs400NotAHangingRequest() {
    // The body handler decoded the query to merge the form into it, threw, and never answered.
    var params = RingbackServer.pairs("CallSid", "CAmalformed01", "From", "+14155550123", "To", LINE_NUMBER);
    RawHttp.Response response = signedForm("/twilio/voice?x=%zz", params);
    assertThat(response.status()).isEqualTo(400);
    assertThat(Xml.childNames(Xml.parse(response.text()))).contains("Hangup");
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAmalformed01'")).isZero();

    RawHttp.Response api = send("GET", "/api/customers?limit=%", List.of(Map.entry("Authorization", "Bearer " + RingbackServer.API_TOKEN)),
        null);
    assertThat(api.status()).isEqualTo(400);
    assertThat(jsonError(api)).contains("query");
  }

  @Test
  void aFormFieldOver8KiBWithinTheBodyLimitIsAccepted() {
    // Vert.x caps a form field at 8 KiB by default and the overflow surfaced as a 500.
    var params = RingbackServer.pairs("CallSid", "CAlongfield01", "From", "+14155550124", "To", LINE_NUMBER,
        "CallerName", "n".repeat(20_000));
    RawHttp.Response response = signedForm("/twilio/voice", params);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAlongfield01'")).isEqualTo(1);
  }

  @Test
  void aGetWithAFormContentTypeIsNot500() {
    // The body handler asked Vert.x to decode a form on a GET, which it refuses by throwing.
    RawHttp.Response response = send("GET", "/api/customers", List.of(Map.entry("Authorization", "Bearer " + RingbackServer.API_TOKEN),
        Map.entry("Content-Type", "application/x-www-form-urlencoded")), "a=b".getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).isEqualTo(200);
    RawHttp.Response options = send("OPTIONS", "/api/customers", List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")),
        "a=b".getBytes(StandardCharsets.UTF_8));
    assertThat(options.status()).isEqualTo(401);
    assertThat(jsonError(options)).isNotBlank();
    // Bodies are read for POST, PUT, PATCH and DELETE only; an unknown path is still a 404 for every method.
    for (String method : List.of("GET", "POST", "DELETE", "OPTIONS")) {
      RawHttp.Response unknown = send(method, "/no/such/path", List.of(), null);
      assertThat(unknown.status()).as(method).isEqualTo(404);
      assertThat(jsonError(unknown)).contains("no such resource");
    }
  }

  @Test
  void requestsNettyCannotParseGetAJsonError() {
    RawHttp.Response longLine = send("GET", "/api/" + "a".repeat(5000), List.of(), null);
    assertThat(longLine.status()).isEqualTo(414);
    assertThat(jsonError(longLine)).isNotBlank();
    RawHttp.Response bigHeaders = send("GET", "/health", List.of(Map.entry("X-Big", "b".repeat(9000))), null);
    assertThat(bigHeaders.status()).isEqualTo(431);
    assertThat(jsonError(bigHeaders)).isNotBlank();
    RawHttp.Response spaceInTarget = send("GET", "/api/customers/ 1", List.of(), null);
    assertThat(spaceInTarget.status()).isEqualTo(400);
    assertThat(jsonError(spaceInTarget)).isNotBlank();
  }

  @Test
  void anEmptyCsvImportIs400() {
    // An empty body reads as null, and the CSV reader was handed that null.
    RawHttp.Response response = send("POST", "/api/customers/import", List.of(Map.entry("Authorization", "Bearer " + RingbackServer.API_TOKEN),
        Map.entry("Content-Type", "text/csv")), new byte[0]);
    assertThat(response.status()).isEqualTo(400);
    assertThat(jsonError(response)).isEqualTo("empty file");
  }

  @Test
  void aNulCharacterIs400AndStoresNothing() {
    // PostgreSQL refuses NUL in text (22021); that was a 500.
    byte[] order = "{\"order_id\":\"nul-1\",\"phone\":\"+14155550125\",\"name\":\"An\\u0000n\"}".getBytes(StandardCharsets.UTF_8);
    RawHttp.Response response = send("POST", "/orders", List.of(Map.entry("Content-Type", "application/json"),
        Map.entry("X-Ringback-Signature", ShopSigner.generic(SECRET, order))), order);
    assertThat(response.status()).isEqualTo(400);
    assertThat(jsonError(response)).contains("NUL");
    assertThat(db.count("SELECT count(*) FROM orders")).isZero();
    assertThat(db.count("SELECT count(*) FROM callbacks")).isZero();

    var params = RingbackServer.pairs("CallSid", "CAnul0001", "CallStatus", "completed", "From", "+1415555\u00000125", "To", LINE_NUMBER);
    RawHttp.Response status = signedForm("/twilio/status", params);
    assertThat(status.status()).isEqualTo(400);
    assertThat(Xml.childNames(Xml.parse(status.text()))).contains("Hangup");
    assertThat(db.count("SELECT count(*) FROM call_events WHERE call_sid = 'CAnul0001'")).isZero();
  }

  @Test
  void theBareTwilioPathAnswersTwimlLikeTheRestOfIt() {
    // "/twilio/*" covers "/twilio" too; its 404 came back as JSON while its other failures were TwiML.
    var params = RingbackServer.pairs("CallSid", "CAbare0001");
    RawHttp.Response response = signedForm("/twilio", params);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("Content-Type")).startsWith("text/xml");
    Xml.parse(response.text());
  }
}
