package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.store.ErasureStore;
import dev.ringback.store.RetentionStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erasure of one number, and retention: what is deleted from the database, and the recordings
 * deleted at Twilio through each business's own telephony (its credentials, its worker pool, its
 * circuit breaker). Twilio is asked only after the database has committed; what it does not
 * confirm stays queued (by Recording SID, never by number) and is asked again at the next
 * retention tick.
 */
public final class Privacy {
  private static final Logger LOG = LoggerFactory.getLogger(Privacy.class);
  /** Twilio ends a call after 4 hours: a call that began earlier and never reported its end is over. */
  static final Duration LONGEST_CALL = Duration.ofHours(4);
  /** Rows per statement: a first run over a long history holds no lock for long. */
  static final int BATCH = 1000;
  /** Recordings deleted at Twilio per claim, one request after another. */
  static final int RECORDING_BATCH = 50;
  static final int RUN_LEASE_SECONDS = 300;
  /** A recording being deleted is not asked for again by another instance before this. */
  static final int RECORDING_LEASE_SECONDS = 300;
  static final Duration RUN_INTERVAL = Duration.ofDays(1);

  private final ErasureStore erasures;
  private final RetentionStore retention;
  private final Businesses businesses;
  private final Clock clock;
  private final RingbackConfig.Retention limits;
  private final SecureRandom random = new SecureRandom();
  private final String owner = "ringback-" + UUID.randomUUID();
  private volatile boolean stopping;

  public Privacy(Pool pool, Businesses businesses, Clock clock, RingbackConfig.Retention limits) {
    this.erasures = new ErasureStore(pool);
    this.retention = new RetentionStore(pool);
    this.businesses = businesses;
    this.clock = clock;
    this.limits = limits;
  }

  /**
   * Erases everything the business holds about the number (see {@link ErasureStore}); once that
   * is committed, its recordings are deleted at Twilio, in the background.
   */
  public Future<ErasureStore.Erasure> erase(Business business, String phone) {
    Instant now = clock.instant();
    byte[] salt = new byte[32];
    random.nextBytes(salt);
    return erasures.erase(business.id(), phone, now.minus(LONGEST_CALL), now.atZone(ZoneOffset.UTC).toLocalDate(), salt)
        .onSuccess(erased -> {
          if (erased.result() == ErasureStore.Result.ERASED) {
            LOG.info("Erased a number of business {}: {} row(s), {} recording(s) to delete at Twilio", business.slug(), erased.rows(),
                erased.queuedRecordings().size());
            if (!erased.queuedRecordings().isEmpty()) {
              deleteRecordings(erased.queuedRecordings()).onFailure(e -> LOG.warn(
                  "Recordings of an erased number stay queued for the retention job: {}", e.getMessage()));
            }
          }
        });
  }

  /**
   * One tick of the retention job: the daily run if it is due and no other instance holds it,
   * then the recordings still queued for deletion at Twilio.
   *
   * @return whether this instance did the daily run
   */
  public Future<Boolean> tick() {
    return runIfDue().compose(ran -> deleteRecordings(null).map(ran));
  }

  /** The daily run, when it is due and this instance claims it. */
  public Future<Boolean> runIfDue() {
    Instant now = clock.instant();
    return retention.claimRun(owner, now, RUN_LEASE_SECONDS).compose(claimed -> {
      if (!claimed) {
        return Future.succeededFuture(false);
      }
      Future<Long> events = limits.callEventsDays() == 0 ? Future.succeededFuture(0L)
          : batches(before -> retention.deleteEvents(before, BATCH), now.minus(Duration.ofDays(limits.callEventsDays())), 0);
      return events.compose(deletedEvents -> {
        if (limits.recordingsDays() == 0) {
          return Future.succeededFuture(new long[] {deletedEvents, 0});
        }
        Instant before = now.minus(Duration.ofDays(limits.recordingsDays()));
        return batches(cut -> retention.expireCallRecordings(cut, BATCH), before, 0)
            .compose(calls -> batches(cut -> retention.expireCallbackRecordings(cut, BATCH), before, calls))
            .map(recordings -> new long[] {deletedEvents, recordings});
      }).compose(done -> {
        if (limits.textsDays() == 0) {
          return Future.succeededFuture(new long[] {done[0], done[1], 0});
        }
        Instant before = now.minus(Duration.ofDays(limits.textsDays()));
        return batches(cut -> retention.deleteTexts(cut, BATCH), before, 0)
            .compose(texts -> batches(cut -> retention.deleteTextReplies(cut, BATCH), before, texts))
            .map(texts -> new long[] {done[0], done[1], texts});
      }).compose(done -> {
        if (stopping) {
          return retention.releaseRun(owner).map(false);
        }
        LOG.info("Retention: {} call event(s) older than {} day(s) deleted, {} recording(s) older than {} day(s) queued for deletion, "
            + "{} text(s) sent or received older than {} day(s) deleted", done[0], limits.callEventsDays(), done[1],
            limits.recordingsDays(), done[2], limits.textsDays());
        return retention.finishRun(owner, clock.instant(), RUN_INTERVAL.toSeconds()).map(true);
      });
    });
  }

  /** Runs one batch after another until one finds fewer rows than a batch, renewing the claim in between. */
  private Future<Long> batches(Function<Instant, Future<Integer>> batch, Instant before, long done) {
    if (stopping) {
      return Future.succeededFuture(done);
    }
    return batch.apply(before).compose(n -> n < BATCH ? Future.succeededFuture(done + n)
        : retention.renewRun(owner, clock.instant(), RUN_LEASE_SECONDS)
            .compose(held -> held ? batches(batch, before, done + n) : Future.succeededFuture(done + n)));
  }

  /**
   * Deletes queued recordings at Twilio, each through its business's telephony; a failure is
   * logged and the recording stays queued.
   *
   * @param only these queued rows only, or null for every one nobody holds
   * @return how many were deleted
   */
  public Future<Integer> deleteRecordings(List<Long> only) {
    return retention.claimRecordings(clock.instant(), RECORDING_LEASE_SECONDS, RECORDING_BATCH, only).compose(claimed -> {
      Future<Integer> deleted = Future.succeededFuture(0);
      for (RetentionStore.QueuedRecording recording : claimed) {
        deleted = deleted.compose(sum -> deleteRecording(recording).map(ok -> ok ? sum + 1 : sum));
      }
      return deleted.compose(sum -> claimed.size() < RECORDING_BATCH || only != null || stopping ? Future.succeededFuture(sum)
          : deleteRecordings(null).map(more -> sum + more));
    });
  }

  private Future<Boolean> deleteRecording(RetentionStore.QueuedRecording recording) {
    Optional<Business> business = businesses.byId(recording.businessId());
    Future<Void> deleted = business.isEmpty()
        ? Future.failedFuture(new IllegalStateException("its business is no longer served"))
        : business.get().telephony().deleteRecording(recording.recordingSid());
    return deleted
        .compose(v -> retention.recordingDeleted(recording.id()).map(true))
        .recover(e -> {
          LOG.warn("Recording {} of business {} not deleted at Twilio yet, tried again later: {}", recording.recordingSid(),
              business.map(Business::slug).orElse("#" + recording.businessId()), e.getMessage());
          return retention.recordingFailed(recording.id(), String.valueOf(e.getMessage())).map(false);
        });
  }

  /** Stops between batches; a run left unfinished is released for another instance. */
  public Future<Void> stop() {
    stopping = true;
    return retention.releaseRun(owner);
  }
}
