package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The field-by-field reading of Twilio's Timestamp agrees with java.time's RFC 1123 formatter. */
class TwilioTimestampTest {
  private static Optional<Instant> formatter(String text) {
    try {
      return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Test
  void tenThousandDatesAsTwilioWritesThemAreReadFieldByFieldToTheSameInstant() {
    Random random = new Random(20261202);
    for (int n = 0; n < 10_000; n++) {
      Instant at = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L));
      ZoneOffset offset = n % 3 == 0 ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(random.nextInt(-14 * 4, 14 * 4 + 1) * 900);
      String text = DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(offset));
      assertThat(TwilioTimestamp.fast(text)).as(text).isEqualTo(at);
      assertThat(TwilioTimestamp.parse(text)).as(text).contains(at);
    }
    assertThat(TwilioTimestamp.fast("Tue, 21 Nov 2023 10:11:12 +0000")).isEqualTo(Instant.parse("2023-11-21T10:11:12Z"));
    assertThat(TwilioTimestamp.fast("Tue, 21 Nov 2023 10:11:12 GMT")).isEqualTo(Instant.parse("2023-11-21T10:11:12Z"));
  }

  @Test
  void anythingElseIsJudgedAsTheFormatterJudgesIt() {
    for (String text : List.of("Wed, 21 Nov 2023 10:11:12 +0000", "Tue, 31 Nov 2023 10:11:12 +0000", "Tue, 21 Noo 2023 10:11:12 +0000",
        "Tue, 21 Nov 2023 24:11:12 +0000", "Tue, 21 Nov 2023 10:61:12 +0000", "Tue, 21 Nov 2023 10:11:12 +2500",
        "Tue, 21 Nov 2023 10:11:12 *0000", "Tue, 21 Nov 2023 10:11:12 +00:00", "21 Nov 2023 10:11:12 +0000",
        "Tue,  21 Nov 2023 10:11:12 +0000", "Tue, 1 Nov 2023 10:11:12 +0000", "Wed, 1 Nov 2023 10:11:12 +0000",
        "Tue, 21 Nov 23 10:11:12 +0000", "Tue, 21 Nov 2023 10:11 +0000", "Tue, 21 Nov 2023 10:11:12", "", "x",
        "Tue, ab Nov 2023 10:11:12 +0000", "Tue, 21 Nov 2023 10:11:12 -0130", "Mon, 29 Feb 2016 00:00:00 GMT",
        "Tue, 29 Feb 2023 00:00:00 GMT", "Tue, 21 nov 2023 10:11:12 +0000", "tue, 21 Nov 2023 10:11:12 +0000")) {
      assertThat(TwilioTimestamp.parse(text)).as(text).isEqualTo(formatter(text));
      if (TwilioTimestamp.fast(text) != null) {
        assertThat(Optional.of(TwilioTimestamp.fast(text))).as("fast " + text).isEqualTo(formatter(text));
      }
    }
  }
}
