package dev.ringback.dialer;

import dev.ringback.app.Attempts;
import dev.ringback.app.Business;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Paces each business's calls to its calls-per-second across every instance: the slot is taken
 * from one row in PostgreSQL, atomically, and the wait for it happens here. A shutdown ends
 * every wait at once.
 */
final class Pacer {
  private final Vertx vertx;
  private final Clock clock;
  private final Attempts attempts;
  /** The waits under way, so that a shutdown can end them. */
  private final Set<Promise<Void>> waiting = new HashSet<>();
  /** Set at stop: no wait begins any more. */
  private boolean stopped;

  Pacer(Vertx vertx, Clock clock, Attempts attempts) {
    this.vertx = vertx;
    this.clock = clock;
    this.attempts = attempts;
  }

  /** Completes when a call of this business may be placed, or at once after {@link #stop()}. */
  Future<Void> slotFor(Business business) {
    return attempts.nextSlot(business)
        .compose(this::waitUntil);
  }

  void stop() {
    stopped = true;
    List.copyOf(waiting).forEach(Promise::tryComplete);
    waiting.clear();
  }

  private Future<Void> waitUntil(Instant slot) {
    long millis = Duration.between(clock.instant(), slot).toMillis();
    if (millis <= 0 || stopped) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    waiting.add(promise);
    vertx.setTimer(millis, id -> {
      waiting.remove(promise);
      promise.tryComplete();
    });
    return promise.future();
  }
}
