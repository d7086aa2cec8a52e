package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Opening hours and quiet hours, as plain decisions. */
class HoursTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  static final List<OpeningHours.Interval> NINE_TO_FIVE = List.of(OpeningHours.Interval.parse("09:00-17:00"));
  static final OpeningHours WEEKDAYS = new OpeningHours(LA, Map.of(DayOfWeek.MONDAY, NINE_TO_FIVE, DayOfWeek.TUESDAY, NINE_TO_FIVE,
      DayOfWeek.WEDNESDAY, NINE_TO_FIVE, DayOfWeek.THURSDAY, NINE_TO_FIVE, DayOfWeek.FRIDAY, NINE_TO_FIVE),
      Set.of(LocalDate.parse("2026-11-30")), false);

  static Instant la(String localDateTime) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), LA).toInstant();
  }

  @Test
  void fridayNightBeforeAClosedMondayOpensOnTuesdayMorning() {
    Instant friday22 = la("2026-11-27T22:00");
    assertThat(WEEKDAYS.isOpen(friday22)).isFalse();
    assertThat(WEEKDAYS.isOpen(la("2026-11-27T16:59"))).isTrue();
    assertThat(WEEKDAYS.isOpen(la("2026-11-27T17:00"))).isFalse();
    assertThat(WEEKDAYS.nextOpening(friday22)).contains(la("2026-12-01T09:00"));
    assertThat(WEEKDAYS.nextOpening(la("2026-11-27T10:00"))).as("open now").contains(la("2026-11-27T10:00"));
  }

  @Test
  void openingFollowsTheZoneAcrossADaylightSavingChange() {
    // Clocks in Los Angeles go forward on Sunday 2027-03-14: 09:00 on Monday is 16:00 UTC, not 17:00.
    assertThat(WEEKDAYS.nextOpening(la("2027-03-13T12:00"))).contains(Instant.parse("2027-03-15T16:00:00Z"));
    assertThat(WEEKDAYS.nextOpening(la("2027-03-12T18:00")).orElseThrow()).isEqualTo(Instant.parse("2027-03-15T16:00:00Z"));
    assertThat(WEEKDAYS.nextOpening(la("2026-11-06T18:00"))).as("after falling back").contains(Instant.parse("2026-11-09T17:00:00Z"));
  }

  @Test
  void alwaysOpenAndSplitDays() {
    assertThat(OpeningHours.always(LA).isOpen(la("2026-11-29T03:00"))).isTrue();
    OpeningHours split = new OpeningHours(LA, Map.of(DayOfWeek.MONDAY,
        List.of(OpeningHours.Interval.parse("09:00-12:00"), OpeningHours.Interval.parse("13:00-24:00"))), Set.of(), false);
    assertThat(split.isOpen(la("2026-11-30T12:30"))).isFalse();
    assertThat(split.nextOpening(la("2026-11-30T12:30"))).contains(la("2026-11-30T13:00"));
    assertThat(split.isOpen(la("2026-11-30T23:59"))).isTrue();
    assertThat(new OpeningHours(LA, Map.of(), Set.of(), false).nextOpening(la("2026-11-30T12:30"))).as("never open").isEmpty();
  }

  @Test
  void quietHoursKeepEveryZoneOfTheCustomerInsideTheWindow() {
    QuietHours window = new QuietHours(LocalTime.of(8, 0), LocalTime.of(21, 0));
    assertThat(window.isAllDay()).isFalse();
    OpeningHours.Interval allDay = OpeningHours.Interval.parse("00:00-24:00");
    assertThat(new QuietHours(allDay.open(), allDay.close()).isAllDay()).as("00:00-24:00: no zone needs looking up").isTrue();
    assertThat(new QuietHours(allDay.open(), allDay.close()).allows(la("2026-11-23T03:00"), List.of(LA))).isTrue();
    assertThat(window.allows(la("2026-11-23T20:59"), List.of(LA))).isTrue();
    assertThat(window.allows(la("2026-11-23T21:00"), List.of(LA))).isFalse();
    assertThat(window.nextAllowed(la("2026-11-23T22:00"), List.of(LA))).contains(la("2026-11-24T08:00"));
    List<ZoneId> both = List.of(ZoneId.of("America/New_York"), LA);
    // 08:30 in New York is 05:30 in Los Angeles: wait until 08:00 there, 11:00 in New York.
    Instant early = ZonedDateTime.of(2026, 11, 24, 8, 30, 0, 0, ZoneId.of("America/New_York")).toInstant();
    assertThat(window.allows(early, both)).isFalse();
    assertThat(window.nextAllowed(early, both)).contains(la("2026-11-24T08:00"));
    // 20:30 in Los Angeles is 23:30 in New York: the next time both are inside is 08:00 in Los Angeles.
    assertThat(window.nextAllowed(la("2026-11-24T20:30"), both)).contains(la("2026-11-25T08:00"));
  }

  @Test
  void aNumberTellsItsZonesWhenTheCustomerRecordDoesNot() {
    assertThat(TimeZones.forNumber("+12125550100")).containsExactly(ZoneId.of("America/New_York"));
    assertThat(TimeZones.forNumber("+14155550100")).containsExactly(LA);
    assertThat(TimeZones.forNumber("+442071234567")).contains(ZoneId.of("Europe/London"));
    // An Australian mobile number is not tied to a place: every zone of the country.
    assertThat(TimeZones.forNumber("+61412345678")).contains(ZoneId.of("Australia/Perth"), ZoneId.of("Australia/Sydney"));
    assertThat(TimeZones.forNumber("not a number")).isEmpty();

    ZoneId line = ZoneId.of("Europe/Berlin");
    assertThat(TimeZones.forCustomer("Asia/Tokyo", "+14155550100", line)).containsExactly(ZoneId.of("Asia/Tokyo"));
    assertThat(TimeZones.forCustomer(null, "+14155550100", line)).containsExactly(LA);
    assertThat(TimeZones.forCustomer("Not/AZone", "+14155550100", line)).containsExactly(LA);
    assertThat(TimeZones.forCustomer(null, "+999", line)).containsExactly(line);
  }

  @Test
  void zonesThatNeverShareTheWindowFallBackToTheLinesZone() {
    QuietHours window = new QuietHours(LocalTime.of(8, 0), LocalTime.of(21, 0));
    // A toll-free number maps to every zone of the plan, Guam to Alaska; they still share a few hours.
    List<ZoneId> tollFree = TimeZones.forNumber("+18005550100");
    assertThat(tollFree).contains(ZoneId.of("Pacific/Guam"), ZoneId.of("America/Adak"));
    Instant night = la("2026-11-24T23:00");
    Instant shared = window.nextAllowed(night, tollFree).orElseThrow();
    assertThat(tollFree).allMatch(zone -> window.allows(shared, List.of(zone)));
    // Three zones eight hours apart never share a moment of 08:00-21:00: the line's zone decides.
    List<ZoneId> apart = List.of(ZoneId.of("Europe/London"), ZoneId.of("Asia/Shanghai"), LA);
    assertThat(window.nextAllowed(night, apart)).isEmpty();
    assertThat(window.firstCallable(night, apart, LA)).isEqualTo(la("2026-11-25T08:00"));
    Instant day = la("2026-11-24T10:00");
    assertThat(window.firstCallable(day, List.of(LA), LA)).isEqualTo(day);
  }
}
