package dev.ringback.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention: the daily run's claim (one row for the deployment, held with a lease), old call
 * events, texts and recordings deleted a bounded batch at a time (each batch its own short
 * transaction, so a first run over a long history holds no long locks), and the queue of
 * recordings still to be deleted at Twilio.
 */
public final class RetentionStore {
  static final String CLAIM_RUN = """
      UPDATE retention_run SET owner = $1, lease_until = $2 + make_interval(secs => $3)
      WHERE id = 1 AND next_run_at <= $2 AND (lease_until IS NULL OR lease_until < $2) RETURNING id""";
  static final String RENEW_RUN = "UPDATE retention_run SET lease_until = $2 + make_interval(secs => $3) WHERE id = 1 AND owner = $1 RETURNING id";
  static final String FINISH_RUN = """
      UPDATE retention_run SET next_run_at = $2 + make_interval(secs => $3), last_run_at = $2, owner = NULL, lease_until = NULL
      WHERE id = 1 AND owner = $1""";
  static final String RELEASE_RUN = "UPDATE retention_run SET owner = NULL, lease_until = NULL WHERE id = 1 AND owner = $1";
  /** With the events go the screened legs' decisions of the same age (a few rows a call). */
  static final String DELETE_EVENTS = """
      WITH legs AS (DELETE FROM screened_legs WHERE decided_at < $1)
      DELETE FROM call_events WHERE id IN (SELECT id FROM call_events WHERE received_at < $1 LIMIT $2)""";
  /** Texts still to be sent, or being sent, are the outbox's, whatever their age. */
  static final String DELETE_TEXTS = """
      DELETE FROM texts WHERE id IN (SELECT id FROM texts WHERE created_at < $1 AND state IN ('sent', 'done') LIMIT $2)""";
  static final String DELETE_TEXT_REPLIES = """
      DELETE FROM text_replies WHERE id IN (SELECT id FROM text_replies WHERE received_at < $1 LIMIT $2)""";
  /** The end of both statements below: the recordings of the rows in {@code old} are queued for deletion at Twilio. */
  private static final String QUEUE_OLD_RECORDINGS = """
      queued AS (INSERT INTO recording_deletions (business_id, recording_sid)
                 SELECT DISTINCT business_id, substring(recording_url from '""" + ErasureStore.RECORDING_SID + """
      ') FROM old WHERE recording_url ~ '""" + ErasureStore.RECORDING_SID + """
      '
                 ON CONFLICT (business_id, recording_sid) DO NOTHING)
      SELECT count(*) AS n FROM old""";
  /**
   * Recordings of calls older than the limit: the references go (the call's, and its callback's,
   * which holds the same URL) and the SIDs are queued for deletion at Twilio.
   */
  static final String EXPIRE_CALL_RECORDINGS = """
      WITH old AS (SELECT id, business_id, caller_phone, recording_url FROM calls
                   WHERE recording_url IS NOT NULL AND arrived_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED),
      calls_cleared AS (UPDATE calls c SET recording_url = NULL FROM old WHERE c.id = old.id),
      callbacks_cleared AS (UPDATE callbacks cb SET recording_url = NULL FROM old
                            WHERE cb.business_id = old.business_id AND cb.customer_phone = old.caller_phone
                              AND cb.recording_url = old.recording_url),
""" + QUEUE_OLD_RECORDINGS;
  /** A callback's recording whose call is not kept: by the callback's last trigger, which the voicemail followed. */
  static final String EXPIRE_CALLBACK_RECORDINGS = """
      WITH old AS (SELECT id, business_id, recording_url FROM callbacks
                   WHERE recording_url IS NOT NULL AND last_triggered_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED),
      cleared AS (UPDATE callbacks cb SET recording_url = NULL FROM old WHERE cb.id = old.id),
""" + QUEUE_OLD_RECORDINGS;
  /** Queued recordings nobody holds; {@code $4} (when not null) narrows them to these rows. */
  static final String CLAIM_RECORDINGS = """
      UPDATE recording_deletions SET lease_until = $1 + make_interval(secs => $2), attempts = attempts + 1
      WHERE id IN (SELECT id FROM recording_deletions
                   WHERE (lease_until IS NULL OR lease_until < $1) AND ($4::bigint[] IS NULL OR id = ANY($4))
                   ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING id, business_id, recording_sid""";
  static final String RECORDING_DELETED = "DELETE FROM recording_deletions WHERE id = $1";
  /** Kept, with its lease: tried again once the lease has run out. */
  static final String RECORDING_FAILED = "UPDATE recording_deletions SET last_error = $2 WHERE id = $1";

  /** A recording to delete at Twilio: the business whose account holds it, and its SID. */
  public record QueuedRecording(long id, long businessId, String recordingSid) {}

  private final Pool pool;

  public RetentionStore(Pool pool) {
    this.pool = pool;
  }

  /** Whether this owner took the run: it is due, and no other instance holds it. */
  public Future<Boolean> claimRun(String owner, Instant now, int leaseSeconds) {
    return pool.preparedQuery(CLAIM_RUN).execute(Tuple.of(owner, Rows.timestamp(now), (double) leaseSeconds)).map(rows -> rows.size() > 0);
  }

  /** Whether this owner still holds the run. */
  public Future<Boolean> renewRun(String owner, Instant now, int leaseSeconds) {
    return pool.preparedQuery(RENEW_RUN).execute(Tuple.of(owner, Rows.timestamp(now), (double) leaseSeconds)).map(rows -> rows.size() > 0);
  }

  public Future<Void> finishRun(String owner, Instant now, long nextRunSeconds) {
    return pool.preparedQuery(FINISH_RUN).execute(Tuple.of(owner, Rows.timestamp(now), (double) nextRunSeconds)).mapEmpty();
  }

  /** Lets another instance take over a run this one stopped in the middle of. */
  public Future<Void> releaseRun(String owner) {
    return pool.preparedQuery(RELEASE_RUN).execute(Tuple.of(owner)).mapEmpty();
  }

  /** @return how many events were deleted (fewer than {@code limit}: none older are left) */
  public Future<Integer> deleteEvents(Instant before, int limit) {
    return pool.preparedQuery(DELETE_EVENTS).execute(Tuple.of(Rows.timestamp(before), limit)).map(rows -> rows.rowCount());
  }

  /** @return how many texts were deleted (fewer than {@code limit}: none older are left) */
  public Future<Integer> deleteTexts(Instant before, int limit) {
    return pool.preparedQuery(DELETE_TEXTS).execute(Tuple.of(Rows.timestamp(before), limit)).map(rows -> rows.rowCount());
  }

  /** @return how many customers' texts were deleted (fewer than {@code limit}: none older are left) */
  public Future<Integer> deleteTextReplies(Instant before, int limit) {
    return pool.preparedQuery(DELETE_TEXT_REPLIES).execute(Tuple.of(Rows.timestamp(before), limit)).map(rows -> rows.rowCount());
  }

  /** @return how many calls' recordings were let go (fewer than {@code limit}: none older are left) */
  public Future<Integer> expireCallRecordings(Instant before, int limit) {
    return pool.preparedQuery(EXPIRE_CALL_RECORDINGS).execute(Tuple.of(Rows.timestamp(before), limit))
        .map(rows -> rows.iterator().next().getLong("n").intValue());
  }

  /** @return how many callbacks' recordings were let go (fewer than {@code limit}: none older are left) */
  public Future<Integer> expireCallbackRecordings(Instant before, int limit) {
    return pool.preparedQuery(EXPIRE_CALLBACK_RECORDINGS).execute(Tuple.of(Rows.timestamp(before), limit))
        .map(rows -> rows.iterator().next().getLong("n").intValue());
  }

  /** @param only these rows only, or null for any */
  public Future<List<QueuedRecording>> claimRecordings(Instant now, int leaseSeconds, int limit, List<Long> only) {
    return pool.preparedQuery(CLAIM_RECORDINGS)
        .execute(Tuple.of(Rows.timestamp(now), (double) leaseSeconds, limit, only == null ? null : only.toArray(new Long[0])))
        .map(rows -> {
          List<QueuedRecording> out = new ArrayList<>();
          rows.forEach(row -> out.add(new QueuedRecording(row.getLong("id"), row.getLong("business_id"), row.getString("recording_sid"))));
          return out;
        });
  }

  public Future<Void> recordingDeleted(long id) {
    return pool.preparedQuery(RECORDING_DELETED).execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Void> recordingFailed(long id, String error) {
    return pool.preparedQuery(RECORDING_FAILED).execute(Tuple.of(id, error)).mapEmpty();
  }
}
