package dev.ringback.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How the callbacks of one night's callers are spread over the first minutes after the opening,
 * in order of arrival: each is due one interval after the last one for that opening, the interval
 * being one agent's time per callback shared among the line's agents, never shorter than the
 * calls-per-second limit allows. VIPs are due at the opening itself, and go first by priority.
 *
 * @param secondsPerAgent how long one agent needs per callback
 * @param minimumSeconds the calls-per-second limit's interval (0: none)
 * @param configuredAgents the line's agent numbers in the config
 */
public record AfterHoursSpread(int secondsPerAgent, double minimumSeconds, int configuredAgents) {

  /** A VIP does not wait for the callers before them. */
  public static boolean dueAtOpening(Customer.Tier tier) {
    return tier == Customer.Tier.VIP;
  }

  /** Seconds between two callbacks of one opening; a line with no agent at all counts as one. */
  public double intervalSeconds(long registeredAgents) {
    return Math.max(minimumSeconds, (double) secondsPerAgent / Math.max(1, configuredAgents + registeredAgents));
  }

  /**
   * @param waiting after-hours callbacks of the line already scheduled for this opening or later
   * @param registeredAgents the agents registered on the line (besides the configured numbers)
   * @return to the microsecond, as the database keeps it
   */
  public Instant dueAt(Instant opening, long waiting, long registeredAgents) {
    long micros = (long) Math.rint(waiting * intervalSeconds(registeredAgents) * 1_000_000);
    return opening.plus(Duration.of(micros, ChronoUnit.MICROS));
  }
}
