package dev.ringback.telephony;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import dev.ringback.config.RingbackConfig;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.TwilioStandIn.RecordedRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Texts through the real {@link TwilioTelephony} (twilio-java underneath) against the local
 * stand-in for api.twilio.com, and through the simulator, whose status callbacks a small local
 * server receives.
 */
class TwilioTextsTest {
  static final String ACCOUNT_SID = "AC0a1b2c3d4e5f60718293a4b5c6d7e8f9";
  static final String AUTH_TOKEN = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";
  static final String FROM = "+14155550100";
  static final String TO = "+14155550123";
  static final String OTHER = "+14155550199";
  static final String SERVICE = "MG9752274e9e519418a7406176694466fa";
  static final String STATUS_URL = "https://ringback.example.com/twilio/text-status?business=acme&text=17";
  static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
  static final Duration DEADLINE = Duration.ofSeconds(10);

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

  static TwilioTelephony telephony(int timeoutSeconds) {
    return new TwilioTelephony(vertx, new RingbackConfig.Twilio(ACCOUNT_SID, AUTH_TOKEN, twilio.baseUrl(), 4, timeoutSeconds, 5, 10));
  }

  /** A twilio-java client pointed at the stand-in, to make and read texts as Twilio would show them. */
  static TwilioRestClient restClient() {
    return new TwilioRestClient.Builder(ACCOUNT_SID, AUTH_TOKEN).accountSid(ACCOUNT_SID)
        .httpClient(new RebasedHttpClient(twilio.baseUrl(), 5)).build();
  }

  /** Runs the request on an event-loop context, as a verticle would, and waits for its result. */
  static <T> T onEventLoop(Supplier<Future<T>> request, Duration wait) throws Exception {
    return Future.<T>future(p -> vertx.runOnContext(v -> request.get().onComplete(p)))
        .toCompletionStage().toCompletableFuture().get(wait.toMillis(), MILLISECONDS);
  }

  static <T> T onEventLoop(Supplier<Future<T>> request) throws Exception {
    return onEventLoop(request, DEADLINE);
  }

  static TelephonyException failure(Supplier<Future<SentText>> request, Duration wait) throws Exception {
    try {
      SentText sent = onEventLoop(request, wait);
      return fail("expected a failure, the text was sent: " + sent);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TelephonyException.class);
      return (TelephonyException) e.getCause();
    }
  }

  /** Waits for the next whole second, so that what was created before falls before a {@code since} taken now. */
  static Instant nextSecond() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    RingbackServer.await("the next second", Duration.ofSeconds(3), () -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(before));
    return Instant.now();
  }

  static List<RecordedRequest> listRequests() {
    return twilio.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals(MESSAGES_PATH)).toList();
  }

  @Test
  void sendsATextFromALinesNumber() throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SentText sent = onEventLoop(() -> telephony(10).sendText(new OutgoingText(FROM, null, TO, "Sorry we missed you.", null)));

    RecordedRequest request = twilio.awaitMessageCreations(1, DEADLINE);
    assertThat(request.path()).isEqualTo(MESSAGES_PATH);
    assertThat(request.form()).containsOnlyKeys("To", "From", "Body");
    assertThat(request.params("To")).containsExactly(TO);
    assertThat(request.params("From")).containsExactly(FROM);
    assertThat(request.params("Body")).containsExactly("Sorry we missed you.");

    JsonObject stored = twilio.messages().get(0);
    assertThat(sent.sid()).matches("^SM[0-9a-f]{32}$").isEqualTo(stored.getString("sid"));
    assertThat(sent).returns(FROM, SentText::from).returns(TO, SentText::to).returns("Sorry we missed you.", SentText::body)
        .returns("queued", SentText::status);
    assertThat(sent.created()).isBetween(before, Instant.now());
    assertThat(stored.getString("messaging_service_sid")).isNull();
    assertThat(stored.getString("num_segments")).isEqualTo("1");
  }

  @Test
  void sendsThroughAMessagingServiceWithAStatusCallback() throws Exception {
    twilio.messagingServiceSender("+14155550142");
    String body = "Вам перезвонят в течение 10 минут. Ответьте СТОП, чтобы отписаться от сообщений.";
    SentText sent = onEventLoop(() -> telephony(10).sendText(new OutgoingText(null, SERVICE, TO, body, STATUS_URL)));

    RecordedRequest request = twilio.awaitMessageCreations(1, DEADLINE);
    assertThat(request.form()).containsOnlyKeys("To", "MessagingServiceSid", "Body", "StatusCallback");
    assertThat(request.params("MessagingServiceSid")).containsExactly(SERVICE);
    assertThat(request.params("StatusCallback")).containsExactly(STATUS_URL);
    // The service picks the sender once the text moves on; until then Twilio names none.
    assertThat(sent).returns(null, SentText::from).returns("accepted", SentText::status);
    JsonObject stored = twilio.messages().get(0);
    assertThat(stored.getString("messaging_service_sid")).isEqualTo(SERVICE);
    assertThat(stored.getString("num_segments")).as("82 Cyrillic characters: two UCS-2 parts").isEqualTo("2");

    twilio.setMessageStatus(sent.sid(), "sent", null);
    assertThat(onEventLoop(() -> telephony(10).findTexts(TO, sent.created()))).singleElement()
        .returns(sent.sid(), SentText::sid).returns("+14155550142", SentText::from).returns("sent", SentText::status);
  }

  @Test
  void aTextWhoseAnswerNeverCameIsFoundAndOlderTextsAreNot() throws Exception {
    TwilioTelephony telephony = telephony(1);
    Instant first = Instant.now();
    SentText older = onEventLoop(() -> telephony.sendText(new OutgoingText(FROM, null, TO, "An older text", null)));
    onEventLoop(() -> telephony.sendText(new OutgoingText(FROM, null, OTHER, "Another customer's", null)));
    Instant since = nextSecond();
    twilio.hangNextMessage();

    TelephonyException failure = failure(() -> telephony.sendText(new OutgoingText(FROM, null, TO, "We called you back", null)),
        Duration.ofSeconds(45));

    assertThat(failure.kind()).isEqualTo(TelephonyException.Kind.AMBIGUOUS);
    assertThat(twilio.messageCreations()).hasSize(3);
    String hung = twilio.messages().get(2).getString("sid");
    assertThat(onEventLoop(() -> telephony.findTexts(TO, since))).singleElement()
        .returns(hung, SentText::sid).returns("We called you back", SentText::body).returns("queued", SentText::status);
    assertThat(listRequests()).singleElement().extracting(RecordedRequest::query)
        .as("filtered by To only: a queued text has no DateSent").isEqualTo(Map.of("To", List.of(TO), "PageSize", List.of("50")));

    assertThat(onEventLoop(() -> telephony.findTexts(TO, first.minusSeconds(1)))).as("newest first")
        .extracting(SentText::sid).containsExactly(hung, older.sid());
    twilio.dropHungRequests();
  }

  @ParameterizedTest(name = "{0} {1} is {3}")
  @CsvSource(delimiter = '|', textBlock = """
      400 | 21610 | Attempt to send to unsubscribed recipient | PERMANENT
      400 | 21614 | 'To' number is not a valid mobile number  | PERMANENT
      500 | 20500 | An internal server error has occurred      | RETRYABLE
      429 | 20429 | Too Many Requests                          | RETRYABLE
      """)
  void aRefusalSaysWhetherToRetry(int status, int code, String message, TelephonyException.Kind kind) throws Exception {
    twilio.failNextMessage(status, code, message);

    TelephonyException failure = failure(() -> telephony(10).sendText(new OutgoingText(FROM, null, TO, "Hello", null)), DEADLINE);

    assertThat(failure.kind()).isEqualTo(kind);
    assertThat(failure.code()).isEqualTo(code);
    assertThat(failure.getMessage()).contains(message);
    assertThat(twilio.messageCreations()).as("sent once: retries are Ringback's").hasSize(1);
    assertThat(twilio.messages()).isEmpty();
  }

  @Test
  void findTextsPagesThroughNewTextsAndStopsAtTheFirstOlderOne() throws Exception {
    TwilioRestClient client = restClient();
    for (int i = 0; i < 50; i++) {
      Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "old " + i).create(client);
    }
    Instant since = nextSecond();
    for (int i = 0; i < 52; i++) {
      Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "new " + i).create(client);
    }
    List<String> newest = new ArrayList<>(twilio.messages().stream().skip(50).map(m -> m.getString("sid")).toList());
    Collections.reverse(newest);
    int before = listRequests().size();

    List<SentText> found = onEventLoop(() -> telephony(10).findTexts(TO, since));

    assertThat(found).extracting(SentText::sid).containsExactlyElementsOf(newest);
    assertThat(listRequests().size() - before).as("pages read: the second holds the first older text, the third is not read")
        .isEqualTo(2);
  }

  @Test
  void theStandInListsAndFetchesTextsAsTwilio() throws Exception {
    TwilioRestClient client = restClient();
    Message first = Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "first").create(client);
    Message second = Message.creator(new PhoneNumber(OTHER), new PhoneNumber(FROM), "second").create(client);
    twilio.setMessageStatus(first.getSid(), "delivered", null);

    Message fetched = Message.fetcher(ACCOUNT_SID, first.getSid()).fetch(client);
    assertThat(fetched.getStatus()).isEqualTo(Message.Status.DELIVERED);
    assertThat(fetched.getDateSent()).isNotNull();
    assertThat(fetched.getFrom()).hasToString(FROM);
    assertThat(fetched.getTo()).isEqualTo(TO);
    assertThat(fetched.getUri()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + first.getSid() + ".json");

    // DateSent filters compare date_sent: the queued text has none.
    ZonedDateTime yesterday = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1);
    assertThat(Message.reader(ACCOUNT_SID).setDateSentAfter(yesterday).read(client)).extracting(Message::getSid)
        .containsExactly(first.getSid());
    assertThat(Message.reader(ACCOUNT_SID).setTo(OTHER).read(client)).extracting(Message::getSid).containsExactly(second.getSid());
    assertThat(Message.reader(ACCOUNT_SID).read(client)).extracting(Message::getSid).containsExactly(second.getSid(), first.getSid());

    JsonObject page = get(MESSAGES_PATH + "?To=%2B14155550123&DateSent%3E=2008-01-02&PageSize=1", 200);
    assertThat(page.fieldNames()).containsExactlyInAnyOrder("messages", "end", "first_page_uri", "next_page_uri", "page", "page_size",
        "previous_page_uri", "start", "uri");
    assertThat(page.getJsonArray("messages")).hasSize(1);
    assertThat(page.getString("uri")).isEqualTo(MESSAGES_PATH + "?To=%2B14155550123&DateSent%3E=2008-01-02&PageSize=1&Page=0");
    assertThat(page.getString("next_page_uri")).isNull();
    assertThat(get(MESSAGES_PATH + "?DateSent%3C=2008-01-02", 200).getJsonArray("messages")).isEmpty();
    // Other forms of DateSent in Twilio's own examples.
    assertThat(sids(get(MESSAGES_PATH + "?DateSent%3E=Wed%2C+19+Jun+2019+22%3A04%3A00+-0000", 200))).containsExactly(first.getSid());
    assertThat(sids(get(MESSAGES_PATH + "?DateSent%3E=2019-06-11+22%3A05%3A25.000", 200))).containsExactly(first.getSid());
    assertThat(get(MESSAGES_PATH + "?DateSent=yesterday", 400).getInteger("code")).isEqualTo(20001);

    // A page token goes on after the text it names, also when a newer text came in between.
    JsonObject newest = get(MESSAGES_PATH + "?PageSize=1", 200);
    assertThat(sids(newest)).containsExactly(second.getSid());
    Message third = Message.creator(new PhoneNumber(TO), new PhoneNumber(FROM), "third").create(client);
    JsonObject next = get(newest.getString("next_page_uri"), 200);
    assertThat(sids(next)).containsExactly(first.getSid());
    assertThat(next.getString("next_page_uri")).isNull();
    assertThat(sids(get(MESSAGES_PATH + "?PageSize=1", 200))).containsExactly(third.getSid());

    JsonObject missing = get("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/SM00000000000000000000000000000000.json", 404);
    assertThat(missing.getInteger("code")).isEqualTo(20404);
  }

  static List<String> sids(JsonObject page) {
    return page.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("sid")).toList();
  }

  static JsonObject get(String pathAndQuery, int status) throws Exception {
    String basic = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(twilio.baseUrl() + pathAndQuery)).header("Authorization", basic).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return new JsonObject(response.body());
  }

  /** A status callback as the simulator posted it. */
  record Callback(String uri, MultiMap form) {}

  @Test
  void theSimulatorReportsSentThenDeliveredToTheStatusCallback() throws Exception {
    List<Callback> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = vertx.createHttpServer()
        .requestHandler(request -> {
          request.setExpectMultipart(true);
          request.endHandler(v -> {
            received.add(new Callback(request.uri(), MultiMap.caseInsensitiveMultiMap().addAll(request.formAttributes())));
            request.response().setStatusCode(204).end();
          });
        })
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, SECONDS);
    try {
      SimulatedTelephony simulator = new SimulatedTelephony(vertx, () -> "http://127.0.0.1:" + receiver.actualPort(), Clock.systemUTC(),
          new Random(7), 1000);
      Instant since = Instant.now();

      SentText sent = onEventLoop(() -> simulator.sendText(new OutgoingText(FROM, null, TO, "We called you back", STATUS_URL)));
      RingbackServer.await("sent and delivered reported", DEADLINE, () -> received.size() == 2);
      assertThat(sent.sid()).matches("^SM[0-9a-f]{32}$");
      assertThat(received).extracting(Callback::uri).containsOnly("/twilio/text-status?business=acme&text=17");
      assertThat(received).extracting(c -> c.form().get("MessageStatus")).containsExactly("sent", "delivered");
      for (Callback callback : received) {
        assertThat(callback.form().get("MessageSid")).isEqualTo(sent.sid());
        assertThat(callback.form().get("SmsSid")).isEqualTo(sent.sid());
        assertThat(callback.form().get("SmsStatus")).isEqualTo(callback.form().get("MessageStatus"));
        assertThat(callback.form().get("AccountSid")).matches("^AC[0-9a-f]{32}$");
        assertThat(callback.form().get("From")).isEqualTo(FROM);
        assertThat(callback.form().get("To")).isEqualTo(TO);
        assertThat(callback.form().get("ApiVersion")).isEqualTo("2010-04-01");
        assertThat(callback.form().contains("MessagingServiceSid")).isFalse();
      }
      assertThat(received.get(1).form().get("RawDlrDoneDate")).matches("^\\d{10}$");
      assertThat(onEventLoop(() -> simulator.findTexts(TO, since))).singleElement()
          .returns(sent.sid(), SentText::sid).returns("delivered", SentText::status);

      SentText viaService = onEventLoop(() -> simulator.sendText(new OutgoingText(null, SERVICE, TO, "Reply 1 to be called", STATUS_URL)));
      assertThat(viaService).returns(null, SentText::from).returns("accepted", SentText::status);
      RingbackServer.await("the service's text reported", DEADLINE, () -> received.size() == 4);
      assertThat(received.subList(2, 4)).allSatisfy(c -> {
        assertThat(c.form().get("MessageSid")).isEqualTo(viaService.sid());
        assertThat(c.form().get("MessagingServiceSid")).isEqualTo(SERVICE);
        assertThat(c.form().get("From")).startsWith("+");
      });

      SentText unreported = onEventLoop(() -> simulator.sendText(new OutgoingText(FROM, null, OTHER, "No callback", null)));
      RingbackServer.await("the text without a callback delivered", DEADLINE, () -> {
        try {
          return onEventLoop(() -> simulator.findTexts(OTHER, since)).get(0).status().equals("delivered");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      assertThat(received).as("nothing posted for " + unreported.sid()).hasSize(4);
      assertThat(onEventLoop(() -> simulator.findTexts(TO, since))).extracting(SentText::sid)
          .as("newest first, to that number only").containsExactly(viaService.sid(), sent.sid());
      assertThat(onEventLoop(() -> simulator.findTexts(TO, Instant.now().plusSeconds(1)))).isEmpty();
    } finally {
      receiver.close().toCompletionStage().toCompletableFuture().get(10, SECONDS);
    }
  }
}
