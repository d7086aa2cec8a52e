package dev.ringback.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Privacy#tick()} on a timer: first shortly after start (not during it), then every
 * hour. The daily run happens once a day for the whole deployment, whichever instance claims it;
 * the hourly tick also retries recordings Twilio has not confirmed deleted. Everything is
 * asynchronous: no event loop waits on the database or on Twilio.
 */
public final class RetentionJob extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  static final long FIRST_TICK_MILLIS = 10_000;
  static final long TICK_MILLIS = 3_600_000;

  private final Privacy privacy;
  private boolean ticking;

  public RetentionJob(Privacy privacy) {
    this.privacy = privacy;
  }

  @Override
  public Future<?> start() {
    vertx.setTimer(FIRST_TICK_MILLIS, id -> tick());
    vertx.setPeriodic(FIRST_TICK_MILLIS + TICK_MILLIS, TICK_MILLIS, id -> tick());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return privacy.stop().recover(e -> Future.succeededFuture());
  }

  /** One tick at a time on this instance: a long first run is not started again beside itself. */
  private void tick() {
    if (ticking) {
      return;
    }
    ticking = true;
    privacy.tick()
        .onFailure(e -> LOG.warn("Retention did not run to the end; the next tick carries on: {}", e.getMessage()))
        .onComplete(v -> ticking = false);
  }
}
