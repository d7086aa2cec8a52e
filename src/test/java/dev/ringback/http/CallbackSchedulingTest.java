package dev.ringback.http;

import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.PUBLIC_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.Xml;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Missed, abandoned and dropped calls become one open callback per customer, cancelled when they get through. */
class CallbackSchedulingTest {
  static final Instant NOW = Instant.parse("2026-11-23T14:05:00Z");
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    server = RingbackServer.startAt(db, NOW);
    server.api("PUT", "/api/customers/+14155550130", "application/json", "{\"name\":\"Vera\",\"tier\":\"vip\"}");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void incoming(String callSid, String from) {
    assertThat(server.twilio("/twilio/voice", "CallSid", callSid, "From", from, "To", LINE_NUMBER).statusCode()).isEqualTo(200);
  }

  static Element dial(String callSid, String from, String status) {
    var response = server.twilio("/twilio/dial", "CallSid", callSid, "From", from, "To", LINE_NUMBER, "DialCallStatus", status);
    assertThat(response.statusCode()).isEqualTo(200);
    return Xml.parse(response.body());
  }

  static void event(String callSid, String parent, String status, int secondsAfterNow) {
    List<String> params = new java.util.ArrayList<>(List.of("CallSid", callSid, "CallStatus", status,
        "Timestamp", TWILIO.format(NOW.plusSeconds(secondsAfterNow))));
    if (parent != null) {
      params.addAll(List.of("ParentCallSid", parent));
    }
    assertThat(server.twilio("/twilio/status", params.toArray(String[]::new)).statusCode()).isEqualTo(200);
  }

  static List<Map<String, Object>> callbacks(String phone) {
    return db.query("SELECT * FROM callbacks WHERE customer_phone = ? ORDER BY id", phone);
  }

  static double scheduled(String trigger) {
    return server.metric("ringback_callbacks_scheduled_total", "trigger=\"" + trigger + "\"");
  }

  static Instant instant(Object timestamp) {
    return ((Timestamp) timestamp).toInstant();
  }

  @Test
  void missedCallIsPromisedACallbackAndMayLeaveAVoicemail() {
    String phone = "+14155550130";
    double before = scheduled("missed");
    incoming("CAmiss0001", phone);
    Element twiml = dial("CAmiss0001", phone, "no-answer");

    assertThat(Xml.childNames(twiml)).containsExactly("Gather", "Record", "Say", "Hangup");
    Element message = Xml.child(twiml, "Gather");
    assertThat(message.getTextContent()).contains("call you back within 5 minutes").contains("press 2");
    var rows = callbacks(phone);
    // The time chosen and the voicemail left go to this callback only.
    long id = (Long) rows.get(0).get("id");
    assertThat(message.getAttribute("action")).isEqualTo(PUBLIC_URL + "/twilio/when?callback=" + id);
    Element record = Xml.child(twiml, "Record");
    assertThat(record.getAttribute("action")).isEqualTo(PUBLIC_URL + "/twilio/recording?callback=" + id);
    assertThat(record.getAttribute("recordingStatusCallback")).isEqualTo(PUBLIC_URL + "/twilio/recording?callback=" + id);
    assertThat(record.getAttribute("maxLength")).isEqualTo("120");

    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsEntry("trigger", "missed").containsEntry("state", "scheduled")
        .containsEntry("trigger_count", 1).containsEntry("priority", 110).containsEntry("trigger_call_sid", "CAmiss0001");
    // A VIP (priority 110) waits no longer than callbacks.vip-delay-seconds, not the missed call's 60 s.
    assertThat(instant(rows.get(0).get("due_at"))).isEqualTo(NOW.plusSeconds(15));
    assertThat(scheduled("missed")).isEqualTo(before + 1);

    // The voicemail: the <Record> action thanks the caller, the status callback attaches the file.
    String url = "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Recordings/RE00000000000000000000000000000123";
    var action = server.twilio("/twilio/recording?callback=" + id, "CallSid", "CAmiss0001", "RecordingUrl", url, "RecordingDuration", "12");
    assertThat(Xml.childNames(Xml.parse(action.body()))).containsExactly("Say", "Hangup");
    var status = server.twilio("/twilio/recording?callback=" + id, "CallSid", "CAmiss0001", "RecordingUrl", url,
        "RecordingStatus", "completed");
    assertThat(Xml.childNames(Xml.parse(status.body()))).isEmpty();
    assertThat(callbacks(phone).get(0)).containsEntry("recording_url", url);

    // The call ends: counted as missed, and no second callback.
    event("CAmiss0001", null, "completed", 90);
    assertThat(callbacks(phone)).hasSize(1);
    assertThat(callbacks(phone).get(0)).containsEntry("trigger_count", 1);
  }

  @Test
  void repeatedMissedCallsUpdateTheOpenCallbackAndDuplicatesCountOnce() {
    String phone = "+14155550131";
    double before = scheduled("missed");
    incoming("CAmiss0002", phone);
    dial("CAmiss0002", phone, "busy");
    dial("CAmiss0002", phone, "busy"); // Twilio delivered the same webhook twice
    incoming("CAmiss0003", phone);
    dial("CAmiss0003", phone, "no-answer");

    var rows = callbacks(phone);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsEntry("trigger_count", 2).containsEntry("priority", 10);
    assertThat(scheduled("missed")).isEqualTo(before + 1);
  }

  @Test
  void callerWhoHangsUpFirstIsAbandonedAndCalledBack() {
    String phone = "+14155550132";
    double before = scheduled("abandoned");
    incoming("CAaban0001", phone);
    event("CAleg0aban1", "CAaban0001", "ringing", 1);
    event("CAaban0001", null, "completed", 9);
    event("CAaban0001", null, "completed", 9);

    var rows = callbacks(phone);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsEntry("trigger", "abandoned");
    assertThat(instant(rows.get(0).get("due_at"))).isEqualTo(NOW.plusSeconds(9 + 60));
    assertThat(scheduled("abandoned")).isEqualTo(before + 1);
  }

  @Test
  void answeredCallCutShortIsDroppedAndCalledBackSooner() {
    String phone = "+14155550133";
    double droppedCalls = server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"dropped\"");
    incoming("CAdrop0001", phone);
    event("CAleg0drop1", "CAdrop0001", "in-progress", 6);
    event("CAdrop0001", null, "completed", 20);

    var rows = callbacks(phone);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsEntry("trigger", "dropped").containsEntry("priority", 20);
    assertThat(instant(rows.get(0).get("due_at"))).isEqualTo(NOW.plusSeconds(20 + 30));
    assertThat(server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"dropped\"")).isEqualTo(droppedCalls + 1);
  }

  @Test
  void longAnsweredCallTriggersNothing() {
    String phone = "+14155550134";
    incoming("CAlong0001", phone);
    event("CAleg0long1", "CAlong0001", "in-progress", 6);
    event("CAlong0001", null, "completed", 300);
    assertThat(callbacks(phone)).isEmpty();
  }

  @Test
  void customerWhoGetsThroughHasTheirCallbackCancelled() {
    String phone = "+14155550135";
    double cancelled = server.metric("ringback_callbacks_finished_total", "trigger=\"missed\"", "outcome=\"cancelled\"");
    incoming("CAcanc0001", phone);
    dial("CAcanc0001", phone, "no-answer");
    incoming("CAcanc0002", phone);
    event("CAleg0canc2", "CAcanc0002", "in-progress", 5);

    var rows = callbacks(phone);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsEntry("state", "cancelled").containsEntry("outcome", "cancelled");
    assertThat(server.metric("ringback_callbacks_finished_total", "trigger=\"missed\"", "outcome=\"cancelled\""))
        .isEqualTo(cancelled + 1);

    // A later miss opens a new callback.
    incoming("CAcanc0003", phone);
    dial("CAcanc0003", phone, "no-answer");
    assertThat(callbacks(phone)).hasSize(2);
    assertThat(callbacks(phone).get(1)).containsEntry("state", "scheduled");
  }

  @Test
  void anonymousCallerIsNotPromisedACallback() {
    incoming("CAanon0002", "anonymous");
    Element twiml = dial("CAanon0002", "anonymous", "no-answer");
    assertThat(Xml.childNames(twiml)).containsExactly("Say", "Hangup");
    assertThat(Xml.child(twiml, "Say").getTextContent()).doesNotContain("call you back");
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE trigger_call_sid = 'CAanon0002'")).isZero();
  }

  @Test
  void recordingWithoutAUsableUrlAttachesNothing() {
    var response = server.twilio("/twilio/recording", "CallSid", "CAmiss0009", "RecordingUrl", "javascript:alert(1)");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(db.count("SELECT count(*) FROM calls WHERE recording_url IS NOT NULL AND call_sid = 'CAmiss0009'")).isZero();
    assertThat(server.twilio("/twilio/recording", "RecordingUrl", "https://x").statusCode()).isEqualTo(400);
  }

  @Test
  void aRecordingOnAHostOtherThanTwiliosIsNotStored() {
    String phone = "+14155550136";
    incoming("CAhost0001", phone);
    Element twiml = dial("CAhost0001", phone, "no-answer");
    String recording = Xml.child(twiml, "Record").getAttribute("action").substring(PUBLIC_URL.length());
    for (String url : List.of("https://attacker.example.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Recordings/RE00000000000000000000000000000001",
        "http://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Recordings/RE00000000000000000000000000000001",
        "https://api.twilio.com.attacker.example.com/Recordings/RE1",
        "https://api.twilio.com@attacker.example.com/Recordings/RE1",
        "https://user@api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Recordings/RE00000000000000000000000000000001",
        "https://api.twilio.com:8443/2010-04-01/Accounts/AC00000000000000000000000000000001/Recordings/RE00000000000000000000000000000001",
        "https://evil-twilio.com/Recordings/RE1")) {
      var action = server.twilio(recording, "CallSid", "CAhost0001", "RecordingUrl", url, "RecordingDuration", "5");
      assertThat(action.statusCode()).isEqualTo(200);
      // The caller is thanked all the same; the status callback gets an empty document.
      assertThat(Xml.childNames(Xml.parse(action.body()))).as(url).containsExactly("Say", "Hangup");
      var status = server.twilio(recording, "CallSid", "CAhost0001", "RecordingUrl", url, "RecordingStatus", "completed");
      assertThat(status.statusCode()).isEqualTo(200);
      assertThat(Xml.childNames(Xml.parse(status.body()))).as(url).isEmpty();
      assertThat(db.query("SELECT recording_url FROM calls WHERE call_sid = 'CAhost0001'").get(0)).as(url)
          .containsEntry("recording_url", null);
      assertThat(callbacks(phone).get(0)).as(url).containsEntry("recording_url", null).containsEntry("task_reason", null);
    }

    // Twilio's regional media host is taken.
    String regional = "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Recordings/RE00000000000000000000000000000002";
    server.twilio(recording, "CallSid", "CAhost0001", "RecordingUrl", regional, "RecordingStatus", "completed");
    assertThat(callbacks(phone).get(0)).containsEntry("recording_url", regional);
  }
}
