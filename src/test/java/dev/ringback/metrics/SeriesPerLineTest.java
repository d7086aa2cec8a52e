package dev.ringback.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallOutcome;
import dev.ringback.domain.CallbackTrigger;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a line costs in series, in Prometheus's own exposition: an idle line a few, a line that
 * has seen every kind of call and callback at most a few hundred, and with {@code metrics.per-line}
 * off no line label but the one gauge that names a line ringing nobody.
 */
class SeriesPerLineTest {
  static final int IDLE_LINE_AT_MOST = 40;
  static final int BUSY_LINE_AT_MOST = 300;

  static RingbackMetrics metrics(PrometheusMeterRegistry registry, boolean perLine) {
    RingbackMetrics metrics = new RingbackMetrics(registry, 6, List.of(1, 2, 3, 4, 5, 6, 10), Duration.ofSeconds(18), 0.8, perLine);
    metrics.serve("acme", List.of("idle", "busy"));
    metrics.ringsNobody("acme", "idle", false);
    metrics.ringsNobody("acme", "busy", false);
    return metrics;
  }

  /** Every kind of call and callback the meters know, on one line. */
  static void everything(RingbackMetrics metrics, String line) {
    for (String direction : RingbackMetrics.DIRECTIONS) {
      metrics.answered("acme", direction, line, Duration.ofSeconds(7));
      for (CallOutcome outcome : CallOutcome.values()) {
        metrics.callEnded("acme", direction, line, outcome);
      }
    }
    for (CallbackTrigger trigger : CallbackTrigger.values()) {
      metrics.callbackScheduled("acme", trigger, line);
      metrics.callbackPlaced("acme", trigger, line, Duration.ofSeconds(40), true);
      for (AttemptOutcome outcome : AttemptOutcome.values()) {
        metrics.callbackFinished("acme", trigger, line, outcome);
      }
    }
  }

  static long series(PrometheusMeterRegistry registry, String matching) {
    return registry.scrape().lines().filter(l -> l.startsWith("ringback_") && l.contains(matching)).count();
  }

  @ParameterizedTest(name = "per-line {0}")
  @CsvSource({"true", "false"})
  void anIdleLineCostsAFewSeriesAndABusyOneAFewHundredAtMost(boolean perLine) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RingbackMetrics metrics = metrics(registry, perLine);
    long idle = series(registry, "line=\"idle\"");
    assertThat(idle).isBetween(1L, (long) IDLE_LINE_AT_MOST);

    everything(metrics, "busy");
    assertThat(series(registry, "line=\"idle\"")).as("another line's traffic costs the idle one nothing").isEqualTo(idle);
    assertThat(series(registry, "line=\"busy\"")).isLessThanOrEqualTo(BUSY_LINE_AT_MOST);
    if (!perLine) {
      assertThat(registry.scrape().lines().filter(l -> l.startsWith("ringback_") && l.contains("line=")))
          .allSatisfy(l -> assertThat(l).startsWith("ringback_line_rings_nobody"));
    }
  }

  @Test
  void theInboundCallsOfEveryLineAreCountedFromZeroSoTheFirstMissedCallIsSeen() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics(registry, true);
    assertThat(registry.scrape())
        .contains("ringback_calls_total{business=\"acme\",direction=\"inbound\",line=\"idle\",outcome=\"missed\"} 0.0")
        .contains("ringback_calls_answered_within_target_total{business=\"acme\",direction=\"inbound\",line=\"idle\"} 0.0")
        .contains("ringback_ring_to_answer_seconds_count{business=\"acme\",direction=\"inbound\"} 0")
        .doesNotContain("ringback_callbacks_scheduled_total{business=\"acme\",line=\"idle\"");
  }

  @Test
  void speedToCallbackIsOneHistogramPerBusinessAndTrigger() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RingbackMetrics metrics = metrics(registry, true);
    everything(metrics, "busy");
    everything(metrics, "idle");
    assertThat(registry.scrape())
        .contains("ringback_callback_delay_seconds_count{business=\"acme\",trigger=\"missed\"} 2")
        .contains("ringback_callback_first_attempt_delay_seconds_count{business=\"acme\",trigger=\"order\"} 2");
  }

  @Test
  void aBusinessRetiredAndServedAgainCountsItsHistogramsFromZeroInTheRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RingbackMetrics metrics = metrics(registry, true);
    metrics.callbackPlaced("acme", CallbackTrigger.ORDER, "busy", Duration.ofSeconds(3), true);
    metrics.answered("acme", RingbackMetrics.INBOUND, "busy", Duration.ofSeconds(4));
    metrics.retire("acme");
    assertThat(series(registry, "business=\"acme\"")).isZero();

    metrics.serve("acme", List.of("busy"));
    metrics.callbackPlaced("acme", CallbackTrigger.ORDER, "busy", Duration.ofSeconds(3), true);
    metrics.answered("acme", RingbackMetrics.INBOUND, "busy", Duration.ofSeconds(4));
    // Each count reaches the registry's series, not a meter kept from before the business was retired.
    assertThat(registry.get("ringback.callback.delay").tags("business", "acme", "trigger", "order").timer().count()).isEqualTo(1);
    assertThat(registry.get("ringback.callback.first.attempt.delay").tags("business", "acme").timer().count()).isEqualTo(1);
    assertThat(registry.get("ringback.ring.to.answer").tags("business", "acme", "direction", "inbound").timer().count()).isEqualTo(1);
  }
}
