package dev.ringback.store;

import dev.ringback.domain.CallbackState;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Erases everything a business holds about one number, in one transaction: its customer record,
 * calls and their status events (the agents' legs too), callbacks and their attempts (tasks
 * included), orders, feedback, notes, the texts sent to it and those it sent, and what it showed
 * about texts. A do-not-call listing and a STOP are kept as salted hashes only, so the number
 * stays uncalled and untexted; its recordings are queued for deletion at Twilio (by SID). One
 * anonymous count per business and day is all that records the erasure.
 */
public final class ErasureStore {
  /** The number's callbacks, locked: the dialler's claims skip them until the erasure commits. */
  static final String LOCK_CALLBACKS = "SELECT id, state FROM callbacks WHERE business_id = $1 AND customer_phone = $2 FOR UPDATE";
  static final String LOCK_CALLS = """
      SELECT call_sid, ended_at IS NULL AND arrived_at > $3 AS open FROM calls
      WHERE business_id = $1 AND caller_phone = $2 FOR UPDATE""";
  static final String ATTEMPTS = """
      SELECT call_sid, agent_call_sid, ended_at IS NULL AND started_at > $2 AS open FROM callback_attempts
      WHERE callback_id = ANY($1)""";
  static final String FEEDBACK_CALLS = "SELECT call_sid FROM feedback WHERE business_id = $1 AND customer_phone = $2";
  /** The Recording SID in a RecordingUrl such as https://api.twilio.com/2010-04-01/Accounts/AC.../Recordings/RE.... */
  static final String RECORDING_SID = "/Recordings/(RE[0-9a-fA-F]{32})";
  static final String QUEUE_RECORDINGS = """
      INSERT INTO recording_deletions (business_id, recording_sid)
      SELECT DISTINCT $1::bigint, substring(url from '""" + RECORDING_SID + """
      ') FROM (SELECT recording_url AS url FROM calls WHERE business_id = $1 AND caller_phone = $2
               UNION SELECT recording_url FROM callbacks WHERE business_id = $1 AND customer_phone = $2) recorded
      WHERE url ~ '""" + RECORDING_SID + """
      '
      ON CONFLICT (business_id, recording_sid) DO NOTHING RETURNING id""";
  /** Every status event of the number's calls and of their legs (a leg names its parent), and its legs' screening. */
  static final String DELETE_EVENTS = """
      WITH legs AS (DELETE FROM screened_legs WHERE parent_call_sid = ANY($1))
      DELETE FROM call_events WHERE call_sid = ANY($1) OR parent_call_sid = ANY($1)""";
  /** Another number's rows that point at one of these callbacks (none are expected) let go of it rather than block the erasure. */
  static final String DETACH_CALLBACKS = """
      WITH feedback_detached AS (
        UPDATE feedback SET callback_id = CASE WHEN callback_id = ANY($2) THEN NULL ELSE callback_id END,
                            recovery_callback_id = CASE WHEN recovery_callback_id = ANY($2) THEN NULL ELSE recovery_callback_id END
        WHERE business_id = $1 AND customer_phone <> $3 AND (callback_id = ANY($2) OR recovery_callback_id = ANY($2)))
      UPDATE customer_notes SET callback_id = NULL WHERE business_id = $1 AND customer_phone <> $3 AND callback_id = ANY($2)""";
  static final String DETACH_ORDERS = """
      UPDATE callbacks SET order_row_id = NULL
      WHERE business_id = $1 AND customer_phone <> $2
        AND order_row_id IN (SELECT id FROM orders WHERE business_id = $1 AND phone = $2)""";
  static final String DELETE_FEEDBACK = "DELETE FROM feedback WHERE business_id = $1 AND customer_phone = $2";
  static final String DELETE_NOTES = "DELETE FROM customer_notes WHERE business_id = $1 AND customer_phone = $2";
  static final String DELETE_TEXTS = "DELETE FROM texts WHERE business_id = $1 AND customer_phone = $2";
  static final String DELETE_TEXT_REPLIES = "DELETE FROM text_replies WHERE business_id = $1 AND customer_phone = $2";
  static final String DELETE_ATTEMPTS = "DELETE FROM callback_attempts WHERE callback_id = ANY($1)";
  static final String DELETE_CALLBACKS = "DELETE FROM callbacks WHERE id = ANY($1)";
  static final String DELETE_ORDERS = "DELETE FROM orders WHERE business_id = $1 AND phone = $2";
  static final String DELETE_CALLS = "DELETE FROM calls WHERE business_id = $1 AND caller_phone = $2";
  static final String DELETE_CUSTOMER = "DELETE FROM customers WHERE business_id = $1 AND phone = $2";
  static final String SALT = "INSERT INTO erasure_salts (business_id, salt) VALUES ($1, $2) ON CONFLICT (business_id) DO NOTHING";
  static final String HASH_DO_NOT_CALL = """
      WITH unlisted AS (DELETE FROM do_not_call WHERE business_id = $1 AND phone = $2 RETURNING phone),
      hashed AS (INSERT INTO do_not_call_erased (business_id, phone_sha256)
                 SELECT $1, sha256(s.salt || convert_to(u.phone, 'UTF8')) FROM unlisted u JOIN erasure_salts s ON s.business_id = $1
                 ON CONFLICT (business_id, phone_sha256) DO NOTHING)
      SELECT count(*) AS n FROM unlisted""";
  /** A STOP is kept as a hash, as a do-not-call listing is; a mark that texts cannot reach the number is not kept. */
  static final String HASH_TEXT_OPT_OUT = """
      WITH forgotten AS (DELETE FROM text_numbers WHERE business_id = $1 AND phone = $2 RETURNING phone, opted_out_at),
      hashed AS (INSERT INTO text_opt_outs_erased (business_id, phone_sha256)
                 SELECT $1, sha256(s.salt || convert_to(f.phone, 'UTF8')) FROM forgotten f JOIN erasure_salts s ON s.business_id = $1
                 WHERE f.opted_out_at IS NOT NULL
                 ON CONFLICT (business_id, phone_sha256) DO NOTHING)
      SELECT count(*) AS n FROM forgotten""";
  /** The agents' consoles drop the number's tasks (the triggers that tell them see updates and inserts only). */
  static final String TASKS_CHANGED = "SELECT pg_notify('ringback_tasks', '')";
  static final String COUNT = """
      INSERT INTO erasures (business_id, day, count) VALUES ($1, $2, 1)
      ON CONFLICT (business_id, day) DO UPDATE SET count = erasures.count + 1""";

  /** What an erasure did. */
  public enum Result {
    ERASED,
    /** Nothing at all was known about the number. */
    UNKNOWN,
    /** A call with the number may be going on: its webhooks would write the number again. */
    CALL_IN_PROGRESS
  }

  /**
   * @param rows how many rows were deleted
   * @param queuedRecordings the recording_deletions rows this erasure queued
   */
  public record Erasure(Result result, long rows, List<Long> queuedRecordings) {}

  private static final class NothingKnown extends RuntimeException {
    NothingKnown() {
      super(null, null, false, false);
    }
  }

  private final Pool pool;

  public ErasureStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param openSince a call that began after this and has not reported its end may still be going on
   * @param day the day the erasure is counted on
   * @param salt the business's salt for hashing a do-not-call listing and a STOP, used when it has none yet
   */
  public Future<Erasure> erase(long businessId, String phone, Instant openSince, LocalDate day, byte[] salt) {
    return pool.withTransaction(conn -> erase(conn, businessId, phone, openSince, day, salt))
        .recover(e -> e instanceof NothingKnown ? Future.succeededFuture(new Erasure(Result.UNKNOWN, 0, List.of()))
            : Future.failedFuture(e));
  }

  private Future<Erasure> erase(SqlConnection conn, long businessId, String phone, Instant openSince, LocalDate day, byte[] salt) {
    Tuple numberOf = Tuple.of(businessId, phone);
    List<Long> callbacks = new ArrayList<>();
    Set<String> callSids = new LinkedHashSet<>();
    boolean[] open = {false};
    boolean[] tasks = {false};
    return conn.preparedQuery(LOCK_CALLBACKS).execute(numberOf)
        .compose(rows -> {
          rows.forEach(row -> {
            callbacks.add(row.getLong("id"));
            CallbackState state = CallbackState.parse(row.getString("state")).orElseThrow();
            open[0] |= state == CallbackState.DIALING;
            tasks[0] |= state == CallbackState.AGENT_QUEUE;
          });
          return conn.preparedQuery(LOCK_CALLS).execute(Tuple.of(businessId, phone, Rows.timestamp(openSince)));
        })
        .compose(rows -> {
          rows.forEach(row -> {
            callSids.add(row.getString("call_sid"));
            open[0] |= row.getBoolean("open");
          });
          return conn.preparedQuery(ATTEMPTS).execute(Tuple.of(callbacks.toArray(new Long[0]), Rows.timestamp(openSince)));
        })
        .compose(rows -> {
          for (Row row : rows) {
            addIfPresent(callSids, row.getString("call_sid"));
            addIfPresent(callSids, row.getString("agent_call_sid"));
            open[0] |= row.getBoolean("open");
          }
          return conn.preparedQuery(FEEDBACK_CALLS).execute(numberOf);
        })
        .compose(rows -> {
          rows.forEach(row -> addIfPresent(callSids, row.getString("call_sid")));
          if (open[0]) {
            return Future.succeededFuture(new Erasure(Result.CALL_IN_PROGRESS, 0, List.of()));
          }
          return deleteAll(conn, businessId, phone, callbacks.toArray(new Long[0]), callSids.toArray(new String[0]), day, salt)
              .compose(erased -> tasks[0] ? conn.query(TASKS_CHANGED).execute().map(erased) : Future.succeededFuture(erased));
        });
  }

  private Future<Erasure> deleteAll(SqlConnection conn, long businessId, String phone, Long[] callbacks, String[] callSids,
                                    LocalDate day, byte[] salt) {
    Tuple numberOf = Tuple.of(businessId, phone);
    List<Long> queued = new ArrayList<>();
    List<Map.Entry<String, Tuple>> deletions = List.of(
        Map.entry(DELETE_EVENTS, Tuple.of((Object) callSids)),
        Map.entry(DELETE_FEEDBACK, numberOf),
        Map.entry(DELETE_NOTES, numberOf),
        Map.entry(DELETE_TEXTS, numberOf),
        Map.entry(DELETE_TEXT_REPLIES, numberOf),
        Map.entry(DELETE_ATTEMPTS, Tuple.of((Object) callbacks)),
        Map.entry(DELETE_CALLBACKS, Tuple.of((Object) callbacks)),
        Map.entry(DELETE_ORDERS, numberOf),
        Map.entry(DELETE_CALLS, numberOf),
        Map.entry(DELETE_CUSTOMER, numberOf));
    Future<Long> deleted = conn.preparedQuery(QUEUE_RECORDINGS).execute(numberOf)
        .compose(rows -> {
          rows.forEach(row -> queued.add(row.getLong("id")));
          return conn.preparedQuery(DETACH_CALLBACKS).execute(Tuple.of(businessId, callbacks, phone));
        })
        .compose(rows -> conn.preparedQuery(DETACH_ORDERS).execute(numberOf))
        .map(rows -> 0L);
    for (Map.Entry<String, Tuple> deletion : deletions) {
      deleted = deleted.compose(sum -> conn.preparedQuery(deletion.getKey()).execute(deletion.getValue()).map(rows -> sum + rows.rowCount()));
    }
    return deleted
        .compose(sum -> conn.preparedQuery(SALT).execute(Tuple.of(businessId, Buffer.buffer(salt)))
            .compose(v -> conn.preparedQuery(HASH_DO_NOT_CALL).execute(numberOf))
            .map(rows -> sum + rows.iterator().next().getLong("n")))
        .compose(sum -> conn.preparedQuery(HASH_TEXT_OPT_OUT).execute(numberOf).map(rows -> sum + rows.iterator().next().getLong("n")))
        .compose(sum -> sum == 0 ? Future.<Erasure>failedFuture(new NothingKnown())
            : conn.preparedQuery(COUNT).execute(Tuple.of(businessId, day)).map(v -> new Erasure(Result.ERASED, sum, List.copyOf(queued))));
  }

  private static void addIfPresent(Set<String> sids, String sid) {
    if (sid != null) {
      sids.add(sid);
    }
  }
}
