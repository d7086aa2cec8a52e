package dev.ringback.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;

/**
 * Twilio's {@code Timestamp} parameter, an RFC 1123 date such as {@code Tue, 21 Nov 2023 10:11:12 +0000}.
 * The common shape is read field by field (java.time's RFC 1123 formatter cost a twentieth of a
 * status webhook); anything else goes to that formatter, so both accept the same dates.
 */
final class TwilioTimestamp {
  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

  private TwilioTimestamp() {}

  /** The instant, or empty when the text is no RFC 1123 date. */
  static Optional<Instant> parse(String text) {
    Instant fast = fast(text);
    if (fast != null) {
      return Optional.of(fast);
    }
    try {
      return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** "Ddd, d[d] Mmm yyyy HH:mm:ss +hhmm" (or GMT); null for any other shape or an impossible date. */
  static Instant fast(String s) {
    int comma = s.indexOf(", ");
    if (comma != 3) {
      return null;
    }
    int i = 5;
    int dayEnd = s.indexOf(' ', i);
    if (dayEnd != i + 1 && dayEnd != i + 2) {
      return null;
    }
    int day = digits(s, i, dayEnd);
    i = dayEnd + 1;
    if (s.length() != i + 4 + 4 + 1 + 8 + 1 + (s.endsWith("GMT") ? 3 : 5) || s.charAt(i + 3) != ' ') {
      return null;
    }
    int month = MONTHS.indexOf(s.substring(i, i + 3));
    if (month < 0 || month % 3 != 0) {
      return null;
    }
    i += 4;
    int year = digits(s, i, i + 4);
    i += 4;
    if (s.charAt(i) != ' ' || s.charAt(i + 3) != ':' || s.charAt(i + 6) != ':' || s.charAt(i + 9) != ' ') {
      return null;
    }
    int hour = digits(s, i + 1, i + 3);
    int minute = digits(s, i + 4, i + 6);
    int second = digits(s, i + 7, i + 9);
    i += 10;
    int offsetSeconds;
    if (s.startsWith("GMT", i)) {
      offsetSeconds = 0;
    } else {
      char sign = s.charAt(i);
      int hours = digits(s, i + 1, i + 3);
      int minutes = digits(s, i + 3, i + 5);
      if ((sign != '+' && sign != '-') || hours < 0 || minutes < 0) {
        return null;
      }
      offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    }
    if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    try {
      LocalDateTime local = LocalDateTime.of(year, month / 3 + 1, day, hour, minute, second);
      // The day name must agree with the date, as the formatter insists.
      if (!local.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
          .equals(s.substring(0, 3))) {
        return null;
      }
      return local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal number in s[from, to), or -1 if any of it is not a digit. */
  private static int digits(String s, int from, int to) {
    if (from < 0 || to > s.length() || from >= to) {
      return -1;
    }
    int value = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
