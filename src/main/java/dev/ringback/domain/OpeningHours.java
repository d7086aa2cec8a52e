package dev.ringback.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A line's weekly opening hours in its time zone, and the dates it is closed. Times are read
 * in the zone's rules for each date, so a daylight-saving change moves nothing by an hour.
 *
 * @param week opening intervals per day; a day without intervals is closed
 * @param alwaysOpen no hours configured: the line is always open
 */
public record OpeningHours(ZoneId zone, Map<DayOfWeek, List<Interval>> week, Set<LocalDate> closed, boolean alwaysOpen) {
  /** How far ahead the next opening is looked for; longer closures mean the line is closed. */
  private static final int HORIZON_DAYS = 400;

  /** From {@code open} (inclusive) to {@code close} (exclusive), on one day. */
  public record Interval(LocalTime open, LocalTime close) {
    public Interval {
      if (!close.isAfter(open) && !close.equals(LocalTime.MIDNIGHT)) {
        throw new IllegalArgumentException("closes before it opens");
      }
    }

    boolean contains(LocalTime time) {
      return !time.isBefore(open) && (close.equals(LocalTime.MIDNIGHT) || time.isBefore(close));
    }

    /** "09:00-17:00"; "24:00" as the end means midnight. */
    public static Interval parse(String text) {
      String[] parts = text.trim().split("-");
      if (parts.length != 2) {
        throw new IllegalArgumentException("'" + text + "' is not a range such as 09:00-17:00");
      }
      LocalTime open = LocalTime.parse(parts[0].trim());
      LocalTime close = parts[1].trim().equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(parts[1].trim());
      return new Interval(open, close);
    }
  }

  public OpeningHours {
    week = Map.copyOf(week);
    closed = Set.copyOf(closed);
  }

  public static OpeningHours always(ZoneId zone) {
    return new OpeningHours(zone, Map.of(), Set.of(), true);
  }

  public boolean isOpen(Instant at) {
    if (alwaysOpen) {
      return true;
    }
    ZonedDateTime local = at.atZone(zone);
    if (closed.contains(local.toLocalDate())) {
      return false;
    }
    return week.getOrDefault(local.getDayOfWeek(), List.of()).stream().anyMatch(i -> i.contains(local.toLocalTime()));
  }

  /** The next instant the line opens at or after {@code from}; {@code from} itself when open; empty when never. */
  public Optional<Instant> nextOpening(Instant from) {
    if (isOpen(from)) {
      return Optional.of(from);
    }
    LocalDate day = from.atZone(zone).toLocalDate();
    for (int i = 0; i < HORIZON_DAYS; i++, day = day.plusDays(1)) {
      if (closed.contains(day)) {
        continue;
      }
      for (Interval interval : week.getOrDefault(day.getDayOfWeek(), List.of())) {
        // atZone moves a time in a spring-forward gap to just after it.
        Instant opening = day.atTime(interval.open()).atZone(zone).toInstant();
        if (!opening.isBefore(from)) {
          return Optional.of(opening);
        }
      }
    }
    return Optional.empty();
  }
}
