package dev.ringback.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an outbound attempt's end means, and when to try again.
 *
 * @param retryDelays wait before attempt 2, 3, ... after no answer, busy or failed
 */
public record DialPolicy(int maxAttempts, List<Duration> retryDelays) {
  private static final Duration MAX_API_BACKOFF = Duration.ofMinutes(5);
  /** Why a callback is in the agents' queue when the dialler used up its attempts on a staffed line. */
  public static final String RETRIES_EXHAUSTED = "retries_exhausted";
  /** The furthest ahead a person may have a callback tried again. */
  public static final Duration MAX_RETRY_AHEAD = Duration.ofDays(30);

  public DialPolicy {
    retryDelays = List.copyOf(retryDelays);
  }

  /** The outcome of an attempt from its final status and what answered. */
  public static AttemptOutcome attemptOutcome(CallStatus finalStatus, boolean answered, String answeredBy, boolean noAgent) {
    if (answered) {
      if (isMachine(answeredBy)) {
        return AttemptOutcome.MACHINE;
      }
      return noAgent ? AttemptOutcome.NO_AGENT : AttemptOutcome.CONNECTED;
    }
    return switch (finalStatus) {
      case BUSY -> AttemptOutcome.BUSY;
      case FAILED -> AttemptOutcome.FAILED;
      default -> AttemptOutcome.NO_ANSWER;
    };
  }

  /** Twilio's {@code AnsweredBy} for an answering machine or a fax rather than a person. */
  public static boolean isMachine(String answeredBy) {
    return answeredBy != null && (answeredBy.startsWith("machine") || answeredBy.equals("fax"));
  }

  /** A person was reached or a message was left: the promise is kept. */
  public static boolean isDone(AttemptOutcome outcome) {
    return outcome == AttemptOutcome.CONNECTED || outcome == AttemptOutcome.MACHINE;
  }

  /** How the call of an attempt ended, for {@code ringback_calls_total}. */
  public static CallOutcome callOutcome(AttemptOutcome attemptOutcome) {
    return switch (attemptOutcome) {
      case CONNECTED, NO_AGENT -> CallOutcome.ANSWERED;
      case MACHINE -> CallOutcome.MACHINE;
      case BUSY -> CallOutcome.BUSY;
      case FAILED -> CallOutcome.FAILED;
      default -> CallOutcome.MISSED;
    };
  }

  /** Wait before the next attempt, or empty when the attempts are used up. */
  public Optional<Duration> nextAttemptDelay(int attemptsSoFar) {
    if (attemptsSoFar >= maxAttempts) {
      return Optional.empty();
    }
    if (retryDelays.isEmpty()) {
      return Optional.of(Duration.ZERO);
    }
    return Optional.of(retryDelays.get(Math.max(1, Math.min(attemptsSoFar, retryDelays.size())) - 1));
  }

  /**
   * What becomes of a callback after one of its attempts ended.
   *
   * @param outcome the callback's outcome; null while it stays open
   * @param dueAt when it is due again, if it is scheduled again
   * @param taskReason why a person takes over, if it goes to the agents
   * @param attemptsUsedUp the automatic attempts are used up (the callback expires, or goes to the agents)
   */
  public record AfterAttempt(CallbackState state, AttemptOutcome outcome, Instant dueAt, String taskReason, boolean attemptsUsedUp) {}

  /**
   * A kept promise ends the callback; otherwise it is due again after {@link #nextAttemptDelay},
   * and once the automatic attempts are used up a person takes over on a staffed line, else it expires.
   *
   * @param attemptsSoFar the callback's attempts, this one included
   * @param staffed agents are registered on the callback's line
   */
  public AfterAttempt afterAttempt(AttemptOutcome outcome, int attemptsSoFar, boolean staffed, Instant endedAt) {
    if (isDone(outcome)) {
      return new AfterAttempt(CallbackState.DONE, outcome, null, null, false);
    }
    Optional<Duration> wait = nextAttemptDelay(attemptsSoFar);
    if (wait.isPresent()) {
      return new AfterAttempt(CallbackState.SCHEDULED, null, endedAt.plus(wait.get()), null, false);
    }
    return staffed ? new AfterAttempt(CallbackState.AGENT_QUEUE, null, null, RETRIES_EXHAUSTED, true)
        : new AfterAttempt(CallbackState.EXPIRED, AttemptOutcome.EXPIRED, null, null, true);
  }

  /**
   * A person of the agents' queue called the customer and nobody answered: as after an
   * unanswered attempt of the dialler, the callback is due again after {@link #nextAttemptDelay},
   * and expires once the attempts are used up (a person has just tried, so it does not go back to
   * the agents). A time the person chose is kept, even past the attempts: the dialler then tries
   * once more, and hands the callback to the agents when that goes unanswered too.
   *
   * @param attemptsSoFar the callback's attempts, the person's call included
   * @param retryAt when the person asked for the next try, if they did
   */
  public AfterAttempt afterPersonNoAnswer(int attemptsSoFar, Instant endedAt, Optional<Instant> retryAt) {
    return retryAt.map(at -> new AfterAttempt(CallbackState.SCHEDULED, null, at, null, false))
        .orElseGet(() -> afterAttempt(AttemptOutcome.NO_ANSWER, attemptsSoFar, false, endedAt));
  }

  /** Whether a person may have the callback tried again at {@code at}: later than now, and at most {@link #MAX_RETRY_AHEAD} ahead. */
  public static boolean mayRetryAt(Instant at, Instant now) {
    return at.isAfter(now) && !at.isAfter(now.plus(MAX_RETRY_AHEAD));
  }

  /** Backoff after the network refused a request (rate limit, outage): 5 s, doubling, at most 5 minutes. */
  public static Duration apiBackoff(int errorStreak) {
    long seconds = 5L << Math.min(errorStreak, 10);
    return Duration.ofSeconds(seconds).compareTo(MAX_API_BACKOFF) > 0 ? MAX_API_BACKOFF : Duration.ofSeconds(seconds);
  }
}
