package dev.ringback.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's timers on this instance: due texts (and texts whose sender died mid-request) are
 * sent at every poll; the safety net for texts never written runs every few seconds. Several
 * instances share the work through the texts' leases.
 */
public final class TextJob extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TextJob.class);
  static final long SWEEP_MILLIS = 5_000;

  private final TextOutbox outbox;
  private final CallbackTexts callbackTexts;
  private final long pollMillis;
  private boolean sending;
  private boolean sweeping;

  /** @param pollMillis how often due texts are looked for */
  public TextJob(TextOutbox outbox, CallbackTexts callbackTexts, long pollMillis) {
    this.outbox = outbox;
    this.callbackTexts = callbackTexts;
    this.pollMillis = pollMillis;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(pollMillis, id -> send());
    vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
    send();
    return Future.succeededFuture();
  }

  /** One round at a time: a slow one is not started again beside itself. */
  private void send() {
    if (sending) {
      return;
    }
    sending = true;
    outbox.sendDue()
        .onFailure(e -> LOG.warn("Due texts not sent this time: {}", e.getMessage()))
        .onComplete(v -> sending = false);
  }

  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    callbackTexts.sweep()
        .onFailure(e -> LOG.warn("Texts' safety net did not run: {}", e.getMessage()))
        .onComplete(v -> sweeping = false);
  }
}
