package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The set-up check and Connect against the Twilio stand-in's account and numbers. One server's
 * public URL is its own address, and its credentials are right; the other's credentials are
 * wrong and its public URL reaches nobody.
 */
class SetupTest {
  static TestDatabase db;
  static TestDatabase otherDb;
  static TwilioStandIn twilio;
  static RingbackServer server;
  static RingbackServer misconfigured;
  static String publicUrl;
  static String mainSid;

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create();
    otherDb = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    mainSid = twilio.addNumber(RingbackServer.ACCOUNT_SID, RingbackServer.LINE_NUMBER);
    twilio.configureNumber(mainSid, new JsonObject().put("voice_url", "https://old-host.example.com/voice")
        .put("voice_application_sid", "AP0123456789abcdef0123456789abcdef"));
    int port = freePort();
    publicUrl = "http://127.0.0.1:" + port;
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, twilio.baseUrl()));
    env.put("RINGBACK_HTTP_PORT", Integer.toString(port));
    env.put("RINGBACK_PUBLIC_URL", publicUrl);
    server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC());

    Map<String, String> wrong = new HashMap<>(RingbackServer.environment(otherDb, twilio.baseUrl()));
    wrong.put("TWILIO_AUTH_TOKEN", "ffffffffffffffffffffffffffffffff");
    wrong.put("RINGBACK_PUBLIC_URL", "http://127.0.0.1:" + freePort());
    misconfigured = RingbackServer.start(RingbackServer.LINES_YAML, wrong, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
    misconfigured.close();
    twilio.close();
  }

  static JsonObject get(RingbackServer on, String path) {
    var response = on.api("GET", path, null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static JsonObject line(JsonObject setup, String id) {
    return setup.getJsonArray("lines").stream().map(JsonObject.class::cast).filter(l -> id.equals(l.getString("line"))).findFirst()
        .orElseThrow();
  }

  @Test
  void aNumberPointingElsewhereIsRedThenConnectedAndGreen() {
    JsonObject before = get(server, "/api/setup");
    assertThat(before.getJsonObject("credentials").getString("result")).isEqualTo("pass");
    assertThat(before.getJsonObject("public_url").getString("result")).isEqualTo("pass");
    assertThat(before.getJsonObject("public_url").getString("detail")).endsWith("reaches this server");
    JsonObject main = line(before, "main");
    assertThat(main.getJsonObject("number_in_account").getString("result")).isEqualTo("pass");
    assertThat(main.getString("number_sid")).isEqualTo(mainSid);
    assertThat(main.getJsonObject("webhooks").getString("result")).isEqualTo("fail");
    assertThat(main.getJsonObject("webhooks").getString("fix")).startsWith("Press Connect").contains(publicUrl + "/twilio/voice");
    assertThat(main.getJsonObject("webhooks").getString("detail")).isEqualTo("\"A call comes in\" URL is"
        + " 'https://old-host.example.com/voice'; \"Call status changes\" URL is not set; \"A message comes in\" URL is not set;"
        + " the Voice application (it overrides the URLs) is 'AP0123456789abcdef0123456789abcdef'");
    JsonObject support = line(before, "support");
    assertThat(support.getJsonObject("number_in_account").getString("result")).isEqualTo("fail");
    assertThat(support.getJsonObject("number_in_account").getString("fix")).contains("+14155550200");

    // What Connect will change, shown first: nothing is sent to Twilio yet.
    JsonObject preview = get(server, "/api/lines/main/connect");
    assertThat(preview.getBoolean("applied")).isFalse();
    assertThat(fields(preview.getJsonArray("changes"))).contains("voice_url", "status_callback", "sms_url", "voice_application_sid");
    assertThat(twilio.numberUpdates()).isEmpty();

    var connect = server.api("POST", "/api/lines/main/connect", null, null);
    assertThat(connect.statusCode()).as(connect.body()).isEqualTo(200);
    assertThat(new JsonObject(connect.body()).getBoolean("applied")).isTrue();
    assertThat(twilio.numberUpdates()).hasSize(1);
    TwilioStandIn.RecordedRequest update = twilio.numberUpdates().get(0);
    assertThat(update.path()).endsWith("/IncomingPhoneNumbers/" + mainSid + ".json");
    assertThat(update.param("VoiceUrl")).isEqualTo(publicUrl + "/twilio/voice");
    assertThat(update.param("VoiceMethod")).isEqualTo("POST");
    assertThat(update.param("StatusCallback")).isEqualTo(publicUrl + "/twilio/status");
    assertThat(update.param("StatusCallbackMethod")).isEqualTo("POST");
    assertThat(update.param("SmsUrl")).isEqualTo(publicUrl + "/twilio/sms");
    assertThat(update.param("VoiceApplicationSid")).isEmpty();

    JsonObject after = get(server, "/api/setup");
    assertThat(line(after, "main").getJsonObject("webhooks").getString("result")).isEqualTo("pass");
    assertThat(line(after, "main").getJsonArray("changes")).isEmpty();

    // Connected already: nothing more is sent.
    var again = server.api("POST", "/api/lines/main/connect", null, null);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(again.body()).getJsonArray("changes")).isEmpty();
    assertThat(twilio.numberUpdates()).hasSize(1);
  }

  @Test
  void aNumberThatIsNotInTheAccountCannotBeConnected() {
    var response = server.api("POST", "/api/lines/support/connect", null, null);
    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(new JsonObject(response.body()).getString("error")).contains("+14155550200");
    assertThat(server.api("POST", "/api/lines/nowhere/connect", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void wrongCredentialsAndAPublicUrlThatReachesNobodyAreRedWithTheirFixes() {
    JsonObject setup = get(misconfigured, "/api/setup");
    assertThat(setup.getJsonObject("credentials").getString("result")).isEqualTo("fail");
    assertThat(setup.getJsonObject("credentials").getString("fix")).contains("TWILIO_AUTH_TOKEN");
    assertThat(setup.getJsonObject("public_url").getString("result")).isEqualTo("fail");
    assertThat(setup.getJsonObject("public_url").getString("fix")).contains("RINGBACK_PUBLIC_URL");
    assertThat(line(setup, "main").getJsonObject("number_in_account").getString("result")).isEqualTo("skipped");
  }

  @Test
  void healthNamesTheInstance() {
    var health = server.get("/health");
    assertThat(health.headers().firstValue("X-Ringback-Instance")).get().asString().isNotBlank();
    assertThat(new JsonObject(health.body()).fieldNames()).as("the body says only how it is").containsExactly("status");
  }

  static List<String> fields(JsonArray changes) {
    return changes.stream().map(JsonObject.class::cast).map(c -> c.getString("field")).toList();
  }

  @Test
  void aTestCallRingsTheOwnersPhoneFromTheLineAndPlaysItsGreeting() {
    var refused = server.api("POST", "/api/lines/main/test-call", "application/json", "{\"to\":\"123\"}");
    assertThat(refused.statusCode()).isEqualTo(422);
    var placed = server.api("POST", "/api/lines/main/test-call", "application/json", "{\"to\":\"+1 415 555 0177\"}");
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
    TwilioStandIn.RecordedRequest call = twilio.awaitRequests(r -> r.path().endsWith("/Calls.json") && "+14155550177".equals(r.param("To")),
        1, java.time.Duration.ofSeconds(10));
    assertThat(call.param("From")).isEqualTo(RingbackServer.LINE_NUMBER);
    assertThat(call.param("Url")).isEqualTo(publicUrl + "/twilio/test-call?line=main");
    assertThat(new JsonObject(placed.body()).getString("call_sid")).startsWith("CA");

    List<Map.Entry<String, String>> params = RingbackServer.pairs("CallSid", new JsonObject(placed.body()).getString("call_sid"),
        "From", RingbackServer.LINE_NUMBER, "To", "+14155550177", "CallStatus", "in-progress", "AccountSid", RingbackServer.ACCOUNT_SID);
    var answered = server.twilioSigned("/twilio/test-call?line=main",
        TwilioSigner.sign(RingbackServer.AUTH_TOKEN, publicUrl + "/twilio/test-call?line=main", params), params);
    assertThat(answered.statusCode()).isEqualTo(200);
    var twiml = Xml.parse(answered.body());
    assertThat(Xml.childNames(twiml)).containsExactly("Say", "Hangup");
    assertThat(answered.body()).contains("Thank you for calling Acme.").contains("This was a test call from Ringback");
  }
}
