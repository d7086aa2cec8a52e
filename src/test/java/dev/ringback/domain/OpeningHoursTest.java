package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@link HoursTest} leaves out: hours as written, their errors, and the edges of an interval. */
class OpeningHoursTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");

  static Instant la(String localDateTime) {
    return ZonedDateTime.of(LocalDateTime.parse(localDateTime), LA).toInstant();
  }

  @ParameterizedTest(name = "{0}: {1}-{2}")
  @CsvSource({
      "09:00-17:00,      09:00, 17:00",
      "' 09:00 - 17:00 ', 09:00, 17:00",
      "00:00-24:00,      00:00, 00:00",
      "22:00-24:00,      22:00, 00:00",
      "08:30-08:31,      08:30, 08:31",
  })
  void intervalsAsWritten(String text, LocalTime open, LocalTime close) {
    assertThat(OpeningHours.Interval.parse(text)).isEqualTo(new OpeningHours.Interval(open, close));
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @CsvSource({"17:00-09:00", "09:00-09:00", "09:00", "09:00-17:00-18:00", "9-17", "09:00-25:00", "''"})
  void intervalsThatAreNone(String text) {
    assertThatThrownBy(() -> OpeningHours.Interval.parse(text)).isInstanceOf(RuntimeException.class);
  }

  @ParameterizedTest(name = "Monday {0}: open {1}")
  @CsvSource({
      "08:59:59, false",
      "09:00,    true",
      "16:59:59, true",
      "17:00,    false",
      "21:59,    false",
      "22:00,    true",
      "23:59:59, true",
  })
  void anIntervalOpensAtItsStartAndClosesAtItsEnd(LocalTime time, boolean open) {
    OpeningHours hours = OpeningHours.parse(LA, Map.of("mon", List.of("09:00-17:00", "22:00-24:00")), List.of());
    assertThat(hours.isOpen(la("2026-11-30T" + time))).isEqualTo(open);
  }

  @Test
  void daysLeftOutAreClosedAndIntervalsAreTakenInOrder() {
    OpeningHours hours = OpeningHours.parse(LA, Map.of("mon", List.of("13:00-17:00", "09:00-12:00")), List.of());
    assertThat(hours.isOpen(la("2026-12-01T10:00"))).as("Tuesday").isFalse();
    assertThat(hours.nextOpening(la("2026-11-30T07:00"))).as("the earlier interval, though written second")
        .contains(la("2026-11-30T09:00"));
    assertThat(hours.nextOpening(la("2026-11-30T12:00"))).contains(la("2026-11-30T13:00"));
    assertThat(hours.nextOpening(la("2026-11-30T17:00"))).as("next Monday").contains(la("2026-12-07T09:00"));
  }

  @Test
  void noWeekIsAlwaysOpenExceptOnTheClosedDates() {
    assertThat(OpeningHours.parse(LA, null, List.of())).isEqualTo(OpeningHours.always(LA));
    OpeningHours christmas = OpeningHours.parse(LA, null, List.of("2026-12-25"));
    assertThat(christmas.alwaysOpen()).isFalse();
    assertThat(christmas.isOpen(la("2026-12-24T23:59:59"))).isTrue();
    assertThat(christmas.isOpen(la("2026-12-25T12:00"))).isFalse();
    assertThat(christmas.nextOpening(la("2026-12-25T12:00"))).contains(la("2026-12-26T00:00"));
  }

  @ParameterizedTest(name = "{0}: field {1}")
  @CsvSource({
      "monday, 09:00-17:00, 2026-12-25, hours.monday",
      "mon,    17:00-09:00, 2026-12-25, hours.mon[1]",
      "mon,    09:00-17:00, 25.12.2026, closed[1]",
  })
  void invalidHoursNameTheirField(String day, String secondRange, String secondClosed, String field) {
    assertThatThrownBy(() -> OpeningHours.parse(LA, Map.of(day, List.of("08:00-08:30", secondRange)),
        List.of("2026-12-24", secondClosed)))
        .isInstanceOfSatisfying(OpeningHours.Invalid.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void anOpeningInsideTheSpringForwardGapIsWhenTheClocksReachIt() {
    // On Sunday 2027-03-14 Los Angeles skips from 02:00 to 03:00: a line open from 02:30 is open at 03:00.
    OpeningHours early = new OpeningHours(LA, Map.of(DayOfWeek.SUNDAY, List.of(OpeningHours.Interval.parse("02:30-05:00"))),
        Set.of(), false);
    Instant threeAm = Instant.parse("2027-03-14T10:00:00Z");
    assertThat(early.isOpen(threeAm)).isTrue();
    assertThat(early.isOpen(threeAm.minusSeconds(1))).as("01:59:59 PST").isFalse();
    assertThat(early.nextOpening(la("2027-03-14T01:00"))).contains(threeAm);
  }
}
