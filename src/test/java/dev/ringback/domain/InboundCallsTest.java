package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How an inbound call ended, from the agent leg's answer, the {@code <Dial>} result and the call's length. */
class InboundCallsTest {
  static final Instant ARRIVED = Instant.parse("2026-11-24T15:00:00Z");
  /** Shorter than 10 s after the answer: dropped. */
  static final CallbackPolicy POLICY = new CallbackPolicy(Map.of(), 10, Duration.ofMinutes(1));

  static Instant at(Integer seconds) {
    return seconds == null ? null : ARRIVED.plusSeconds(seconds);
  }

  @ParameterizedTest(name = "answered {0}, dial {1}, ended {2}: {3}")
  @CsvSource(nullValues = "null", value = {
      // answeredAt (s), dialStatus, endedAt (s), outcome
      "null, after_hours, 30,   voicemail",
      "5,    after_hours, 8,    voicemail",
      "5,    null,        8,    dropped",
      "5,    completed,   14,   dropped",
      "5,    null,        15,   answered",
      "5,    null,        100,  answered",
      "5,    null,        null, answered",
      "5,    no-answer,   100,  answered",
      "null, completed,   100,  answered",
      "null, answered,    100,  answered",
      "null, no-answer,   30,   missed",
      "null, busy,        30,   missed",
      "null, failed,      30,   missed",
      "null, canceled,    30,   missed",
      "null, null,        30,   abandoned",
      "null, in-progress, 30,   abandoned",
      "null, ringing,     30,   abandoned",
      "null, '',          30,   abandoned",
  })
  void outcome(Integer answered, String dialStatus, Integer ended, String outcome) {
    assertThat(InboundCalls.outcome(at(answered), dialStatus, at(ended), POLICY).value()).isEqualTo(outcome);
  }

  @ParameterizedTest(name = "{0}: answered {1}, not answered {2}")
  @CsvSource(nullValues = "null", value = {
      "completed,   true,  false",
      "answered,    true,  false",
      "no-answer,   false, true",
      "busy,        false, true",
      "failed,      false, true",
      "canceled,    false, true",
      "in-progress, false, false",
      "ringing,     false, false",
      "after_hours, false, false",
      "'',          false, false",
      "null,        false, false",
  })
  void dialStatus(String dialStatus, boolean answered, boolean notAnswered) {
    assertThat(InboundCalls.dialAnswered(dialStatus)).as("answered").isEqualTo(answered);
    assertThat(InboundCalls.dialNotAnswered(dialStatus)).as("not answered").isEqualTo(notAnswered);
  }

  @Test
  void ringToAnswerIsNeverNegative() {
    assertThat(InboundCalls.ringToAnswer(ARRIVED, ARRIVED.plusMillis(12_500))).isEqualTo(Duration.ofMillis(12_500));
    assertThat(InboundCalls.ringToAnswer(ARRIVED, ARRIVED)).isEqualTo(Duration.ZERO);
    assertThat(InboundCalls.ringToAnswer(ARRIVED, ARRIVED.minusSeconds(2))).as("clocks disagree").isEqualTo(Duration.ZERO);
  }
}
