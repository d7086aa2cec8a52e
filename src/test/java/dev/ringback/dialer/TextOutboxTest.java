package dev.ringback.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The outbox against a failing Twilio: a request with no answer is settled by asking Twilio
 * before anything is sent again, also when that question fails once; a request Twilio refused
 * for now is sent again later, once. Requests time out after 1 s here, and a text
 * in doubt is looked at again after its 5 s lease.
 */
class TextOutboxTest {
  static final Duration DEADLINE = Duration.ofSeconds(40);
  static final String MAIN = "+14155550100";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    String yaml = """
        twilio:
          request-timeout-seconds: 1
        callbacks:
          mode: customer-first
          delay-seconds: {missed: 3600, abandoned: 3600, dropped: 3600, order: 3600}
        dialer:
          lease-seconds: 5
          poll-millis: 100
        texts:
          text-back: true
        lines:
          - id: main
            number: "%s"
            name: Acme
            time-zone: America/Los_Angeles
            agents: ["+14155550101"]
        """.formatted(MAIN);
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static void missed(String callSid, String caller) {
    server.missedCall(callSid, caller, MAIN);
  }

  static Map<String, Object> sent(String caller) {
    RingbackServer.await("the text to " + caller + " to be known as sent", DEADLINE,
        () -> db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND state = 'sent'", caller) == 1);
    return db.query("SELECT * FROM texts WHERE customer_phone = ?", caller).get(0);
  }

  @Test
  void aTextInDoubtWhoseLookupFailsIsLookedUpAgainAndNotSentTwice() {
    String caller = "+14155550191";
    twilio.hangNextMessageTo(caller);
    twilio.failNextList(500, 20500, "Internal Server Error");
    missed("CAoutbox001", caller);
    Map<String, Object> row = sent(caller);
    assertThat(twilio.messageCreations().stream().filter(r -> caller.equals(r.param("To")))).hasSize(1);
    assertThat(twilio.messages().stream().map(m -> m.getString("sid")).toList()).contains((String) row.get("message_sid"));
    assertThat((Integer) row.get("tries")).as("the request, the failed lookup, the lookup that found it").isEqualTo(3);
  }

  @Test
  void aTextInDoubtFoundAtTwilioIsNotSentAgain() {
    String caller = "+14155550192";
    twilio.hangNextMessageTo(caller);
    missed("CAoutbox002", caller);
    Map<String, Object> row = sent(caller);
    assertThat(twilio.messageCreations().stream().filter(r -> caller.equals(r.param("To")))).hasSize(1);
    assertThat((Integer) row.get("tries")).isEqualTo(2);
  }

  @Test
  void aTextTwilioCouldNotTakeForNowIsSentAgainOnce() {
    String caller = "+14155550193";
    twilio.failNextMessageTo(caller, 503, 20503, "Service Unavailable");
    missed("CAoutbox003", caller);
    sent(caller);
    assertThat(twilio.messageCreations().stream().filter(r -> caller.equals(r.param("To")))).hasSize(2);
    assertThat(twilio.messages().stream().filter(m -> caller.equals(m.getString("to")))).hasSize(1);
  }
}
