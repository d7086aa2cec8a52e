package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which status callbacks change an inbound call: an agent leg's answer, or the caller's leg ending. */
class CallEventTest {

  static CallEvent event(String parentCallSid, CallStatus status) {
    return new CallEvent("CA0000000000000000000000000000child", parentCallSid, status, Instant.parse("2026-11-24T15:00:00Z"), 1,
        "inbound", "+14155550100", "+14155550199", null, null);
  }

  @ParameterizedTest(name = "parent ''{0}'': child leg {1}")
  @CsvSource(nullValues = "null", value = {
      "null,                                false",
      "'',                                  false",
      "CA00000000000000000000000000parent, true",
  })
  void isChildLeg(String parentCallSid, boolean child) {
    assertThat(event(parentCallSid, CallStatus.RINGING).isChildLeg()).isEqualTo(child);
  }

  @ParameterizedTest(name = "parent ''{0}'', {1}: changes the call {2}")
  @CsvSource(nullValues = "null", value = {
      // The caller's own leg: only its end matters.
      "null,   QUEUED,      false",
      "null,   INITIATED,   false",
      "null,   RINGING,     false",
      "null,   IN_PROGRESS, false",
      "null,   COMPLETED,   true",
      "null,   BUSY,        true",
      "null,   FAILED,      true",
      "null,   NO_ANSWER,   true",
      "null,   CANCELED,    true",
      "'',     COMPLETED,   true",
      // An agent's leg: only its answer matters; its end is not the caller's.
      "CAparent, INITIATED,   false",
      "CAparent, RINGING,     false",
      "CAparent, IN_PROGRESS, true",
      "CAparent, COMPLETED,   false",
      "CAparent, NO_ANSWER,   false",
      "CAparent, BUSY,        false",
      "CAparent, CANCELED,    false",
  })
  void changesTheCall(String parentCallSid, CallStatus status, boolean changes) {
    assertThat(event(parentCallSid, status).changesTheCall()).isEqualTo(changes);
  }
}
