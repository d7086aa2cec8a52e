package dev.ringback.domain;

import java.util.List;
import java.util.Optional;

/**
 * One {@code <Dial>} of an incoming call under its line's {@link RingStrategy}: whom it rings, for
 * how long, and which of the line's contacts comes next if nobody answers. The line's ring
 * budget (its ring-timeout-seconds) bounds the whole call: once it is spent the call counts as
 * missed, whatever is left to ring.
 *
 * @param next the index of the contact rung after this step, or -1 when nobody follows
 */
public record RingStep(List<String> contacts, int timeoutSeconds, int next) {
  /** A leg rung for less than this is not worth ringing: a phone takes longer just to start. */
  public static final int SHORTEST_RING_SECONDS = 5;

  public RingStep {
    contacts = List.copyOf(contacts);
  }

  /** The first step of a call; empty when there is nobody to ring. */
  public static Optional<RingStep> first(RingStrategy strategy, List<String> contacts, int budgetSeconds, int ringSeconds) {
    if (contacts.isEmpty()) {
      return Optional.empty();
    }
    if (strategy == RingStrategy.SIMULTANEOUS) {
      return Optional.of(new RingStep(contacts, budgetSeconds, -1));
    }
    return after(strategy, contacts, 0, 0, budgetSeconds, ringSeconds);
  }

  /**
   * The step after nobody answered, {@code elapsedSeconds} into the call; empty when the call is
   * missed (nobody left, or too little of the budget).
   */
  public static Optional<RingStep> after(RingStrategy strategy, List<String> contacts, int next, long elapsedSeconds, int budgetSeconds,
                                         int ringSeconds) {
    long left = budgetSeconds - elapsedSeconds;
    if (strategy == RingStrategy.SIMULTANEOUS || next < 0 || next >= contacts.size() || left < SHORTEST_RING_SECONDS) {
      return Optional.empty();
    }
    int timeout = (int) Math.min(ringSeconds, left);
    return Optional.of(new RingStep(List.of(contacts.get(next)), timeout, next + 1 < contacts.size() ? next + 1 : -1));
  }
}
