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
   * The outcome label of an inbound call that ended. An agent leg's answer and the {@code <Dial>}
   * result may arrive in either order, so both are consulted. An answered call cut short is dropped.
   */
  /** The {@code dial_status} of a call that came outside opening hours: no agent was rung, it went to voicemail. */
  public static final String AFTER_HOURS = "after_hours";

  public static String outcome(Instant answeredAt, String dialStatus, Instant endedAt, CallbackPolicy policy) {
    if (AFTER_HOURS.equals(dialStatus)) {
      return "voicemail";
    }
    if (answeredAt != null && policy.isDropped(answeredAt, endedAt)) {
      return "dropped";
    }
    if (answeredAt != null || (dialStatus != null && DIAL_ANSWERED.contains(dialStatus))) {
      return "answered";
    }
    if (dialStatus != null && DIAL_NOT_ANSWERED.contains(dialStatus)) {
      return "missed";
    }
    return "abandoned";
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
