package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.domain.Customer.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which outcomes become callbacks, when they are due and which go first. */
class CallbackPolicyTest {
  static final Instant TRIGGERED = Instant.parse("2026-11-24T15:00:00Z");
  static final CallbackPolicy POLICY = new CallbackPolicy(Map.of(
      CallbackPolicy.MISSED, Duration.ofMinutes(2),
      CallbackPolicy.ABANDONED, Duration.ofSeconds(30),
      CallbackPolicy.DROPPED, Duration.ZERO,
      CallbackPolicy.ORDER, Duration.ofHours(1)), 10, Duration.ofMinutes(1));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", value = {
      "missed,    missed",
      "abandoned, abandoned",
      "dropped,   dropped",
      "answered,  null",
      "voicemail, null",
      "busy,      null",
      "failed,    null",
      "machine,   null",
  })
  void triggerFor(String outcome, String trigger) {
    CallOutcome callOutcome = CallOutcome.parse(outcome).orElseThrow();
    if (trigger == null) {
      assertThat(CallbackPolicy.triggerFor(callOutcome)).isEmpty();
    } else {
      assertThat(CallbackPolicy.triggerFor(callOutcome)).contains(CallbackTrigger.parse(trigger).orElseThrow());
    }
  }

  @ParameterizedTest(name = "{0}, {1}: due after {2} s")
  @CsvSource({
      "missed,      STANDARD, 120",
      "missed,      VIP,      60",
      "abandoned,   STANDARD, 30",
      "abandoned,   VIP,      30",
      "dropped,     STANDARD, 0",
      "dropped,     VIP,      0",
      "order,       STANDARD, 3600",
      "order,       VIP,      60",
      "after_hours, STANDARD, 0",
      "manual,      VIP,      0",
  })
  void dueAt(String trigger, Tier tier, long seconds) {
    assertThat(POLICY.dueAt(CallbackTrigger.parse(trigger).orElseThrow(), TRIGGERED, tier)).isEqualTo(TRIGGERED.plusSeconds(seconds));
  }

  @Test
  void dueAtWithoutATierIgnoresTheVipDelay() {
    assertThat(POLICY.dueAt(CallbackTrigger.ORDER, TRIGGERED)).isEqualTo(TRIGGERED.plusSeconds(3600));
  }

  @ParameterizedTest(name = "{0}, {1}: {2}")
  @CsvSource({
      "order,       STANDARD, 50",
      "dropped,     STANDARD, 20",
      "missed,      STANDARD, 10",
      "abandoned,   STANDARD, 10",
      "after_hours, STANDARD, 10",
      "manual,      STANDARD, 0",
      "order,       VIP,      150",
      "dropped,     VIP,      120",
      "missed,      VIP,      110",
      "manual,      VIP,      100",
  })
  void priority(String trigger, Tier tier, int priority) {
    assertThat(POLICY.priority(CallbackTrigger.parse(trigger).orElseThrow(), tier)).isEqualTo(priority);
  }

  @Test
  void aVipsMissedCallGoesBeforeAnyoneElsesOrder() {
    assertThat(POLICY.priority(CallbackTrigger.MISSED, Tier.VIP)).isGreaterThan(POLICY.priority(CallbackTrigger.ORDER, Tier.STANDARD));
  }

  @ParameterizedTest(name = "answered after {0} ms, ended after {1} ms: dropped {2}")
  @CsvSource(nullValues = "null", value = {
      "0,    0,      true",
      "0,    9999,   true",
      "0,    10000,  false",
      "0,    60000,  false",
      "5000, 14999,  true",
      "5000, 15000,  false",
      "null, 5000,   false",
      "0,    null,   false",
  })
  void isDropped(Long answeredMillis, Long endedMillis, boolean dropped) {
    Instant answered = answeredMillis == null ? null : TRIGGERED.plusMillis(answeredMillis);
    Instant ended = endedMillis == null ? null : TRIGGERED.plusMillis(endedMillis);
    assertThat(POLICY.isDropped(answered, ended)).isEqualTo(dropped);
  }

  @Test
  void theDelaysAreCopied() {
    Map<String, Duration> delays = new HashMap<>(Map.of(CallbackPolicy.MISSED, Duration.ofMinutes(2)));
    CallbackPolicy policy = new CallbackPolicy(delays, 10, Duration.ofMinutes(1));
    delays.put(CallbackPolicy.MISSED, Duration.ofHours(5));
    assertThat(policy.dueAt(CallbackTrigger.MISSED, TRIGGERED)).isEqualTo(TRIGGERED.plusSeconds(120));
  }
}
