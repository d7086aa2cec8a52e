package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A customer on the do-not-call list is never dialled again; their own calls still get through. */
class DoNotCallTest {
  static final String PHONE = "+14155550166";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    String yaml = "callbacks:\n  delay-seconds:\n    missed: 0\ndialer:\n  calls-per-second: 0\n  poll-millis: 100\n" + RingbackServer.LINES_YAML;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static long dialsTo(String phone) {
    return twilio.callCreations().stream().filter(r -> phone.equals(r.param("To"))).count();
  }

  @Test
  void aListedNumberIsNeverDialledAndItsWaitingCallbacksAreCancelled() {
    var waiting = server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"" + PHONE + "\",\"line\":\"main\",\"due_at\":\"" + Instant.now().plus(Duration.ofDays(1)) + "\"}");
    long id = new JsonObject(waiting.body()).getLong("id");

    var listed = server.api("PUT", "/api/customers/%2B14155550166/do-not-call", "application/json",
        "{\"do_not_call\":true,\"reason\":\"Asked us to stop calling.\"}");
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    assertThat(new JsonObject(listed.body()).getInteger("cancelled_callbacks")).isEqualTo(1);
    assertThat(db.query("SELECT state, waiting_for FROM callbacks WHERE id = ?", id).get(0))
        .containsEntry("state", "cancelled").containsEntry("waiting_for", "do_not_call");
    JsonObject file = new JsonObject(server.api("GET", "/api/customers/%2B14155550166/timeline", null, null).body());
    assertThat(file.getBoolean("do_not_call")).isTrue();
    assertThat(file.getJsonArray("items").encode()).contains("Asked us to stop calling.");

    // They call in: answered as always. They are missed: the callback is never dialled.
    var voice = server.twilio("/twilio/voice", "CallSid", "CAdnc00001", "From", PHONE, "To", RingbackServer.LINE_NUMBER);
    assertThat(Xml.childNames(Xml.parse(voice.body()))).containsExactly("Say", "Dial");
    server.twilio("/twilio/dial", "CallSid", "CAdnc00001", "From", PHONE, "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer");
    RingbackServer.await("the missed call's callback to be cancelled", Duration.ofSeconds(15), () -> db.count(
        "SELECT count(*) FROM callbacks WHERE customer_phone = ? AND trigger = 'missed' AND state = 'cancelled'", PHONE) == 1);
    assertThat(dialsTo(PHONE)).isZero();

    // Lifted: the next callback is dialled.
    assertThat(server.api("PUT", "/api/customers/%2B14155550166/do-not-call", "application/json", "{\"do_not_call\":false}").statusCode())
        .isEqualTo(200);
    server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + PHONE + "\",\"line\":\"main\"}");
    twilio.awaitRequests(r -> PHONE.equals(r.param("To")), 1, Duration.ofSeconds(15));
  }

  @Test
  void badDoNotCallRequestsAreRefused() {
    assertThat(server.api("PUT", "/api/customers/%2B14155550167/do-not-call", "application/json", "{}").statusCode()).isEqualTo(422);
    assertThat(server.api("PUT", "/api/customers/%2B14155550167/do-not-call", "application/json", "{\"do_not_call\":\"yes\"}")
        .statusCode()).isEqualTo(422);
    assertThat(server.api("PUT", "/api/customers/123/do-not-call", "application/json", "{\"do_not_call\":true}").statusCode())
        .isEqualTo(422);
  }

  @Test
  void pressingNineDuringACallbackStopsTheCalls() {
    String phone = "+14155550168";
    var created = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    long id = new JsonObject(created.body()).getLong("id");
    twilio.awaitRequests(r -> phone.equals(r.param("To")), 1, Duration.ofSeconds(15));
    RingbackServer.await("the call to be placed", Duration.ofSeconds(15),
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", id) == 1);
    String sid = (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", id).get(0).get("call_sid");
    var answer = server.twilio("/twilio/callback?callback=" + id, "CallSid", sid, "AnsweredBy", "human");
    String menu = Xml.child(Xml.parse(answer.body()), "Gather").getAttribute("action");
    var pressed = server.twilio(menu.substring(RingbackServer.PUBLIC_URL.length()), "CallSid", sid, "Digits", "9",
        "From", RingbackServer.LINE_NUMBER, "To", phone);
    assertThat(Xml.child(Xml.parse(pressed.body()), "Say").getTextContent()).contains("We will not call you again");
    JsonObject file = new JsonObject(server.api("GET", "/api/customers/%2B14155550168/timeline", null, null).body());
    assertThat(file.getBoolean("do_not_call")).isTrue();
    assertThat(file.getJsonArray("items").encode()).contains("Pressed 9 during a callback");
  }
}
