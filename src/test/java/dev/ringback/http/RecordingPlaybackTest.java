package dev.ringback.http;

import static dev.ringback.support.RingbackServer.ACCOUNT_SID;
import static dev.ringback.support.RingbackServer.API_TOKEN;
import static dev.ringback.support.RingbackServer.AUTH_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_ACCOUNT_SID;
import static dev.ringback.support.RingbackServer.BRAVO_API_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_AUTH_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_NUMBER;
import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Voicemails are played through Ringback: fetched from Twilio with the business's own
 * credentials (as when "HTTP auth on media URLs" is on), streamed on, for the tokens and lines
 * that may see the callback or call, and never from a host that is not Twilio's.
 */
class RecordingPlaybackTest {
  static final String ACME_RECORDING = "RE" + "a1".repeat(16);
  static final String BRAVO_RECORDING = "RE" + "b2".repeat(16);
  static final String BRAVO_KEY = "SK" + "b3".repeat(16);
  static final String BRAVO_KEY_SECRET = "bravo-key-secret-0123456789abcdef";
  static final String ACME_CALLER = "+14155550601";
  static final String BRAVO_CALLER = "+14155550602";
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static TestDatabase db;
  static TwilioStandIn twilio;
  static RingbackServer server;
  static byte[] acmeAudio;
  static byte[] bravoAudio;
  static String acmeUrl;
  static long acmeCallback;
  static long bravoCallback;
  static String mainAgent;
  static String supportAgent;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    Random random = new Random(21);
    acmeAudio = new byte[3 * 1024 * 1024];
    random.nextBytes(acmeAudio);
    bravoAudio = new byte[40_000];
    random.nextBytes(bravoAudio);
    twilio = TwilioStandIn.start(ACCOUNT_SID, AUTH_TOKEN).addAccount(BRAVO_ACCOUNT_SID, BRAVO_AUTH_TOKEN)
        .addApiKey(BRAVO_ACCOUNT_SID, BRAVO_KEY, BRAVO_KEY_SECRET);
    acmeUrl = twilio.addRecording(ACCOUNT_SID, ACME_RECORDING, acmeAudio);
    String bravoUrl = twilio.addRecording(BRAVO_ACCOUNT_SID, BRAVO_RECORDING, bravoAudio);
    // Bravo's REST requests, its recordings included, authenticate with its API key.
    String tokenLine = "      auth-token: " + BRAVO_AUTH_TOKEN + "\n";
    assertThat(RingbackServer.BUSINESSES_YAML).contains(tokenLine);
    String yaml = "callbacks:\n  delay-seconds:\n    missed: 3600\n" + RingbackServer.BUSINESSES_YAML.replace(tokenLine,
        tokenLine + "      api-key: " + BRAVO_KEY + "\n      api-secret: " + BRAVO_KEY_SECRET + "\n");
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), Clock.systemUTC());

    voicemail(AUTH_TOKEN, "", "CAplay0001", ACME_CALLER, LINE_NUMBER, acmeUrl);
    voicemail(BRAVO_AUTH_TOKEN, "?business=bravo", "CAplay0002", BRAVO_CALLER, BRAVO_NUMBER, bravoUrl);
    acmeCallback = callbackOf(ACME_CALLER);
    bravoCallback = callbackOf(BRAVO_CALLER);
    mainAgent = agent("Vi", "+14155550611", "main");
    supportAgent = agent("Sol", "+14155550612", "support");
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  @AfterEach
  void twilioAsItWas() {
    twilio.redirectMedia(null);
    twilio.releaseMedia();
  }

  /** A missed call that leaves a voicemail: the callback carries the recording. */
  static void voicemail(String token, String query, String callSid, String caller, String line, String recordingUrl) {
    assertThat(server.twilioAs(token, "/twilio/voice" + query, "CallSid", callSid, "From", caller, "To", line).statusCode()).isEqualTo(200);
    assertThat(server.twilioAs(token, "/twilio/dial" + query, "CallSid", callSid, "From", caller, "To", line,
        "DialCallStatus", "no-answer").statusCode()).isEqualTo(200);
    assertThat(server.twilioAs(token, "/twilio/recording" + query, "CallSid", callSid, "RecordingUrl", recordingUrl,
        "RecordingStatus", "completed").statusCode()).isEqualTo(200);
  }

  static long callbackOf(String phone) {
    List<java.util.Map<String, Object>> rows = db.query("SELECT id, recording_url FROM callbacks WHERE customer_phone = ?", phone);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("recording_url")).isNotNull();
    return (Long) rows.get(0).get("id");
  }

  static String agent(String name, String contact, String line) {
    var created = server.api("POST", "/api/agents", "application/json",
        "{\"name\":\"" + name + "\",\"contact\":\"" + contact + "\",\"lines\":[\"" + line + "\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new JsonObject(created.body()).getString("token");
  }

  static HttpResponse<byte[]> play(String token, String path) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(30));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError(path, e);
    }
  }

  static String error(HttpResponse<byte[]> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return new JsonObject(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)).getString("error");
  }

  @Test
  void aVoicemailPlaysThroughRingbackFetchedWithTheBusinessesOwnCredentials() {
    int before = twilio.mediaRequests().size();
    HttpResponse<byte[]> acme = play(API_TOKEN, "/api/callbacks/" + acmeCallback + "/recording");
    assertThat(acme.statusCode()).isEqualTo(200);
    assertThat(acme.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
    assertThat(acme.headers().firstValue("Cache-Control")).hasValue("private, no-store");
    assertThat(acme.body()).isEqualTo(acmeAudio);
    TwilioStandIn.RecordedRequest fetched = twilio.mediaRequests().get(before);
    assertThat(fetched.path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + ACME_RECORDING + ".mp3");
    assertThat(fetched.basicUser()).isEqualTo(ACCOUNT_SID);
    assertThat(fetched.basicPassword()).isEqualTo(AUTH_TOKEN);

    HttpResponse<byte[]> bravo = play(BRAVO_API_TOKEN, "/api/callbacks/" + bravoCallback + "/recording");
    assertThat(bravo.statusCode()).isEqualTo(200);
    assertThat(bravo.body()).isEqualTo(bravoAudio);
    TwilioStandIn.RecordedRequest bravoFetch = twilio.mediaRequests().get(before + 1);
    assertThat(bravoFetch.path()).isEqualTo("/2010-04-01/Accounts/" + BRAVO_ACCOUNT_SID + "/Recordings/" + BRAVO_RECORDING + ".mp3");
    assertThat(bravoFetch.basicUser()).as("its API key").isEqualTo(BRAVO_KEY);
    assertThat(bravoFetch.basicPassword()).isEqualTo(BRAVO_KEY_SECRET);

    // The call the voicemail was left on plays the same audio.
    assertThat(play(mainAgent, "/api/calls/CAplay0001/recording").body()).isEqualTo(acmeAudio);
  }

  @Test
  void theApiOffersRingbacksPlaybackRouteNeverTwiliosUrl() {
    HttpResponse<String> callback = server.api("GET", "/api/callbacks/" + acmeCallback, null, null);
    assertThat(new JsonObject(callback.body()).getString("recording_url")).isEqualTo("/api/callbacks/" + acmeCallback + "/recording");
    assertThat(callback.body()).doesNotContain("twilio.com").doesNotContain(ACME_RECORDING);

    HttpResponse<String> task = server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"" + ACME_CALLER + "\",\"line\":\"main\"}");
    assertThat(new JsonObject(task.body()).getLong("id")).as("the callback, now a task").isEqualTo(acmeCallback);
    assertThat(new JsonObject(task.body()).getString("recording_url")).isEqualTo("/api/callbacks/" + acmeCallback + "/recording");
    assertThat(server.api("GET", "/api/tasks", null, null).body()).doesNotContain("twilio.com");

    JsonObject file = new JsonObject(server.request("GET", "/api/customers/%2B14155550601/timeline", null, null, "Bearer " + mainAgent).body());
    assertThat(file.encode()).doesNotContain("twilio.com");
    List<String> offered = file.getJsonArray("items").stream().map(JsonObject.class::cast)
        .map(e -> e.getJsonObject("detail").getString("recording_url")).filter(java.util.Objects::nonNull).toList();
    assertThat(offered).containsExactlyInAnyOrder("/api/calls/CAplay0001/recording", "/api/callbacks/" + acmeCallback + "/recording");
    for (String path : offered) {
      assertThat(play(mainAgent, path).body()).as(path).isEqualTo(acmeAudio);
    }
    // An agent of another line reads the file but is offered no voicemail of that line.
    JsonObject theirs = new JsonObject(server.request("GET", "/api/customers/%2B14155550601/timeline", null, null,
        "Bearer " + supportAgent).body());
    assertThat(theirs.getJsonArray("items").stream().map(JsonObject.class::cast)
        .map(e -> e.getJsonObject("detail").getValue("recording_url")).filter(java.util.Objects::nonNull)).isEmpty();
  }

  @Test
  void onlyTheTokensAndLinesThatMaySeeTheCallbackHearIt() {
    int before = twilio.mediaRequests().size();
    assertThat(play(null, "/api/callbacks/" + acmeCallback + "/recording").statusCode()).isEqualTo(401);
    assertThat(play("not-a-token", "/api/callbacks/" + acmeCallback + "/recording").statusCode()).isEqualTo(401);
    HttpResponse<byte[]> otherLine = play(supportAgent, "/api/callbacks/" + acmeCallback + "/recording");
    assertThat(otherLine.statusCode()).isEqualTo(403);
    assertThat(error(otherLine)).contains("not one of yours");
    assertThat(play(supportAgent, "/api/calls/CAplay0001/recording").statusCode()).isEqualTo(403);
    // Another business's callback and call do not exist for Bravo.
    assertThat(play(BRAVO_API_TOKEN, "/api/callbacks/" + acmeCallback + "/recording").statusCode()).isEqualTo(404);
    assertThat(play(BRAVO_API_TOKEN, "/api/calls/CAplay0001/recording").statusCode()).isEqualTo(404);
    assertThat(play(API_TOKEN, "/api/callbacks/" + bravoCallback + "/recording").statusCode()).isEqualTo(404);
    assertThat(twilio.mediaRequests()).as("Twilio was asked for nothing").hasSize(before);

    assertThat(play(mainAgent, "/api/callbacks/" + acmeCallback + "/recording").statusCode()).isEqualTo(200);
  }

  @Test
  void aRecordingOfAnotherAccountIsNeverFetchedWithThisBusinesssCredentials() {
    // Bravo's callback names Acme's recording (however that URL got there).
    long forged = callbackWithRecording("+14155550603", "main", "bravo", acmeUrl);
    int before = twilio.mediaRequests().size();
    HttpResponse<byte[]> response = play(BRAVO_API_TOKEN, "/api/callbacks/" + forged + "/recording");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(error(response)).contains("another Twilio account");
    assertThat(twilio.mediaRequests()).hasSize(before);
  }

  @Test
  void noRecordingToPlayIs404AndATwilioFailureIs502() {
    var manual = server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"+14155550604\",\"line\":\"main\",\"due_at\":\"" + java.time.Instant.now().plus(Duration.ofDays(1)) + "\"}");
    assertThat(manual.statusCode()).as(manual.body()).isEqualTo(201);
    long none = new JsonObject(manual.body()).getLong("id");
    assertThat(new JsonObject(manual.body()).getValue("recording_url")).isNull();
    HttpResponse<byte[]> missing = play(API_TOKEN, "/api/callbacks/" + none + "/recording");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(error(missing)).contains("has no recording");
    assertThat(play(API_TOKEN, "/api/callbacks/999999/recording").statusCode()).isEqualTo(404);
    assertThat(play(API_TOKEN, "/api/callbacks/abc/recording").statusCode()).isEqualTo(404);
    assertThat(play(API_TOKEN, "/api/calls/CAnope/recording").statusCode()).isEqualTo(404);

    // Deleted at Twilio: gone.
    String deleted = "RE" + "d4".repeat(16);
    long gone = callbackWithRecording("+14155550605", "main", "default",
        "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + deleted);
    HttpResponse<byte[]> goneResponse = play(API_TOKEN, "/api/callbacks/" + gone + "/recording");
    assertThat(goneResponse.statusCode()).isEqualTo(404);
    assertThat(error(goneResponse)).contains("Twilio has no such recording");

    // Twilio fails: a JSON error, not a broken audio stream.
    String failing = "RE" + "e5".repeat(16);
    String url = twilio.addRecording(ACCOUNT_SID, failing, new byte[] {1, 2, 3});
    twilio.failRecording(failing, 500, 20500, "Internal Server Error");
    long failed = callbackWithRecording("+14155550606", "main", "default", url);
    HttpResponse<byte[]> failure = play(API_TOKEN, "/api/callbacks/" + failed + "/recording");
    assertThat(failure.statusCode()).isEqualTo(502);
    assertThat(error(failure)).contains("Twilio answered 500");
  }

  @Test
  void aStoredUrlOffTwiliosApiHostIsNeverFetched() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicInteger reached = new AtomicInteger();
    HttpServer elsewhere = vertx.createHttpServer().requestHandler(r -> {
      reached.incrementAndGet();
      r.response().putHeader("Content-Type", "audio/mpeg").end("not a voicemail");
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      String path = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + ACME_RECORDING;
      List<String> hostile = List.of(
          "http://127.0.0.1:" + elsewhere.actualPort() + path,
          "https://127.0.0.1:" + elsewhere.actualPort() + path,
          "http://api.twilio.com" + path,
          "https://api.twilio.com.evil.example" + path,
          "https://evil.example" + path,
          "https://user:secret@api.twilio.com" + path,
          "https://api.twilio.com:8443" + path,
          "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/" + ACME_RECORDING,
          "https://api.twilio.com" + path + "?redirect=http://127.0.0.1:" + elsewhere.actualPort(),
          "https://api.twilio.com/%2e%2e" + path,
          "javascript:alert(1)");
      int before = twilio.mediaRequests().size();
      for (int i = 0; i < hostile.size(); i++) {
        long id = callbackWithRecording("+1415555062" + i, "main", "default", hostile.get(i));
        HttpResponse<byte[]> response = play(API_TOKEN, "/api/callbacks/" + id + "/recording");
        assertThat(response.statusCode()).as(hostile.get(i)).isEqualTo(404);
        assertThat(error(response)).as(hostile.get(i)).contains("not a recording on Twilio's API host");
      }
      assertThat(reached.get()).as("requests to the other host").isZero();
      assertThat(twilio.mediaRequests()).hasSize(before);

      // Twilio's own redirect to its storage is followed; one to any other host is not.
      twilio.redirectMedia("");
      assertThat(play(API_TOKEN, "/api/callbacks/" + acmeCallback + "/recording").body()).isEqualTo(acmeAudio);
      assertThat(twilio.mediaRequests().get(twilio.mediaRequests().size() - 1).path()).startsWith("/media/");
      twilio.redirectMedia("http://127.0.0.1:" + elsewhere.actualPort());
      HttpResponse<byte[]> redirected = play(API_TOKEN, "/api/callbacks/" + acmeCallback + "/recording");
      assertThat(redirected.statusCode()).isEqualTo(502);
      assertThat(error(redirected)).contains("not followed");
      assertThat(reached.get()).isZero();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theAudioIsStreamedAsItArrivesNotHeldWhole() throws Exception {
    twilio.holdMedia();
    HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(
            URI.create(server.baseUrl() + "/api/callbacks/" + acmeCallback + "/recording"))
        .header("Authorization", "Bearer " + API_TOKEN).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (InputStream body = response.body()) {
      // Twilio has sent half the file and holds the rest: that half reaches the listener already.
      byte[] first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return body.readNBytes(acmeAudio.length / 2);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(15, TimeUnit.SECONDS);
      assertThat(first).isEqualTo(java.util.Arrays.copyOf(acmeAudio, acmeAudio.length / 2));
      twilio.releaseMedia();
      byte[] rest = body.readAllBytes();
      assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(acmeAudio, acmeAudio.length / 2, acmeAudio.length));
    }
  }

  /** A callback of the business whose stored recording URL is this, whatever put it there. */
  static long callbackWithRecording(String phone, String line, String business, String url) {
    db.query("""
        INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, last_triggered_at, due_at, priority,
                               state, recording_url)
        SELECT b.id, l.id, ?, 'missed', now(), now(), now() + interval '1 day', 100, 'scheduled', ?
        FROM businesses b JOIN lines l ON l.business_id = b.id WHERE b.slug = ? AND l.slug = ?""", phone, url, business, line);
    return callbackOf(phone);
  }
}
