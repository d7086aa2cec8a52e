package dev.ringback.domain;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The period a report covers, read from what the caller sent. A date is a whole day in the
 * report's time zone (as {@code to}, that day included), so a day is the business's day and not
 * UTC's; a date and time with an offset is that instant, one without is that time in the zone.
 * Every refusal names the value as it was sent.
 *
 * @param from the first instant counted
 * @param to the end, not counted
 */
public record ReportPeriod(Instant from, Instant to, ZoneId zone) {
  /** The longest period one report covers, in days of its zone. */
  public static final int MAX_DAYS = 366;
  /** How far back a report without {@code from} reaches. */
  public static final Duration DEFAULT_LENGTH = Duration.ofDays(7);

  private static final Pattern DATE_SHAPED = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final String DATE = "a date (YYYY-MM-DD)";
  private static final String DATE_TIME = "a date and time (YYYY-MM-DDTHH:MM[:SS], with an offset such as Z or +01:00, "
      + "or without one in the report's time zone)";

  /** A value that cannot be read ({@link #malformed()}), or values that make no period a report covers. */
  public static final class Refused extends RuntimeException {
    private final boolean malformed;

    Refused(boolean malformed, String message) {
      super(message, null, false, false);
      this.malformed = malformed;
    }

    public boolean malformed() {
      return malformed;
    }
  }

  /** The zone an IANA name ({@code tz}) names, or {@code fallback} when none is given. */
  public static ZoneId zone(String tz, ZoneId fallback) {
    if (tz == null || tz.isBlank()) {
      return fallback;
    }
    try {
      return ZoneId.of(tz);
    } catch (DateTimeException e) {
      throw new Refused(true, "tz: '" + tz + "' is not a time zone (an IANA name such as Europe/Berlin)");
    }
  }

  /**
   * @param from as sent; null or blank: {@link #DEFAULT_LENGTH} before {@code to}
   * @param to as sent; null or blank: now
   */
  public static ReportPeriod of(String from, String to, ZoneId zone, Instant now) {
    Optional<Instant> end = instant("to", to, zone, true);
    Optional<Instant> start = instant("from", from, zone, false);
    Instant until = end.orElse(now);
    Instant since = start.orElse(until.minus(DEFAULT_LENGTH));
    String toSent = end.isPresent() ? "to '" + to + "'" : "now (no to was given)";
    if (!since.isBefore(until)) {
      throw new Refused(false, "from: '" + from + "' is not before " + toSent);
    }
    if (since.atZone(zone).plusDays(MAX_DAYS).toInstant().isBefore(until)) {
      throw new Refused(false, "from: '" + from + "' is more than " + MAX_DAYS + " days before " + toSent
          + "; a report covers at most " + MAX_DAYS + " days");
    }
    return new ReportPeriod(since, until, zone);
  }

  private static Optional<Instant> instant(String name, String value, ZoneId zone, boolean endOfDay) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    boolean withTime = value.indexOf('T') >= 0;
    try {
      if (!withTime) {
        LocalDate day = fourDigitYear(LocalDate.parse(value));
        return Optional.of((endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant());
      }
      TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(value, ZonedDateTime::from, LocalDateTime::from);
      ZonedDateTime at = parsed instanceof ZonedDateTime zoned ? zoned : ((LocalDateTime) parsed).atZone(zone);
      fourDigitYear(at.toLocalDate());
      return Optional.of(at.toInstant());
    } catch (DateTimeException e) {
      String problem = withTime ? "is not " + DATE_TIME
          : DATE_SHAPED.matcher(value).matches() ? "is not " + DATE : "is neither " + DATE + " nor " + DATE_TIME;
      throw new Refused(true, name + ": '" + value + "' " + problem);
    }
  }

  /** Years beyond YYYY would take the period's arithmetic past what time can hold. */
  private static LocalDate fourDigitYear(LocalDate day) {
    if (day.getYear() < 1 || day.getYear() > 9999) {
      throw new DateTimeException("year " + day.getYear());
    }
    return day;
  }
}
