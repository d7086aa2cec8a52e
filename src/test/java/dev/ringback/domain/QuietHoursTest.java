package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The edges of the calling window that {@link HoursTest} leaves out. */
class QuietHoursTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");

  static Instant la(String localDateTime) {
    return ZonedDateTime.of(LocalDateTime.parse(localDateTime), LA).toInstant();
  }

  @ParameterizedTest(name = "{0}-{1} at {2}: {3}")
  @CsvSource({
      // The start is inside, the end outside; an end of 00:00 means the end of the day.
      "08:00, 21:00, 07:59:59, false",
      "08:00, 21:00, 08:00,    true",
      "08:00, 21:00, 20:59:59, true",
      "08:00, 21:00, 21:00,    false",
      "08:00, 21:00, 00:00,    false",
      "08:00, 00:00, 23:59:59, true",
      "08:00, 00:00, 00:00,    false",
      "08:00, 00:00, 07:59,    false",
      "00:00, 00:00, 00:00,    true",
      "00:00, 00:00, 23:59:59, true",
  })
  void allows(LocalTime from, LocalTime until, LocalTime time, boolean allowed) {
    Instant at = la("2026-11-24T" + time);
    assertThat(new QuietHours(from, until).allows(at, List.of(LA))).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0}-{1}: all day {2}")
  @CsvSource({
      "00:00, 00:00, true",
      "00:00, 21:00, false",
      "08:00, 00:00, false",
      "08:00, 21:00, false",
  })
  void isAllDay(LocalTime from, LocalTime until, boolean allDay) {
    assertThat(new QuietHours(from, until).isAllDay()).isEqualTo(allDay);
    assertThat(QuietHours.ALL_DAY.isAllDay()).isTrue();
  }

  @Test
  void insideTheWindowTheCallMayGoNow() {
    QuietHours window = new QuietHours(LocalTime.of(8, 0), LocalTime.of(21, 0));
    Instant morning = la("2026-11-24T08:00");
    assertThat(window.nextAllowed(morning, List.of(LA))).contains(morning);
    assertThat(window.nextAllowed(la("2026-11-24T07:59"), List.of(LA))).contains(morning);
  }

  @Test
  void aWindowEndingAtMidnightOpensTheNextMorning() {
    QuietHours lateWindow = new QuietHours(LocalTime.of(8, 0), LocalTime.MIDNIGHT);
    assertThat(lateWindow.nextAllowed(la("2026-11-24T23:59"), List.of(LA))).contains(la("2026-11-24T23:59"));
    assertThat(lateWindow.nextAllowed(la("2026-11-25T00:00"), List.of(LA))).contains(la("2026-11-25T08:00"));
  }

  @Test
  void noZonesToRespectMeansNow() {
    QuietHours window = new QuietHours(LocalTime.of(8, 0), LocalTime.of(21, 0));
    Instant night = la("2026-11-24T23:00");
    assertThat(window.allows(night, List.of())).isTrue();
    assertThat(window.firstCallable(night, List.of(), LA)).isEqualTo(night);
  }
}
