package dev.ringback.metrics;

import dev.ringback.store.CallStore;
import dev.ringback.store.CallbackStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * Every Ringback meter name and tag, in one place. Names follow the contract in SPEC.md;
 * phone numbers and names never become tags.
 */
public final class RingbackMetrics {
  public static final List<String> DIRECTIONS = List.of("inbound", "callback");
  public static final List<String> TRIGGERS =
      List.of("order", "missed", "abandoned", "dropped", "voicemail", "after_hours", "scheduled", "manual");
  public static final List<String> CALLBACK_OUTCOMES =
      List.of("connected", "no_answer", "busy", "machine", "no_agent", "failed", "cancelled", "expired");
  public static final List<String> CALL_OUTCOMES =
      List.of("answered", "missed", "abandoned", "dropped", "busy", "failed", "voicemail", "machine");

  /** Speed to callback: sub-second for orders, minutes for missed calls. */
  private static final Duration[] DELAY_BUCKETS = java.util.stream.LongStream.of(
          100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000)
      .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

  public static final List<String> QUEUE_STATES = List.of("scheduled", "due", "dialing", "agent_queue");

  private final MeterRegistry registry;
  private final Duration[] ringBuckets;
  private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> queue = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param ringSeconds one ring cycle
   * @param bucketsInRings histogram bucket bounds, in rings
   */
  public RingbackMetrics(MeterRegistry registry, int ringSeconds, List<Integer> bucketsInRings) {
    this.registry = registry;
    this.ringBuckets = bucketsInRings.stream().map(rings -> Duration.ofSeconds((long) rings * ringSeconds)).toArray(Duration[]::new);
    // Register every series up front so dashboards and rates see zeros instead of gaps.
    for (String direction : DIRECTIONS) {
      ringToAnswer(direction);
      for (String outcome : CALL_OUTCOMES) {
        calls(direction, outcome);
      }
    }
    for (String state : QUEUE_STATES) {
      java.util.concurrent.atomic.AtomicLong value = new java.util.concurrent.atomic.AtomicLong();
      queue.put(state, value);
      io.micrometer.core.instrument.Gauge.builder("ringback.callback.queue", value, java.util.concurrent.atomic.AtomicLong::get)
          .description("Callbacks waiting, read from the database (the same for every instance)")
          .tag("state", state)
          .register(registry);
    }
    for (String source : dev.ringback.domain.Order.SOURCES) {
      for (String result : dev.ringback.domain.Order.RESULTS) {
        orders(source, result);
      }
    }
    for (String trigger : TRIGGERS) {
      scheduled(trigger);
      delay(trigger);
      for (String outcome : CALLBACK_OUTCOMES) {
        finished(trigger, outcome);
      }
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Everything one applied call event changed, counted once. */
  public void record(CallStore.Applied applied) {
    applied.answer().ifPresent(a -> answered(a.direction(), a.ringToAnswer()));
    applied.ended().ifPresent(e -> callEnded(e.direction(), e.outcome()));
    applied.scheduled().filter(CallbackStore.Scheduled::created).ifPresent(sc -> callbackScheduled(sc.trigger()));
    applied.cancelled().ifPresent(c -> callbackFinished(c.trigger(), "cancelled"));
    applied.finished().forEach(f -> callbackFinished(f.trigger(), f.outcome()));
  }

  public void answered(String direction, Duration ringToAnswer) {
    ringToAnswer(direction).record(ringToAnswer);
  }

  public void callEnded(String direction, String outcome) {
    calls(direction, outcome).increment();
  }

  public void callbackScheduled(String trigger) {
    scheduled(trigger).increment();
  }

  /** The queue as the database last reported it. */
  public void queue(java.util.Map<String, Long> counts) {
    counts.forEach((state, n) -> {
      var value = queue.get(state);
      if (value != null) {
        value.set(n);
      }
    });
  }

  /** Speed to callback: from the trigger event to the outbound call being placed. */
  public void callbackPlaced(String trigger, Duration sinceTrigger) {
    delay(trigger).record(sinceTrigger.isNegative() ? Duration.ZERO : sinceTrigger);
  }

  private Timer delay(String trigger) {
    return Timer.builder("ringback.callback.delay")
        .description("From the trigger event to the outbound call being placed")
        .tag("trigger", trigger)
        .serviceLevelObjectives(DELAY_BUCKETS)
        .register(registry);
  }

  /** An order webhook's delivery, by what became of it. */
  public void order(String source, String result) {
    orders(source, result).increment();
  }

  private Counter orders(String source, String result) {
    return Counter.builder("ringback.orders")
        .description("Order webhook deliveries by source and what became of them")
        .tag("source", source)
        .tag("result", result)
        .register(registry);
  }

  public void callbackFinished(String trigger, String outcome) {
    finished(trigger, outcome).increment();
  }

  private Counter scheduled(String trigger) {
    return Counter.builder("ringback.callbacks.scheduled")
        .description("Callbacks created, by what triggered them")
        .tag("trigger", trigger)
        .register(registry);
  }

  private Counter finished(String trigger, String outcome) {
    return Counter.builder("ringback.callbacks.finished")
        .description("Callback attempts that ended, by trigger and outcome")
        .tag("trigger", trigger)
        .tag("outcome", outcome)
        .register(registry);
  }

  private Timer ringToAnswer(String direction) {
    return Timer.builder("ringback.ring.to.answer")
        .description("Time from the first ring to the answer")
        .tag("direction", direction)
        .serviceLevelObjectives(ringBuckets)
        .register(registry);
  }

  private Counter calls(String direction, String outcome) {
    return Counter.builder("ringback.calls")
        .description("Calls by how they ended")
        .tag("direction", direction)
        .tag("outcome", outcome)
        .register(registry);
  }
}
