package dev.ringback.dialer;

import static dev.ringback.support.LosAngeles.TWILIO;
import static dev.ringback.support.LosAngeles.la;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When the last attempt of a callback fails, the customer gets a text: when we tried, and how to
 * reach us. Ringback starts that text itself, so it waits for the hours the customer may be
 * disturbed. One attempt per callback here; Los Angeles, with calls allowed 08:00-21:00.
 */
class LastAttemptTextTest {
  static final Duration DEADLINE = Duration.ofSeconds(30);
  static final String MAIN = "+14155550100";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(la("2026-12-02T14:05"));
    String yaml = """
        callbacks:
          mode: customer-first
        dialer:
          calls-per-second: 0
          poll-millis: 100
          max-attempts: 1
          allowed-hours: "08:00-21:00"
        texts:
          text-back: true
        lines:
          - id: main
            number: "%s"
            name: Acme
            time-zone: America/Los_Angeles
            agents: ["+14155550101"]
        """.formatted(MAIN);
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  /** A missed call whose callback is dialled once and not answered. */
  static void calledOnceWithoutAnswer(String callSid, String caller) {
    server.missedCall(callSid, caller, MAIN);
    clock.advance(Duration.ofSeconds(61));
    RingbackServer.await("the callback to be dialled", DEADLINE, () -> db.count(
        "SELECT count(*) FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id WHERE c.customer_phone = ?"
            + " AND a.call_sid IS NOT NULL", caller) == 1);
    Map<String, Object> attempt = db.query("SELECT a.call_sid, c.id FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id"
        + " WHERE c.customer_phone = ?", caller).get(0);
    var status = server.twilio("/twilio/status?callback=" + attempt.get("id"), "CallSid", (String) attempt.get("call_sid"),
        "CallStatus", "no-answer", "Timestamp", TWILIO.format(clock.instant().plusSeconds(25)), "Direction", "outbound-api");
    assertThat(status.statusCode()).isEqualTo(200);
    RingbackServer.await("the callback to expire", DEADLINE,
        () -> db.count("SELECT count(*) FROM callbacks WHERE customer_phone = ? AND state = 'expired'", caller) == 1);
  }

  static TwilioStandIn.RecordedRequest textTo(String phone, int n) {
    return twilio.awaitRequests(r -> r.path().endsWith("/Messages.json") && phone.equals(r.param("To")), n, DEADLINE);
  }

  @Test
  void theLastFailedAttemptIsFollowedByATextSayingWhenWeTried() {
    clock.set(la("2026-12-02T14:05"));
    String caller = "+14155550181";
    calledOnceWithoutAnswer("CAlast0001", caller);
    // An agent's phone that was called first and never took the callback: the customer was not called then.
    db.query("INSERT INTO callback_attempts (callback_id, attempt, started_at, ended_at, outcome)"
        + " SELECT id, 0, ?, ?, 'agent_not_accepted' FROM callbacks WHERE customer_phone = ? RETURNING id",
        Timestamp.from(la("2026-12-02T14:05:30")), Timestamp.from(la("2026-12-02T14:05:50")), caller);
    assertThat(textTo(caller, 2).param("Body"))
        .isEqualTo("This is Acme: we tried to call you back at 2:06 PM. Reply with a good time, or call us at +1 415-555-0100.");
    assertThat(db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND kind = 'last_attempt'", caller)).isEqualTo(1);
  }

  @Test
  void aLastAttemptTextAtNightWaitsForTheMorning() {
    clock.set(la("2026-12-02T20:58"));
    String caller = "+14155550182";
    calledOnceWithoutAnswer("CAlast0002", caller);
    clock.set(la("2026-12-02T21:30"));
    RingbackServer.await("the text to be written", DEADLINE,
        () -> db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND kind = 'last_attempt'", caller) == 1);
    Map<String, Object> text = db.query("SELECT * FROM texts WHERE customer_phone = ? AND kind = 'last_attempt'", caller).get(0);
    assertThat(text).containsEntry("state", "queued");
    assertThat(((Timestamp) text.get("due_at")).toInstant()).isEqualTo(la("2026-12-03T08:00"));
    assertThat(twilio.messageCreations().stream().filter(r -> caller.equals(r.param("To"))).count())
        .as("only the text-back so far").isEqualTo(1);

    clock.set(la("2026-12-03T08:00"));
    assertThat(textTo(caller, 2).param("Body")).startsWith("This is Acme: we tried to call you back at 8:59 PM.");
  }
}
