package dev.ringback.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What an outbound attempt's end means, and when to try again.
 *
 * @param retryDelays wait before attempt 2, 3, ... after no answer, busy or failed
 */
public record DialPolicy(int maxAttempts, List<Duration> retryDelays) {
  private static final Duration MAX_API_BACKOFF = Duration.ofMinutes(5);

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
    return Optional.of(retryDelays.get(Math.min(attemptsSoFar, retryDelays.size()) - 1));
  }

  /** Backoff after the network refused a request (rate limit, outage): 5 s, doubling, at most 5 minutes. */
  public static Duration apiBackoff(int errorStreak) {
    long seconds = 5L << Math.min(errorStreak, 10);
    return Duration.ofSeconds(seconds).compareTo(MAX_API_BACKOFF) > 0 ? MAX_API_BACKOFF : Duration.ofSeconds(seconds);
  }
}
