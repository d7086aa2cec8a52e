package dev.ringback.http;

import static dev.ringback.support.RingbackServer.BRAVO_AGENT;
import static dev.ringback.support.RingbackServer.BRAVO_AUTH_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_NUMBER;
import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Business Bravo, with its own valid signature, posts every CallSid-keyed webhook naming the
 * default business's calls and callbacks: none of them changes a row of the default business,
 * and the default business's own webhooks for those calls still apply afterwards.
 */
class CrossBusinessWebhooksTest {
  static final Instant NOW = Instant.parse("2026-11-23T18:05:00Z");
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final String RECORDING = "https://api.twilio.com/2010-04-01/Accounts/ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/Recordings/RE00000000000000000000000000000001";
  static TestDatabase db;
  static RingbackServer server;
  static long acmeId;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    server = RingbackServer.start("feedback:\n  after-inbound: true\n" + RingbackServer.BUSINESSES_YAML,
        RingbackServer.environment(db, "http://127.0.0.1:9"), Clock.fixed(NOW, ZoneOffset.UTC));
    acmeId = (Long) db.query("SELECT id FROM businesses WHERE slug = 'default'").get(0).get("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A webhook of Bravo's, signed with Bravo's token, about its own (named) business. */
  static HttpResponse<String> bravo(String path, String... nameValues) {
    String url = path + (path.contains("?") ? "&" : "?") + "business=bravo";
    HttpResponse<String> response = server.twilioAs(BRAVO_AUTH_TOKEN, url, nameValues);
    assertThat(response.statusCode()).as(url + ": " + response.body()).isLessThan(500);
    return response;
  }

  /** An inbound call to the default business's line, still going on. */
  static void acmeCall(String callSid, String caller) {
    assertThat(server.twilio("/twilio/voice", "CallSid", callSid, "From", caller, "To", LINE_NUMBER, "Direction", "inbound")
        .statusCode()).isEqualTo(200);
  }

  /** An inbound call nobody answered: the default business owes the caller a callback. */
  static long acmeMissedCall(String callSid, String caller) {
    acmeCall(callSid, caller);
    assertThat(server.twilio("/twilio/dial", "CallSid", callSid, "From", caller, "To", LINE_NUMBER, "DialCallStatus", "no-answer")
        .statusCode()).isEqualTo(200);
    return (Long) db.query("SELECT id FROM callbacks WHERE trigger_call_sid = ?", callSid).get(0).get("id");
  }

  /** A callback of the default business being dialled, its attempt's call placed as {@code callSid}. */
  static long acmeCallbackBeingDialled(String phone, String callSid) {
    long id = (Long) db.query("INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, last_triggered_at, "
        + "due_at, state, attempts) SELECT ?, id, ?, 'manual', now(), now(), now(), 'dialing', 1 FROM lines "
        + "WHERE business_id = ? AND slug = 'main' RETURNING id", acmeId, phone, acmeId).get(0).get("id");
    db.query("INSERT INTO callback_attempts (callback_id, attempt, started_at, placed_at, call_sid) VALUES (?, 1, now(), now(), ?) "
        + "RETURNING id", id, callSid);
    return id;
  }

  /** Every row of the default business a call webhook could write, as text. */
  static String acmeRows() {
    return db.businessRows(acmeId);
  }

  @Test
  void aStatusEventOfAnotherBusinessEndsNoneOfTheCallsOfThisOne() {
    acmeCall("CAxbiz0101", "+14155550811");
    String before = acmeRows();
    bravo("/twilio/status", "CallSid", "CAxbiz0101", "CallStatus", "completed", "Direction", "inbound", "From", "+14155550811",
        "To", BRAVO_NUMBER, "Timestamp", TWILIO.format(NOW.plusSeconds(5)));
    assertThat(acmeRows()).as("the default business's rows after Bravo ended its call").isEqualTo(before);

    // The default business's own event is no duplicate of Bravo's: its caller, who hung up, is called back.
    server.twilio("/twilio/status", "CallSid", "CAxbiz0101", "CallStatus", "completed", "Direction", "inbound",
        "Timestamp", TWILIO.format(NOW.plusSeconds(9)));
    assertThat(db.query("SELECT outcome FROM calls WHERE call_sid = 'CAxbiz0101'").get(0)).containsEntry("outcome", "abandoned");
    assertThat(db.query("SELECT business_id, trigger FROM callbacks WHERE trigger_call_sid = 'CAxbiz0101'"))
        .singleElement().satisfies(row -> assertThat(row).containsEntry("business_id", acmeId).containsEntry("trigger", "abandoned"));
  }

  @Test
  void anAgentLegOfAnotherBusinessAnswersNoneOfTheCallsOfThisOne() {
    acmeMissedCall("CAxbiz0201", "+14155550812");
    acmeCallbackBeingDialled("+14155550813", "CAxbiz0202");
    String before = acmeRows();
    // An answered leg under the default business's missed call would cancel its callback; under its callback, name the agent.
    bravo("/twilio/status", "CallSid", "CAxbizleg01", "ParentCallSid", "CAxbiz0201", "CallStatus", "in-progress",
        "Direction", "outbound-dial", "To", BRAVO_AGENT, "Timestamp", TWILIO.format(NOW.plusSeconds(3)));
    bravo("/twilio/status", "CallSid", "CAxbizleg02", "ParentCallSid", "CAxbiz0202", "CallStatus", "in-progress",
        "Direction", "outbound-dial", "To", BRAVO_AGENT, "Timestamp", TWILIO.format(NOW.plusSeconds(3)));
    assertThat(acmeRows()).as("the default business's rows after Bravo answered its calls").isEqualTo(before);
  }

  @Test
  void aDialActionOfAnotherBusinessChangesNoCallOfThisOne() {
    acmeCall("CAxbiz0301", "+14155550814");
    acmeCall("CAxbiz0302", "+14155550815");
    server.twilio("/twilio/status", "CallSid", "CAxbizleg03", "ParentCallSid", "CAxbiz0302", "CallStatus", "in-progress",
        "Direction", "outbound-dial", "To", RingbackServer.AGENT_NUMBER, "Timestamp", TWILIO.format(NOW.plusSeconds(3)));
    acmeCallbackBeingDialled("+14155550816", "CAxbiz0303");
    String before = acmeRows();
    // Unanswered: would set the call's dial status and promise a callback.
    bravo("/twilio/dial", "CallSid", "CAxbiz0301", "From", "+14155550814", "To", BRAVO_NUMBER, "DialCallStatus", "no-answer");
    // Answered: would ask the default business's caller for a score, under that business.
    bravo("/twilio/dial", "CallSid", "CAxbiz0302", "From", "+14155550815", "To", BRAVO_NUMBER, "DialCallStatus", "completed",
        "CallStatus", "in-progress", "DialCallSid", "CAxbizleg03");
    // A callback's <Dial> that no agent took: would mark the attempt as not connected.
    bravo("/twilio/dial?callback=1", "CallSid", "CAxbiz0303", "From", BRAVO_NUMBER, "To", "+14155550816",
        "DialCallStatus", "no-answer");
    bravo("/twilio/feedback", "CallSid", "CAxbiz0302", "From", "+14155550815", "To", BRAVO_NUMBER, "Digits", "1");
    assertThat(acmeRows()).as("the default business's rows after Bravo's dial actions").isEqualTo(before);

    server.twilio("/twilio/dial", "CallSid", "CAxbiz0301", "From", "+14155550814", "To", LINE_NUMBER, "DialCallStatus", "no-answer");
    assertThat(db.query("SELECT dial_status FROM calls WHERE call_sid = 'CAxbiz0301'").get(0)).containsEntry("dial_status", "no-answer");
  }

  @Test
  void aRecordingOfAnotherBusinessIsNotAttachedToTheCallsOfThisOne() {
    long callback = acmeMissedCall("CAxbiz0401", "+14155550817");
    String before = acmeRows();
    bravo("/twilio/recording", "CallSid", "CAxbiz0401", "RecordingUrl", RECORDING);
    bravo("/twilio/recording?callback=" + callback, "CallSid", "CAxbiz0401", "RecordingUrl", RECORDING, "RecordingStatus", "completed");
    assertThat(acmeRows()).as("the default business's rows after Bravo's recordings").isEqualTo(before);
  }

  @Test
  void aTimeChosenThroughAnotherBusinessMovesNoCallbackOfThisOne() {
    long callback = acmeMissedCall("CAxbiz0501", "+14155550818");
    String before = acmeRows();
    for (String path : List.of("/twilio/when?step=time&day=2", "/twilio/when?step=time&day=2&callback=" + callback)) {
      HttpResponse<String> chosen = bravo(path, "CallSid", "CAxbiz0501", "From", "+14155550818", "To", BRAVO_NUMBER, "Digits", "1000");
      assertThat(chosen.body()).doesNotContain("tomorrow at 10:00");
    }
    assertThat(acmeRows()).as("the default business's rows after Bravo chose a time").isEqualTo(before);
  }

  @Test
  void aKeyPressedThroughAnotherBusinessListsNoNumberOfThisOne() {
    long callback = acmeCallbackBeingDialled("+14155550819", "CAxbiz0601");
    String before = acmeRows();
    bravo("/twilio/gather?callback=" + callback, "CallSid", "CAxbiz0601", "From", BRAVO_NUMBER, "To", "+14155550819", "Digits", "9");
    bravo("/twilio/gather?callback=" + callback, "CallSid", "CAxbiz0601", "From", BRAVO_NUMBER, "To", "+14155550819", "Digits", "1");
    assertThat(acmeRows()).as("the default business's rows after Bravo's key presses").isEqualTo(before);
  }
}
