package dev.ringback.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;

/** Callbacks: created or updated by triggers, cancelled when the customer gets through. */
public final class CallbackStore {
  static final String OPEN_STATES = "('scheduled', 'dialing', 'agent_queue')";
  /** One open callback per line and phone: a repeated trigger counts on the existing one. */
  static final String UPSERT_OPEN = """
      INSERT INTO callbacks (business_id, line_id, customer_phone, customer_id, trigger, trigger_call_sid,
                             triggered_at, last_triggered_at, due_at, priority)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)
      ON CONFLICT (line_id, customer_phone) WHERE state IN """ + OPEN_STATES + """

      DO UPDATE SET trigger_count = callbacks.trigger_count + 1,
                    last_triggered_at = GREATEST(callbacks.last_triggered_at, EXCLUDED.last_triggered_at),
                    priority = GREATEST(callbacks.priority, EXCLUDED.priority),
                    updated_at = now()
      RETURNING id, trigger, due_at, (xmax = 0) AS created""";
  /** Only work not yet being dialled is cancelled; a call in progress finishes on its own. */
  static final String CANCEL_SCHEDULED = """
      UPDATE callbacks SET state = 'cancelled', outcome = 'cancelled', updated_at = now()
      WHERE line_id = $1 AND customer_phone = $2 AND state = 'scheduled'
      RETURNING id, trigger""";
  static final String ATTACH_RECORDING = """
      UPDATE callbacks cb SET recording_url = $2, updated_at = now()
      FROM calls c
      WHERE c.call_sid = $1 AND cb.line_id = c.line_id AND cb.customer_phone = c.caller_phone
        AND cb.state IN """ + OPEN_STATES + """

      RETURNING cb.id""";
  static final String SET_CALL_RECORDING = "UPDATE calls SET recording_url = $2 WHERE call_sid = $1";

  /** A trigger to record. */
  public record Trigger(long businessId, long lineId, String phone, Long customerId, String trigger, String callSid,
                        Instant triggeredAt, Instant dueAt, int priority) {}

  /** The open callback a trigger landed on. */
  public record Scheduled(long id, String trigger, Instant dueAt, boolean created) {}

  /** A callback cancelled because the customer got through. */
  public record Cancelled(long id, String trigger) {}

  private CallbackStore() {}

  static Future<Scheduled> schedule(SqlClient client, Trigger t) {
    return client.preparedQuery(UPSERT_OPEN)
        .execute(Tuple.from(new Object[] {t.businessId(), t.lineId(), t.phone(), t.customerId(), t.trigger(), t.callSid(),
            Rows.timestamp(t.triggeredAt()), Rows.timestamp(t.dueAt()), t.priority()}))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Scheduled(row.getLong("id"), row.getString("trigger"), Rows.instant(row.getOffsetDateTime("due_at")),
              row.getBoolean("created"));
        });
  }

  static Future<Optional<Cancelled>> cancelScheduled(SqlClient client, long lineId, String phone) {
    return client.preparedQuery(CANCEL_SCHEDULED).execute(Tuple.of(lineId, phone))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(new Cancelled(rows.iterator().next().getLong("id"), rows.iterator().next().getString("trigger"))));
  }

  /** Keeps the voicemail with the call and with the customer's open callback. */
  static Future<Boolean> attachRecording(SqlClient client, String callSid, String recordingUrl) {
    return client.preparedQuery(SET_CALL_RECORDING).execute(Tuple.of(callSid, recordingUrl))
        .compose(v -> client.preparedQuery(ATTACH_RECORDING).execute(Tuple.of(callSid, recordingUrl)))
        .map(rows -> rows.size() > 0);
  }
}
