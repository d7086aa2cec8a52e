package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.domain.ClickToConnect.Progress;
import dev.ringback.domain.ClickToConnect.Stage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each step of an agent's click-to-connect call, as the events of its two legs tell it. */
class ClickToConnectTest {
  static final Instant T = Instant.parse("2026-11-23T14:00:00Z");

  static Instant at(int second) {
    return T.plusSeconds(second);
  }

  /** Statuses and the second each came at: "ringing", 3, "in-progress", 9. */
  static Map<CallStatus, Instant> leg(Object... statusesAndSeconds) {
    Map<CallStatus, Instant> leg = new HashMap<>();
    for (int i = 0; i < statusesAndSeconds.length; i += 2) {
      leg.put(CallStatus.parse((String) statusesAndSeconds[i]).orElseThrow(), at((Integer) statusesAndSeconds[i + 1]));
    }
    return leg;
  }

  @Test
  void eachStepFromTheEventsOfBothLegs() {
    Object[][] cases = {
        // agent's leg, customer's leg, attempt ended, expected
        {leg(), leg(), null, new Progress(Stage.CALLING_AGENT, null, null)},
        {leg("initiated", 0), leg(), null, new Progress(Stage.CALLING_AGENT, at(0), null)},
        {leg("initiated", 0, "ringing", 1), leg(), null, new Progress(Stage.RINGING_AGENT, at(1), null)},
        {leg("ringing", 1, "in-progress", 6), leg(), null, new Progress(Stage.AGENT_ANSWERED, at(6), null)},
        {leg("in-progress", 6), leg("initiated", 9, "ringing", 10), null, new Progress(Stage.RINGING_CUSTOMER, at(9), null)},
        // Events come in any order: the customer's leg ringing says the agent answered.
        {leg("ringing", 1), leg("ringing", 10), null, new Progress(Stage.RINGING_CUSTOMER, at(10), null)},
        {leg("in-progress", 6), leg("ringing", 10, "in-progress", 15), null, new Progress(Stage.TALKING, at(15), at(15))},
        {leg("in-progress", 6), leg("in-progress", 15, "completed", 95), at(95), new Progress(Stage.ENDED, at(95), at(15))},
        // The agent hung up first: the call with the customer is over too.
        {leg("in-progress", 6, "completed", 80), leg("in-progress", 15), null, new Progress(Stage.ENDED, at(80), at(15))},
        {leg("ringing", 1, "no-answer", 20), leg(), at(20), new Progress(Stage.ENDED, at(20), null)},
        {leg("busy", 2), leg(), null, new Progress(Stage.ENDED, at(2), null)},
        {leg("in-progress", 6), leg("ringing", 10, "no-answer", 40), at(40), new Progress(Stage.ENDED, at(40), null)},
        // Ended in the database before any event of it was kept (an event lost, settled later).
        {leg("ringing", 1), leg(), at(30), new Progress(Stage.ENDED, at(30), null)},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Progress progress = ClickToConnect.progress((Map<CallStatus, Instant>) c[0], (Map<CallStatus, Instant>) c[1], (Instant) c[2]);
      assertThat(progress).as("agent %s, customer %s, ended %s", c[0], c[1], c[2]).isEqualTo(c[3]);
    }
  }
}
