package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How one night's callers are spread over the first opening. */
class AfterHoursSpreadTest {
  static final Instant OPENING = Instant.parse("2026-11-25T08:00:00Z");

  @ParameterizedTest(name = "{0} s per agent, minimum {1} s, {2} configured + {3} registered, {4} waiting: +{5} ms")
  @CsvSource({
      // seconds per agent, minimum seconds, configured agents, registered agents, waiting, due after the opening (ms)
      "120, 0,   0, 0, 0, 0",
      "120, 0,   0, 0, 1, 120000",
      "120, 0,   0, 0, 3, 360000",
      "120, 0,   2, 0, 3, 180000",
      "120, 0,   1, 2, 2, 80000",
      "120, 0,   0, 4, 1, 30000",
      "120, 60,  0, 4, 1, 60000",
      "120, 0.5, 0, 0, 1, 120000",
      "1,   0.5, 3, 0, 2, 1000",
      "100, 0,   3, 0, 1, 33333",
      "0,   0,   0, 0, 5, 0",
  })
  void dueAt(int perAgent, double minimum, int configured, long registered, long waiting, long afterMillis) {
    Instant due = new AfterHoursSpread(perAgent, minimum, configured).dueAt(OPENING, waiting, registered);
    assertThat(Duration.between(OPENING, due).toMillis()).isEqualTo(afterMillis);
  }

  @ParameterizedTest(name = "100 s shared by 3, {0} waiting: +{1} µs")
  @CsvSource({
      "1, 33333333",
      "2, 66666667",
      "3, 100000000",
  })
  void aThirdIsRoundedToTheMicrosecondAsTheDatabaseKeepsIt(long waiting, long afterMicros) {
    Instant due = new AfterHoursSpread(100, 0, 3).dueAt(OPENING, waiting, 0);
    assertThat(Duration.between(OPENING, due)).isEqualTo(Duration.ofNanos(afterMicros * 1000));
  }

  @ParameterizedTest(name = "{0}: at the opening {1}")
  @CsvSource({
      "VIP,      true",
      "STANDARD, false",
  })
  void vipsAreDueAtTheOpening(Customer.Tier tier, boolean atOpening) {
    assertThat(AfterHoursSpread.dueAtOpening(tier)).isEqualTo(atOpening);
  }
}
