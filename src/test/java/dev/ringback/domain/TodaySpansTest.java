package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The owner's day in spans where the business is: hours on its clock, days from its midnights. */
class TodaySpansTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");

  @Test
  void twentyFourHoursEndingWithTheCurrentOne() {
    List<Instant> hours = TodaySpans.hours(Instant.parse("2026-12-02T22:05:00Z"), LA);
    assertThat(hours).hasSize(25).startsWith(Instant.parse("2026-12-01T23:00:00Z")).endsWith(Instant.parse("2026-12-02T23:00:00Z"));
  }

  @Test
  void hoursFollowTheBusinesssClockWhereItIsOffByHalfAnHour() {
    List<Instant> hours = TodaySpans.hours(Instant.parse("2026-12-02T10:05:00Z"), ZoneId.of("Asia/Kolkata"));
    assertThat(hours.get(24)).isEqualTo(Instant.parse("2026-12-02T10:30:00Z"));
  }

  @Test
  void sevenDaysFromMidnightsAndTheDayTheClocksChangeHas23Hours() {
    // 2026-03-08: Los Angeles springs forward.
    List<Instant> days = TodaySpans.days(Instant.parse("2026-03-10T20:00:00Z"), LA);
    assertThat(days).hasSize(8);
    assertThat(days.get(0)).isEqualTo(Instant.parse("2026-03-04T08:00:00Z"));
    assertThat(days.get(7)).isEqualTo(Instant.parse("2026-03-11T07:00:00Z"));
    assertThat(Duration.between(days.get(4), days.get(5))).as("8 March").isEqualTo(Duration.ofHours(23));
    assertThat(TodaySpans.today(Instant.parse("2026-03-10T20:00:00Z"), LA))
        .containsExactly(Instant.parse("2026-03-10T07:00:00Z"), Instant.parse("2026-03-11T07:00:00Z"));
  }
}
