package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The period a report covers: days of its time zone, and refusals that name what was sent. */
class ReportPeriodTest {
  static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");

  @ParameterizedTest(name = "{0} to {1} in {2}: {3} until {4}")
  @CsvSource(nullValues = "null", value = {
      // A date is the zone's day; a to date includes its day.
      "2026-11-23,                2026-11-23,          UTC,                 2026-11-23T00:00:00Z, 2026-11-24T00:00:00Z",
      "2026-11-23,                2026-11-23,          America/New_York,    2026-11-23T05:00:00Z, 2026-11-24T05:00:00Z",
      "2026-11-23,                2026-11-23,          Asia/Tokyo,          2026-11-22T15:00:00Z, 2026-11-23T15:00:00Z",
      // The day daylight saving starts has 23 hours, the day it ends 25.
      "2026-03-08,                2026-03-08,          America/New_York,    2026-03-08T05:00:00Z, 2026-03-09T04:00:00Z",
      "2026-11-01,                2026-11-01,          America/New_York,    2026-11-01T04:00:00Z, 2026-11-02T05:00:00Z",
      // A time with an offset is that instant; without one, that time in the zone.
      "2026-11-23T21:00:00Z,      2026-11-23T23:00Z,   America/New_York,    2026-11-23T21:00:00Z, 2026-11-23T23:00:00Z",
      "2026-11-23T21:00,          2026-11-23T23:00:30, America/New_York,    2026-11-24T02:00:00Z, 2026-11-24T04:00:30Z",
      "2026-11-23T21:00+01:00,    2026-11-23,          Europe/Berlin,       2026-11-23T20:00:00Z, 2026-11-23T23:00:00Z",
      // Without from: seven days before to; without to: now.
      "null,                      2026-11-23,          UTC,                 2026-11-17T00:00:00Z, 2026-11-24T00:00:00Z",
      "null,                      null,                UTC,                 2026-11-17T03:00:00Z, 2026-11-24T03:00:00Z",
      "'',                        '',                  UTC,                 2026-11-17T03:00:00Z, 2026-11-24T03:00:00Z",
      "2026-11-23,                null,                America/New_York,    2026-11-23T05:00:00Z, 2026-11-24T03:00:00Z",
      // 366 days of the zone at most, whatever the offsets at either end.
      "2025-11-23,                2026-11-23,          America/New_York,    2025-11-23T05:00:00Z, 2026-11-24T05:00:00Z",
      "2026-03-01,                2027-03-01,          America/New_York,    2026-03-01T05:00:00Z, 2027-03-02T05:00:00Z",
  })
  void period(String from, String to, String zone, String since, String until) {
    ReportPeriod period = ReportPeriod.of(from, to, ZoneId.of(zone), NOW);
    assertThat(period.from()).isEqualTo(Instant.parse(since));
    assertThat(period.to()).isEqualTo(Instant.parse(until));
  }

  @ParameterizedTest(name = "{0} to {1}: {3}")
  @CsvSource(nullValues = "null", delimiter = '|', value = {
      "2026-13-01 | 2026-11-23 | true  | from: '2026-13-01' is not a date (YYYY-MM-DD)",
      "2026-11-01 | 2026-02-30 | true  | to: '2026-02-30' is not a date (YYYY-MM-DD)",
      "yesterday  | null       | true  | from: 'yesterday' is neither a date (YYYY-MM-DD) nor a date and time",
      "2026-11-23T25:00 | null | true  | from: '2026-11-23T25:00' is not a date and time (YYYY-MM-DDTHH:MM[:SS]",
      "+999999999-12-31 | null | true | from: '+999999999-12-31' is neither a date (YYYY-MM-DD) nor a date and time",
      "2026-11-01 | +10000-01-01 | true | to: '+10000-01-01' is neither a date (YYYY-MM-DD) nor a date and time",
      "-999999999-01-01T00:00 | null | true | from: '-999999999-01-01T00:00' is not a date and time",
      "0000-12-31 | 2026-11-22 | true | from: '0000-12-31' is not a date (YYYY-MM-DD)",
      "2026-11-24 | 2026-11-22 | false | from: '2026-11-24' is not before to '2026-11-22'",
      "2026-11-23T10:00Z | 2026-11-23T10:00Z | false | from: '2026-11-23T10:00Z' is not before to '2026-11-23T10:00Z'",
      "2026-11-25 | null       | false | from: '2026-11-25' is not before now (no to was given)",
      "2025-01-01 | 2026-11-23 | false | from: '2025-01-01' is more than 366 days before to '2026-11-23'; a report covers at most 366 days",
      "2025-11-22 | 2026-11-23 | false | from: '2025-11-22' is more than 366 days before to '2026-11-23'",
      "2025-01-01 | null       | false | from: '2025-01-01' is more than 366 days before now (no to was given)",
  })
  void refused(String from, String to, boolean malformed, String message) {
    assertThatThrownBy(() -> ReportPeriod.of(from, to, ZoneId.of("America/New_York"), NOW))
        .isInstanceOfSatisfying(ReportPeriod.Refused.class, refused -> assertThat(refused.malformed()).isEqualTo(malformed))
        .hasMessageStartingWith(message);
  }

  @ParameterizedTest(name = "tz {0}")
  @CsvSource(nullValues = "null", value = {
      "null,                UTC",
      "'',                  UTC",
      "Europe/Berlin,       Europe/Berlin",
      "America/New_York,    America/New_York",
      "UTC,                 UTC",
  })
  void zone(String tz, String zone) {
    assertThat(ReportPeriod.zone(tz, ZoneOffset.UTC).normalized()).isEqualTo(ZoneId.of(zone).normalized());
  }

  @ParameterizedTest(name = "tz {0} is refused")
  @CsvSource({"Mars/Base", "Europe/berlin", "CEST", "'+25:00'", "'Europe/Berlin '"})
  void unknownZone(String tz) {
    assertThatThrownBy(() -> ReportPeriod.zone(tz, ZoneOffset.UTC))
        .isInstanceOfSatisfying(ReportPeriod.Refused.class, refused -> assertThat(refused.malformed()).isTrue())
        .hasMessage("tz: '" + tz + "' is not a time zone (an IANA name such as Europe/Berlin)");
  }
}
