package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.domain.CallbackTimeChoice.Refusal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The time a caller keys in for their callback: a time, far enough ahead, while open, at an hour we call. */
class CallbackTimeChoiceTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    static final LocalDate TUESDAY = LocalDate.parse("2026-11-24");
  /** Open 09:00-17:00 on Tuesdays only. */
  static final OpeningHours TUESDAYS = OpeningHours.parse(LA, Map.of("tue", List.of("09:00-17:00")), List.of());
  static final QuietHours EIGHT_TO_NINE = new QuietHours(LocalTime.of(8, 0), LocalTime.of(21, 0));

  static Instant la(String localTime) {
    return ZonedDateTime.of(LocalDateTime.of(TUESDAY, LocalTime.parse(localTime)), LA).toInstant();
  }

  @ParameterizedTest(name = "at {0} (LA), caller in {2}, keyed {1}: {3}")
  @CsvSource(nullValues = "null", value = {
      // now (LA), digits, caller's zone,     refusal
      "10:00,      1030,   America/Los_Angeles, null",
      "10:00,      9999,   America/Los_Angeles, NOT_A_TIME",
      "10:00,      2400,   America/Los_Angeles, NOT_A_TIME",
      "10:00,      1060,   America/Los_Angeles, NOT_A_TIME",
      "10:00,      103,    America/Los_Angeles, NOT_A_TIME",
      "10:00,      '',     America/Los_Angeles, NOT_A_TIME",
      // Up to two minutes ahead counts as passed: the caller is still on this call.
      "10:00,      0959,   America/Los_Angeles, PASSED",
      "10:00,      1000,   America/Los_Angeles, PASSED",
      "10:00,      1002,   America/Los_Angeles, PASSED",
      "10:00:01,   1003,   America/Los_Angeles, null",
      "10:00,      1003,   America/Los_Angeles, null",
      "09:58,      1000,   America/Los_Angeles, PASSED",
      // The line's opening hours, in its own zone.
      "08:00,      0859,   America/Los_Angeles, CLOSED",
      "08:00,      0900,   America/Los_Angeles, null",
      "10:00,      1700,   America/Los_Angeles, CLOSED",
      "10:00,      1659,   America/Los_Angeles, null",
  })
  void today(String now, String digits, ZoneId callerZone, Refusal refusal) {
    CallbackTimeChoice choice = CallbackTimeChoice.of(digits, TUESDAY, LA, la(now), TUESDAYS, EIGHT_TO_NINE, List.of(callerZone));
    assertThat(choice.refusal()).isEqualTo(refusal);
    assertThat(choice.accepted()).isEqualTo(refusal == null);
    if (refusal == null) {
      assertThat(choice.at()).isEqualTo(la(digits.substring(0, 2) + ":" + digits.substring(2)));
    } else {
      assertThat(choice.at()).isNull();
    }
  }

  @ParameterizedTest(name = "open all day, caller in {1}, keyed {0}: {2}")
  @CsvSource(nullValues = "null", value = {
      // digits (LA), caller's zone,     refusal: calls ring 08:00-21:00 where the caller is
      "0759,          America/Los_Angeles, NOT_CALLING_HOURS",
      "0800,          America/Los_Angeles, null",
      "2059,          America/Los_Angeles, null",
      "2100,          America/Los_Angeles, NOT_CALLING_HOURS",
      // 18:00 in LA is 21:00 in New York; 05:00 in LA is 08:00 there.
      "1759,          America/New_York,    null",
      "1800,          America/New_York,    NOT_CALLING_HOURS",
      "0500,          America/New_York,    null",
  })
  void callingHours(String digits, ZoneId callerZone, Refusal refusal) {
    CallbackTimeChoice choice = CallbackTimeChoice.of(digits, TUESDAY, LA, la("00:00"), OpeningHours.always(LA), EIGHT_TO_NINE,
        List.of(callerZone));
    assertThat(choice.refusal()).isEqualTo(refusal);
  }
}
