package dev.ringback.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without Twilio credentials the simulator plays outbound calls through the server's own status path. */
class SimulatedTelephonyTest {

  @Test
  void simulatedCallsReportEveryStepToTwilioStatus() throws Exception {
    TestDatabase db = TestDatabase.create();
    var env = RingbackServer.environment(db, null);
    String yaml = "metrics:\n  ring-seconds: 1\n" + RingbackServer.LINES_YAML;
    try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC())) {
      Telephony telephony = server.ringback().services().telephony();
      assertThat(telephony.name()).isEqualTo("simulator");
      var vertx = server.ringback().vertx();
      String[] sids = new String[3];
      for (int i = 0; i < sids.length; i++) {
        OutboundCall call = new OutboundCall(RingbackServer.LINE_NUMBER, "+1415555012" + i,
            RingbackServer.PUBLIC_URL + "/twilio/voice?simulated=" + i,
            RingbackServer.PUBLIC_URL + "/twilio/status?callback=" + i, "DetectMessageEnd", 25);
        PlacedCall placed = io.vertx.core.Future.<PlacedCall>future(p -> vertx.runOnContext(v -> telephony.placeCall(call).onComplete(p)))
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(placed.callSid()).matches("CA[0-9a-f]{32}");
        sids[i] = placed.callSid();
      }
      for (String sid : sids) {
        RingbackServer.await("the simulated call " + sid + " to be answered or not", Duration.ofSeconds(20), () ->
            db.count("SELECT count(*) FROM call_events WHERE call_sid = ? AND call_status IN ('in-progress', 'no-answer')", sid) == 1);
        assertThat(db.count("SELECT count(*) FROM call_events WHERE call_sid = ? AND call_status IN ('initiated', 'ringing')", sid))
            .isEqualTo(2);
        var ringing = db.query("SELECT direction, from_number, twilio_timestamp FROM call_events WHERE call_sid = ? AND call_status = 'ringing'", sid);
        assertThat(ringing.get(0)).containsEntry("direction", "outbound-api").containsEntry("from_number", RingbackServer.LINE_NUMBER);
        assertThat(ringing.get(0).get("twilio_timestamp")).isNotNull();
        // The simulator answers look-ups like the network: the call as far as it has got.
        CallProgress progress = io.vertx.core.Future.<java.util.Optional<CallProgress>>future(
                p -> vertx.runOnContext(v -> telephony.fetchCall(sid).onComplete(p)))
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(progress.status()).isIn(dev.ringback.domain.CallStatus.IN_PROGRESS, dev.ringback.domain.CallStatus.NO_ANSWER,
            dev.ringback.domain.CallStatus.COMPLETED);
      }
      assertThat(io.vertx.core.Future.<java.util.Optional<CallProgress>>future(
              p -> vertx.runOnContext(v -> telephony.fetchCall("CAunknown").onComplete(p)))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
    }
  }
}
