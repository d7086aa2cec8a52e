package dev.ringback.store;

import dev.ringback.domain.CallbackMerge;
import dev.ringback.domain.CallbackState;
import dev.ringback.domain.CallbackTrigger;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Callbacks: created or updated by triggers, cancelled when the customer gets through. */
public final class CallbackStore {
  /** {@link CallbackState#OPEN} as an SQL list, the condition of the unique indexes callbacks_one_open and callbacks_one_recovery. */
  static final String OPEN_STATES = CallbackState.OPEN.stream().map(state -> "'" + state.value() + "'")
      .collect(Collectors.joining(", ", "(", ")"));
  /**
   * {@link CallbackMerge}: one open callback per line and phone, a repeated trigger merged into it.
   * In the insert's ON CONFLICT, against the row as it is, so two instances cannot both create one.
   * EXCLUDED.state is 'agent_queue' when the trigger wants a person on a staffed line (see {@link #staffed}).
   */
  static final String MERGE_INTO_OPEN = """
      ON CONFLICT (line_id, customer_phone) WHERE state IN """ + OPEN_STATES + """
       AND trigger <> 'feedback'

      DO UPDATE SET trigger_count = callbacks.trigger_count + 1,
                    last_triggered_at = GREATEST(callbacks.last_triggered_at, EXCLUDED.last_triggered_at),
                    priority = GREATEST(callbacks.priority, EXCLUDED.priority),
                    due_at = CASE WHEN callbacks.state = 'scheduled' THEN LEAST(callbacks.due_at, EXCLUDED.due_at)
                                  ELSE callbacks.due_at END,
                    state = CASE WHEN callbacks.state = 'scheduled' AND EXCLUDED.state = 'agent_queue' THEN 'agent_queue'
                                 ELSE callbacks.state END,
                    task_reason = CASE WHEN callbacks.state = 'scheduled' AND EXCLUDED.state = 'agent_queue' THEN EXCLUDED.task_reason
                                       ELSE callbacks.task_reason END,
                    updated_at = now()""";

  /**
   * A line whose agents are registered: its callbacks that need a person go to the agent queue.
   * Read inside the statement that writes the state, so the decision and the write are one.
   */
  static String staffed(String lineId) {
    return "EXISTS (SELECT 1 FROM agent_lines al WHERE al.line_id = " + lineId + ")";
  }

  /** The line's id and its business's slug travel with the callback, for the metrics' labels. */
  static final String LINE_SLUG = Rows.lineSlug("line_id");
  static final String SCHEDULED_COLUMNS = "id, trigger, due_at, (xmax = 0) AS created, " + LINE_SLUG;
  /** {@link CallbackMerge#firstState}: with a task reason ($10) on a staffed line, the callback waits for a person instead of the dialler. */
  static final String UPSERT_OPEN = """
      INSERT INTO callbacks (business_id, line_id, customer_phone, customer_id, trigger, trigger_call_sid,
                             triggered_at, last_triggered_at, due_at, priority, state, task_reason)
      SELECT $1, $2, $3, $4, $5, $6, $7, $7, $8, $9, CASE WHEN to_agents THEN 'agent_queue' ELSE 'scheduled' END,
             CASE WHEN to_agents THEN $10 END
      FROM (SELECT $10::text IS NOT NULL AND\s""" + staffed("$2") + """
       AS to_agents) decided
      """ + MERGE_INTO_OPEN + """

      RETURNING\s""" + SCHEDULED_COLUMNS;
  /** Only work not yet being dialled is cancelled; a call in progress finishes on its own. $3: the call that got through. */
  static final String CANCEL_SCHEDULED = """
      UPDATE callbacks SET state = 'cancelled', outcome = 'cancelled', cancel_cause = 'got_through', cancelled_by_call = $3,
                           updated_at = now()
      WHERE line_id = $1 AND customer_phone = $2 AND state = 'scheduled'
      RETURNING id, trigger,\s""" + LINE_SLUG;
  /** A new voicemail on a waiting callback of a staffed line; against the row's current recording and state. */
  private static final String VOICEMAIL_TO_AGENTS = "cb.recording_url IS DISTINCT FROM $2 AND cb.state = 'scheduled' AND "
      + staffed("cb.line_id");
  /**
   * A voicemail asks for a person: on a staffed line, a waiting callback becomes a task. It goes
   * to the callback Ringback named in the recording URL ($4), when that callback is still open
   * and still the one of this call's line and caller, in the webhook's business ($3). A URL
   * without a callback (an older URL a call in progress may hold, or one given on a retried
   * {@code <Dial>} action) reaches the caller's open callback only when this call triggered it or
   * is still going on: an old call's voicemail sent again never
   * lands on a later callback. The same recording again (the {@code <Record>} action and its
   * status callback both bring it, and Twilio retries) changes nothing.
   */
  static final String ATTACH_RECORDING = """
      UPDATE callbacks cb SET recording_url = $2,
        updated_at = CASE WHEN cb.recording_url IS DISTINCT FROM $2 THEN now() ELSE cb.updated_at END,
        state = CASE WHEN\s""" + VOICEMAIL_TO_AGENTS + """
       THEN 'agent_queue' ELSE cb.state END,
        task_reason = CASE WHEN\s""" + VOICEMAIL_TO_AGENTS + """
       THEN 'voicemail' ELSE cb.task_reason END
      FROM calls c
      WHERE c.call_sid = $1 AND c.business_id = $3 AND cb.business_id = $3
        AND cb.line_id = c.line_id AND cb.customer_phone = c.caller_phone
        AND cb.state IN """ + OPEN_STATES + """
       AND cb.trigger <> 'feedback'
        AND (cb.id = $4 OR $4::bigint IS NULL AND (cb.trigger_call_sid = c.call_sid OR c.ended_at IS NULL))
      RETURNING cb.id""";
  static final String SET_CALL_RECORDING = "UPDATE calls SET recording_url = $2 WHERE call_sid = $1 AND business_id = $3";

  /** A trigger to record. */
  /** @param taskReason set when a person should call back instead of the dialler (on a staffed line) */
  public record Trigger(long businessId, long lineId, String phone, Long customerId, CallbackTrigger trigger, String callSid,
                        Instant triggeredAt, Instant dueAt, int priority, String taskReason) {}

  /** The open callback a trigger landed on. */
  public record Scheduled(long id, CallbackTrigger trigger, Instant dueAt, boolean created, String line, String business) {}

  /** A callback cancelled because the customer got through. */
  public record Cancelled(long id, CallbackTrigger trigger, String line, String business) {}

  private static final String COLUMNS = """
      id, line_id, customer_phone, customer_id, trigger, trigger_call_sid, triggered_at, last_triggered_at,
      trigger_count, due_at, priority, attempts, state, recording_url, outcome, created_at, updated_at, waiting_for, task_reason,
      cancel_cause, cancelled_by_call, (SELECT a.name FROM agents a WHERE a.id = cancelled_by_agent) AS cancelled_by,
      ARRAY(SELECT COALESCE(at.outcome, '') FROM callback_attempts at WHERE at.callback_id = callbacks.id ORDER BY at.attempt, at.id)
        AS attempt_outcomes""";
  /** Optional filters: a NULL parameter matches everything. Oldest first, after the cursor's id ($2). */
  static final String LIST = list("id > $2", "id");
  /** Newest first, before the cursor's id ($2; 0 for the first page). */
  static final String LIST_NEWEST = list("($2 = 0 OR id < $2)", "id DESC");

  private static String list(String afterCursor, String order) {
    return "SELECT " + COLUMNS + """
         FROM callbacks
        WHERE business_id = $1 AND\s""" + afterCursor + """

          AND ($3::text IS NULL OR state = $3)
          AND ($4::text IS NULL OR trigger = $4)
          AND ($5::text IS NULL OR customer_phone = $5)
          AND ($6::bigint IS NULL OR line_id = $6)
          AND ($7::timestamptz IS NULL OR created_at >= $7)
          AND ($8::timestamptz IS NULL OR created_at < $8)
          AND ($10::bigint[] IS NULL OR line_id = ANY($10))
        ORDER BY\s""" + order + " LIMIT $9";
  }

  static final String FIND = "SELECT " + COLUMNS + " FROM callbacks WHERE business_id = $1 AND id = $2";
  static final String EVENTS_OF_CALL = """
      SELECT call_sid, parent_call_sid, call_status, sequence_number, twilio_timestamp, answered_by
      FROM call_events WHERE (call_sid = $1 OR parent_call_sid = $1) AND business_id = $2
      ORDER BY twilio_timestamp, sequence_number""";
  /** The owner moves a callback waiting for the dialler to another time; one being dialled or done stays as it is. */
  static final String MOVE = """
      UPDATE callbacks SET due_at = $3, waiting_for = NULL, updated_at = now()
      WHERE business_id = $1 AND id = $2 AND state = 'scheduled'
      RETURNING\s""" + COLUMNS;
  /** Work being dialled right now is not pulled from under the dialler. */
  static final String CANCEL = """
      UPDATE callbacks SET state = 'cancelled', outcome = 'cancelled', cancel_cause = 'by_hand', cancelled_by_agent = $3,
                           updated_at = now()
      WHERE business_id = $1 AND id = $2 AND state IN ('scheduled', 'agent_queue')
      RETURNING\s""" + COLUMNS;

  /** A callback as stored. */
  /** @param outcome how it ended: an attempt outcome's word, or the task outcome of the agent who completed it */
  public record Callback(long id, long lineId, String phone, Long customerId, CallbackTrigger trigger, String triggerCallSid,
                         Instant triggeredAt, Instant lastTriggeredAt, int triggerCount, Instant dueAt, int priority,
                         int attempts, CallbackState state, String recordingUrl, String outcome, Instant createdAt, Instant updatedAt,
                         String waitingFor, String taskReason, String cancelCause, String cancelledByCall, String cancelledBy,
                         List<String> attemptOutcomes) {}

  /**
   * Filters of the callback list; null means any.
   *
   * @param lineIds the lines the caller may see (an agent's), or null for every line
   */
  public record Filter(CallbackState state, CallbackTrigger trigger, String phone, Long lineId, List<Long> lineIds, Instant from, Instant to) {}

  /** One status event of a call, for a callback's story. */
  public record Event(String callSid, String parentCallSid, String status, Integer sequenceNumber, Instant timestamp,
                      String answeredBy) {}

  private final Pool pool;

  public CallbackStore(Pool pool) {
    this.pool = pool;
  }

  /** @param newestFirst newest first, {@code afterId} then the last one of the page before (0: the first page) */
  public Future<List<Callback>> list(long businessId, Filter f, long afterId, int limit, boolean newestFirst) {
    return pool.preparedQuery(newestFirst ? LIST_NEWEST : LIST).execute(Tuple.from(new Object[] {businessId, afterId, wordOf(f.state()), wordOf(f.trigger()), f.phone(),
            f.lineId(), Rows.timestamp(f.from()), Rows.timestamp(f.to()), limit,
            f.lineIds() == null ? null : f.lineIds().toArray(new Long[0])}))
        .map(rows -> {
          List<Callback> out = new ArrayList<>();
          rows.forEach(row -> out.add(toCallback(row)));
          return out;
        });
  }

  public Future<Optional<Callback>> find(long businessId, long id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(businessId, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toCallback(rows.iterator().next())));
  }

  /** The events of a call and of every leg it dialled. */
  public Future<List<Event>> events(long businessId, String callSid) {
    if (callSid == null) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(EVENTS_OF_CALL).execute(Tuple.of(callSid, businessId))
        .map(rows -> {
          List<Event> out = new ArrayList<>();
          rows.forEach(row -> out.add(new Event(row.getString("call_sid"), row.getString("parent_call_sid"),
              row.getString("call_status"), row.getInteger("sequence_number"),
              Rows.instant(row.getOffsetDateTime("twilio_timestamp")), row.getString("answered_by"))));
          return out;
        });
  }

  /** Empty when there is no such callback or it is no longer waiting. */
  /** Moves a callback still waiting for the dialler to {@code at}; empty when there is none, or it is past moving. */
  public Future<Optional<Callback>> move(long businessId, long id, Instant at) {
    return pool.preparedQuery(MOVE).execute(Tuple.of(businessId, id, Rows.timestamp(at)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toCallback(rows.iterator().next())));
  }

  /** @param agentId the agent who cancels it; null for the admin */
  public Future<Optional<Callback>> cancel(long businessId, long id, Long agentId) {
    return pool.preparedQuery(CANCEL).execute(Tuple.of(businessId, id, agentId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toCallback(rows.iterator().next())));
  }

  /**
   * The caller chose when to be called back: the callback Ringback named in the URL ($4) moves
   * there, when it is still waiting and still the one of this call's line and caller, in the
   * webhook's business ($3). A URL without a callback (an older URL a call in progress may hold,
   * or one given on a retried {@code <Dial>} action) moves the caller's waiting callback only
   * while this call is going on. Each call's choice for a callback
   * is applied once (call_choices): the same webhook again, even another day, changes nothing,
   * and says so ({@code chosen_before}).
   */
  static final String RESCHEDULE = """
      WITH target AS (
        SELECT cb.id FROM callbacks cb JOIN calls c ON c.call_sid = $1 AND c.business_id = $3
        WHERE cb.business_id = $3 AND cb.line_id = c.line_id AND cb.customer_phone = c.caller_phone AND cb.state = 'scheduled'
          AND (cb.id = $4 OR $4::bigint IS NULL AND c.ended_at IS NULL)
        FOR UPDATE OF cb),
      chosen AS (
        INSERT INTO call_choices (call_sid, callback_id, choice, made_at) SELECT $1, id, 'time', $5 FROM target
        ON CONFLICT DO NOTHING RETURNING callback_id),
      moved AS (
        UPDATE callbacks cb SET due_at = $2, trigger = 'scheduled', waiting_for = NULL, updated_at = now()
        FROM chosen WHERE cb.id = chosen.callback_id RETURNING cb.id)
      SELECT EXISTS (SELECT 1 FROM moved) AS moved,
             EXISTS (SELECT 1 FROM call_choices ch JOIN callbacks cb ON cb.id = ch.callback_id
                     WHERE ch.call_sid = $1 AND ch.choice = 'time' AND cb.business_id = $3
                       AND ($4::bigint IS NULL OR ch.callback_id = $4)) AS chosen_before""";

  /** What became of a time the caller chose. */
  public enum Rescheduled { MOVED, CHOSEN_BEFORE, NOT_FOUND }

  /**
   * @param callbackId the callback named in the webhook's URL; null for a URL without one
   * @param now when the choice is made
   */
  public Future<Rescheduled> reschedule(long businessId, String callSid, Long callbackId, Instant dueAt, Instant now) {
    return pool.preparedQuery(RESCHEDULE)
        .execute(Tuple.of(callSid, Rows.timestamp(dueAt), businessId, callbackId, Rows.timestamp(now)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return row.getBoolean("moved") ? Rescheduled.MOVED
              : row.getBoolean("chosen_before") ? Rescheduled.CHOSEN_BEFORE : Rescheduled.NOT_FOUND;
        });
  }

  /** The customer asked for a person: the callback waits for an agent instead of ending when the call does. */
  static final String HAND_TO_AGENTS = """
      UPDATE callbacks SET state = 'agent_queue', task_reason = $2, owner = NULL, lease_until = NULL, check_at = NULL,
                           updated_at = now()
      WHERE id = $1 AND state = 'dialing' AND business_id = $3 RETURNING id""";

  /** @param reason why a person is needed, for the agents' queue */
  public Future<Boolean> handToAgents(long businessId, long callbackId, String reason) {
    return pool.preparedQuery(HAND_TO_AGENTS).execute(Tuple.of(callbackId, reason, businessId)).map(rows -> rows.size() > 0);
  }

  /** Only the attempt of the callback named in the webhook's URL, in the webhook's business. */
  static final String MARK_NO_AGENT = """
      UPDATE callback_attempts a SET no_agent = true FROM callbacks cb
      WHERE a.call_sid = $1 AND a.callback_id = $2 AND cb.id = a.callback_id AND cb.business_id = $3""";

  /** The customer answered but no agent took the call: the attempt will not count as connected. */
  public Future<Void> markNoAgent(long businessId, long callbackId, String callSid) {
    return pool.preparedQuery(MARK_NO_AGENT).execute(Tuple.of(callSid, callbackId, businessId)).mapEmpty();
  }

  /** Schedules by hand; lands on the customer's open callback when there is one. */
  public Future<Scheduled> schedule(Trigger trigger) {
    return pool.withTransaction(conn -> schedule(conn, trigger));
  }

  static Callback toCallback(Row row) {
    return new Callback(row.getLong("id"), row.getLong("line_id"), row.getString("customer_phone"), row.getLong("customer_id"),
        trigger(row), row.getString("trigger_call_sid"), Rows.instant(row.getOffsetDateTime("triggered_at")),
        Rows.instant(row.getOffsetDateTime("last_triggered_at")), row.getInteger("trigger_count"),
        Rows.instant(row.getOffsetDateTime("due_at")), row.getInteger("priority"), row.getInteger("attempts"),
        CallbackState.parse(row.getString("state")).orElseThrow(), row.getString("recording_url"), row.getString("outcome"),
        Rows.instant(row.getOffsetDateTime("created_at")), Rows.instant(row.getOffsetDateTime("updated_at")),
        row.getString("waiting_for"), row.getString("task_reason"), row.getString("cancel_cause"), row.getString("cancelled_by_call"),
        row.getString("cancelled_by"), List.of(row.getArrayOfStrings("attempt_outcomes")));
  }

  static Future<Scheduled> schedule(SqlClient client, Trigger t) {
    return client.preparedQuery(UPSERT_OPEN)
        .execute(Tuple.from(new Object[] {t.businessId(), t.lineId(), t.phone(), t.customerId(), t.trigger().value(), t.callSid(),
            Rows.timestamp(t.triggeredAt()), Rows.timestamp(t.dueAt()), t.priority(), t.taskReason()}))
        .map(rows -> scheduled(rows.iterator().next()));
  }

  /** A row of {@link #SCHEDULED_COLUMNS}. */
  static Scheduled scheduled(Row row) {
    return new Scheduled(row.getLong("id"), trigger(row), Rows.instant(row.getOffsetDateTime("due_at")),
        row.getBoolean("created"), row.getString("line"), row.getString("business"));
  }

  static Future<Optional<Cancelled>> cancelScheduled(SqlClient client, long lineId, String phone, String callSid) {
    return client.preparedQuery(CANCEL_SCHEDULED).execute(Tuple.of(lineId, phone, callSid))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(cancelled(rows.iterator().next())));
  }

  /** A row with the callback's id, trigger, line and business. */
  static Cancelled cancelled(Row row) {
    return new Cancelled(row.getLong("id"), trigger(row), row.getString("line"), row.getString("business"));
  }

  /** The callback's {@code trigger} column. */
  static CallbackTrigger trigger(Row row) {
    return CallbackTrigger.parse(row.getString("trigger")).orElseThrow();
  }

  private static String wordOf(CallbackState state) {
    return state == null ? null : state.value();
  }

  private static String wordOf(CallbackTrigger trigger) {
    return trigger == null ? null : trigger.value();
  }

  /** Keeps the voicemail with the call and with the callback it was promised ({@link #ATTACH_RECORDING}). */
  static Future<Boolean> attachRecording(SqlClient client, long businessId, String callSid, Long callbackId, String recordingUrl) {
    return client.preparedQuery(SET_CALL_RECORDING).execute(Tuple.of(callSid, recordingUrl, businessId))
        .compose(v -> client.preparedQuery(ATTACH_RECORDING).execute(Tuple.of(callSid, recordingUrl, businessId, callbackId)))
        .map(rows -> rows.size() > 0);
  }
}
