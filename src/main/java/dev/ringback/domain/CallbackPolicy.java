package dev.ringback.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * When a call becomes a callback, how soon, and in which order. Plain decisions, no I/O.
 *
 * @param delays wait after each trigger, so we do not call someone who is already redialling
 * @param droppedCallSeconds an answered call that ends sooner than this counts as dropped
 * @param vipDelay the longest a VIP customer waits after any trigger
 */
public record CallbackPolicy(Map<String, Duration> delays, int droppedCallSeconds, Duration vipDelay) {
  public static final String MISSED = "missed";
  public static final String ABANDONED = "abandoned";
  public static final String DROPPED = "dropped";
  public static final String ORDER = "order";
  public static final String AFTER_HOURS = "after_hours";

  private static final int VIP_PRIORITY = 100;
  private static final Map<String, Integer> TRIGGER_PRIORITY = Map.of(ORDER, 50, DROPPED, 20, MISSED, 10, ABANDONED, 10,
      AFTER_HOURS, 10);

  public CallbackPolicy {
    delays = Map.copyOf(delays);
  }

  /** The callback trigger an inbound call's outcome stands for, if any. */
  public static Optional<String> triggerFor(String outcome) {
    return switch (outcome) {
      case MISSED, ABANDONED, DROPPED -> Optional.of(outcome);
      default -> Optional.empty();
    };
  }

  public Instant dueAt(String trigger, Instant triggeredAt) {
    return triggeredAt.plus(delays.getOrDefault(trigger, Duration.ZERO));
  }

  /** A VIP's callback comes sooner: never later than {@link #vipDelay} after the trigger. */
  public Instant dueAt(String trigger, Instant triggeredAt, Customer.Tier tier) {
    Instant due = dueAt(trigger, triggeredAt);
    Instant vip = triggeredAt.plus(vipDelay);
    return tier == Customer.Tier.VIP && vip.isBefore(due) ? vip : due;
  }

  /** Higher goes first: VIP customers before everyone, then orders, dropped calls, missed calls. */
  public int priority(String trigger, Customer.Tier tier) {
    return (tier == Customer.Tier.VIP ? VIP_PRIORITY : 0) + TRIGGER_PRIORITY.getOrDefault(trigger, 0);
  }

  /** Whether an answered call that lasted this long was cut short. */
  public boolean isDropped(Instant answeredAt, Instant endedAt) {
    return answeredAt != null && endedAt != null
        && Duration.between(answeredAt, endedAt).compareTo(Duration.ofSeconds(droppedCallSeconds)) < 0;
  }
}
