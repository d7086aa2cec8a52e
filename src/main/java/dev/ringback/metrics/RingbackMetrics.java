package dev.ringback.metrics;

import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallOutcome;
import dev.ringback.domain.CallbackState;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.Feedback;
import dev.ringback.domain.Order;
import dev.ringback.domain.Presence;
import dev.ringback.domain.TextKind;
import dev.ringback.domain.TextReply;
import dev.ringback.domain.TextResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Every Ringback meter name and tag, in one place. Names follow the contract in SPEC.md;
 * phone numbers and names never become tags. Every series carries the {@code business} tag (the
 * business's slug; businesses are few) and, where it applies, {@code line} (the configured line
 * ids of that business, which are few too).
 */
public final class RingbackMetrics {
  public static final String INBOUND = "inbound";
  public static final List<String> DIRECTIONS = List.of(INBOUND, "callback");
  private static final List<AttemptOutcome> CALLBACK_OUTCOMES =
      Stream.of(AttemptOutcome.values()).filter(AttemptOutcome::finishesCallback).toList();
  /** The open states, and {@code due}: scheduled work whose time has come. */
  public static final List<String> QUEUE_STATES =
      List.of(CallbackState.SCHEDULED.value(), "due", CallbackState.DIALING.value(), CallbackState.AGENT_QUEUE.value());
  public static final List<String> TWILIO_OPERATIONS = List.of("create_call", "list_calls", "fetch_call");
  public static final List<String> TWILIO_RESULTS = List.of("ok", "permanent", "retryable", "ambiguous");

  /** Speed to callback: sub-second for orders, minutes for missed calls. */
  private static final Duration[] DELAY_BUCKETS = LongStream.of(
          100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000)
      .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

  private final Map<String, AtomicLong> ringingNobody = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Duration[] ringBuckets;
  private final Duration target;
  private final int ringSeconds;
  private final double serviceLevelObjective;
  /** Whether calls and callbacks are counted per line too, or per business only. */
  private final boolean perLine;
  /** Business, then state: the gauges read what the database last reported. */
  private final Map<String, Map<String, AtomicLong>> queue = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> oldestDueMillis = new ConcurrentHashMap<>();
  private final Map<String, Map<String, AtomicLong>> agents = new ConcurrentHashMap<>();
  private final Set<String> circuits = ConcurrentHashMap.newKeySet();
  /** The lines each business was last served with. */
  private final Map<String, List<String>> servedLines = new ConcurrentHashMap<>();
  /**
   * The histograms by business and what follows it in the key: a timer's builder converts its
   * buckets each time it is asked, which on every call placed was most of the metrics' cost.
   */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  private volatile LongSupplier databaseRestarts = () -> 0;

  /**
   * @param ringSeconds one ring cycle
   * @param bucketsInRings histogram bucket bounds, in rings
   * @param target answered within this long counts towards the service level
   * @param serviceLevelObjective the share of calls that should be answered within the target
   * @param perLine whether calls and callbacks are counted per line too (a {@code line} label), or per business only
   */
  public RingbackMetrics(MeterRegistry registry, int ringSeconds, List<Integer> bucketsInRings, Duration target,
                         double serviceLevelObjective, boolean perLine) {
    this.registry = registry;
    this.perLine = perLine;
    this.ringSeconds = ringSeconds;
    this.ringBuckets = bucketsInRings.stream().map(rings -> Duration.ofSeconds((long) rings * ringSeconds)).toArray(Duration[]::new);
    this.target = target;
    this.serviceLevelObjective = serviceLevelObjective;
  }

  /**
   * Registers a business's series up front, and of each line the inbound calls' counters, so that
   * a line's first missed call is seen by {@code increase()} and the service level alert; the
   * rest of a line's series (callbacks by trigger and outcome) appear at their first count, so an
   * idle line costs a few series, not hundreds. The histograms (ring to answer, speed to
   * callback) are per business: their buckets per line would cost most of all. Registering
   * again (the business changed, another instance) is harmless.
   */
  public void serve(String business, List<String> lines) {
    // A line the business no longer has keeps no series (a look through every meter: only when its lines changed).
    List<String> before = servedLines.put(business, List.copyOf(lines));
    if (before != null && !before.equals(lines)) {
      remove(id -> business.equals(id.getTag("business")) && id.getTag("line") != null && !lines.contains(id.getTag("line")));
    }
    // The same for every business, labelled so that a business's panels and alerts find them by its label.
    Gauge.builder("ringback.service.level.target.seconds", () -> target.toMillis() / 1000.0)
        .description("Callers should be answered within this long (target rings times the ring length)")
        .tag("business", business).register(registry);
    Gauge.builder("ringback.service.level.objective", () -> serviceLevelObjective)
        .description("The share of offered calls that should be answered within the target")
        .tag("business", business).register(registry);
    Gauge.builder("ringback.ring.seconds", () -> ringSeconds)
        .description("One ring cycle, to read ring-to-answer in rings")
        .tag("business", business).register(registry);
    for (String direction : DIRECTIONS) {
      ringToAnswer(business, direction);
    }
    for (String line : lines) {
      withinTarget(business, INBOUND, line);
      for (CallOutcome outcome : CallOutcome.values()) {
        calls(business, INBOUND, line, outcome);
      }
    }
    queue.computeIfAbsent(business, b -> stateGauges("ringback.callback.queue",
        "Callbacks waiting, read from the database (the same for every instance)", b, QUEUE_STATES));
    oldestDueMillis.computeIfAbsent(business, b -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("ringback.callback.oldest.due.seconds", value, v -> v.get() / 1000.0)
          .description("How long the oldest due callback has been waiting to be dialled; 0 when none is due")
          .tag("business", b)
          .register(registry);
      return value;
    });
    agents.computeIfAbsent(business, b -> stateGauges("ringback.agents", "Agents by presence", b,
        Stream.of(Presence.values()).map(Presence::value).toList()));
    feedback(business);
    for (int score = Feedback.LOWEST; score <= Feedback.HIGHEST; score++) {
      scores(business, score);
    }
    for (String source : Order.SOURCES) {
      for (String result : Order.RESULTS) {
        orders(business, source, result);
      }
    }
    for (String operation : TWILIO_OPERATIONS) {
      for (String result : TWILIO_RESULTS) {
        twilio(business, operation, result);
      }
    }
    // Up front too: increase() does not see the count a series is born with.
    for (TextKind kind : TextKind.values()) {
      for (TextResult result : TextResult.values()) {
        texts(business, kind, result);
      }
    }
    for (TextReply.Kind kind : TextReply.Kind.values()) {
      replies(business, kind);
    }
  }

  /**
   * Drops every series of a business no longer served (deleted through the API), so dashboards
   * and alerts do not go on reading its last values; served again, it starts from zero.
   */
  public void retire(String business) {
    servedLines.remove(business);
    queue.remove(business);
    oldestDueMillis.remove(business);
    agents.remove(business);
    circuits.remove(business);
    timers.keySet().removeIf(key -> key.startsWith(business + '\u0000'));
    remove(id -> business.equals(id.getTag("business")));
  }

  private void remove(Predicate<Meter.Id> which) {
    registry.getMeters().stream().filter(meter -> which.test(meter.getId())).forEach(registry::remove);
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

  public void answered(String business, String direction, String line, Duration ringToAnswer) {
    ringToAnswer(business, direction).record(ringToAnswer);
    if (ringToAnswer.compareTo(target) <= 0) {
      withinTarget(business, direction, line).increment();
    }
  }

  public void callEnded(String business, String direction, String line, CallOutcome outcome) {
    calls(business, direction, line, outcome).increment();
  }

  public void callbackScheduled(String business, CallbackTrigger trigger, String line) {
    scheduled(business, trigger, line).increment();
  }

  /**
   * Speed to callback: from the trigger event to the outbound call being placed. The first
   * attempt's is also counted apart: how fast we react, unmixed with how long a customer who did
   * not answer stayed unreached.
   */
  public void callbackPlaced(String business, CallbackTrigger trigger, String line, Duration sinceTrigger, boolean firstAttempt) {
    Duration delay = sinceTrigger.isNegative() ? Duration.ZERO : sinceTrigger;
    delay(business, trigger).record(delay);
    if (firstAttempt) {
      firstDelay(business, trigger).record(delay);
    }
  }

  public void callbackFinished(String business, CallbackTrigger trigger, String line, AttemptOutcome outcome) {
    finished(business, trigger, line, outcome).increment();
  }

  /** One gauge per state of a business, each reading the value it returns for that state. */
  private Map<String, AtomicLong> stateGauges(String name, String description, String business, List<String> states) {
    Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    for (String state : states) {
      AtomicLong value = new AtomicLong();
      values.put(state, value);
      Gauge.builder(name, value, AtomicLong::get).description(description).tags("business", business, "state", state)
          .register(registry);
    }
    return values;
  }

  /** A business's queue as the database last reported it, and how long its oldest due callback has waited. */
  public void queue(String business, Map<String, Long> counts, Duration oldestDue) {
    Map<String, AtomicLong> values = queue.get(business);
    if (values != null) {
      counts.forEach((state, n) -> {
        AtomicLong value = values.get(state);
        if (value != null) {
          value.set(n);
        }
      });
    }
    AtomicLong oldest = oldestDueMillis.get(business);
    if (oldest != null) {
      oldest.set(Math.max(0, oldestDue.toMillis()));
    }
  }

  /** A business's agents by presence, as the database last reported them. */
  public void agents(String business, Map<Presence, Long> byPresence) {
    Map<String, AtomicLong> values = agents.get(business);
    if (values == null) {
      return;
    }
    byPresence.forEach((presence, n) -> {
      AtomicLong value = values.get(presence.value());
      if (value != null) {
        value.set(n);
      }
    });
  }

  /**
   * Whether a line rings nobody (no agent of it available, no number of its own): its callers
   * only hear the callback promise.
   */
  public void ringsNobody(String business, String line, boolean nobody) {
    ringingNobody.computeIfAbsent(business + "\u0000" + line, key -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder("ringback.line.rings.nobody", value, AtomicLong::get)
          .description("1 while a line rings nobody (no agent of it available, no number of its own): its callers are only promised callbacks")
          .tags("business", business, "line", line).register(registry);
      return value;
    }).set(nobody ? 1 : 0);
  }

  /** Ringback set an agent away: their phone left agents.away-after-missed calls in a row unanswered. */
  public void agentSetAway(String business) {
    Counter.builder("ringback.agents.set.away").description("Agents Ringback set away after calls in a row rang unanswered")
        .tags("business", business).register(registry).increment();
  }

  /** An order webhook's delivery, by what became of it. */
  public void order(String business, String source, String result) {
    orders(business, source, result).increment();
  }

  /**
   * A text, by why it was sent and what became of it: once when Ringback hands it to Twilio, or
   * decides not to send it (and why), and once more when Twilio reports how it ended.
   */
  public void text(String business, TextKind kind, TextResult result) {
    texts(business, kind, result).increment();
  }

  /** A customer's text, by what Ringback read in it. */
  public void textReply(String business, TextReply.Kind kind) {
    replies(business, kind).increment();
  }

  private Counter texts(String business, TextKind kind, TextResult result) {
    return Counter.builder("ringback.texts")
        .description("Texts by kind: sent, refused or not sent (and why) when sent; delivered, undelivered or failed when Twilio reports")
        .tags("business", business, "kind", kind.value(), "result", result.value())
        .register(registry);
  }

  private Counter replies(String business, TextReply.Kind kind) {
    return Counter.builder("ringback.text.replies")
        .description("Texts customers sent, by what they were read as")
        .tags("business", business, "kind", kind.name().toLowerCase(Locale.ROOT))
        .register(registry);
  }

  /** A request to the telephony provider's REST API, by operation and how it ended. */
  public void twilioRequest(String business, String operation, String result) {
    twilio(business, operation, result).increment();
  }

  /** A line's labels: the business and, counted per line, the line. */
  private Tags at(String business, String line) {
    return perLine ? Tags.of("business", business, "line", line) : Tags.of("business", business);
  }

  private Timer ringToAnswer(String business, String direction) {
    return histogram("ringback.ring.to.answer", "Time from the first ring to the answer", ringBuckets, business, "direction", direction);
  }

  /** A business's histogram by one more label, registered once and kept (until the business is retired). */
  private Timer histogram(String name, String description, Duration[] buckets, String business, String label, String value) {
    return timers.computeIfAbsent(business + '\u0000' + name + '\u0000' + value, key -> Timer.builder(name)
        .description(description)
        .tags("business", business, label, value)
        .serviceLevelObjectives(buckets)
        .register(registry));
  }

  private Counter withinTarget(String business, String direction, String line) {
    return Counter.builder("ringback.calls.answered.within.target")
        .description("Calls answered within the target rings: the service level's numerator")
        .tags(at(business, line)).tag("direction", direction)
        .register(registry);
  }

  private Counter calls(String business, String direction, String line, CallOutcome outcome) {
    return Counter.builder("ringback.calls")
        .description("Calls by how they ended")
        .tags(at(business, line)).tags("direction", direction, "outcome", outcome.value())
        .register(registry);
  }

  private Counter scheduled(String business, CallbackTrigger trigger, String line) {
    return Counter.builder("ringback.callbacks.scheduled")
        .description("Callbacks created, by what triggered them")
        .tags(at(business, line)).tag("trigger", trigger.value())
        .register(registry);
  }

  private Timer delay(String business, CallbackTrigger trigger) {
    return histogram("ringback.callback.delay", "From the trigger event to the outbound call being placed", DELAY_BUCKETS,
        business, "trigger", trigger.value());
  }

  private Timer firstDelay(String business, CallbackTrigger trigger) {
    return histogram("ringback.callback.first.attempt.delay", "From the trigger event to the first outbound call of its callback being placed",
        DELAY_BUCKETS, business, "trigger", trigger.value());
  }

  private Counter finished(String business, CallbackTrigger trigger, String line, AttemptOutcome outcome) {
    return Counter.builder("ringback.callbacks.finished")
        .description("Callback attempts that ended, by trigger and outcome")
        .tags(at(business, line)).tags("trigger", trigger.value(), "outcome", outcome.value())
        .register(registry);
  }

  /** What the HTTP server holds in memory of request bodies now, against {@code http.max-buffered-bytes}. */
  public void bufferedRequestBytes(LongSupplier bytes) {
    Gauge.builder("ringback.http.buffered.bytes", () -> bytes.getAsLong())
        .description("Bytes of request bodies held in memory now (at most http.max-buffered-bytes; beyond, requests answer 503)")
        .baseUnit("bytes")
        .register(registry);
  }

  /** Requests being handled now, against {@code http.max-in-flight}. */
  public void requestsInFlight(LongSupplier requests) {
    Gauge.builder("ringback.http.in.flight", () -> requests.getAsLong())
        .description("Requests being handled now (at most http.max-in-flight; beyond, requests answer 503 at once)")
        .register(registry);
  }

  /** Triggers waiting in the journal to be written to the database. */
  public void journalBacklog(LongSupplier records) {
    Gauge.builder("ringback.journal.records", () -> records.getAsLong())
        .description("Triggers kept in the local journal because the database could not take them in time, not yet written there")
        .register(registry);
  }

  /** A trigger went to the journal (kinds: inbound, after_hours, dial, status, recording, no_agent, order). */
  public void journalled(String kind) {
    Counter.builder("ringback.journal.kept").description("Triggers kept in the journal because the database could not take them in time")
        .tag("kind", kind).register(registry).increment();
  }

  /** A trigger of the journal was written to the database. */
  public void journalReplayed(String kind) {
    Counter.builder("ringback.journal.written").description("Triggers of the journal written to the database")
        .tag("kind", kind).register(registry).increment();
  }

  /** Writing the journal to the database stopped because the database was down or busy; it is tried again. */
  public void journalWriteFailed() {
    Counter.builder("ringback.journal.write.failures")
        .description("Times writing the journal to the database stopped because the database was down or busy (it is tried again)")
        .register(registry).increment();
  }

  /** A record of the journal the database refused for good, set aside for a person to read. */
  public void journalSetAside() {
    Counter.builder("ringback.journal.set.aside").description("Journal records the database refused for good, set aside in set-aside.log")
        .register(registry).increment();
  }

  /** 1 while a business's requests to the telephony provider are held back by its circuit breaker. */
  public void telephonyCircuit(String business, BooleanSupplier open) {
    if (!circuits.add(business)) {
      return;
    }
    Gauge.builder("ringback.twilio.circuit.open", () -> open.getAsBoolean() ? 1 : 0)
        .description("1 while requests to Twilio are held back after failing in a row (see /health)")
        .tag("business", business)
        .register(registry);
  }

  /** Restarts of the embedded PostgreSQL by its supervisor: one database per process, so no business label. */
  public void databaseRestarts(LongSupplier restarts) {
    databaseRestarts = restarts;
    // Micrometer holds a function counter's object weakly: this instance lives as long as the server.
    FunctionCounter.builder("ringback.database.restarts", this, metrics -> metrics.databaseRestarts.getAsLong())
        .description("Times the embedded PostgreSQL was restarted after it died (0 with an external database)")
        .register(registry);
  }

  public void feedbackScored(String business, int score) {
    feedback(business).record(score);
    scores(business, score).increment();
  }

  /** Scores by value, as the histogram's buckets are cumulative. */
  private Counter scores(String business, int score) {
    return Counter.builder("ringback.feedback.scores")
        .description("Post-call satisfaction scores by value")
        .tags("business", business, "score", Integer.toString(score))
        .register(registry);
  }

  private DistributionSummary feedback(String business) {
    return DistributionSummary.builder("ringback.feedback.score")
        .description("Post-call satisfaction, 1 to 5")
        .tag("business", business)
        .serviceLevelObjectives(1, 2, 3, 4, 5)
        .register(registry);
  }

  private Counter orders(String business, String source, String result) {
    return Counter.builder("ringback.orders")
        .description("Order webhook deliveries by source and what became of them")
        .tags("business", business, "source", source, "result", result)
        .register(registry);
  }

  private Counter twilio(String business, String operation, String result) {
    return Counter.builder("ringback.twilio.requests")
        .description("Requests to the telephony provider's REST API, by operation and result")
        .tags("business", business, "operation", operation, "result", result)
        .register(registry);
  }
}
