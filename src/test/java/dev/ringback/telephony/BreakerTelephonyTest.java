package dev.ringback.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The circuit breaker on a clock moved by hand, in front of a network that answers at once
 * (completed futures), so every step is decided before the next line runs.
 */
class BreakerTelephonyTest {
  static final Instant START = Instant.parse("2026-11-24T15:00:00Z");
  static final int THRESHOLD = 3;
  static final Duration FIRST_PAUSE = Duration.ofSeconds(10);
  static final Duration JUST_UNDER = Duration.ofMillis(1);

  enum Mode { UP, DOWN, REFUSES, AMBIGUOUS, RESET, HANGS }

  /** A provider that answers as told and counts the requests that reached it. */
  static final class Network implements Telephony {
    Mode mode = Mode.UP;
    int requests;
    Promise<?> hung;

    private <T> Future<T> answer(T value) {
      requests++;
      return switch (mode) {
        case UP -> Future.succeededFuture(value);
        case DOWN -> Future.failedFuture(new TelephonyException(TelephonyException.Kind.RETRYABLE, 20500, "HTTP 500", null));
        case REFUSES -> Future.failedFuture(new TelephonyException(TelephonyException.Kind.PERMANENT, 21211, "invalid number", null));
        case AMBIGUOUS -> Future.failedFuture(new TelephonyException(TelephonyException.Kind.AMBIGUOUS, null, "timed out", null));
        case RESET -> Future.failedFuture(new java.io.IOException("connection reset"));
        case HANGS -> {
          Promise<T> pending = Promise.promise();
          hung = pending;
          yield pending.future();
        }
      };
    }

    @Override
    public Future<PlacedCall> placeCall(OutboundCall call) {
      return answer(new PlacedCall("CA1", "queued"));
    }

    @Override
    public Future<List<PlacedCall>> findCalls(String from, String to, Instant since) {
      return answer(List.of());
    }

    @Override
    public Future<Optional<CallProgress>> fetchCall(String callSid) {
      return answer(Optional.empty());
    }

    @Override
    public Future<SentText> sendText(OutgoingText text) {
      return answer(new SentText("SM1", text.from(), text.to(), text.body(), "queued", START));
    }

    @Override
    public Future<List<SentText>> findTexts(String to, Instant since) {
      return answer(List.of());
    }

    @Override
    public Future<Void> deleteRecording(String recordingSid) {
      return answer(null);
    }

    @Override
    public Future<TwilioAccountInfo> fetchAccount() {
      return answer(new TwilioAccountInfo("AC1", "Test", "active"));
    }

    @Override
    public Future<Optional<NumberSettings>> findNumber(String e164) {
      return answer(Optional.empty());
    }

    @Override
    public Future<NumberSettings> connectNumber(String numberSid, NumberWebhooks webhooks) {
      return answer(new NumberSettings(numberSid, "+1", webhooks.voiceUrl(), "POST", webhooks.statusCallback(), "POST",
          webhooks.smsUrl(), "POST", null, null));
    }

    @Override
    public String name() {
      return "test";
    }
  }

  final MutableClock clock = new MutableClock(START);
  final Network network = new Network();
  /** Where the dialler learns whether any business's breaker is open. */
  final OpenCircuits circuits = new OpenCircuits();
  final BreakerTelephony breaker = new BreakerTelephony(network, clock, THRESHOLD, FIRST_PAUSE, circuits);

  Future<?> request() {
    return breaker.fetchCall("CA1");
  }

  /** {@code count} requests while the network is in {@code mode}; each must reach it. */
  void requests(Mode mode, int count) {
    network.mode = mode;
    for (int i = 0; i < count; i++) {
      int before = network.requests;
      request();
      assertThat(network.requests).as("request reached the network").isEqualTo(before + 1);
    }
  }

  void assertClosed() {
    assertThat(breaker.admits(5)).isEqualTo(5);
    assertThat(breaker.degraded()).isEmpty();
    assertThat(circuits.any()).as("the dialler is told no breaker is open").isFalse();
  }

  /** A request now fails at once as not sent, and the network never sees it. */
  void assertFailsFast() {
    int before = network.requests;
    Future<?> result = request();
    assertThat(result.failed()).isTrue();
    assertThat(result.cause()).isInstanceOfSatisfying(TelephonyException.class, e -> {
      assertThat(e.kind()).isEqualTo(TelephonyException.Kind.RETRYABLE);
      assertThat(e.getMessage()).contains("circuit is open");
    });
    assertThat(network.requests).as("not sent").isEqualTo(before);
    assertThat(breaker.admits(5)).isZero();
    assertThat(circuits.any()).as("the dialler is told a breaker is open").isTrue();
  }

  @Test
  void opensAfterThresholdFailuresInARowAndSaysWhy() {
    requests(Mode.DOWN, THRESHOLD - 1);
    assertClosed();
    requests(Mode.DOWN, 1);
    assertThat(breaker.admits(5)).isZero();
    assertThat(circuits.any()).isTrue();
    assertThat(breaker.degraded()).contains("circuit open since " + START + " after 3 failed requests in a row (last: HTTP 500); "
        + "next try in 10 s");
    clock.advance(Duration.ofMillis(4_500));
    assertThat(breaker.degraded().orElseThrow()).endsWith("next try in 5 s");
  }

  @ParameterizedTest(name = "down, down, then {0}: open {1}")
  @CsvSource({
      "UP,        false",
      "REFUSES,   false",
      "DOWN,      true",
      "AMBIGUOUS, true",
      "RESET,     true",
  })
  void onlyFailuresInARowThatARetryMightFixCount(Mode third, boolean open) {
    requests(Mode.DOWN, 2);
    requests(third, 1);
    assertThat(breaker.degraded().isPresent()).isEqualTo(open);
    if (!open) {
      requests(Mode.DOWN, 2);
      assertClosed();
    }
  }

  @Test
  void whileOpenEveryRequestFailsFastUntilThePauseEnds() {
    requests(Mode.DOWN, THRESHOLD);
    clock.advance(FIRST_PAUSE.minus(JUST_UNDER));
    assertFailsFast();
    List<Function<BreakerTelephony, Future<?>>> all = List.of(b -> b.placeCall(null), b -> b.findCalls("+1", "+2", START),
        b -> b.fetchCall("CA1"), b -> b.sendText(new OutgoingText("+1", null, "+2", "hi", null)), b -> b.findTexts("+2", START),
        b -> b.deleteRecording("RE1"), BreakerTelephony::fetchAccount, b -> b.findNumber("+2"),
        b -> b.connectNumber("PN1", new NumberWebhooks("https://a/v", "https://a/s", "https://a/m")));
    for (Function<BreakerTelephony, Future<?>> each : all) {
      assertThat(each.apply(breaker).failed()).isTrue();
    }
    assertThat(network.requests).isEqualTo(THRESHOLD);
    clock.advance(JUST_UNDER);
    assertThat(breaker.admits(5)).as("one probe").isEqualTo(1);
    requests(Mode.UP, 1);
    assertClosed();
  }

  @Test
  void oneProbeAtATime() {
    requests(Mode.DOWN, THRESHOLD);
    clock.advance(FIRST_PAUSE);
    requests(Mode.HANGS, 1);
    assertFailsFast();
    clock.advance(Duration.ofMinutes(10));
    assertFailsFast();
    network.hung.fail(new TelephonyException(TelephonyException.Kind.AMBIGUOUS, null, "timed out", null));
    assertThat(breaker.degraded().orElseThrow()).contains("(last: timed out)").endsWith("next try in 20 s");
  }

  @ParameterizedTest(name = "first pause {0} s: {1}")
  @CsvSource({
      "10,  10;20;40;80;160;300;300",
      "100, 100;200;300;300",
      "300, 300;300",
      "1,   1;2;4;8",
  })
  void eachFailedProbeDoublesThePauseUpToFiveMinutes(long firstSeconds, String pauses) {
    BreakerTelephony breaker = new BreakerTelephony(network, clock, THRESHOLD, Duration.ofSeconds(firstSeconds), new OpenCircuits());
    network.mode = Mode.DOWN;
    for (int i = 0; i < THRESHOLD; i++) {
      breaker.fetchCall("CA1");
    }
    for (String pause : pauses.split(";")) {
      Duration expected = Duration.ofSeconds(Long.parseLong(pause));
      assertThat(breaker.degraded().orElseThrow()).as("pause " + pause).endsWith("next try in " + pause + " s");
      clock.advance(expected.minus(JUST_UNDER));
      int before = network.requests;
      assertThat(breaker.fetchCall("CA1").failed()).isTrue();
      assertThat(network.requests).as("before the pause of " + pause + " s ends").isEqualTo(before);
      clock.advance(JUST_UNDER);
      breaker.fetchCall("CA1");
      assertThat(network.requests).as("the probe after " + pause + " s").isEqualTo(before + 1);
    }
    assertThat(breaker.degraded().orElseThrow()).as("opened once, long ago").startsWith("circuit open since " + START + " ");
  }

  @ParameterizedTest(name = "a probe that gets {0} closes the circuit")
  @CsvSource({"UP", "REFUSES"})
  void aProbeTheProviderAnswersClosesTheCircuitAndResetsThePause(Mode answer) {
    requests(Mode.DOWN, THRESHOLD);
    for (Duration pause : List.of(FIRST_PAUSE, FIRST_PAUSE.multipliedBy(2))) {
      clock.advance(pause);
      requests(Mode.DOWN, 1);
    }
    clock.advance(FIRST_PAUSE.multipliedBy(4));
    requests(answer, 1);
    assertClosed();

    requests(Mode.DOWN, THRESHOLD - 1);
    assertClosed();
    requests(Mode.DOWN, 1);
    Instant reopened = clock.instant();
    assertThat(breaker.degraded().orElseThrow()).startsWith("circuit open since " + reopened + " after 3 failed")
        .endsWith("next try in 10 s");
    clock.advance(FIRST_PAUSE.minus(JUST_UNDER));
    assertFailsFast();
    clock.advance(JUST_UNDER);
    requests(Mode.UP, 1);
    assertClosed();
  }
}
