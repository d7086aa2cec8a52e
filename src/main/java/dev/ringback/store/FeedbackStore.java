package dev.ringback.store;

import dev.ringback.domain.Feedback;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;

/**
 * The question after a call and its answer. One question per customer call; a score of
 * {@link Feedback#POOR} or less puts a service-recovery task in the line's queue, for its
 * supervisors when it has any, with the score and the call it is about.
 */
public final class FeedbackStore {
  /**
   * The call asked about: a callback's customer leg or an answered inbound call; who answered is
   * the agent leg the events recorded, else the {@code <Dial>}'s own leg ($4). Only a call of the
   * webhook's business ($5). No SMS goes to a number on the do-not-call list.
   */
  static final String ASK = """
      INSERT INTO feedback (business_id, line_id, customer_phone, call_sid, callback_id, agent_contact, channel, asked_at)
      SELECT business_id, line_id, phone, $1, callback_id,
             COALESCE(agent_contact, (SELECT e.to_number FROM call_events e WHERE e.call_sid = $4 AND e.business_id = $5 LIMIT 1)), $2, $3
      FROM (SELECT cb.business_id, cb.line_id, cb.customer_phone AS phone, cb.id AS callback_id, a.agent_contact
            FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id WHERE a.call_sid = $1 AND cb.business_id = $5
            UNION ALL
            SELECT c.business_id, c.line_id, c.caller_phone, NULL, c.agent_contact
            FROM calls c WHERE c.call_sid = $1 AND c.business_id = $5 AND c.caller_phone IS NOT NULL) asked
      WHERE NOT ($2 = 'sms' AND\s""" + Rows.doNotCallListed("asked.business_id", "asked.phone") + """
      )
      LIMIT 1
      ON CONFLICT (call_sid) DO NOTHING
      RETURNING id, customer_phone""";
  static final String BY_CALL = "SELECT id FROM feedback WHERE call_sid = $1 AND business_id = $2 AND state = 'asked'";
  /** The newest SMS question still waiting for this number's reply. */
  static final String WAITING_SMS = """
      SELECT id FROM feedback
      WHERE business_id = $1 AND customer_phone = $2 AND state = 'asked' AND channel = 'sms' AND asked_at > $3
      ORDER BY asked_at DESC LIMIT 1""";
  static final String SCORE = """
      UPDATE feedback f SET score = $2, state = 'answered', answered_at = $3
      WHERE f.id = $1 AND f.state = 'asked'
      RETURNING f.id, f.business_id, f.line_id, f.customer_phone, f.agent_contact,\s""" + Rows.lineSlug("f.line_id");
  /** Not a score: asked once more, then the question is dropped. */
  static final String NOT_A_SCORE = """
      UPDATE feedback SET state = CASE WHEN reasked THEN 'ignored' ELSE state END, reasked = true
      WHERE id = $1 AND state = 'asked' RETURNING state""";
  /**
   * The recovery task: into the agent queue at once, first in line, for the line's supervisors if
   * it has any. It stands beside the customer's other open callback (the call it is about may not
   * even have ended); a second poor score while it is open is added to it.
   */
  static final String RECOVERY = """
      INSERT INTO callbacks (business_id, line_id, customer_phone, customer_id, trigger, triggered_at, last_triggered_at, due_at,
                             priority, state, task_reason, for_role)
      SELECT f.business_id, f.line_id, f.customer_phone,
             (SELECT id FROM customers c WHERE c.business_id = f.business_id AND c.phone = f.customer_phone),
             'feedback', $2, $2, $2, $3, 'agent_queue', $4,
             CASE WHEN EXISTS (SELECT 1 FROM agent_lines al JOIN agents a ON a.id = al.agent_id
                               WHERE al.line_id = f.line_id AND a.role = 'supervisor') THEN 'supervisor' END
      FROM feedback f WHERE f.id = $1
      ON CONFLICT (line_id, customer_phone) WHERE state IN """ + CallbackStore.OPEN_STATES + """
       AND trigger = 'feedback'
      DO UPDATE SET trigger_count = callbacks.trigger_count + 1, last_triggered_at = EXCLUDED.last_triggered_at, updated_at = now()
      RETURNING\s""" + CallbackStore.SCHEDULED_COLUMNS;
  static final String LINK_RECOVERY = "UPDATE feedback SET recovery_callback_id = $2 WHERE id = $1";

  /** A stored score; {@code recovery} is the service-recovery task a poor one created. */
  public record Scored(long id, int score, String business, String line, String agentContact,
                       Optional<CallbackStore.Scheduled> recovery) {}

  private final Pool pool;

  public FeedbackStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records that the customer of this call is asked now; empty when the call is unknown, was
   * already asked, or (by SMS) the number is on the do-not-call list.
   *
   * @param agentLegSid the {@code <Dial>}'s answered leg, if known: who answered when no event said so
   */
  public Future<Optional<String>> ask(long businessId, String callSid, String channel, Instant now, String agentLegSid) {
    return pool.preparedQuery(ASK).execute(Tuple.of(callSid, channel, Rows.timestamp(now), agentLegSid, businessId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("customer_phone")));
  }

  /** The question asked on this call that still waits for its answer. */
  public Future<Optional<Long>> waitingOnCall(long businessId, String callSid) {
    return pool.preparedQuery(BY_CALL).execute(Tuple.of(callSid, businessId)).map(FeedbackStore::firstId);
  }

  /** The SMS question this number's reply answers: the newest one still open since {@code since}. */
  public Future<Optional<Long>> waitingForSms(long businessId, String phone, Instant since) {
    return pool.preparedQuery(WAITING_SMS).execute(Tuple.of(businessId, phone, Rows.timestamp(since))).map(FeedbackStore::firstId);
  }

  /** Stores the score once; a poor one puts the recovery task in the queue, in the same transaction. */
  public Future<Optional<Scored>> score(long id, int score, Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery(SCORE).execute(Tuple.of(id, score, Rows.timestamp(now)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Scored>empty());
          }
          Row row = rows.iterator().next();
          Future<Optional<CallbackStore.Scheduled>> recovery = Feedback.isPoor(score) ? recover(conn, id, now)
              : Future.succeededFuture(Optional.empty());
          return recovery.map(task -> Optional.of(new Scored(id, score, row.getString("business"), row.getString("line"),
              row.getString("agent_contact"), task)));
        }));
  }

  private static Future<Optional<CallbackStore.Scheduled>> recover(SqlConnection conn, long id, Instant now) {
    return conn.preparedQuery(RECOVERY)
        .execute(Tuple.of(id, Rows.timestamp(now), Feedback.RECOVERY_PRIORITY, Feedback.RECOVERY_REASON))
        .compose(rows -> {
          CallbackStore.Scheduled task = CallbackStore.scheduled(rows.iterator().next());
          return conn.preparedQuery(LINK_RECOVERY).execute(Tuple.of(id, task.id())).map(v -> Optional.of(task));
        });
  }

  /** An answer that is no score: true when the customer may be asked once more, false when the question is dropped. */
  public Future<Boolean> notAScore(long id) {
    return pool.preparedQuery(NOT_A_SCORE).execute(Tuple.of(id))
        .map(rows -> rows.size() > 0 && "asked".equals(rows.iterator().next().getString("state")));
  }

  private static Optional<Long> firstId(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id"));
  }
}
