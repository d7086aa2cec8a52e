package dev.ringback.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A shutdown in the middle of a paced burst: what was sent to Twilio is recorded as placed,
 * what was still waiting for its slot goes back to the queue untouched, and nothing is left
 * leased to the stopped instance.
 */
class GracefulShutdownTest {

  @Test
  void stoppingHandsBackWhatWasNotYetPlaced() {
    TestDatabase db = TestDatabase.create();
    String yaml = """
        dialer:
          calls-per-second: 1
          poll-millis: 100
        """ + RingbackServer.LINES_YAML;
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      RingbackServer server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), Clock.systemUTC());
      for (int i = 0; i < 6; i++) {
        server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"+1415555022" + i + "\",\"line\":\"main\"}");
      }
      twilio.awaitCallCreations(1, Duration.ofSeconds(15));
      RingbackServer.await("the rest to be claimed and waiting for their slot", Duration.ofSeconds(15),
          () -> db.count("SELECT count(*) FROM callbacks WHERE state = 'dialing'") == 6);

      long started = System.nanoTime();
      server.close();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));

      int placed = twilio.callCreationCount();
      assertThat(placed).as("one call a second: most were still waiting").isLessThan(6);
      assertThat(db.count("SELECT count(*) FROM callbacks cb WHERE state = 'dialing' AND EXISTS "
          + "(SELECT 1 FROM callback_attempts a WHERE a.callback_id = cb.id AND a.call_sid IS NOT NULL)")).isEqualTo(placed);
      assertThat(db.count("SELECT count(*) FROM callbacks WHERE state = 'scheduled' AND owner IS NULL AND attempts = 0"))
          .as("handed back as if never claimed").isEqualTo(6 - placed);
      assertThat(db.count("SELECT count(*) FROM callback_attempts WHERE call_sid IS NULL")).isZero();
    }
  }
}
