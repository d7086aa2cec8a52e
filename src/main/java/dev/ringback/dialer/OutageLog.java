package dev.ringback.dialer;

/**
 * Whether a job that repeats is failing: an outage fails every attempt, and is worth one line
 * when it begins and one when it ends, not one at every attempt.
 */
final class OutageLog {
  private boolean failing;

  /** Records a failure; true only for the first failure of an outage. */
  boolean failed() {
    boolean first = !failing;
    failing = true;
    return first;
  }

  /** Records a success; true only when it ends an outage. */
  boolean succeeded() {
    boolean ended = failing;
    failing = false;
    return ended;
  }
}
