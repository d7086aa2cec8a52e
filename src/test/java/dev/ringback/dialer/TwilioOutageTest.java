package dev.ringback.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Twilio fails (500, 500, 429), then hangs, then recovers: the circuit opens and /health says
 * so, one probe at a time goes out while it is open, the unanswered request is reconciled
 * rather than redialled, and in the end every callback is dialled exactly once.
 */
class TwilioOutageTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @Test
  void anOutageOpensTheCircuitAndEveryCallbackIsStillDialledOnce() {
    TestDatabase db = TestDatabase.create();
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    String yaml = """
        twilio:
          request-timeout-seconds: 1
          breaker-failures: 3
          breaker-seconds: 4
        dialer:
          calls-per-second: 0
          lease-seconds: 5
          poll-millis: 100
        """ + RingbackServer.LINES_YAML;
    List<String> phones = List.of("+14155550211", "+14155550212", "+14155550213");
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
         RingbackServer server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock)) {
      twilio.failNext(500, 20500, "Internal Server Error").failNext(500, 20500, "Internal Server Error")
          .failNext(429, 20429, "Too Many Requests").hangNext();
      for (String phone : phones) {
        var created = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
        assertThat(created.statusCode()).isEqualTo(201);
      }

      // Three failures in a row: the circuit opens, and the operators see why.
      twilio.awaitCallCreations(3, DEADLINE);
      RingbackServer.await("/health to report the open circuit", DEADLINE, () -> health(server).getString("status").equals("degraded"));
      assertThat(health(server).getJsonObject("checks").getString("telephony")).contains("circuit open").contains("3 failed requests in a row");
      assertThat(server.metric("ringback_twilio_circuit_open")).isEqualTo(1.0);
      assertThat(server.get("/health").statusCode()).as("webhooks are still taken").isEqualTo(200);

      // The callbacks are due again; after the pause (4 s on the server's clock) exactly one probe
      // goes out, and it hangs: the pause doubles to 8 s.
      clock.advance(Duration.ofSeconds(6));
      twilio.awaitCallCreations(4, DEADLINE);
      RingbackServer.await("the hung request to count as ambiguous", DEADLINE,
          () -> db.count("SELECT count(*) FROM callbacks WHERE needs_reconcile") == 1);
      assertThat(twilio.callCreationCount()).as("one probe, not the whole queue").isEqualTo(4);

      // The lease runs out while the circuit is still open: looking the hung call up fails at once
      // and takes a new lease.
      clock.advance(Duration.ofSeconds(6));
      java.sql.Timestamp leaseRanOut = java.sql.Timestamp.from(clock.instant());
      RingbackServer.await("the hung call's lookup to take a new lease", DEADLINE,
          () -> db.count("SELECT count(*) FROM callbacks WHERE needs_reconcile AND lease_until > ?", leaseRanOut) == 1);
      assertThat(twilio.callCreationCount()).isEqualTo(4);
      // After the pause a probe succeeds and the other two are placed; at the end of the new lease
      // the hung call is found, not redialled. (The lookup may itself be that probe: the new lease
      // is written before the lookup asks the breaker, so the clock can pass the pause in between.)
      clock.advance(Duration.ofSeconds(3));
      RingbackServer.await("the other two to be placed", DEADLINE,
          () -> db.count("SELECT count(*) FROM callbacks WHERE state = 'dialing' AND NOT needs_reconcile") >= 2);
      clock.advance(Duration.ofSeconds(6));
      RingbackServer.await("every callback to be placed", DEADLINE,
          () -> db.count("SELECT count(*) FROM callbacks WHERE state = 'dialing' AND NOT needs_reconcile") == 3);
      for (String phone : phones) {
        List<TwilioStandIn.RecordedRequest> dials = twilio.callCreations().stream().filter(r -> phone.equals(r.param("To"))).toList();
        assertThat(dials).as("one failed request and one that placed the call, for " + phone).hasSize(2);
      }
      assertThat(twilio.callCreationCount()).isEqualTo(6);
      assertThat(db.count("SELECT count(*) FROM callback_attempts WHERE call_sid IS NOT NULL")).isEqualTo(3);
      RingbackServer.await("/health to be up again", DEADLINE, () -> health(server).getString("status").equals("up"));
      assertThat(server.metric("ringback_twilio_circuit_open")).isZero();
    }
  }

  static JsonObject health(RingbackServer server) {
    return new JsonObject(server.healthDetails().body());
  }
}
