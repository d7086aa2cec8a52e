package dev.ringback.domain;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * When an outbound call may ring a customer: only inside the allowed window of their local
 * time (08:00-21:00 by default, the rule of US telemarketing law). A customer whose number
 * maps to several zones is called only when the window is open in all of them.
 */
public record QuietHours(LocalTime from, LocalTime until) {
  /** No quiet hours: any time of day. */
  public static final QuietHours ALL_DAY = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

  /** Calls may ring at any time of day: nobody's time zone matters. */
  public boolean isAllDay() {
    return from.equals(LocalTime.MIDNIGHT) && until.equals(LocalTime.MIDNIGHT);
  }

  public boolean allows(Instant at, List<ZoneId> zones) {
    return zones.stream().allMatch(zone -> inside(at.atZone(zone).toLocalTime()));
  }

  /** "24:00" (midnight) as the end means the end of the day. */
  private boolean inside(LocalTime time) {
    return !time.isBefore(from) && (until.equals(LocalTime.MIDNIGHT) || time.isBefore(until));
  }

  /**
   * The first instant at or after {@code at} when a call may ring someone who may be in any of
   * {@code zones}; when those zones never share an allowed moment (a toll-free number spans
   * Guam to Alaska), the first one in {@code fallback}, the line's zone.
   */
  public Instant firstCallable(Instant at, List<ZoneId> zones, ZoneId fallback) {
    return nextAllowed(at, zones).or(() -> nextAllowed(at, List.of(fallback))).orElse(at);
  }

  /** The first instant at or after {@code at} when every zone is inside the window; empty if there is none. */
  public Optional<Instant> nextAllowed(Instant at, List<ZoneId> zones) {
    Instant candidate = at;
    // Each step moves to the opening of the window in a zone that is still closed; a few steps settle it.
    for (int step = 0; step < 16 && !allows(candidate, zones); step++) {
      Instant latest = candidate;
      for (ZoneId zone : zones) {
        ZonedDateTime local = candidate.atZone(zone);
        if (!inside(local.toLocalTime())) {
          ZonedDateTime opening = local.toLocalTime().isBefore(from)
              ? local.toLocalDate().atTime(from).atZone(zone)
              : local.toLocalDate().plusDays(1).atTime(from).atZone(zone);
          if (opening.toInstant().isAfter(latest)) {
            latest = opening.toInstant();
          }
        }
      }
      candidate = latest;
    }
    return allows(candidate, zones) ? Optional.of(candidate) : Optional.empty();
  }
}
