package dev.ringback.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer's file: every call, callback, callback attempt, order, agent note, feedback, text sent
 * and text received for their number, newest first, so service survives staff changes.
 */
public final class TimelineStore {
  /** Who took a call, an attempt, a scored call: the registered agent's name ({@code agent_name}), else the phone's number. */
  private static final String CALL_AGENT = Rows.agentName("c.business_id", "c.agent_contact");
  private static final String ATTEMPT_AGENT = Rows.agentName("cb.business_id", "at.agent_contact");
  private static final String FEEDBACK_AGENT = Rows.agentName("f.business_id", "f.agent_contact");
  static final String TIMELINE = """
      SELECT at, kind, ref, detail FROM (
        SELECT c.arrived_at AS at, 'call' AS kind, c.id AS ref,
               jsonb_build_object('direction', c.direction, 'line', l.slug, 'outcome', c.outcome, 'call_sid', c.call_sid,
                                  'ring_seconds', EXTRACT(EPOCH FROM (c.answered_at - c.arrived_at)),
                                  'ended_at', c.ended_at, 'recording_url', c.recording_url,
                                  'answered_by_agent', COALESCE(%1$s, c.agent_contact), 'agent_name', %1$s) AS detail
        FROM calls c JOIN lines l ON l.id = c.line_id WHERE c.business_id = $1 AND c.caller_phone = $2
        UNION ALL
        SELECT cb.triggered_at, 'callback', cb.id,
               jsonb_build_object('line', l.slug, 'trigger', cb.trigger, 'trigger_count', cb.trigger_count, 'state', cb.state,
                                  'outcome', cb.outcome, 'attempts', cb.attempts, 'reason', cb.task_reason,
                                  'recording_url', cb.recording_url,
                                  'completed_by', (SELECT a.name FROM agents a WHERE a.id = cb.completed_by))
        FROM callbacks cb JOIN lines l ON l.id = cb.line_id WHERE cb.business_id = $1 AND cb.customer_phone = $2
        UNION ALL
        SELECT at.started_at, 'callback_attempt', at.id,
               jsonb_build_object('callback_id', at.callback_id, 'attempt', at.attempt, 'outcome', at.outcome,
                                  'answered_by', at.answered_by, 'call_sid', at.call_sid,
                                  'ring_seconds', EXTRACT(EPOCH FROM (at.answered_at - at.ringing_at)), 'error', at.error_message,
                                  'agent', COALESCE(%2$s, at.agent_contact), 'agent_name', %2$s)
        FROM callback_attempts at JOIN callbacks cb ON cb.id = at.callback_id
        WHERE cb.business_id = $1 AND cb.customer_phone = $2
        UNION ALL
        SELECT o.received_at, 'order', o.id,
               jsonb_build_object('source', o.source, 'order_id', o.order_id, 'number', o.display_number, 'total', o.total,
                                  'currency', o.currency, 'items', o.item_count, 'name', o.name)
        FROM orders o WHERE o.business_id = $1 AND o.phone = $2
        UNION ALL
        SELECT n.created_at, 'note', n.id,
               jsonb_build_object('note', n.note, 'outcome', n.outcome, 'callback_id', n.callback_id,
                                  'agent', (SELECT a.name FROM agents a WHERE a.id = n.agent_id))
        FROM customer_notes n WHERE n.business_id = $1 AND n.customer_phone = $2
        UNION ALL
        SELECT COALESCE(f.answered_at, f.asked_at), 'feedback', f.id,
               jsonb_build_object('line', l.slug, 'channel', f.channel, 'state', f.state, 'score', f.score, 'asked_at', f.asked_at,
                                  'call_sid', f.call_sid, 'callback_id', f.callback_id, 'recovery_task', f.recovery_callback_id,
                                  'agent', COALESCE(%3$s, f.agent_contact), 'agent_name', %3$s)
        FROM feedback f JOIN lines l ON l.id = f.line_id WHERE f.business_id = $1 AND f.customer_phone = $2
        UNION ALL
        SELECT t.created_at, 'text', t.id,
               jsonb_build_object('line', l.slug, 'kind', t.kind, 'body', t.body, 'state', t.state, 'result', t.result,
                                  'status', t.status, 'error_code', t.error_code, 'message_sid', t.message_sid,
                                  'sent_at', t.sent_at, 'status_at', t.status_at, 'callback_id', t.callback_id)
        FROM texts t JOIN lines l ON l.id = t.line_id WHERE t.business_id = $1 AND t.customer_phone = $2
        UNION ALL
        SELECT r.received_at, 'text_reply', r.id,
               jsonb_build_object('line', l.slug, 'body', r.body, 'read_as', r.kind, 'callback_id', r.callback_id,
                                  'message_sid', r.message_sid)
        FROM text_replies r JOIN lines l ON l.id = r.line_id WHERE r.business_id = $1 AND r.customer_phone = $2
      ) file
      WHERE $3::timestamptz IS NULL OR (at, kind, ref) < ($3::timestamptz, $4::text, $5::bigint)
      ORDER BY at DESC, kind DESC, ref DESC LIMIT $6""".formatted(CALL_AGENT, ATTEMPT_AGENT, FEEDBACK_AGENT);

  /** One entry of the file; {@code kind} is call, callback, callback_attempt, order, note, feedback, text or text_reply. */
  public record Entry(Instant at, String kind, long ref, JsonObject detail) {}

  /** Where the previous page ended. */
  public record Cursor(Instant at, String kind, long ref) {}

  private final Pool pool;

  public TimelineStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Entry>> timeline(long businessId, String phone, Cursor after, int limit) {
    return pool.preparedQuery(TIMELINE).execute(Tuple.from(new Object[] {businessId, phone,
            after == null ? null : Rows.timestamp(after.at()), after == null ? null : after.kind(), after == null ? null : after.ref(),
            limit}))
        .map(rows -> {
          List<Entry> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Entry(Rows.instant(row.getOffsetDateTime("at")), row.getString("kind"), row.getLong("ref"),
                Rows.json(row.getValue("detail"))));
          }
          return out;
        });
  }
}
