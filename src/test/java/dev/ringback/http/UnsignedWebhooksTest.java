package dev.ringback.http;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default business has no Twilio credentials, so its webhooks are not signed; Bravo's are.
 * Unsigned requests, which are the default business's, cannot write a row of Bravo's calls,
 * callbacks or numbers, whatever CallSid or callback id they name.
 */
class UnsignedWebhooksTest {
  static final Instant NOW = Instant.parse("2026-11-23T18:05:00Z");
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final String CALLER = "+14155550831";
  static final String RECORDING = "https://api.twilio.com/2010-04-01/Accounts/ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/Recordings/RE00000000000000000000000000000002";
  static TestDatabase db;
  static RingbackServer server;
  static long bravoId;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, null));
    env.put("RINGBACK_TWILIO_API_URL", "http://127.0.0.1:9");
    server = RingbackServer.start(RingbackServer.BUSINESSES_YAML, env, Clock.fixed(NOW, ZoneOffset.UTC));
    bravoId = (Long) db.query("SELECT id FROM businesses WHERE slug = 'bravo'").get(0).get("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> unsigned(String path, String... nameValues) {
    HttpResponse<String> response = server.twilioSigned(path, null, RingbackServer.pairs(nameValues));
    assertThat(response.statusCode()).as(path + ": " + response.body()).isLessThan(500);
    return response;
  }

  static String bravoRows() {
    return db.businessRows(bravoId);
  }

  @Test
  void unsignedRequestsOfTheDefaultBusinessReachNoRowOfTheSignedOne() {
    // Bravo's missed caller, owed a callback and still on the line; and a callback of Bravo's being dialled.
    assertThat(server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/voice", "CallSid", "CAunsg0001", "From", CALLER, "To", BRAVO_NUMBER,
        "Direction", "inbound").statusCode()).isEqualTo(200);
    assertThat(server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/dial?business=bravo", "CallSid", "CAunsg0001", "From", CALLER,
        "To", BRAVO_NUMBER, "DialCallStatus", "no-answer").statusCode()).isEqualTo(200);
    long callback = (Long) db.query("SELECT id FROM callbacks WHERE trigger_call_sid = 'CAunsg0001'").get(0).get("id");
    long dialling = (Long) db.query("INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, "
        + "last_triggered_at, due_at, state, attempts) SELECT ?, id, '+14155550832', 'manual', now(), now(), now(), 'dialing', 1 "
        + "FROM lines WHERE business_id = ? RETURNING id", bravoId, bravoId).get(0).get("id");
    db.query("INSERT INTO callback_attempts (callback_id, attempt, started_at, placed_at, call_sid) VALUES (?, 1, now(), now(), 'CAunsg0002')",
        dialling);
    String before = bravoRows();

    for (String business : List.of("?business=default", "")) {
      String and = business.isEmpty() ? "?" : business + "&";
      unsigned("/twilio/status" + business, "CallSid", "CAunsgleg1", "ParentCallSid", "CAunsg0001", "CallStatus", "in-progress",
          "Direction", "outbound-dial", "To", "+14155550301", "Timestamp", TWILIO.format(NOW.plusSeconds(2)));
      unsigned("/twilio/status" + business, "CallSid", "CAunsgleg2", "ParentCallSid", "CAunsg0002", "CallStatus", "in-progress",
          "Direction", "outbound-dial", "To", "+14155550301", "Timestamp", TWILIO.format(NOW.plusSeconds(2)));
      unsigned("/twilio/dial" + business, "CallSid", "CAunsg0001", "From", CALLER, "To", LINE_NUMBER, "DialCallStatus", "busy");
      unsigned("/twilio/dial" + and + "callback=" + dialling, "CallSid", "CAunsg0002", "DialCallStatus", "no-answer");
      unsigned("/twilio/recording" + business, "CallSid", "CAunsg0001", "RecordingUrl", RECORDING);
      unsigned("/twilio/recording" + and + "callback=" + callback, "CallSid", "CAunsg0001", "RecordingUrl", RECORDING,
          "RecordingStatus", "completed");
      unsigned("/twilio/when" + and + "step=time&day=2", "CallSid", "CAunsg0001", "From", CALLER, "To", LINE_NUMBER, "Digits", "1000");
      unsigned("/twilio/when" + and + "step=time&day=2&callback=" + callback, "CallSid", "CAunsg0001", "From", CALLER,
          "To", LINE_NUMBER, "Digits", "1000");
      unsigned("/twilio/gather" + and + "callback=" + dialling, "CallSid", "CAunsg0002", "From", LINE_NUMBER, "To", "+14155550832",
          "Digits", "9");
      unsigned("/twilio/status" + and + "callback=" + dialling, "CallSid", "CAunsg0002", "CallStatus", "completed",
          "Direction", "outbound-api", "Timestamp", TWILIO.format(NOW.plusSeconds(30)));
      unsigned("/twilio/status" + business, "CallSid", "CAunsg0001", "CallStatus", "completed", "Direction", "inbound",
          "Timestamp", TWILIO.format(NOW.plusSeconds(40)));
    }
    assertThat(bravoRows()).as("Bravo's rows after the unsigned requests").isEqualTo(before);

    // Bravo's own, signed, end of the call still applies.
    server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/status?business=bravo", "CallSid", "CAunsg0001", "CallStatus", "completed",
        "Direction", "inbound", "Timestamp", TWILIO.format(NOW.plusSeconds(50)));
    assertThat(db.query("SELECT outcome FROM calls WHERE call_sid = 'CAunsg0001'").get(0)).containsEntry("outcome", "missed");
  }
}
