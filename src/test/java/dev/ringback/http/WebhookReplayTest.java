package dev.ringback.http;

import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.PUBLIC_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * A captured webhook sent again, byte for byte with its valid signature, changes nothing: the
 * key 9 does not put a number back on the do-not-call list after an admin lifted it, a time
 * chosen in an old call moves no later callback, and an old voicemail is attached to no later
 * callback. The clock stands at 10:00 on a Monday in Los Angeles (the line's time zone).
 */
class WebhookReplayTest {
  static final Instant NOW = Instant.parse("2026-11-23T18:00:00Z");
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static TestDatabase db;
  static RingbackServer server;

  /** A webhook as sent, to send again byte for byte, and what it was answered. */
  record Sent(String pathAndQuery, List<Map.Entry<String, String>> params, String signature, HttpResponse<String> response) {
    Element twiml() {
      return Xml.parse(response.body());
    }
  }

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    server = RingbackServer.start(RingbackServer.LINES_YAML, RingbackServer.environment(db, "http://127.0.0.1:9"),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Sent send(String pathAndQuery, String... nameValues) {
    List<Map.Entry<String, String>> params = RingbackServer.pairs(nameValues);
    String signature = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, PUBLIC_URL + pathAndQuery, params);
    HttpResponse<String> response = server.twilioSigned(pathAndQuery, signature, params);
    assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    return new Sent(pathAndQuery, params, signature, response);
  }

  static void again(Sent sent) {
    HttpResponse<String> response = server.twilioSigned(sent.pathAndQuery(), sent.signature(), sent.params());
    assertThat(response.statusCode()).as("again: " + sent.pathAndQuery() + ": " + response.body()).isEqualTo(200);
    Xml.parse(response.body());
  }

  /** The path and query of a URL Ringback gave Twilio. */
  static String path(String url) {
    assertThat(url).startsWith(PUBLIC_URL + "/twilio/");
    return url.substring(PUBLIC_URL.length());
  }

  static Element missedCall(String callSid, String phone) {
    send("/twilio/voice", "CallSid", callSid, "From", phone, "To", LINE_NUMBER, "Direction", "inbound");
    return send("/twilio/dial", "CallSid", callSid, "From", phone, "To", LINE_NUMBER, "DialCallStatus", "no-answer").twiml();
  }

  static void ended(String callSid, int secondsAfterNow) {
    send("/twilio/status", "CallSid", callSid, "CallStatus", "completed", "Direction", "inbound",
        "Timestamp", TWILIO.format(NOW.plusSeconds(secondsAfterNow)));
  }

  /** The caller calls again and an agent answers: their waiting callback is no longer needed. */
  static void getsThrough(String callSid, String phone) {
    send("/twilio/voice", "CallSid", callSid, "From", phone, "To", LINE_NUMBER, "Direction", "inbound");
    send("/twilio/status", "CallSid", callSid + "leg", "ParentCallSid", callSid, "CallStatus", "in-progress",
        "Direction", "outbound-dial", "To", RingbackServer.AGENT_NUMBER, "Timestamp", TWILIO.format(NOW.plusSeconds(5)));
  }

  /** Presses 2 during the missed-call message, then the day and the time, following the URLs Ringback gives. */
  static Sent chooseTime(Element missed, String callSid, String phone, String day, String time) {
    String offer = path(Xml.child(missed, "Gather").getAttribute("action"));
    Element askDay = send(offer, "CallSid", callSid, "From", phone, "To", LINE_NUMBER, "Digits", "2").twiml();
    Element askTime = send(path(Xml.child(askDay, "Gather").getAttribute("action")), "CallSid", callSid, "From", phone,
        "To", LINE_NUMBER, "Digits", day).twiml();
    return send(path(Xml.child(askTime, "Gather").getAttribute("action")), "CallSid", callSid, "From", phone, "To", LINE_NUMBER,
        "Digits", time);
  }

  static Map<String, Object> openCallback(String phone) {
    List<Map<String, Object>> open = db.query("SELECT id, trigger, trigger_call_sid, due_at, state, recording_url, task_reason, "
        + "updated_at FROM callbacks WHERE customer_phone = ? AND state IN ('scheduled', 'dialing', 'agent_queue')", phone);
    assertThat(open).as("open callbacks of " + phone).hasSize(1);
    return open.get(0);
  }

  static Instant due(String phone) {
    return ((Timestamp) openCallback(phone).get("due_at")).toInstant();
  }

  static boolean listed(String phone) {
    return db.count("SELECT count(*) FROM do_not_call WHERE phone = ?", phone) == 1;
  }

  @Test
  void nineSentAgainAfterAnAdminLiftedTheListingDoesNotListTheNumberAgain() {
    String phone = "+14155550841";
    long callback = new JsonObject(server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"" + phone + "\",\"line\":\"main\",\"due_at\":\"2026-11-30T18:00:00Z\"}").body()).getLong("id");
    Sent pressed = send("/twilio/gather?callback=" + callback, "CallSid", "CArply0101", "From", LINE_NUMBER, "To", phone,
        "Digits", "9", "Direction", "outbound-api");
    assertThat(listed(phone)).isTrue();
    assertThat(server.api("PUT", "/api/customers/%2B14155550841/do-not-call", "application/json", "{\"do_not_call\":false}")
        .statusCode()).isEqualTo(200);

    again(pressed);
    assertThat(listed(phone)).as("listed again by the replayed key press").isFalse();
    assertThat(db.count("SELECT count(*) FROM customer_notes WHERE customer_phone = ? AND outcome = 'do_not_call'", phone)).isEqualTo(1);

    // Pressed in another call, 9 lists the number again.
    long next = new JsonObject(server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"" + phone + "\",\"line\":\"main\",\"due_at\":\"2026-11-30T18:00:00Z\"}").body()).getLong("id");
    send("/twilio/gather?callback=" + next, "CallSid", "CArply0102", "From", LINE_NUMBER, "To", phone, "Digits", "9",
        "Direction", "outbound-api");
    assertThat(listed(phone)).isTrue();
  }

  @Test
  void aTimeChosenInAnOldCallAndSentAgainMovesNoLaterCallback() {
    String phone = "+14155550842";
    Sent chosen = chooseTime(missedCall("CArply0201", phone), "CArply0201", phone, "2", "1000");
    assertThat(chosen.response().body()).contains("tomorrow at 10:00");
    assertThat(due(phone)).isEqualTo(Instant.parse("2026-11-24T18:00:00Z"));
    ended("CArply0201", 60);
    getsThrough("CArply0202", phone);
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = ? AND state = 'scheduled'", phone)).isZero();

    missedCall("CArply0203", phone);
    Map<String, Object> later = openCallback(phone);
    again(chosen);
    // The same choice from before the callback ids were in the URLs: signed anew, as a capture from then would be.
    send("/twilio/when?step=time&day=2", "CallSid", "CArply0201", "From", phone, "To", LINE_NUMBER, "Digits", "1000");
    assertThat(openCallback(phone)).as("the later call's callback").isEqualTo(later);
  }

  @Test
  void aTimeChosenAgainDoesNotUndoALaterChoiceForTheSameCallback() {
    String phone = "+14155550843";
    Sent first = chooseTime(missedCall("CArply0301", phone), "CArply0301", phone, "2", "1000");
    ended("CArply0301", 60);
    Sent second = chooseTime(missedCall("CArply0302", phone), "CArply0302", phone, "3", "1100");
    assertThat(second.response().body()).contains("at 11:00");
    Map<String, Object> chosen = openCallback(phone);
    assertThat(due(phone)).isEqualTo(Instant.parse("2026-11-25T19:00:00Z"));

    again(first);
    assertThat(openCallback(phone)).isEqualTo(chosen);
    // A Twilio retry of the second choice is answered as the first time, and changes nothing either.
    again(second);
    assertThat(openCallback(phone)).isEqualTo(chosen);
  }

  @Test
  void aVoicemailSentAgainIsNotAttachedToALaterCallback() {
    String phone = "+14155550844";
    String url = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE00000000000000000000000020c90401";
    Element missed = missedCall("CArply0401", phone);
    String recording = path(Xml.child(missed, "Record").getAttribute("action"));
    Sent action = send(recording, "CallSid", "CArply0401", "RecordingUrl", url, "RecordingDuration", "7");
    Sent status = send(recording, "CallSid", "CArply0401", "RecordingUrl", url, "RecordingStatus", "completed");
    assertThat(openCallback(phone)).containsEntry("recording_url", url);
    ended("CArply0401", 60);
    getsThrough("CArply0402", phone);

    missedCall("CArply0403", phone);
    Map<String, Object> later = openCallback(phone);
    assertThat(later).containsEntry("recording_url", null);
    again(action);
    again(status);
    // The same voicemail from before the callback ids were in the URLs: signed anew, as a capture from then would be.
    send("/twilio/recording", "CallSid", "CArply0401", "RecordingUrl", url, "RecordingStatus", "completed");
    assertThat(openCallback(phone)).as("the later call's callback").isEqualTo(later);
  }
}
