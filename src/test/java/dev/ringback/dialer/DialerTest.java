package dev.ringback.dialer;

import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.PUBLIC_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The whole loop over HTTP: a trigger, the dispatcher's POST to the Twilio stand-in, the
 * callback's TwiML, its status events, and the outcome, retries and faults.
 */
class DialerTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final Duration DEADLINE = Duration.ofSeconds(15);
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    String yaml = """
        twilio:
          request-timeout-seconds: 1
        dialer:
          calls-per-second: 0
          lease-seconds: 5
          poll-millis: 100
        """ + RingbackServer.LINES_YAML;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static List<TwilioStandIn.RecordedRequest> dialsTo(String phone) {
    return twilio.callCreations().stream().filter(r -> phone.equals(r.param("To"))).toList();
  }

  static void awaitDials(String phone, int n) {
    RingbackServer.await(n + " dial(s) to " + phone, DEADLINE, () -> dialsTo(phone).size() >= n);
    assertThat(dialsTo(phone)).hasSize(n);
  }

  static Map<String, Object> callback(String phone) {
    return db.query("SELECT * FROM callbacks WHERE customer_phone = ? ORDER BY id DESC LIMIT 1", phone).get(0);
  }

  static long scheduleByHand(String phone) {
    var response = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body()).getLong("id");
  }

  static String placedSid(String phone, int attempt) {
    RingbackServer.await("attempt " + attempt + " to be placed", DEADLINE, () -> db.count(
        "SELECT count(*) FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id "
            + "WHERE c.customer_phone = ? AND a.attempt = ? AND a.call_sid IS NOT NULL", phone, attempt) == 1);
    return (String) db.query("SELECT a.call_sid FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id "
        + "WHERE c.customer_phone = ? AND a.attempt = ? AND a.call_sid IS NOT NULL", phone, attempt).get(0).get("call_sid");
  }

  static void status(long callbackId, String sid, String status, int secondsLater, String... extra) {
    List<String> params = new java.util.ArrayList<>(List.of("CallSid", sid, "CallStatus", status,
        "Timestamp", TWILIO.format(clock.instant().plusSeconds(secondsLater)), "Direction", "outbound-api"));
    params.addAll(List.of(extra));
    assertThat(server.twilio("/twilio/status?callback=" + callbackId, params.toArray(String[]::new)).statusCode()).isEqualTo(200);
  }

  static double metric(String name, String... labels) {
    return server.metric(name, labels);
  }

  @Test
  void missedCallerIsCalledBackGreetedByNameAndConnected() {
    String phone = "+14155550140";
    server.api("PUT", "/api/customers/" + phone, "application/json", "{\"name\":\"Nikolay Petrov\",\"tier\":\"vip\"}");
    double connected = metric("ringback_callbacks_finished_total", "trigger=\"missed\"", "outcome=\"connected\"");
    double answered = metric("ringback_calls_total", "direction=\"callback\"", "outcome=\"answered\"");
    double rings = metric("ringback_ring_to_answer_seconds_count", "direction=\"callback\"");
    double ringSum = metric("ringback_ring_to_answer_seconds_sum", "direction=\"callback\"");
    double delays = metric("ringback_callback_delay_seconds_count", "trigger=\"missed\"");

    server.twilio("/twilio/voice", "CallSid", "CAdialer001", "From", phone, "To", LINE_NUMBER);
    server.twilio("/twilio/dial", "CallSid", "CAdialer001", "From", phone, "To", LINE_NUMBER, "DialCallStatus", "no-answer");
    long id = (Long) callback(phone).get("id");
    assertThat(dialsTo(phone)).as("not before the delay").isEmpty();

    clock.advance(Duration.ofSeconds(61));
    awaitDials(phone, 1);
    TwilioStandIn.RecordedRequest dial = dialsTo(phone).get(0);
    assertThat(dial.param("From")).isEqualTo(LINE_NUMBER);
    assertThat(dial.param("Url")).isEqualTo(PUBLIC_URL + "/twilio/callback?callback=" + id);
    assertThat(dial.param("StatusCallback")).isEqualTo(PUBLIC_URL + "/twilio/status?callback=" + id);
    assertThat(dial.params("StatusCallbackEvent")).containsExactly("initiated", "ringing", "answered", "completed");
    assertThat(dial.param("MachineDetection")).isEqualTo("DetectMessageEnd");
    assertThat(dial.param("Timeout")).isEqualTo("25");
    String sid = placedSid(phone, 1);
    assertThat(metric("ringback_callback_delay_seconds_count", "trigger=\"missed\"")).isEqualTo(delays + 1);

    var answer = server.twilio("/twilio/callback?callback=" + id, "CallSid", sid, "From", LINE_NUMBER, "To", phone,
        "CallStatus", "in-progress", "AnsweredBy", "human");
    Element twiml = Xml.parse(answer.body());
    assertThat(Xml.childNames(twiml)).containsExactly("Gather", "Dial");
    Element greeting = Xml.child(twiml, "Gather");
    assertThat(greeting.getAttribute("action")).isEqualTo(PUBLIC_URL + "/twilio/gather?callback=" + id);
    assertThat(greeting.getAttribute("timeout")).as("the agents ring a second later at most").isEqualTo("1");
    assertThat(greeting.getTextContent()).contains("To stop these calls, press 9.");
    // The line speaks en-US: "11:36 PM".
    String when = DateTimeFormatter.ofPattern("h:mm a", Locale.US).format(clock.instant().minusSeconds(61).atZone(java.time.ZoneId.of("America/Los_Angeles")));
    assertThat(Xml.child(greeting, "Say").getTextContent())
        .isEqualTo("Hello Nikolay, this is Acme. You called us at " + when + " and we missed you. Connecting you now.");
    Element agents = Xml.child(twiml, "Dial");
    assertThat(agents.getAttribute("action")).isEqualTo(PUBLIC_URL + "/twilio/dial?callback=" + id);
    assertThat(agents.getAttribute("callerId")).isEqualTo(LINE_NUMBER);
    assertThat(agents.getAttribute("timeout")).as("agents get 2 s, the customer is not left waiting").isEqualTo("2");
    assertThat(Xml.childNames(agents)).containsExactly("Number", "Sip");

    // Out of order and twice: answered before ringing.
    status(id, sid, "initiated", 0);
    status(id, sid, "in-progress", 9, "AnsweredBy", "human");
    status(id, sid, "ringing", 2);
    status(id, sid, "ringing", 2);
    status(id, sid, "completed", 120, "CallDuration", "111");
    status(id, sid, "completed", 120, "CallDuration", "111");

    assertThat(callback(phone)).containsEntry("state", "done").containsEntry("outcome", "connected").containsEntry("attempts", 1);
    assertThat(metric("ringback_callbacks_finished_total", "trigger=\"missed\"", "outcome=\"connected\"")).isEqualTo(connected + 1);
    assertThat(metric("ringback_calls_total", "direction=\"callback\"", "outcome=\"answered\"")).isEqualTo(answered + 1);
    assertThat(metric("ringback_ring_to_answer_seconds_count", "direction=\"callback\"")).isEqualTo(rings + 1);
    assertThat(metric("ringback_ring_to_answer_seconds_sum", "direction=\"callback\"")).isEqualTo(ringSum + 7);
  }

  @Test
  void unansweredAttemptsAreRetriedWithBackoffThenExpire() {
    String phone = "+14155550141";
    double expired = metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"expired\"");
    double placed = metric("ringback_callback_delay_seconds_count", "trigger=\"manual\"");
    double placedSum = metric("ringback_callback_delay_seconds_sum", "trigger=\"manual\"");
    double first = metric("ringback_callback_first_attempt_delay_seconds_count", "trigger=\"manual\"");
    double firstSum = metric("ringback_callback_first_attempt_delay_seconds_sum", "trigger=\"manual\"");
    long id = scheduleByHand(phone);
    awaitDials(phone, 1);
    status(id, placedSid(phone, 1), "no-answer", 25);
    assertThat(metric("ringback_callback_first_attempt_delay_seconds_count", "trigger=\"manual\"")).isEqualTo(first + 1);
    assertThat(metric("ringback_callback_first_attempt_delay_seconds_sum", "trigger=\"manual\"")).as("dialled at once")
        .isEqualTo(firstSum);
    assertThat(callback(phone)).containsEntry("state", "scheduled");
    assertThat(((java.sql.Timestamp) callback(phone).get("due_at")).toInstant()).isEqualTo(clock.instant().plusSeconds(25 + 120));

    clock.advance(Duration.ofMinutes(3));
    awaitDials(phone, 2);
    status(id, placedSid(phone, 2), "busy", 1);
    // The retry counts, from the trigger, among every call placed; how fast we first reacted stays as it was.
    assertThat(metric("ringback_callback_delay_seconds_count", "trigger=\"manual\"")).isEqualTo(placed + 2);
    assertThat(metric("ringback_callback_delay_seconds_sum", "trigger=\"manual\"")).isEqualTo(placedSum + 180);
    assertThat(metric("ringback_callback_first_attempt_delay_seconds_count", "trigger=\"manual\"")).isEqualTo(first + 1);
    assertThat(metric("ringback_callback_first_attempt_delay_seconds_sum", "trigger=\"manual\"")).isEqualTo(firstSum);
    clock.advance(Duration.ofMinutes(11));
    awaitDials(phone, 3);
    status(id, placedSid(phone, 3), "no-answer", 25);

    assertThat(callback(phone)).containsEntry("state", "expired").containsEntry("outcome", "expired").containsEntry("attempts", 3);
    assertThat(metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"expired\"")).isEqualTo(expired + 1);
    assertThat(db.query("SELECT outcome FROM callback_attempts WHERE callback_id = ? ORDER BY attempt", id))
        .extracting(r -> r.get("outcome")).containsExactly("no_answer", "busy", "no_answer");
  }

  @Test
  void queueGaugesComeFromTheDatabase() {
    assertThat(server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"+14155550147\",\"line\":\"main\",\"due_at\":\"" + clock.instant().plus(Duration.ofDays(2)) + "\"}")
        .statusCode()).isEqualTo(201);
    RingbackServer.await("the scheduled gauge to count the new callback", DEADLINE,
        () -> metric("ringback_callback_queue", "state=\"scheduled\"") == db.count("SELECT count(*) FROM callbacks WHERE state = 'scheduled'"));
    assertThat(metric("ringback_callback_queue", "state=\"scheduled\"")).isGreaterThanOrEqualTo(1);
    RingbackServer.await("the due gauge to match the database", DEADLINE,
        () -> metric("ringback_callback_queue", "state=\"due\"") == db.count(
            "SELECT count(*) FROM callbacks WHERE state = 'scheduled' AND due_at <= ?", java.sql.Timestamp.from(clock.instant())));
  }

  @Test
  void answeringMachineGetsAMessageAndEndsTheCallback() {
    String phone = "+14155550142";
    long id = scheduleByHand(phone);
    awaitDials(phone, 1);
    String sid = placedSid(phone, 1);
    var answer = server.twilio("/twilio/callback?callback=" + id, "CallSid", sid, "AnsweredBy", "machine_end_beep");
    Element twiml = Xml.parse(answer.body());
    assertThat(Xml.childNames(twiml)).containsExactly("Say", "Hangup");
    assertThat(Xml.child(twiml, "Say").getTextContent()).contains("Acme").contains("4 1 5, 5 5 5, 0 1 0 0");
    status(id, sid, "in-progress", 5, "AnsweredBy", "machine_end_beep");
    status(id, sid, "completed", 30);
    assertThat(callback(phone)).containsEntry("state", "done").containsEntry("outcome", "machine");
  }

  @Test
  void invalidNumberFailsAtOnceWithTwiliosCode() {
    String phone = "+14155550143";
    double permanent = metric("ringback_twilio_requests_total", "operation=\"create_call\"", "result=\"permanent\"");
    twilio.failNext(400, 21211, "The 'To' number " + phone + " is not a valid phone number.");
    scheduleByHand(phone);
    RingbackServer.await("the callback to fail", DEADLINE, () -> "failed".equals(callback(phone).get("state")));
    assertThat(metric("ringback_twilio_requests_total", "operation=\"create_call\"", "result=\"permanent\"")).isEqualTo(permanent + 1);
    assertThat(callback(phone)).containsEntry("error_code", 21211).containsEntry("outcome", "failed");
    assertThat(dialsTo(phone)).hasSize(1);
  }

  @Test
  void rateLimitedRequestIsRetriedLaterWithoutUsingAnAttempt() {
    String phone = "+14155550144";
    double retryable = metric("ringback_twilio_requests_total", "operation=\"create_call\"", "result=\"retryable\"");
    twilio.failNext(429, 20429, "Too Many Requests");
    scheduleByHand(phone);
    RingbackServer.await("the callback to be requeued", DEADLINE,
        () -> "scheduled".equals(callback(phone).get("state")) && Integer.valueOf(20429).equals(callback(phone).get("error_code")));
    assertThat(metric("ringback_twilio_requests_total", "operation=\"create_call\"", "result=\"retryable\"")).isEqualTo(retryable + 1);
    assertThat(callback(phone)).containsEntry("attempts", 0);
    assertThat(((java.sql.Timestamp) callback(phone).get("due_at")).toInstant()).isAfter(clock.instant());

    clock.advance(Duration.ofSeconds(10));
    awaitDials(phone, 2);
    placedSid(phone, 1);
    assertThat(callback(phone)).containsEntry("state", "dialing").containsEntry("attempts", 1);
  }

  @Test
  void requestWithoutAnswerIsReconciledNotRedialled() {
    String phone = "+14155550145";
    twilio.hangNext();
    scheduleByHand(phone);
    RingbackServer.await("the unanswered request to be marked", DEADLINE,
        () -> Boolean.TRUE.equals(callback(phone).get("needs_reconcile")));
    assertThat(dialsTo(phone)).hasSize(1);

    clock.advance(Duration.ofSeconds(6)); // the lease runs out
    String sid = placedSid(phone, 1);
    assertThat(twilio.calls().stream().map(c -> c.getString("sid"))).contains(sid);
    assertThat(dialsTo(phone)).as("the call existed: no second dial").hasSize(1);
    assertThat(callback(phone)).containsEntry("needs_reconcile", false).containsEntry("state", "dialing");
  }

  @Test
  void agentsNotTakingTheCallMeansNoAgentAndARetry() {
    String phone = "+14155550146";
    double noAgent = metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"no_agent\"");
    long id = scheduleByHand(phone);
    awaitDials(phone, 1);
    String sid = placedSid(phone, 1);
    server.twilio("/twilio/callback?callback=" + id, "CallSid", sid, "AnsweredBy", "human");
    var dial = server.twilio("/twilio/dial?callback=" + id, "CallSid", sid, "DialCallStatus", "no-answer");
    assertThat(Xml.childNames(Xml.parse(dial.body()))).containsExactly("Say", "Hangup");
    status(id, sid, "in-progress", 5, "AnsweredBy", "human");
    status(id, sid, "completed", 40);
    assertThat(callback(phone)).containsEntry("state", "scheduled");
    assertThat(db.query("SELECT outcome FROM callback_attempts WHERE callback_id = ?", id).get(0)).containsEntry("outcome", "no_agent");
    assertThat(metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"no_agent\"")).isEqualTo(noAgent + 1);
  }

  static List<TwilioStandIn.RecordedRequest> lookUps(String sid) {
    return twilio.requests().stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/Calls/" + sid + ".json")).toList();
  }

  @Test
  void aCallWhoseEndWasNeverReportedIsLookedUpAndSettled() {
    String phone = "+14155550149";
    double connected = metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"connected\"");
    double rings = metric("ringback_ring_to_answer_seconds_count", "direction=\"callback\"");
    long id = scheduleByHand(phone);
    awaitDials(phone, 1);
    String sid = placedSid(phone, 1);
    status(id, sid, "ringing", 1);
    Instant dialled = clock.instant();
    // The customer talks to an agent; the status callbacks of the answer and the end are lost.
    twilio.progress(sid, "completed", dialled, dialled.plusSeconds(90), "human");

    clock.advance(Duration.ofSeconds(100));
    assertThat(callback(phone)).containsEntry("state", "dialing");
    assertThat(lookUps(sid)).as("not before ring timeout + status-check-seconds").isEmpty();

    clock.advance(Duration.ofSeconds(50)); // 150 s > 25 s ring timeout + 120 s
    RingbackServer.await("the callback to be settled", DEADLINE, () -> "done".equals(callback(phone).get("state")));
    assertThat(callback(phone)).containsEntry("outcome", "connected");
    assertThat(lookUps(sid)).hasSize(1);
    assertThat(db.query("SELECT outcome, answered_by FROM callback_attempts WHERE callback_id = ?", id).get(0))
        .containsEntry("outcome", "connected").containsEntry("answered_by", "human");
    assertThat(metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"connected\"")).isEqualTo(connected + 1);
    assertThat(metric("ringback_ring_to_answer_seconds_count", "direction=\"callback\"")).as("no answer time: not measured")
        .isEqualTo(rings);

    // The late status callback, when it finally comes, changes nothing.
    status(id, sid, "completed", 90, "CallDuration", "90");
    assertThat(metric("ringback_callbacks_finished_total", "trigger=\"manual\"", "outcome=\"connected\"")).isEqualTo(connected + 1);
  }

  @Test
  void aCallStillGoingOnIsLookedAtAgainUntilItEnds() {
    String phone = "+14155550148";
    long id = scheduleByHand(phone);
    awaitDials(phone, 1);
    String sid = placedSid(phone, 1);
    Instant dialled = clock.instant();
    twilio.progress(sid, "in-progress", dialled, null, "human");

    clock.advance(Duration.ofSeconds(146));
    RingbackServer.await("the call to be looked up", DEADLINE, () -> lookUps(sid).size() == 1);
    assertThat(callback(phone)).containsEntry("state", "dialing");

    twilio.progress(sid, "no-answer", dialled, dialled.plusSeconds(25), null);
    clock.advance(Duration.ofSeconds(121));
    RingbackServer.await("the attempt to end", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND outcome = 'no_answer'", id) == 1);
    assertThat(lookUps(sid)).hasSize(2);
    assertThat(callback(phone)).containsEntry("outcome", null).containsEntry("attempts", 2);
  }
}
