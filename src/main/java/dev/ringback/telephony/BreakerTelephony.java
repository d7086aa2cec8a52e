package dev.ringback.telephony;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A circuit breaker in front of the telephony provider. After {@code threshold} requests in a
 * row fail for reasons a retry might fix (server errors, rate limits, timeouts, no connection),
 * no request is sent for a pause; then one request probes. A failed probe doubles the pause (up
 * to five minutes); a success closes the circuit. While it is open, requests fail at once and
 * the dispatcher claims no work, so an outage costs neither a tight loop nor Twilio's patience.
 * Its state is this instance's view of the network, kept in memory like a connection pool's.
 */
public final class BreakerTelephony implements Telephony {
  private static final Duration MAX_PAUSE = Duration.ofMinutes(5);

  private final Telephony telephony;
  private final Clock clock;
  private final int threshold;
  private final Duration firstPause;
  private int failures;
  private Duration pause;
  /** When the next probe may go; null while closed. */
  private Instant openUntil;
  private boolean probing;
  private Instant openedAt;
  private String lastError;

  private final OpenCircuits circuits;

  /** @param circuits where this breaker says it is open, beside every other business's */
  public BreakerTelephony(Telephony telephony, Clock clock, int threshold, Duration firstPause, OpenCircuits circuits) {
    this.telephony = telephony;
    this.clock = clock;
    this.threshold = threshold;
    this.firstPause = firstPause;
    this.pause = firstPause;
    this.circuits = circuits;
  }

  @Override
  public Future<PlacedCall> placeCall(OutboundCall call) {
    return guarded(() -> telephony.placeCall(call));
  }

  @Override
  public Future<List<PlacedCall>> findCalls(String from, String to, Instant since) {
    return guarded(() -> telephony.findCalls(from, to, since));
  }

  @Override
  public Future<Optional<CallProgress>> fetchCall(String callSid) {
    return guarded(() -> telephony.fetchCall(callSid));
  }

  @Override
  public Future<SentText> sendText(OutgoingText text) {
    return guarded(() -> telephony.sendText(text));
  }

  @Override
  public Future<List<SentText>> findTexts(String to, Instant since) {
    return guarded(() -> telephony.findTexts(to, since));
  }

  @Override
  public Future<Void> deleteRecording(String recordingSid) {
    return guarded(() -> telephony.deleteRecording(recordingSid));
  }

  @Override
  public Future<TwilioAccountInfo> fetchAccount() {
    return guarded(telephony::fetchAccount);
  }

  @Override
  public Future<Optional<NumberSettings>> findNumber(String e164) {
    return guarded(() -> telephony.findNumber(e164));
  }

  @Override
  public Future<NumberSettings> connectNumber(String numberSid, NumberWebhooks webhooks) {
    return guarded(() -> telephony.connectNumber(numberSid, webhooks));
  }

  @Override
  public String name() {
    return telephony.name();
  }

  @Override
  public synchronized int admits(int wanted) {
    if (openUntil == null) {
      return wanted;
    }
    return probing || clock.instant().isBefore(openUntil) ? 0 : Math.min(1, wanted);
  }

  @Override
  public synchronized Optional<String> degraded() {
    if (openUntil == null) {
      return Optional.empty();
    }
    Duration wait = Duration.between(clock.instant(), openUntil);
    return Optional.of("circuit open since " + openedAt + " after " + failures + " failed requests in a row (last: " + lastError
        + "); next try in " + (wait.isNegative() ? 0 : wait.toSeconds()) + " s");
  }

  private <T> Future<T> guarded(Supplier<Future<T>> request) {
    if (!allow()) {
      return Future.failedFuture(new TelephonyException(TelephonyException.Kind.RETRYABLE, null,
          "not sent: the telephony circuit is open after " + failures + " failed requests (last: " + lastError + ")", null));
    }
    return request.get().andThen(done -> {
      if (done.succeeded() || done.cause() instanceof TelephonyException t && t.kind() == TelephonyException.Kind.PERMANENT) {
        // A refusal of this one request still shows the provider is up.
        succeeded();
      } else {
        failed(done.cause());
      }
    });
  }

  private synchronized boolean allow() {
    if (openUntil == null) {
      return true;
    }
    if (probing || clock.instant().isBefore(openUntil)) {
      return false;
    }
    probing = true;
    return true;
  }

  private synchronized void succeeded() {
    if (openUntil != null) {
      circuits.closed(this);
    }
    failures = 0;
    pause = firstPause;
    openUntil = null;
    probing = false;
    openedAt = null;
  }

  private synchronized void failed(Throwable cause) {
    failures++;
    lastError = String.valueOf(cause.getMessage());
    boolean wasOpen = openUntil != null;
    if (wasOpen || failures >= threshold) {
      pause = wasOpen && probing ? min(pause.multipliedBy(2), MAX_PAUSE) : pause;
      Instant now = clock.instant();
      if (!wasOpen) {
        circuits.opened(this);
      }
      openUntil = now.plus(pause);
      openedAt = openedAt == null ? now : openedAt;
    }
    probing = false;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
