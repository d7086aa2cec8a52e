package dev.ringback.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The time of day a caller keys in (four digits, {@code HHMM}) for their callback, on a day
 * already chosen: accepted only when it is far enough ahead, inside the line's opening hours
 * and inside the allowed calling hours where the caller is.
 *
 * @param at the chosen instant; null when refused
 * @param refusal why it is refused; null when accepted
 */
public record CallbackTimeChoice(Instant at, Refusal refusal) {
  /**
   * A time no further ahead than this counts as passed: the caller is still on this call,
   * hearing the confirmation, and a callback due before it ends would find them busy.
   */
  public static final Duration SOONEST = Duration.ofSeconds(120);

  public enum Refusal { NOT_A_TIME, PASSED, CLOSED, NOT_CALLING_HOURS }

  public boolean accepted() {
    return refusal == null;
  }

  /**
   * @param date the chosen day, in the line's zone
   * @param lineZone where the line is: the digits are its local time
   * @param callerZones where the caller may be, for the allowed calling hours
   */
  public static CallbackTimeChoice of(String digits, LocalDate date, ZoneId lineZone, Instant now, OpeningHours opening,
                                      QuietHours allowed, List<ZoneId> callerZones) {
    if (!digits.matches("([01][0-9]|2[0-3])[0-5][0-9]")) {
      return new CallbackTimeChoice(null, Refusal.NOT_A_TIME);
    }
    Instant chosen = date.atTime(Integer.parseInt(digits.substring(0, 2)), Integer.parseInt(digits.substring(2))).atZone(lineZone)
        .toInstant();
    if (!chosen.isAfter(now.plus(SOONEST))) {
      return new CallbackTimeChoice(null, Refusal.PASSED);
    }
    if (!opening.isOpen(chosen)) {
      return new CallbackTimeChoice(null, Refusal.CLOSED);
    }
    if (allowed.firstCallable(chosen, callerZones, lineZone).isAfter(chosen)) {
      return new CallbackTimeChoice(null, Refusal.NOT_CALLING_HOURS);
    }
    return new CallbackTimeChoice(chosen, null);
  }

  /** The step {@link #firstOnDay} looks at, from midnight. */
  private static final int DAY_STEP_MINUTES = 15;

  /**
   * A day without a time ("tomorrow"): the first quarter hour of it, far enough ahead, when the
   * line is open and the caller may be called; refused as {@link Refusal#CLOSED} when there is none.
   */
  public static CallbackTimeChoice firstOnDay(LocalDate date, ZoneId lineZone, Instant now, OpeningHours opening,
                                              QuietHours allowed, List<ZoneId> callerZones) {
    for (int minute = 0; minute < 24 * 60; minute += DAY_STEP_MINUTES) {
      String digits = String.format("%02d%02d", minute / 60, minute % 60);
      CallbackTimeChoice choice = of(digits, date, lineZone, now, opening, allowed, callerZones);
      if (choice.accepted()) {
        return choice;
      }
    }
    return new CallbackTimeChoice(null, date.isBefore(now.atZone(lineZone).toLocalDate()) ? Refusal.PASSED : Refusal.CLOSED);
  }
}
