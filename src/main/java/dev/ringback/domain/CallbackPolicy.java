package dev.ringback.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * When a call becomes a callback, how soon, and in which order. Plain decisions, no I/O.
 *
 * @param delays wait after each trigger, so we do not call someone who is already redialling; keyed by the
 *     trigger's word, as the configuration names them
 * @param droppedCallSeconds an answered call that ends sooner than this counts as dropped
 * @param vipDelay the longest a VIP customer waits after any trigger
 */
public record CallbackPolicy(Map<String, Duration> delays, int droppedCallSeconds, Duration vipDelay) {
  /** The configuration's keys of {@link #delays}. */
  public static final String MISSED = CallbackTrigger.MISSED.value();
  public static final String ABANDONED = CallbackTrigger.ABANDONED.value();
  public static final String DROPPED = CallbackTrigger.DROPPED.value();
  public static final String ORDER = CallbackTrigger.ORDER.value();

  private static final int VIP_PRIORITY = 100;
  private static final Map<CallbackTrigger, Integer> TRIGGER_PRIORITY = new EnumMap<>(Map.of(
      CallbackTrigger.ORDER, 50, CallbackTrigger.DROPPED, 20, CallbackTrigger.MISSED, 10, CallbackTrigger.ABANDONED, 10,
      CallbackTrigger.AFTER_HOURS, 10));

  public CallbackPolicy {
    delays = Map.copyOf(delays);
  }

  /** The callback trigger an inbound call's outcome stands for, if any. */
  public static Optional<CallbackTrigger> triggerFor(CallOutcome outcome) {
    return switch (outcome) {
      case MISSED -> Optional.of(CallbackTrigger.MISSED);
      case ABANDONED -> Optional.of(CallbackTrigger.ABANDONED);
      case DROPPED -> Optional.of(CallbackTrigger.DROPPED);
      default -> Optional.empty();
    };
  }

  public Instant dueAt(CallbackTrigger trigger, Instant triggeredAt) {
    return triggeredAt.plus(delays.getOrDefault(trigger.value(), Duration.ZERO));
  }

  /** A VIP's callback comes sooner: never later than {@link #vipDelay} after the trigger. */
  public Instant dueAt(CallbackTrigger trigger, Instant triggeredAt, Customer.Tier tier) {
    Instant due = dueAt(trigger, triggeredAt);
    Instant vip = triggeredAt.plus(vipDelay);
    return tier == Customer.Tier.VIP && vip.isBefore(due) ? vip : due;
  }

  /** Higher goes first: VIP customers before everyone, then orders, dropped calls, missed calls. */
  public int priority(CallbackTrigger trigger, Customer.Tier tier) {
    return (tier == Customer.Tier.VIP ? VIP_PRIORITY : 0) + TRIGGER_PRIORITY.getOrDefault(trigger, 0);
  }

  /** Whether an answered call that lasted this long was cut short. */
  public boolean isDropped(Instant answeredAt, Instant endedAt) {
    return answeredAt != null && endedAt != null
        && Duration.between(answeredAt, endedAt).compareTo(Duration.ofSeconds(droppedCallSeconds)) < 0;
  }
}
