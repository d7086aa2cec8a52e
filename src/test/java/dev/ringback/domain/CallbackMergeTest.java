package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How repeated triggers land on the one open callback of a line and caller. */
class CallbackMergeTest {
  static final Instant T0 = Instant.parse("2026-11-24T15:00:00Z");

  static Instant at(int minutes) {
    return T0.plusSeconds(60L * minutes);
  }

  @ParameterizedTest(name = "reason {0}, staffed {1}: {2}")
  @CsvSource(nullValues = "null", value = {
      "null,      false, scheduled,   null",
      "null,      true,  scheduled,   null",
      "voicemail, false, scheduled,   null",
      "voicemail, true,  agent_queue, voicemail",
  })
  void first(String reason, boolean staffed, String state, String storedReason) {
    CallbackMerge.Incoming incoming = new CallbackMerge.Incoming(CallbackTrigger.MISSED, at(0), at(2), 10, reason);
    assertThat(CallbackMerge.first(incoming, staffed)).isEqualTo(new CallbackMerge.Open(CallbackTrigger.MISSED,
        CallbackState.parse(state).orElseThrow(), storedReason, at(0), at(2), 10, 1));
  }

  @ParameterizedTest(name = "[{index}] {0} due +{1} prio {2} <- {3} at +{4} due +{5} prio {6} reason {7} staffed {8}")
  @CsvSource(nullValues = "null", value = {
      // open: state, due, priority; incoming: trigger, at, due, priority, reason; staffed;
      // expected: state, reason, due, priority, last triggered
      "scheduled,   60, 10, order,     5,  3,  50, null,       false, scheduled,   null,       3,  50, 5",
      "scheduled,   3,  50, missed,    5,  7,  10, null,       false, scheduled,   null,       3,  50, 5",
      "scheduled,   60, 10, missed,    5,  60, 10, null,       false, scheduled,   null,       60, 10, 5",
      "dialing,     60, 10, order,     5,  3,  50, null,       false, dialing,     null,       60, 50, 5",
      "agent_queue, 60, 10, order,     5,  3,  50, null,       true,  agent_queue, by_hand,    60, 50, 5",
      "scheduled,   60, 10, missed,    5,  7,  10, voicemail,  true,  agent_queue, voicemail,  7,  10, 5",
      "scheduled,   60, 10, missed,    5,  7,  10, voicemail,  false, scheduled,   null,       7,  10, 5",
      "dialing,     60, 10, missed,    5,  7,  10, voicemail,  true,  dialing,     null,       60, 10, 5",
      "agent_queue, 60, 10, missed,    5,  7,  20, voicemail,  true,  agent_queue, by_hand,    60, 20, 5",
      "scheduled,   60, 10, missed,    -5, 7,  10, null,       false, scheduled,   null,       7,  10, 0",
  })
  void merge(String state, int due, int priority, String trigger, int triggeredAt, int incomingDue, int incomingPriority,
             String reason, boolean staffed, String mergedState, String mergedReason, int mergedDue, int mergedPriority,
             int lastTriggered) {
    CallbackState openState = CallbackState.parse(state).orElseThrow();
    CallbackMerge.Open open = new CallbackMerge.Open(CallbackTrigger.MISSED, openState,
        openState == CallbackState.AGENT_QUEUE ? "by_hand" : null, at(0), at(due), priority, 2);
    CallbackMerge.Incoming incoming = new CallbackMerge.Incoming(CallbackTrigger.parse(trigger).orElseThrow(), at(triggeredAt),
        at(incomingDue), incomingPriority, reason);
    assertThat(CallbackMerge.merge(open, incoming, staffed)).isEqualTo(new CallbackMerge.Open(CallbackTrigger.MISSED,
        CallbackState.parse(mergedState).orElseThrow(), mergedReason, at(lastTriggered), at(mergedDue), mergedPriority, 3));
  }
}
