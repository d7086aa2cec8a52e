package dev.ringback.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The spans the owner's day is drawn in, where the business is: the last 24 hours hour by hour
 * (the current hour last), and the last 7 days day by day (today last), each day from its own
 * midnight, so a day when the clocks change has 23 or 25 hours.
 */
public final class TodaySpans {
  public static final int HOURS = 24;
  public static final int DAYS = 7;

  private TodaySpans() {}

  /** {@link #HOURS} + 1 boundaries: the start of each hour (on the business's clock: India's are at :30 UTC), then the end of the current one. */
  public static List<Instant> hours(Instant now, ZoneId zone) {
    Instant end = now.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant().plus(1, ChronoUnit.HOURS);
    List<Instant> boundaries = new ArrayList<>();
    for (int i = HOURS; i >= 0; i--) {
      boundaries.add(end.minus(i, ChronoUnit.HOURS));
    }
    return boundaries;
  }

  /** {@link #DAYS} + 1 boundaries: each day's midnight where the business is, then tomorrow's. */
  public static List<Instant> days(Instant now, ZoneId zone) {
    LocalDate today = now.atZone(zone).toLocalDate();
    List<Instant> boundaries = new ArrayList<>();
    for (int i = DAYS - 1; i >= -1; i--) {
      boundaries.add(today.minusDays(i).atStartOfDay(zone).toInstant());
    }
    return boundaries;
  }

  /** Today's midnight and tomorrow's, where the business is. */
  public static List<Instant> today(Instant now, ZoneId zone) {
    ZonedDateTime midnight = now.atZone(zone).toLocalDate().atStartOfDay(zone);
    return List.of(midnight.toInstant(), midnight.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant());
  }
}
