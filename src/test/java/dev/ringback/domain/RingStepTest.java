package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each ring strategy's order and timing: whom a call rings, for how long, and who follows, within the line's budget. */
class RingStepTest {
  static final List<String> AGENTS = List.of("+14155550101", "+14155550102", "+14155550103");

  static String describe(Optional<RingStep> step) {
    return step.map(s -> String.join(" ", s.contacts()) + " for " + s.timeoutSeconds() + " s, next " + s.next()).orElse("missed");
  }

  @ParameterizedTest(name = "{0}, first step: {1}")
  @CsvSource(delimiter = '|', value = {
      "SIMULTANEOUS|+14155550101 +14155550102 +14155550103 for 40 s, next -1",
      "SEQUENTIAL|+14155550101 for 15 s, next 1",
      "LONGEST_IDLE|+14155550101 for 15 s, next 1"})
  void theFirstStep(RingStrategy strategy, String expected) {
    assertThat(describe(RingStep.first(strategy, AGENTS, 40, 15))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: after {1} s, next {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      // One after another, each for ring-seconds...
      "SEQUENTIAL|15|1|+14155550102 for 15 s, next 2",
      // ...the last one for what the budget has left...
      "SEQUENTIAL|30|2|+14155550103 for 10 s, next -1",
      // ...and nobody for less than a phone needs to start ringing.
      "SEQUENTIAL|36|2|missed",
      "SEQUENTIAL|40|2|missed",
      "SEQUENTIAL|15|3|missed",
      "SEQUENTIAL|15|-1|missed",
      "LONGEST_IDLE|15|1|+14155550102 for 15 s, next 2",
      // Everybody was rung at once: a call that was not answered is missed.
      "SIMULTANEOUS|40|-1|missed",
      "SIMULTANEOUS|0|1|missed"})
  void theStepsAfterNobodyAnswered(RingStrategy strategy, long elapsed, int next, String expected) {
    assertThat(describe(RingStep.after(strategy, AGENTS, next, elapsed, 40, 15))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} with nobody to ring")
  @CsvSource({"SIMULTANEOUS", "SEQUENTIAL", "LONGEST_IDLE"})
  void nobodyToRing(RingStrategy strategy) {
    assertThat(RingStep.first(strategy, List.of(), 40, 15)).isEmpty();
  }
}
