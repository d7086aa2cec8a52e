package dev.ringback.telephony;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.twilio.base.Page;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import dev.ringback.config.RingbackConfig;
import dev.ringback.support.TwilioStandIn.RecordedRequest;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real {@link TwilioTelephony} (twilio-java underneath) against a local stand-in for api.twilio.com. */
class TwilioTelephonyTest {
  static final String ACCOUNT_SID = "AC5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";
  static final String AUTH_TOKEN = "f00dfacef00dfacef00dfacef00dface";
  static final String FROM = "+14155550100";
  static final String TO = "+14155550123";
  static final String TWIML_URL = "https://ringback.example.com/twilio/outbound?attempt=7&kind=missed";
  static final String STATUS_URL = "https://ringback.example.com/twilio/status";
  static final String CALLS_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json";
  static final OutboundCall CALL = new OutboundCall(FROM, TO, TWIML_URL, STATUS_URL, "DetectMessageEnd", 25);

  static Vertx vertx;
  static TwilioStandIn twilio;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    twilio = TwilioStandIn.start(ACCOUNT_SID, AUTH_TOKEN);
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

  static TwilioTelephony telephony(String apiUrl, String authToken, int timeoutSeconds) {
    return new TwilioTelephony(vertx, new RingbackConfig.Twilio(ACCOUNT_SID, authToken, apiUrl, 4, timeoutSeconds, 5, 10));
  }

  static TwilioTelephony telephony(int timeoutSeconds) {
    return telephony(twilio.baseUrl(), AUTH_TOKEN, timeoutSeconds);
  }

  /** A twilio-java client pointed at the stand-in, to read what Twilio would show. */
  static TwilioRestClient restClient() {
    return new TwilioRestClient.Builder(ACCOUNT_SID, AUTH_TOKEN).accountSid(ACCOUNT_SID)
        .httpClient(new RebasedHttpClient(twilio.baseUrl(), 5)).build();
  }

  /** Where and how a placeCall was made, and where its future completed. */
  record Placement(Context callerContext, Thread callerThread, Instant at, Future<PlacedCall> future,
                   CompletableFuture<Completion> completion) {

    PlacedCall placed() throws Exception {
      return future.toCompletionStage().toCompletableFuture().get(10, SECONDS);
    }

    TelephonyException failure() throws Exception {
      return failure(Duration.ofSeconds(10));
    }

    TelephonyException failure(Duration wait) throws Exception {
      try {
        PlacedCall placed = future.toCompletionStage().toCompletableFuture().get(wait.toMillis(), MILLISECONDS);
        return fail("expected a failure, the call was placed: " + placed);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(TelephonyException.class);
        return (TelephonyException) e.getCause();
      }
    }

    /** The completion handler ran on the caller's own event-loop context and thread. */
    void assertCompletedOnCallerEventLoop() throws Exception {
      Completion done = completion.get(10, SECONDS);
      assertThat(done.context()).isSameAs(callerContext);
      assertThat(done.eventLoopContext()).isTrue();
      assertThat(done.thread()).isSameAs(callerThread);
    }

    /** How long the future took to complete. */
    Duration took() throws Exception {
      return Duration.between(at, completion.get(10, SECONDS).at());
    }
  }

  record Completion(Context context, boolean eventLoopContext, Thread thread, Instant at) {}

  /** Calls placeCall from a fresh event-loop context, as a verticle would. */
  static Placement placeFromEventLoop(Telephony telephony, OutboundCall call) throws Exception {
    return placeOn(vertx.getOrCreateContext(), telephony, call);
  }

  static Placement placeOn(Context caller, Telephony telephony, OutboundCall call) throws Exception {
    assertThat(caller.isEventLoopContext()).isTrue();
    CompletableFuture<Placement> placement = new CompletableFuture<>();
    caller.runOnContext(v -> {
      CompletableFuture<Completion> completion = new CompletableFuture<>();
      Instant at = Instant.now();
      Future<PlacedCall> future = telephony.placeCall(call);
      future.onComplete(ar -> {
        Context current = Vertx.currentContext();
        completion.complete(new Completion(current, current != null && current.isEventLoopContext(), Thread.currentThread(),
            Instant.now()));
      });
      placement.complete(new Placement(Vertx.currentContext(), Thread.currentThread(), at, future, completion));
    });
    return placement.get(10, SECONDS);
  }

  @Test
  void placesTheCallWithEveryParameterOnceAndCompletesOnTheCallersEventLoop() throws Exception {
    Placement placement = placeFromEventLoop(telephony(10), CALL);

    PlacedCall placed = placement.placed();
    placement.assertCompletedOnCallerEventLoop();

    assertThat(twilio.requests()).hasSize(1);
    RecordedRequest request = twilio.callCreations().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo(CALLS_PATH);
    assertThat(request.header("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)));
    assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(request.header("X-Twilio-Client")).startsWith("java-");
    assertThat(request.params("To")).containsExactly(TO);
    assertThat(request.params("From")).containsExactly(FROM);
    assertThat(request.params("Url")).containsExactly(TWIML_URL);
    assertThat(request.params("Method")).containsExactly("POST");
    assertThat(request.params("StatusCallback")).containsExactly(STATUS_URL);
    assertThat(request.params("StatusCallbackMethod")).containsExactly("POST");
    assertThat(request.params("StatusCallbackEvent")).containsExactly("initiated", "ringing", "answered", "completed");
    assertThat(request.params("MachineDetection")).containsExactly("DetectMessageEnd");
    assertThat(request.params("Timeout")).containsExactly("25");
    assertThat(request.form().keySet()).containsExactlyInAnyOrder("To", "From", "Url", "Method", "StatusCallback",
        "StatusCallbackMethod", "StatusCallbackEvent", "MachineDetection", "Timeout");

    JsonObject created = twilio.calls().get(0);
    assertThat(placed.callSid()).isEqualTo(created.getString("sid")).matches("^CA[0-9a-f]{32}$");
    assertThat(placed.status()).isEqualTo("queued");
  }

  @Test
  void everyBusinessesAccountSendsOverTheSameConnections() throws Exception {
    String otherSid = "AC" + "0b".repeat(16);
    String otherToken = "other-businesses-auth-token";
    twilio.addAccount(otherSid, otherToken);
    RingbackConfig.Twilio config = new RingbackConfig.Twilio(ACCOUNT_SID, AUTH_TOKEN, twilio.baseUrl(), 4, 10, 5, 10);
    TwilioConnections connections = new TwilioConnections(config);
    TwilioTelephony first = new TwilioTelephony(vertx, config, config.account(), connections);
    TwilioTelephony second = new TwilioTelephony(vertx, config, new RingbackConfig.TwilioAccount(otherSid, otherToken, "", ""), connections);

    // One after the other, so one connection is enough: a business's first call reuses the one open.
    placeFromEventLoop(first, CALL).placed();
    placeFromEventLoop(second, CALL).placed();
    placeFromEventLoop(first, CALL).placed();

    List<RecordedRequest> made = twilio.callCreations();
    assertThat(made).extracting(r -> r.path()).containsExactly(CALLS_PATH, "/2010-04-01/Accounts/" + otherSid + "/Calls.json", CALLS_PATH);
    assertThat(made.get(1).header("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString((otherSid + ":" + otherToken).getBytes(StandardCharsets.UTF_8)));
    assertThat(made).extracting(RecordedRequest::connection).as("one connection for both accounts").containsOnly(made.get(0).connection());
  }

  @Test
  void withoutMachineDetectionNoMachineDetectionParameterIsSent() throws Exception {
    Placement placement = placeFromEventLoop(telephony(10), new OutboundCall(FROM, TO, TWIML_URL, STATUS_URL, null, 30));

    placement.placed();
    RecordedRequest request = twilio.awaitCallCreations(1, Duration.ofSeconds(5));
    assertThat(request.form()).doesNotContainKey("MachineDetection");
    assertThat(request.params("Timeout")).containsExactly("30");
  }

  @Test
  void anInvalidNumberIsPermanent() throws Exception {
    twilio.failNext(400, 21211, "The 'To' number +15005550001 is not a valid phone number.");

    Placement placement = placeFromEventLoop(telephony(10), CALL);
    TelephonyException failure = placement.failure();

    assertThat(failure.kind()).isEqualTo(TelephonyException.Kind.PERMANENT);
    assertThat(failure.code()).isEqualTo(21211);
    assertThat(failure.getMessage()).contains("is not a valid phone number");
    placement.assertCompletedOnCallerEventLoop();
    assertThat(twilio.callCreations()).hasSize(1);
    assertThat(twilio.calls()).isEmpty();
  }

  @Test
  void aMissingGeoPermissionIsPermanent() throws Exception {
    twilio.failNext(400, 21215, "Account not authorized to call +5212221234567. Perhaps you need to enable some "
        + "international permissions: https://www.twilio.com/console/voice/calls/geo-permissions/low-risk");

    TelephonyException failure = placeFromEventLoop(telephony(10), CALL).failure();

    assertThat(failure.kind()).isEqualTo(TelephonyException.Kind.PERMANENT);
    assertThat(failure.code()).isEqualTo(21215);
  }

  @ParameterizedTest(name = "{0}/{1} is retryable and sent once")
  @CsvSource({"429, 20429, Too Many Requests", "503, 20503, Service Unavailable"})
  void throttlingAndUnavailabilityAreRetryableAndNotRetriedByTheSdk(int status, int code, String message) throws Exception {
    twilio.failNext(status, code, message);

    Placement placement = placeFromEventLoop(telephony(10), CALL);
    placement.completion().get(10, SECONDS);

    assertThat(twilio.callCreations()).as("POSTs to Calls.json: a call creation is sent once, retries are Ringback's")
        .hasSize(1);
    TelephonyException failure = placement.failure();
    assertThat(failure.kind()).isEqualTo(TelephonyException.Kind.RETRYABLE);
    assertThat(failure.code()).isEqualTo(code);
  }

  @Test
  void aServerErrorIsRetryableAndNotRetriedByTheSdk() throws Exception {
    twilio.failNext(500, 20500, "An internal server error has occurred");

    TelephonyException failure = placeFromEventLoop(telephony(10), CALL).failure();

    assertThat(failure.kind()).isEqualTo(TelephonyException.Kind.RETRYABLE);
    assertThat(failure.code()).isEqualTo(20500);
    // twilio-java's default reliableRequest retries 5xx answers; a POST must be sent once.
    assertThat(twilio.callCreations()).hasSize(1);
    assertThat(twilio.calls()).isEmpty();
  }

  @Test
  void noAnswerIsAmbiguousAndTheCallExistsAtTwilio() throws Exception {
    twilio.hangNext();
    Instant before = Instant.now().minusSeconds(1);

    Placement placement = placeFromEventLoop(telephony(1), CALL);
    // Waits longer than the 1 s configured, so that the classification and reconciliation are
    // checked even while the timeout is not honoured; how long it took is checked last.
    TelephonyException failure = placement.failure(Duration.ofSeconds(45));

    assertThat(failure.kind()).isEqualTo(TelephonyException.Kind.AMBIGUOUS);
    assertThat(failure.code()).isNull();
    placement.assertCompletedOnCallerEventLoop();
    assertThat(twilio.callCreations()).hasSize(1);

    // Reconciliation: the list endpoint shows the call the timed-out request created.
    Page<Call> page = Call.reader(ACCOUNT_SID).setTo(TO).setFrom(FROM)
        .setStartTimeAfter(ZonedDateTime.ofInstant(before, ZoneOffset.UTC)).firstPage(restClient());
    assertThat(page.getRecords()).extracting(Call::getSid).containsExactly(twilio.calls().get(0).getString("sid"));
    assertThat(page.getRecords().get(0).getStatus()).isEqualTo(Call.Status.QUEUED);
    RecordedRequest list = twilio.requests().get(1);
    assertThat(list.method()).isEqualTo("GET");
    assertThat(list.path()).isEqualTo(CALLS_PATH);

    assertThat(placement.took()).as("time to give up with twilio.request-timeout-seconds = 1")
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aHungRequestBlocksNeitherTheEventLoopNorOtherCalls() throws Exception {
    TwilioTelephony telephony = telephony(20);
    Context caller = vertx.getOrCreateContext();
    twilio.hangNext();

    Placement hung = placeOn(caller, telephony, CALL);
    twilio.awaitCallCreations(1, Duration.ofSeconds(5));
    // The blocking HTTP request is in flight; the caller's event loop still runs tasks.
    CompletableFuture<Boolean> ran = new CompletableFuture<>();
    caller.runOnContext(v -> ran.complete(!hung.future().isComplete()));
    assertThat(ran.get(10, SECONDS)).as("event loop ran while the request hung").isTrue();

    Placement other = placeOn(caller, telephony, new OutboundCall(FROM, "+14155550199", TWIML_URL, STATUS_URL, null, 25));
    PlacedCall placed = other.placed();
    assertThat(hung.future().isComplete()).as("the hung call is still waiting").isFalse();
    other.assertCompletedOnCallerEventLoop();
    assertThat(placed.callSid()).isEqualTo(twilio.calls().get(1).getString("sid"));

    // The connection ends after the request was sent: the call may exist, so it is ambiguous.
    twilio.dropHungRequests();
    assertThat(hung.failure().kind()).isEqualTo(TelephonyException.Kind.AMBIGUOUS);
    hung.assertCompletedOnCallerEventLoop();
    assertThat(twilio.callCreations()).hasSize(2);
  }

  @Test
  void anUnreachableApiIsRetryable() throws Exception {
    TwilioStandIn gone = TwilioStandIn.start(ACCOUNT_SID, AUTH_TOKEN);
    String url = gone.baseUrl();
    gone.close();

    Placement placement = placeFromEventLoop(telephony(url, AUTH_TOKEN, 2), CALL);
    TelephonyException failure = placement.failure();

    assertThat(failure.kind()).isEqualTo(TelephonyException.Kind.RETRYABLE);
    assertThat(failure.code()).isNull();
    placement.assertCompletedOnCallerEventLoop();
  }

  @Test
  void aWrongAuthTokenFails() throws Exception {
    TelephonyException failure = placeFromEventLoop(telephony(twilio.baseUrl(), "0000000000000000000000000000dead", 10), CALL)
        .failure();

    assertThat(failure.code()).isEqualTo(20003);
    assertThat(failure.kind()).isNotNull();
    assertThat(twilio.callCreations()).hasSize(1);
    assertThat(twilio.calls()).isEmpty();
  }

  static Optional<CallProgress> fetch(Telephony telephony, String sid) throws Exception {
    return Future.<Optional<CallProgress>>future(p -> vertx.runOnContext(v -> telephony.fetchCall(sid).onComplete(p)))
        .toCompletionStage().toCompletableFuture().get(10, SECONDS);
  }

  @Test
  void aCallIsLookedUpAsTheNetworkSeesIt() throws Exception {
    TwilioTelephony telephony = telephony(10);
    PlacedCall placed = placeFromEventLoop(telephony, CALL).placed();
    assertThat(fetch(telephony, placed.callSid())).get()
        .returns(dev.ringback.domain.CallStatus.QUEUED, CallProgress::status).returns(null, CallProgress::endTime);

    Instant start = Instant.parse("2026-03-01T10:00:00Z");
    twilio.progress(placed.callSid(), "completed", start, start.plusSeconds(75), "human");
    assertThat(fetch(telephony, placed.callSid())).get()
        .returns(dev.ringback.domain.CallStatus.COMPLETED, CallProgress::status)
        .returns(start, CallProgress::startTime)
        .returns(start.plusSeconds(75), CallProgress::endTime)
        .returns(75, CallProgress::durationSeconds)
        .returns("human", CallProgress::answeredBy);

    assertThat(fetch(telephony, "CA00000000000000000000000000000000")).as("unknown to Twilio: 404").isEmpty();
  }

  @Test
  void theStandInAnswersWhatTwilioJavaReads() throws Exception {
    TwilioTelephony telephony = telephony(10);
    PlacedCall first = placeFromEventLoop(telephony, CALL).placed();
    PlacedCall second = placeFromEventLoop(telephony, new OutboundCall(FROM, "+442071838750", TWIML_URL, STATUS_URL, null, 25)).placed();
    TwilioRestClient client = restClient();

    Call fetched = Call.fetcher(ACCOUNT_SID, first.callSid()).fetch(client);
    assertThat(fetched.getSid()).isEqualTo(first.callSid());
    assertThat(fetched.getAccountSid()).isEqualTo(ACCOUNT_SID);
    assertThat(fetched.getTo()).isEqualTo(TO);
    assertThat(fetched.getToFormatted()).isEqualTo("(415) 555-0123");
    assertThat(fetched.getFrom()).isEqualTo(FROM);
    assertThat(fetched.getFromFormatted()).isEqualTo("(415) 555-0100");
    assertThat(fetched.getStatus()).isEqualTo(Call.Status.QUEUED);
    assertThat(fetched.getDirection()).isEqualTo("outbound-api");
    assertThat(fetched.getApiVersion()).isEqualTo("2010-04-01");
    assertThat(fetched.getDateCreated()).isNotNull();
    assertThat(fetched.getStartTime()).isNull();
    assertThat(fetched.getUri()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/" + first.callSid() + ".json");
    assertThat(fetched.getSubresourceUris()).containsKeys("notifications", "recordings", "events");

    assertThat(Call.reader(ACCOUNT_SID).setTo("+442071838750").firstPage(client).getRecords())
        .extracting(Call::getSid).containsExactly(second.callSid());
    assertThat(Call.reader(ACCOUNT_SID).setStatus(Call.Status.COMPLETED).firstPage(client).getRecords()).isEmpty();
    Page<Call> newestFirst = Call.reader(ACCOUNT_SID).setPageSize(1L).firstPage(client);
    assertThat(newestFirst.getRecords()).extracting(Call::getSid).containsExactly(second.callSid());
    assertThat(newestFirst.hasNextPage()).isTrue();

    // StartTime>= as Twilio's own URIs encode it, with a date and with a date-time.
    String tomorrow = java.time.LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    assertThat(listSids("StartTime%3E=" + tomorrow)).isEmpty();
    assertThat(listSids("StartTime%3E=2009-07-06&PageSize=5")).containsExactly(second.callSid(), first.callSid());
    assertThat(listSids("StartTime%3E=2009-07-06T00:00:00Z&To=%2B14155550123")).containsExactly(first.callSid());
  }

  @Test
  void theStandInRejectsLikeTwilio() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String basic = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> noAuth = http.send(HttpRequest.newBuilder(URI.create(twilio.baseUrl() + CALLS_PATH)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noAuth.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(noAuth.body())).isEqualTo(new JsonObject().put("code", 20003).put("message", "Authenticate")
        .put("more_info", "https://www.twilio.com/docs/errors/20003").put("status", 401));

    HttpResponse<String> noUrl = http.send(HttpRequest.newBuilder(URI.create(twilio.baseUrl() + CALLS_PATH))
        .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("To=%2B14155550123&From=%2B14155550100")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noUrl.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noUrl.body()).getInteger("code")).isEqualTo(21205);
    assertThat(twilio.calls()).isEmpty();
  }

  /**
   * Paging with twilio-java follows next_page_uri, whose query carries the filters and the paging
   * (To, PageSize, Page, PageToken). RebasedHttpClient.rebase keeps only the path of the URL it
   * rebases, so every page after the first is read unfiltered from the start with the default
   * page size: duplicates, calls to other numbers, and an endless loop past 50 calls.
   */
  @Test
  void twilioJavaPagesThroughEveryMatchingCall() throws Exception {
    TwilioTelephony telephony = telephony(10);
    for (int i = 0; i < 3; i++) {
      placeFromEventLoop(telephony, CALL).placed();
    }
    placeFromEventLoop(telephony, new OutboundCall(FROM, "+14155550199", TWIML_URL, STATUS_URL, null, 25)).placed();
    List<String> expected = twilio.calls().stream().filter(c -> c.getString("to").equals(TO)).map(c -> c.getString("sid")).toList();

    List<String> sids = StreamSupport.stream(Call.reader(ACCOUNT_SID).setTo(TO).setPageSize(2L).read(restClient()).spliterator(), false)
        .limit(20).map(Call::getSid).collect(Collectors.toList());

    assertThat(sids).containsExactlyInAnyOrderElementsOf(expected);
  }

  static List<String> listSids(String query) throws Exception {
    String basic = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(twilio.baseUrl() + CALLS_PATH + "?" + query)).header("Authorization", basic).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject page = new JsonObject(response.body());
    assertThat(page.getString("uri")).startsWith(CALLS_PATH + "?");
    return page.getJsonArray("calls").stream().map(c -> ((JsonObject) c).getString("sid")).toList();
  }
}
