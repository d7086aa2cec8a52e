package dev.ringback.domain;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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

  /** The days as written: {@code mon} to {@code sun}. */
  public static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
      "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
      "sun", DayOfWeek.SUNDAY);

  /** A value that is not one: {@code field} names it ({@code hours.mon[0]}, {@code closed[1]}). */
  public static final class Invalid extends IllegalArgumentException {
    private final String field;

    Invalid(String field, String message) {
      super(message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /**
   * Hours as a business writes them, in the config or through the API.
   *
   * @param week ranges such as "09:00-17:00" per day ({@code mon}..{@code sun}); a day left out is
   *     closed; null: open all day every day
   * @param closed dates such as "2026-12-25"
   */
  public static OpeningHours parse(ZoneId zone, Map<String, List<String>> week, List<String> closed) {
    Set<LocalDate> dates = new HashSet<>();
    for (int i = 0; i < closed.size(); i++) {
      try {
        dates.add(LocalDate.parse(closed.get(i)));
      } catch (DateTimeException e) {
        throw new Invalid("closed[" + i + "]", "'" + closed.get(i) + "' is not a date such as 2026-12-25");
      }
    }
    if (week == null) {
      return dates.isEmpty() ? always(zone) : new OpeningHours(zone, allDay(), dates, false);
    }
    Map<DayOfWeek, List<Interval>> days = new HashMap<>();
    for (var entry : week.entrySet()) {
      DayOfWeek day = DAYS.get(entry.getKey());
      if (day == null) {
        throw new Invalid("hours." + entry.getKey(), "is not a day: use mon, tue, wed, thu, fri, sat or sun");
      }
      List<Interval> intervals = new ArrayList<>();
      for (int i = 0; i < entry.getValue().size(); i++) {
        String range = entry.getValue().get(i);
        try {
          intervals.add(Interval.parse(range));
        } catch (RuntimeException e) {
          throw new Invalid("hours." + entry.getKey() + "[" + i + "]", "'" + range + "' is not a range such as 09:00-17:00");
        }
      }
      intervals.sort(Comparator.comparing(Interval::open));
      days.put(day, intervals);
    }
    return new OpeningHours(zone, days, dates, false);
  }

  private static Map<DayOfWeek, List<Interval>> allDay() {
    Map<DayOfWeek, List<Interval>> week = new HashMap<>();
    for (DayOfWeek day : DayOfWeek.values()) {
      week.put(day, List.of(new Interval(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT)));
    }
    return week;
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
        LocalDateTime local = day.atTime(interval.open());
        // A time the clocks skip (spring forward) is reached when the gap ends; atZone would add the gap's length.
        ZoneOffsetTransition gap = zone.getRules().getTransition(local);
        Instant opening = gap != null && gap.isGap() ? gap.getInstant() : local.atZone(zone).toInstant();
        if (!opening.isBefore(from)) {
          return Optional.of(opening);
        }
      }
    }
    return Optional.empty();
  }
}
