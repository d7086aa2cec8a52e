package dev.ringback.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** What an inbound call's events mean: how it ended and how long the caller waited. */
public final class InboundCalls {
  /** {@code DialCallStatus} values that mean an agent took the call. */
  private static final Set<String> DIAL_ANSWERED = Set.of("completed", "answered");
  /** {@code DialCallStatus} values that mean the agents were rung and nobody took it. */
  private static final Set<String> DIAL_NOT_ANSWERED = Set.of("no-answer", "busy", "failed", "canceled");

  private InboundCalls() {}

  /**
   * The {@code dial_status} of a call that came outside opening hours: no agent was rung, it went
   * to voicemail. The word is its callback's trigger's.
   */
  private static final String AFTER_HOURS = CallbackTrigger.AFTER_HOURS.value();

  /**
   * How an inbound call ended. An agent leg's answer and the {@code <Dial>} result may arrive in
   * either order, so both are consulted. An answered call cut short is dropped.
   */
  public static CallOutcome outcome(Instant answeredAt, String dialStatus, Instant endedAt, CallbackPolicy policy) {
    if (AFTER_HOURS.equals(dialStatus)) {
      return CallOutcome.VOICEMAIL;
    }
    if (answeredAt != null && policy.isDropped(answeredAt, endedAt)) {
      return CallOutcome.DROPPED;
    }
    if (answeredAt != null || (dialStatus != null && DIAL_ANSWERED.contains(dialStatus))) {
      return CallOutcome.ANSWERED;
    }
    if (dialStatus != null && DIAL_NOT_ANSWERED.contains(dialStatus)) {
      return CallOutcome.MISSED;
    }
    return CallOutcome.ABANDONED;
  }

  /** The agents were rung and none of them took the call. */
  public static boolean dialNotAnswered(String dialStatus) {
    return dialStatus != null && DIAL_NOT_ANSWERED.contains(dialStatus);
  }

  public static boolean dialAnswered(String dialStatus) {
    return dialStatus != null && DIAL_ANSWERED.contains(dialStatus);
  }

  /** From arrival to answer; never negative, even if the two clocks disagree a little. */
  public static Duration ringToAnswer(Instant arrivedAt, Instant answeredAt) {
    Duration duration = Duration.between(arrivedAt, answeredAt);
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
