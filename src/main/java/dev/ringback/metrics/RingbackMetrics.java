package dev.ringback.metrics;

import dev.ringback.domain.Order;
import dev.ringback.store.CallStore;
import dev.ringback.store.CallbackStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * Every Ringback meter name and tag, in one place. Names follow the contract in SPEC.md;
 * phone numbers and names never become tags. The {@code line} tag takes the configured line
 * ids, which are few.
 */
public final class RingbackMetrics {
  public static final List<String> DIRECTIONS = List.of("inbound", "callback");
  public static final List<String> TRIGGERS =
      List.of("order", "missed", "abandoned", "dropped", "voicemail", "after_hours", "scheduled", "manual", "feedback");
  public static final List<String> CALLBACK_OUTCOMES =
      List.of("connected", "no_answer", "busy", "machine", "no_agent", "failed", "cancelled", "expired");
  public static final List<String> CALL_OUTCOMES =
      List.of("answered", "missed", "abandoned", "dropped", "busy", "failed", "voicemail", "machine");
  public static final List<String> QUEUE_STATES = List.of("scheduled", "due", "dialing", "agent_queue");
  public static final List<String> AGENT_STATES = List.of("available", "busy", "offline");
  public static final List<String> TWILIO_OPERATIONS = List.of("create_call", "list_calls", "fetch_call");
  public static final List<String> TWILIO_RESULTS = List.of("ok", "permanent", "retryable", "ambiguous");

  /** Speed to callback: sub-second for orders, minutes for missed calls. */
  private static final Duration[] DELAY_BUCKETS = LongStream.of(
          100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000)
      .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final Duration[] ringBuckets;
  private final Duration target;
  private final Map<String, AtomicLong> queue = new ConcurrentHashMap<>();
  private final AtomicLong oldestDueMillis = new AtomicLong();
  private final Map<String, AtomicLong> agents = new ConcurrentHashMap<>();

  /**
   * @param ringSeconds one ring cycle
   * @param bucketsInRings histogram bucket bounds, in rings
   * @param target answered within this long counts towards the service level
   * @param serviceLevelObjective the share of calls that should be answered within the target
   * @param lines the configured line ids, registered up front
   */
  public RingbackMetrics(MeterRegistry registry, int ringSeconds, List<Integer> bucketsInRings, Duration target,
                         double serviceLevelObjective, List<String> lines) {
    this.registry = registry;
    this.ringBuckets = bucketsInRings.stream().map(rings -> Duration.ofSeconds((long) rings * ringSeconds)).toArray(Duration[]::new);
    this.target = target;
    Gauge.builder("ringback.service.level.target.seconds", () -> target.toMillis() / 1000.0)
        .description("Callers should be answered within this long (target rings times the ring length)")
        .register(registry);
    Gauge.builder("ringback.service.level.objective", () -> serviceLevelObjective)
        .description("The share of offered calls that should be answered within the target")
        .register(registry);
    Gauge.builder("ringback.ring.seconds", () -> ringSeconds)
        .description("One ring cycle, to read ring-to-answer in rings")
        .register(registry);
    // Register every series up front so dashboards and rates see zeros instead of gaps.
    for (String line : lines) {
      for (String direction : DIRECTIONS) {
        ringToAnswer(direction, line);
        withinTarget(direction, line);
        for (String outcome : CALL_OUTCOMES) {
          calls(direction, line, outcome);
        }
      }
      for (String trigger : TRIGGERS) {
        scheduled(trigger, line);
        delay(trigger, line);
        for (String outcome : CALLBACK_OUTCOMES) {
          finished(trigger, line, outcome);
        }
      }
    }
    for (String state : QUEUE_STATES) {
      AtomicLong value = new AtomicLong();
      queue.put(state, value);
      Gauge.builder("ringback.callback.queue", value, AtomicLong::get)
          .description("Callbacks waiting, read from the database (the same for every instance)")
          .tag("state", state)
          .register(registry);
    }
    Gauge.builder("ringback.callback.oldest.due.seconds", oldestDueMillis, v -> v.get() / 1000.0)
        .description("How long the oldest due callback has been waiting to be dialled; 0 when none is due")
        .register(registry);
    for (String state : AGENT_STATES) {
      AtomicLong value = new AtomicLong();
      agents.put(state, value);
      Gauge.builder("ringback.agents", value, AtomicLong::get)
          .description("Agents by presence")
          .tag("state", state)
          .register(registry);
    }
    feedback();
    for (String source : Order.SOURCES) {
      for (String result : Order.RESULTS) {
        orders(source, result);
      }
    }
    for (String operation : TWILIO_OPERATIONS) {
      for (String result : TWILIO_RESULTS) {
        twilio(operation, result);
      }
    }
  }

  /** Buckets for the HTTP server's response time, so dashboards and alerts can read its p99. */
  public static MeterFilter httpLatencyBuckets() {
    double[] bounds = LongStream.of(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500).mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("vertx.http.server.response.time")) {
          return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(bounds).build().merge(config);
      }
    };
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Everything one applied call event changed, counted once. */
  public void record(CallStore.Applied applied) {
    applied.answer().ifPresent(a -> answered(a.direction(), a.line(), a.ringToAnswer()));
    applied.ended().ifPresent(e -> callEnded(e.direction(), e.line(), e.outcome()));
    applied.scheduled().filter(CallbackStore.Scheduled::created).ifPresent(sc -> callbackScheduled(sc.trigger(), sc.line()));
    applied.cancelled().ifPresent(c -> callbackFinished(c.trigger(), c.line(), "cancelled"));
    applied.finished().forEach(f -> callbackFinished(f.trigger(), f.line(), f.outcome()));
  }

  public void answered(String direction, String line, Duration ringToAnswer) {
    ringToAnswer(direction, line).record(ringToAnswer);
    if (ringToAnswer.compareTo(target) <= 0) {
      withinTarget(direction, line).increment();
    }
  }

  public void callEnded(String direction, String line, String outcome) {
    calls(direction, line, outcome).increment();
  }

  public void callbackScheduled(String trigger, String line) {
    scheduled(trigger, line).increment();
  }

  /** Speed to callback: from the trigger event to the outbound call being placed. */
  public void callbackPlaced(String trigger, String line, Duration sinceTrigger) {
    delay(trigger, line).record(sinceTrigger.isNegative() ? Duration.ZERO : sinceTrigger);
  }

  public void callbackFinished(String trigger, String line, String outcome) {
    finished(trigger, line, outcome).increment();
  }

  /** The queue as the database last reported it, and how long its oldest due callback has waited. */
  public void queue(Map<String, Long> counts, Duration oldestDue) {
    counts.forEach((state, n) -> {
      AtomicLong value = queue.get(state);
      if (value != null) {
        value.set(n);
      }
    });
    oldestDueMillis.set(Math.max(0, oldestDue.toMillis()));
  }

  /** Agents by presence, as the database last reported them. */
  public void agents(Map<String, Long> byPresence) {
    byPresence.forEach((state, n) -> {
      AtomicLong value = agents.get(state);
      if (value != null) {
        value.set(n);
      }
    });
  }

  /** An order webhook's delivery, by what became of it. */
  public void order(String source, String result) {
    orders(source, result).increment();
  }

  /** A request to the telephony provider's REST API, by operation and how it ended. */
  public void twilioRequest(String operation, String result) {
    twilio(operation, result).increment();
  }

  private Timer ringToAnswer(String direction, String line) {
    return Timer.builder("ringback.ring.to.answer")
        .description("Time from the first ring to the answer")
        .tags("direction", direction, "line", line)
        .serviceLevelObjectives(ringBuckets)
        .register(registry);
  }

  private Counter withinTarget(String direction, String line) {
    return Counter.builder("ringback.calls.answered.within.target")
        .description("Calls answered within the target rings: the service level's numerator")
        .tags("direction", direction, "line", line)
        .register(registry);
  }

  private Counter calls(String direction, String line, String outcome) {
    return Counter.builder("ringback.calls")
        .description("Calls by how they ended")
        .tags("direction", direction, "line", line, "outcome", outcome)
        .register(registry);
  }

  private Counter scheduled(String trigger, String line) {
    return Counter.builder("ringback.callbacks.scheduled")
        .description("Callbacks created, by what triggered them")
        .tags("trigger", trigger, "line", line)
        .register(registry);
  }

  private Timer delay(String trigger, String line) {
    return Timer.builder("ringback.callback.delay")
        .description("From the trigger event to the outbound call being placed")
        .tags("trigger", trigger, "line", line)
        .serviceLevelObjectives(DELAY_BUCKETS)
        .register(registry);
  }

  private Counter finished(String trigger, String line, String outcome) {
    return Counter.builder("ringback.callbacks.finished")
        .description("Callback attempts that ended, by trigger and outcome")
        .tags("trigger", trigger, "line", line, "outcome", outcome)
        .register(registry);
  }

  /** 1 while requests to the telephony provider are held back by the circuit breaker. */
  public void telephonyCircuit(java.util.function.BooleanSupplier open) {
    Gauge.builder("ringback.twilio.circuit.open", () -> open.getAsBoolean() ? 1 : 0)
        .description("1 while requests to Twilio are held back after failing in a row (see /health)")
        .register(registry);
  }

  public void feedbackScored(int score) {
    feedback().record(score);
  }

  private DistributionSummary feedback() {
    return DistributionSummary.builder("ringback.feedback.score")
        .description("Post-call satisfaction, 1 to 5")
        .serviceLevelObjectives(1, 2, 3, 4, 5)
        .register(registry);
  }

  private Counter orders(String source, String result) {
    return Counter.builder("ringback.orders")
        .description("Order webhook deliveries by source and what became of them")
        .tags("source", source, "result", result)
        .register(registry);
  }

  private Counter twilio(String operation, String result) {
    return Counter.builder("ringback.twilio.requests")
        .description("Requests to the telephony provider's REST API, by operation and result")
        .tags("operation", operation, "result", result)
        .register(registry);
  }
}
