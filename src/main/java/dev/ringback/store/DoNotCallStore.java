package dev.ringback.store;

import dev.ringback.domain.CallbackTrigger;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The do-not-call list. Adding a number cancels its waiting callbacks and notes the refusal in
 * the customer's file (once: listing it again adds no note), in one statement; the dialler never
 * claims a callback to a listed number.
 */
public final class DoNotCallStore {
  static final String ADD = """
      WITH listed AS (
        INSERT INTO do_not_call (business_id, phone, since, reason) VALUES ($1, $2, $3, $4)
        ON CONFLICT (business_id, phone) DO UPDATE SET reason = COALESCE(EXCLUDED.reason, do_not_call.reason)
        RETURNING phone, (xmax = 0) AS added),
      cancelled AS (
        UPDATE callbacks cb SET state = 'cancelled', outcome = 'cancelled', waiting_for = 'do_not_call', cancel_cause = 'do_not_call',
                                owner = NULL,
                                lease_until = NULL, task_agent_id = NULL, task_lease_until = NULL, updated_at = now()
        WHERE cb.business_id = $1 AND cb.customer_phone = $2 AND cb.state IN ('scheduled', 'agent_queue')
        RETURNING cb.id, cb.trigger,\s""" + Rows.lineSlug("cb.line_id") + """
      ),
      noted AS (
        INSERT INTO customer_notes (business_id, customer_phone, outcome, note)
        SELECT $1, $2, 'do_not_call', COALESCE($4, 'Asked not to be called.') FROM listed WHERE added)
      SELECT id, trigger, line, business FROM cancelled""";
  /** Lifts a listing, also one kept as a hash when the number was erased. */
  static final String REMOVE = """
      WITH removed AS (DELETE FROM do_not_call WHERE business_id = $1 AND phone = $2 RETURNING phone),
      unhashed AS (DELETE FROM do_not_call_erased e USING erasure_salts s
                   WHERE e.business_id = $1 AND s.business_id = $1 AND e.phone_sha256 = sha256(s.salt || convert_to($2, 'UTF8'))
                   RETURNING 1)
      INSERT INTO customer_notes (business_id, customer_phone, outcome, note)
      SELECT $1, $2, 'call_again', 'May be called again.' WHERE EXISTS (SELECT 1 FROM removed) OR EXISTS (SELECT 1 FROM unhashed)
      RETURNING id""";
  /** The key 9 pressed during this call for this callback, noted once: the same webhook again lists nothing. */
  static final String PRESSED_ONCE = """
      INSERT INTO call_choices (call_sid, callback_id, choice, made_at) VALUES ($1, $2, 'do_not_call', $3)
      ON CONFLICT DO NOTHING RETURNING callback_id""";
  /** A listing kept as a hash (the number was erased) has no time or reason. */
  static final String LISTED = "SELECT since, reason FROM do_not_call WHERE business_id = $1 AND phone = $2"
      + " UNION ALL SELECT NULL, NULL WHERE " + Rows.doNotCallListed("$1", "$2") + " LIMIT 1";
  static final String ON_LINES = """
      SELECT EXISTS (SELECT 1 FROM callbacks WHERE business_id = $1 AND customer_phone = $2 AND line_id = ANY($3::bigint[]))
          OR EXISTS (SELECT 1 FROM calls WHERE business_id = $1 AND caller_phone = $2 AND line_id = ANY($3::bigint[])) AS known""";

  /** A callback the listing cancelled, for the metrics. */
  public record Cancelled(long id, CallbackTrigger trigger, String line, String business) {}

  /** When and why a number was listed; both null for a listing kept as a hash. */
  public record Listing(Instant since, String reason) {}

  private final Pool pool;

  public DoNotCallStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Cancelled>> add(long businessId, String phone, Instant now, String reason) {
    return pool.preparedQuery(ADD).execute(Tuple.of(businessId, phone, Rows.timestamp(now), reason)).map(DoNotCallStore::cancelled);
  }

  private static List<Cancelled> cancelled(RowSet<Row> rows) {
    List<Cancelled> out = new ArrayList<>();
    rows.forEach(row -> out.add(new Cancelled(row.getLong("id"), CallbackStore.trigger(row), row.getString("line"),
        row.getString("business"))));
    return out;
  }

  /**
   * The customer pressed 9 during a callback's call: listed as {@link #add} does, once per call and
   * callback. Sent again (a Twilio retry, a captured request replayed) it changes nothing, even
   * after an admin took the number off the list.
   *
   * @param callbackId a callback of {@code businessId} whose customer is {@code phone}
   * @return the callbacks the listing cancelled; empty when this call's key press was applied before
   */
  public Future<Optional<List<Cancelled>>> addPressed(long businessId, String phone, Instant now, String reason, String callSid,
                                                                long callbackId) {
    return pool.withTransaction(conn -> conn.preparedQuery(PRESSED_ONCE).execute(Tuple.of(callSid, callbackId, Rows.timestamp(now)))
        .compose(pressed -> pressed.size() == 0 ? Future.succeededFuture(Optional.<List<Cancelled>>empty())
            : conn.preparedQuery(ADD).execute(Tuple.of(businessId, phone, Rows.timestamp(now), reason))
                .map(rows -> Optional.of(cancelled(rows)))));
  }

  /** @return whether the number was listed */
  public Future<Boolean> remove(long businessId, String phone) {
    return pool.preparedQuery(REMOVE).execute(Tuple.of(businessId, phone)).map(rows -> rows.size() > 0);
  }

  /** Whether the number has a call or a callback, in any state, on one of these lines. */
  public Future<Boolean> knownOnLines(long businessId, String phone, List<Long> lineKeys) {
    return pool.preparedQuery(ON_LINES).execute(Tuple.of(businessId, phone, lineKeys.toArray(Long[]::new)))
        .map(rows -> rows.iterator().next().getBoolean("known"));
  }

  public Future<Optional<Listing>> find(long businessId, String phone) {
    return pool.preparedQuery(LISTED).execute(Tuple.of(businessId, phone)).map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(new Listing(Rows.instant(rows.iterator().next().getOffsetDateTime("since")),
            rows.iterator().next().getString("reason"))));
  }
}
