package dev.ringback.telephony;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ringback.config.RingbackConfig;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.TwilioStandIn.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The account and its phone numbers through the real {@link TwilioTelephony} (twilio-java
 * underneath) against the local stand-in for api.twilio.com, and through the simulator.
 */
class TwilioNumbersTest {
  static final String ACCOUNT_SID = "AC5e7c1d2b3a4f5e6d7c8b9a0f1e2d3c4b";
  static final String AUTH_TOKEN = "0ddba110ddba110ddba110ddba110dd";
  static final String OTHER_ACCOUNT = "ACfeedfacefeedfacefeedfacefeedface";
  static final String NUMBER = "+14155550100";
  static final String APPLICATION = "AP2b3c4d5e6f708192a3b4c5d6e7f80912";
  static final NumberWebhooks WEBHOOKS = new NumberWebhooks("https://ringback.example.com/twilio/voice?business=acme",
      "https://ringback.example.com/twilio/status?business=acme", "https://ringback.example.com/twilio/sms?business=acme");
  static final Duration DEADLINE = Duration.ofSeconds(10);

  static Vertx vertx;
  static TwilioStandIn twilio;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    twilio = TwilioStandIn.start(ACCOUNT_SID, AUTH_TOKEN).addAccount(OTHER_ACCOUNT, "c0ffeec0ffeec0ffeec0ffeec0ffee00");
  }

  @AfterEach
  void forget() {
    twilio.reset();
  }

  @AfterAll
  static void stop() throws Exception {
    twilio.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, SECONDS);
  }

  static TwilioTelephony telephony(String authToken) {
    return new TwilioTelephony(vertx, new RingbackConfig.Twilio(ACCOUNT_SID, authToken, twilio.baseUrl(), 4, 10, 5, 10));
  }

  static TwilioTelephony telephony() {
    return telephony(AUTH_TOKEN);
  }

  /** Runs the request on an event-loop context, as a verticle would, and waits for its result. */
  static <T> T onEventLoop(Supplier<Future<T>> request) throws Exception {
    return Future.<T>future(p -> vertx.runOnContext(v -> request.get().onComplete(p)))
        .toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), MILLISECONDS);
  }

  static TelephonyException failure(Supplier<Future<?>> request) throws Exception {
    try {
      Object answered = Future.future(p -> vertx.runOnContext(v -> request.get().onComplete(done -> {
        if (done.succeeded()) {
          p.complete(done.result());
        } else {
          p.fail(done.cause());
        }
      }))).toCompletionStage().toCompletableFuture().get(DEADLINE.toMillis(), MILLISECONDS);
      return fail("expected a failure, got " + answered);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TelephonyException.class);
      return (TelephonyException) e.getCause();
    }
  }

  @Test
  void theAccountIsFetched() throws Exception {
    TwilioAccountInfo account = onEventLoop(() -> telephony().fetchAccount());

    assertThat(account).isEqualTo(new TwilioAccountInfo(ACCOUNT_SID, "My first Twilio account", "active"));
    assertThat(twilio.requests()).singleElement().satisfies(r -> {
      assertThat(r.method()).isEqualTo("GET");
      assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + ".json");
    });
  }

  @Test
  void anApiKeyOfTheAccountOpensItToo() throws Exception {
    twilio.addApiKey(ACCOUNT_SID, "SK0a0b0c0d0e0f0a0b0c0d0e0f0a0b0c0d", "keysecret");
    RingbackConfig.Twilio config = new RingbackConfig.Twilio(ACCOUNT_SID, AUTH_TOKEN, twilio.baseUrl(), 4, 10, 5, 10);
    TwilioTelephony keyed = new TwilioTelephony(vertx, config,
        new RingbackConfig.TwilioAccount(ACCOUNT_SID, "", "SK0a0b0c0d0e0f0a0b0c0d0e0f0a0b0c0d", "keysecret"), new TwilioConnections(config));

    assertThat(onEventLoop(keyed::fetchAccount).sid()).isEqualTo(ACCOUNT_SID);
    assertThat(twilio.requests().get(0).basicUser()).isEqualTo("SK0a0b0c0d0e0f0a0b0c0d0e0f0a0b0c0d");
  }

  @Test
  void wrongCredentialsAreAPermanentRefusal() throws Exception {
    TwilioTelephony wrong = telephony("0000000000000000000000000000dead");

    for (Supplier<Future<?>> request : List.<Supplier<Future<?>>>of(wrong::fetchAccount, () -> wrong.findNumber(NUMBER),
        () -> wrong.connectNumber("PN0000000000000000000000000000000a", WEBHOOKS))) {
      TelephonyException refused = failure(request);
      assertThat(refused.kind()).isEqualTo(TelephonyException.Kind.PERMANENT);
      assertThat(refused.code()).isEqualTo(20003);
      assertThat(refused.getMessage()).contains("401");
    }
  }

  @Test
  void theAccountsNumberIsFoundWithWhereItsCallsAndTextsGo() throws Exception {
    // Twilio's PhoneNumber filter also matches numbers that contain the one asked for, listed first here.
    twilio.addNumber(ACCOUNT_SID, NUMBER + "9");
    String sid = twilio.addNumber(ACCOUNT_SID, NUMBER);
    twilio.addNumber(OTHER_ACCOUNT, NUMBER);
    twilio.configureNumber(sid, new JsonObject().put("voice_url", "https://old.example.com/voice").put("voice_method", "GET"));

    Optional<NumberSettings> found = onEventLoop(() -> telephony().findNumber(NUMBER));

    assertThat(found).contains(new NumberSettings(sid, NUMBER, "https://old.example.com/voice", "GET", null, "POST", null, "POST",
        null, null));
    assertThat(twilio.requests()).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/IncomingPhoneNumbers.json");
      assertThat(r.query().get("PhoneNumber")).containsExactly(NUMBER);
    });
  }

  @Test
  void aNumberTheAccountDoesNotHaveIsNotFound() throws Exception {
    twilio.addNumber(OTHER_ACCOUNT, NUMBER);
    twilio.addNumber(ACCOUNT_SID, NUMBER + "9");

    assertThat(onEventLoop(() -> telephony().findNumber(NUMBER))).isEmpty();
    assertThat(onEventLoop(() -> telephony().findNumber("+442079460000"))).isEmpty();
  }

  @Test
  void connectingSetsTheThreeUrlsWithPostAndTakesOffTheApplications() throws Exception {
    String sid = twilio.addNumber(ACCOUNT_SID, NUMBER);
    twilio.configureNumber(sid, new JsonObject().put("voice_application_sid", APPLICATION).put("sms_application_sid", APPLICATION)
        .put("voice_method", "GET").put("voice_fallback_url", "https://fallback.example.com/voice"));

    NumberSettings connected = onEventLoop(() -> telephony().connectNumber(sid, WEBHOOKS));

    assertThat(connected).isEqualTo(new NumberSettings(sid, NUMBER, WEBHOOKS.voiceUrl(), "POST", WEBHOOKS.statusCallback(), "POST",
        WEBHOOKS.smsUrl(), "POST", null, null));
    RecordedRequest update = twilio.numberUpdates().get(0);
    assertThat(twilio.numberUpdates()).hasSize(1);
    assertThat(update.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/IncomingPhoneNumbers/" + sid + ".json");
    assertThat(update.form().keySet()).containsExactlyInAnyOrder("VoiceUrl", "VoiceMethod", "StatusCallback", "StatusCallbackMethod",
        "SmsUrl", "SmsMethod", "VoiceApplicationSid", "SmsApplicationSid");
    assertThat(update.param("VoiceUrl")).isEqualTo(WEBHOOKS.voiceUrl());
    assertThat(update.param("VoiceMethod")).isEqualTo("POST");
    assertThat(update.param("StatusCallback")).isEqualTo(WEBHOOKS.statusCallback());
    assertThat(update.param("StatusCallbackMethod")).isEqualTo("POST");
    assertThat(update.param("SmsUrl")).isEqualTo(WEBHOOKS.smsUrl());
    assertThat(update.param("SmsMethod")).isEqualTo("POST");
    assertThat(update.params("VoiceApplicationSid")).containsExactly("");
    assertThat(update.params("SmsApplicationSid")).containsExactly("");
    JsonObject stored = twilio.numberSettings(sid);
    assertThat(stored.getString("voice_application_sid")).isEmpty();
    assertThat(stored.getString("sms_application_sid")).isEmpty();
    assertThat(stored.getString("voice_fallback_url")).as("what was not sent stays").isEqualTo("https://fallback.example.com/voice");
    assertThat(onEventLoop(() -> telephony().findNumber(NUMBER))).contains(connected);
  }

  @Test
  void connectingANumberTheAccountDoesNotHaveIsNotFound() throws Exception {
    String others = twilio.addNumber(OTHER_ACCOUNT, NUMBER);

    for (String sid : List.of("PN0000000000000000000000000000000a", others)) {
      TelephonyException refused = failure(() -> telephony().connectNumber(sid, WEBHOOKS));
      assertThat(refused.kind()).isEqualTo(TelephonyException.Kind.PERMANENT);
      assertThat(refused.code()).isEqualTo(20404);
    }
    assertThat(twilio.numberSettings(others).getString("voice_url")).isNull();
  }

  @Test
  void anOutageWhileConnectingMayBeRetried() throws Exception {
    String sid = twilio.addNumber(ACCOUNT_SID, NUMBER);
    twilio.failNextNumberUpdate(503, 20503, "Service Unavailable");

    TelephonyException failed = failure(() -> telephony().connectNumber(sid, WEBHOOKS));

    assertThat(failed.kind()).isEqualTo(TelephonyException.Kind.RETRYABLE);
    assertThat(twilio.numberSettings(sid).getString("voice_url")).isNull();
    assertThat(onEventLoop(() -> telephony().connectNumber(sid, WEBHOOKS)).voiceUrl()).isEqualTo(WEBHOOKS.voiceUrl());
  }

  @Test
  void eachRequestIsCountedByOperationAndResult() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RingbackMetrics metrics = new RingbackMetrics(registry, 6, List.of(1, 2), Duration.ofSeconds(20), 0.8, true);
    Telephony metered = new MeteredTelephony(telephony(), metrics, "acme");
    Telephony wrong = new MeteredTelephony(telephony("0000000000000000000000000000dead"), metrics, "acme");
    String sid = twilio.addNumber(ACCOUNT_SID, NUMBER);

    onEventLoop(metered::fetchAccount);
    failure(wrong::fetchAccount);
    onEventLoop(() -> metered.findNumber(NUMBER));
    onEventLoop(() -> metered.connectNumber(sid, WEBHOOKS));
    failure(() -> metered.connectNumber("PN0000000000000000000000000000000a", WEBHOOKS));

    assertThat(count(registry, "fetch_account", "ok")).isEqualTo(1);
    assertThat(count(registry, "fetch_account", "permanent")).isEqualTo(1);
    assertThat(count(registry, "list_numbers", "ok")).isEqualTo(1);
    assertThat(count(registry, "update_number", "ok")).isEqualTo(1);
    assertThat(count(registry, "update_number", "permanent")).isEqualTo(1);
  }

  static double count(SimpleMeterRegistry registry, String operation, String result) {
    var counter = registry.find("ringback.twilio.requests").tags("business", "acme", "operation", operation, "result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void theStandInAnswersTheAccountAndListsNumbersAsTwilioDescribesThem() throws Exception {
    String sid = twilio.addNumber(ACCOUNT_SID, NUMBER);
    twilio.addNumber(ACCOUNT_SID, "+14155550199");
    HttpClient http = HttpClient.newHttpClient();
    String basic = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
    String base = twilio.baseUrl() + "/2010-04-01/Accounts/" + ACCOUNT_SID;

    JsonObject account = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + ".json")).header("Authorization", basic)
        .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(account.getString("sid")).isEqualTo(ACCOUNT_SID);
    assertThat(account.getString("status")).isEqualTo("active");
    assertThat(account.getString("type")).isEqualTo("Full");
    assertThat(account.containsKey("auth_token")).isTrue();
    assertThat(account.getString("auth_token")).as("the secret is not echoed").isNull();
    assertThat(account.getString("uri")).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + ".json");
    assertThat(account.getJsonObject("subresource_uris").getString("incoming_phone_numbers"))
        .isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/IncomingPhoneNumbers.json");
    assertThat(account.getString("date_created")).matches("^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000$");

    JsonObject page = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/IncomingPhoneNumbers.json?PhoneNumber=555*1*0"))
        .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(page.getJsonArray("incoming_phone_numbers").stream().map(n -> ((JsonObject) n).getString("sid")))
        .as("part of a number, * for any digit").containsExactly(sid);
    assertThat(page.getInteger("page_size")).isEqualTo(50);
    assertThat(page.getString("next_page_uri")).isNull();

    HttpResponse<String> badMethod = http.send(HttpRequest.newBuilder(URI.create(base + "/IncomingPhoneNumbers/" + sid + ".json"))
        .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("VoiceMethod=PUT")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(badMethod.statusCode()).isEqualTo(400);
    HttpResponse<String> badApplication = http.send(HttpRequest.newBuilder(URI.create(base + "/IncomingPhoneNumbers/" + sid + ".json"))
        .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("VoiceApplicationSid=nonsense")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonObject(badApplication.body()).getInteger("code")).isEqualTo(22108);
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "/IncomingPhoneNumbers/PNnope.json"))
        .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getInteger("code")).isEqualTo(20404);
    assertThat(twilio.numberSettings(sid).getString("voice_method")).as("a refused update changes nothing").isEqualTo("POST");
  }

  @Test
  void theSimulatorsAccountHasEveryNumberPointingAtTheServerUntilConnected() throws Exception {
    SimulatedTelephony simulator = new SimulatedTelephony(vertx, () -> "http://127.0.0.1:18080", Clock.systemUTC(), new Random(3), 1000);

    TwilioAccountInfo account = onEventLoop(simulator::fetchAccount);
    assertThat(account.sid()).matches("^AC[0-9a-f]{32}$");
    assertThat(account).returns("Simulator", TwilioAccountInfo::friendlyName).returns("active", TwilioAccountInfo::status);

    NumberSettings found = onEventLoop(() -> simulator.findNumber(NUMBER)).orElseThrow();
    assertThat(found.sid()).matches("^PN[0-9a-f]{32}$");
    assertThat(found).isEqualTo(new NumberSettings(found.sid(), NUMBER, "http://127.0.0.1:18080/twilio/voice", "POST",
        "http://127.0.0.1:18080/twilio/status", "POST", "http://127.0.0.1:18080/twilio/sms", "POST", null, null));
    assertThat(onEventLoop(() -> simulator.findNumber(NUMBER))).as("the same number again").contains(found);
    assertThat(onEventLoop(() -> simulator.findNumber("+442079460000")).orElseThrow().sid()).isNotEqualTo(found.sid());

    NumberSettings connected = onEventLoop(() -> simulator.connectNumber(found.sid(), WEBHOOKS));
    assertThat(connected).isEqualTo(new NumberSettings(found.sid(), NUMBER, WEBHOOKS.voiceUrl(), "POST", WEBHOOKS.statusCallback(),
        "POST", WEBHOOKS.smsUrl(), "POST", null, null));
    assertThat(onEventLoop(() -> simulator.findNumber(NUMBER))).contains(connected);

    TelephonyException unknown = failure(() -> simulator.connectNumber("PN0000000000000000000000000000000a", WEBHOOKS));
    assertThat(unknown.kind()).isEqualTo(TelephonyException.Kind.PERMANENT);
    assertThat(unknown.code()).isEqualTo(20404);
  }
}
