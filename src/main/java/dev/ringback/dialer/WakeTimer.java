package dev.ringback.dialer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the dispatcher runs its next pass: at once when it starts and when new work is
 * NOTIFYed, at every poll (the safety net), and when the earliest scheduled callback becomes
 * due, so that a callback due a minute after a missed call is claimed then, not at the next
 * poll. Owns the timers for all of these.
 */
final class WakeTimer {
  private static final Logger LOG = LoggerFactory.getLogger(WakeTimer.class);
  /** NOTIFYs come in bursts: the next due callback is looked up once for each burst, this long after its first. */
  private static final long AFTER_NOTIFY_MILLIS = 50;

  private final Vertx vertx;
  private final Clock clock;
  private final long pollMillis;
  private final Supplier<Future<Optional<Instant>>> nextDue;
  private final Runnable poll;
  private final Runnable pass;
  private long pollTimer = -1;
  /** The one-shot timer set for the next callback that becomes due (-1: none), and the instant it is set for. */
  private long dueTimer = -1;
  private Instant dueAt;
  /** The instant the last one-shot timer fired for: a clock that stands still must not set it again forever. */
  private Instant wokeFor;
  /** A look-up after a NOTIFY is already waiting, and takes in the NOTIFYs that follow. */
  private boolean lookUpPending;
  /** Set at stop: no timer is set any more. */
  private boolean stopped;

  /**
   * @param nextDue the earliest callback scheduled after the given instant, if any
   * @param poll run at every poll
   * @param pass run at every other wake-up
   */
  WakeTimer(Vertx vertx, Clock clock, long pollMillis, Supplier<Future<Optional<Instant>>> nextDue, Runnable poll, Runnable pass) {
    this.vertx = vertx;
    this.clock = clock;
    this.pollMillis = pollMillis;
    this.nextDue = nextDue;
    this.poll = poll;
    this.pass = pass;
  }

  void start() {
    pollTimer = vertx.setPeriodic(pollMillis, id -> {
      poll.run();
      lookAhead();
    });
    vertx.runOnContext(v -> wake());
  }

  /** New work was NOTIFYed: a pass at once, and the next due callback looked up shortly after. */
  void notified() {
    pass.run();
    if (lookUpPending || stopped) {
      return;
    }
    lookUpPending = true;
    vertx.setTimer(AFTER_NOTIFY_MILLIS, id -> {
      lookUpPending = false;
      wake();
    });
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(pollTimer);
    if (dueTimer >= 0) {
      vertx.cancelTimer(dueTimer);
    }
  }

  private void wake() {
    pass.run();
    lookAhead();
  }

  private void lookAhead() {
    if (stopped) {
      return;
    }
    nextDue.get()
        .onSuccess(next -> next.ifPresent(this::wakeAt))
        .onFailure(e -> LOG.debug("Next due callback not looked up: {}", e.getMessage()));
  }

  private void wakeAt(Instant due) {
    if (stopped) {
      return;
    }
    OptionalLong delay = delay(clock.instant(), due, pollMillis, dueTimer >= 0 ? dueAt : null, wokeFor);
    if (delay.isEmpty()) {
      return;
    }
    if (dueTimer >= 0) {
      vertx.cancelTimer(dueTimer);
    }
    dueAt = due;
    dueTimer = vertx.setTimer(delay.getAsLong(), id -> {
      dueTimer = -1;
      dueAt = null;
      wokeFor = due;
      wake();
    });
  }

  /**
   * How long until a one-shot wake-up for the callback due at {@code due}, or none: none is set
   * beyond the next two polls (a poll comes first and looks again), none for the instant the
   * last one fired for, and none later than the one already set.
   *
   * @param setFor the instant the timer already set is for, or null
   * @param wokeFor the instant the last timer fired for, or null
   */
  static OptionalLong delay(Instant now, Instant due, long pollMillis, Instant setFor, Instant wokeFor) {
    if (due.equals(wokeFor) || (setFor != null && !due.isBefore(setFor))) {
      return OptionalLong.empty();
    }
    // One millisecond late rather than early: a timer that fires just before the due instant claims nothing.
    long millis = Duration.between(now, due).toMillis() + 1;
    if (millis > 2L * pollMillis) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.max(1, millis));
  }
}
