package dev.ringback.store;

import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallStatus;
import dev.ringback.domain.CallbackState;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.DialPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The agent queue: callbacks that need a person. One agent holds a task at a time, for a
 * lease; an expired lease returns it to the queue. Best first: priority (VIP, orders, missed
 * calls), then age.
 */
public final class TaskStore {
  /** The agent a score is about: the registered agent's name ({@code agent_name}), else the phone's number. */
  private static final String FEEDBACK_AGENT = Rows.agentName("f.business_id", "f.agent_contact");
  private static final String COLUMNS = "cb.id, cb.line_id, " + Rows.lineSlug("cb.line_id") + """
      , cb.customer_phone,
      (SELECT c.name FROM customers c WHERE c.business_id = cb.business_id AND c.phone = cb.customer_phone) AS customer_name,
      (SELECT c.tier FROM customers c WHERE c.business_id = cb.business_id AND c.phone = cb.customer_phone) AS customer_tier,
      cb.trigger, cb.task_reason, cb.triggered_at, cb.last_triggered_at, cb.trigger_count, cb.priority, cb.attempts,
      cb.recording_url, cb.state, cb.outcome, cb.due_at, cb.created_at, cb.for_role,
      (SELECT jsonb_build_object('score', f.score, 'channel', f.channel, 'answered_at', f.answered_at, 'call_sid', f.call_sid,
                                 'callback_id', f.callback_id,
                                 'agent', COALESCE(%1$s, f.agent_contact), 'agent_name', %1$s)
       FROM feedback f WHERE f.recovery_callback_id = cb.id ORDER BY f.answered_at DESC LIMIT 1) AS feedback,
      (SELECT jsonb_build_object('body', r.body, 'received_at', r.received_at)
       FROM text_replies r WHERE r.callback_id = cb.id ORDER BY r.received_at DESC LIMIT 1) AS text,
      CASE WHEN cb.task_lease_until > $2 THEN cb.task_agent_id END AS holder,
      CASE WHEN cb.task_lease_until > $2 THEN cb.task_lease_until END AS lease_until""".formatted(FEEDBACK_AGENT);
  /** A lease that ran out counts as no lease: the task is back in the queue. */
  private static final String FREE = "(cb.task_agent_id IS NULL OR cb.task_lease_until <= $2)";
  /** Lines the agent serves, and tasks meant for their role (service recovery for supervisors). */
  private static final String AGENT_LINES = "cb.line_id IN (SELECT line_id FROM agent_lines WHERE agent_id = $3)"
      + " AND (cb.for_role IS NULL OR cb.for_role = (SELECT role FROM agents WHERE id = $3))";
  /** The holder still serves the task's line: an agent moved off it keeps only the right to give it back. */
  private static final String HOLDER_SERVES = "cb.line_id IN (SELECT line_id FROM agent_lines WHERE agent_id = cb.task_agent_id)";

  static final String LIST = "SELECT " + COLUMNS
      + "\nFROM callbacks cb WHERE cb.business_id = $1 AND cb.state = 'agent_queue' AND ($3::bigint IS NULL OR " + AGENT_LINES + ")"
      + "\nORDER BY cb.priority DESC, cb.created_at, cb.id LIMIT $4";
  static final String FIND = "SELECT " + COLUMNS + " FROM callbacks cb WHERE cb.business_id = $1 AND cb.id = $3";
  static final String CLAIM_NEXT = """
      UPDATE callbacks cb SET task_agent_id = $3, task_lease_until = $2 + make_interval(secs => $4), task_call_counted = false,
                              task_claimed_at = $2,
                              updated_at = now()
      WHERE cb.id = (SELECT cb.id FROM callbacks cb WHERE cb.business_id = $1 AND cb.state = 'agent_queue' AND\s""" + FREE
      + " AND " + AGENT_LINES + """

                     ORDER BY cb.priority DESC, cb.created_at, cb.id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING\s""" + COLUMNS;
  /**
   * The chosen task, when it is free or already this agent's (who keeps the time they took it,
   * and what their hold counted); a held task stays with its holder.
   */
  static final String CLAIM = """
      UPDATE callbacks cb SET task_agent_id = $3, task_lease_until = $2 + make_interval(secs => $4),
                              task_call_counted = CASE WHEN cb.task_agent_id = $3 AND cb.task_lease_until > $2 THEN cb.task_call_counted
                                                       ELSE false END,
                              task_claimed_at = CASE WHEN cb.task_agent_id = $3 AND cb.task_lease_until > $2 THEN cb.task_claimed_at
                                                     ELSE $2 END,
                              updated_at = now()
      WHERE cb.business_id = $1 AND cb.id = $5 AND cb.state = 'agent_queue' AND\s""" + AGENT_LINES + """
       AND (""" + FREE + " OR cb.task_agent_id = $3)\nRETURNING " + COLUMNS;
  static final String RENEW = """
      UPDATE callbacks cb SET task_lease_until = $2 + make_interval(secs => $4), updated_at = now()
      WHERE cb.business_id = $1 AND cb.id = $5 AND cb.state = 'agent_queue' AND cb.task_agent_id = $3 AND cb.task_lease_until > $2
        AND\s""" + HOLDER_SERVES + "\nRETURNING " + COLUMNS;
  static final String RELEASE = """
      UPDATE callbacks cb SET task_agent_id = NULL, task_lease_until = NULL, task_call_counted = false, task_claimed_at = NULL,
                              updated_at = now()
      WHERE cb.business_id = $1 AND cb.id = $3 AND cb.state = 'agent_queue' AND cb.task_agent_id = $4 AND cb.task_lease_until > $2
      RETURNING\s""" + COLUMNS;
  /** Done, with the agent's outcome, and the note in the customer's file; in one statement. */
  static final String COMPLETE = """
      WITH done AS (
        UPDATE callbacks cb SET state = 'done', outcome = $5, completed_by = $4, completed_at = $2, task_lease_until = NULL,
                                task_call_counted = false,
                                updated_at = now()
        WHERE cb.business_id = $1 AND cb.id = $3 AND cb.state = 'agent_queue' AND cb.task_agent_id = $4 AND cb.task_lease_until > $2
          AND\s""" + HOLDER_SERVES + """

        RETURNING cb.id, cb.business_id, cb.customer_phone, cb.trigger, cb.line_id, cb.task_claimed_at),
      noted AS (
        INSERT INTO customer_notes (business_id, customer_phone, agent_id, callback_id, outcome, note)
        SELECT business_id, customer_phone, $4, id, $5, $6::text FROM done WHERE $6::text IS NOT NULL),
      counted AS (
        INSERT INTO task_completions (business_id, agent_id, callback_id, outcome, claimed_at, completed_at)
        SELECT business_id, $4, id, $5, task_claimed_at, $2 FROM done)
      SELECT done.id, done.trigger,\s""" + Rows.lineSlug("done.line_id") + " FROM done";
  /**
   * The task the agent holds, locked while its next try is decided: its attempts, and whether a
   * click-to-connect call placed during this hold already counted as one of them.
   */
  static final String HELD_FOR_RETRY = """
      SELECT cb.id, cb.trigger, cb.attempts, cb.task_reason, cb.task_call_counted,\s""" + Rows.lineSlug("cb.line_id") + """

      FROM callbacks cb
      WHERE cb.business_id = $1 AND cb.id = $3 AND cb.state = 'agent_queue' AND cb.task_agent_id = $4 AND cb.task_lease_until > $2
        AND\s""" + HOLDER_SERVES + "\nFOR UPDATE";
  /**
   * Nobody answered the agent $3: the callback $2 goes back to the dialler ($4 'scheduled', due $6,
   * a new round of agents for an agent-first line) or ends ($4 'expired', outcome $5, by the
   * agent), its attempts counting the agent's call ($7); the note $8 goes into the customer's file.
   */
  static final String RETRY = """
      WITH retried AS (
        UPDATE callbacks cb SET state = $4, outcome = $5, due_at = COALESCE($6, cb.due_at), attempts = $7,
                                completed_by = CASE WHEN $4 = 'scheduled' THEN NULL ELSE $3::bigint END,
                                task_reason = CASE WHEN $4 = 'scheduled' THEN NULL ELSE cb.task_reason END,
                                tried_agents = CASE WHEN $4 = 'scheduled' THEN '{}' ELSE cb.tried_agents END,
                                task_agent_id = NULL, task_lease_until = NULL, task_call_counted = false, updated_at = now()
        WHERE cb.business_id = $1 AND cb.id = $2
        RETURNING cb.id, cb.business_id, cb.customer_phone, cb.task_claimed_at),
      counted AS (
        INSERT INTO task_completions (business_id, agent_id, callback_id, outcome, claimed_at, completed_at)
        SELECT business_id, $3, id, 'no_answer', task_claimed_at, $9 FROM retried)
      INSERT INTO customer_notes (business_id, customer_phone, agent_id, callback_id, outcome, note)
      SELECT business_id, customer_phone, $3, id, 'no_answer', $8::text FROM retried WHERE $8::text IS NOT NULL""";
  static final String CREATE = """
      INSERT INTO callbacks (business_id, line_id, customer_phone, customer_id, trigger, triggered_at, last_triggered_at, due_at,
                             priority, state, task_reason)
      VALUES ($1, $2, $3, (SELECT id FROM customers WHERE business_id = $1 AND phone = $3), 'manual', $4, $4, $4, $5,
              'agent_queue', 'by_hand')
      """ + CallbackStore.MERGE_INTO_OPEN + """

      RETURNING\s""" + CallbackStore.SCHEDULED_COLUMNS;

  /** The tasks an agent completed between $3 and $4: how many, how many reached the customer, and the average from claim to completion. */
  static final String AGENT_DAY = """
      SELECT count(*) AS completed, count(*) FILTER (WHERE outcome = 'reached') AS reached,
             avg(EXTRACT(EPOCH FROM (completed_at - claimed_at))) FILTER (WHERE claimed_at IS NOT NULL) AS handling_seconds
      FROM task_completions WHERE business_id = $1 AND agent_id = $2 AND completed_at >= $3 AND completed_at < $4""";

  /**
   * An agent's click-to-connect call ($5) is one more attempt of the callback, started once
   * whichever comes first: the call placed, or the agent's answer ($6 true), which dials the
   * customer and is recorded as the agent's acceptance. The same webhook again finds the attempt
   * it started.
   */
  static final String START_ATTEMPT = """
      WITH held AS (
        SELECT cb.id FROM callbacks cb
        WHERE cb.business_id = $1 AND cb.id = $3 AND cb.state = 'agent_queue' AND cb.task_agent_id = $4 AND cb.task_lease_until > $2
        FOR UPDATE),
      seen AS (SELECT a.id FROM callback_attempts a JOIN held ON held.id = a.callback_id WHERE a.agent_call_sid = $5),
      accepted AS (
        UPDATE callback_attempts a SET agent_accepted_at = $2
        FROM seen WHERE a.id = seen.id AND $6 AND a.agent_accepted_at IS NULL AND a.ended_at IS NULL),
      counted AS (
        UPDATE callbacks cb SET attempts = cb.attempts + 1, task_call_counted = true, updated_at = now()
        FROM held WHERE cb.id = held.id AND NOT EXISTS (SELECT 1 FROM seen)
        RETURNING cb.id, cb.attempts),
      started AS (
        INSERT INTO callback_attempts (callback_id, attempt, started_at, agent_call_sid, agent_contact, agent_accepted_at)
        SELECT id, attempts, $2, $5, (SELECT contact FROM agents WHERE id = $4), CASE WHEN $6 THEN $2::timestamptz END FROM counted
        RETURNING id)
      SELECT id FROM started UNION ALL SELECT id FROM seen""";

  /** The task's latest call through an agent's phone, with each status its two legs reported and its time (Twilio's, else when it came). */
  static final String LATEST_AGENT_CALL = """
      SELECT a.attempt, a.started_at, a.agent_call_sid, a.call_sid, a.ended_at, a.outcome,
             %s AS agent_name,
             (SELECT jsonb_object_agg(e.call_status, COALESCE(e.twilio_timestamp, e.received_at)) FROM call_events e
              WHERE e.business_id = cb.business_id AND e.call_sid = a.agent_call_sid) AS agent_leg,
             (SELECT jsonb_object_agg(e.call_status, COALESCE(e.twilio_timestamp, e.received_at)) FROM call_events e
              WHERE e.business_id = cb.business_id AND (e.parent_call_sid = a.agent_call_sid OR e.call_sid = a.call_sid)) AS customer_leg
      FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id
      WHERE cb.business_id = $1 AND cb.id = $2 AND a.agent_call_sid IS NOT NULL
      ORDER BY a.id DESC LIMIT 1""".formatted(Rows.agentName("cb.business_id", "a.agent_contact"));

  /**
   * A call through an agent's phone (click to connect): the agent's call, then the customer's leg.
   *
   * @param agentName the agent's name, null when the phone is no registered agent's
   * @param customerCallSid the customer's leg, once it reported
   * @param outcome how the attempt ended ({@code agent_not_accepted} when the customer was never dialled), null while it goes on
   * @param agentLeg each status the agent's call reported, with its time
   * @param customerLeg each status the customer's leg reported, with its time
   */
  public record AgentCall(int attempt, String agentName, String agentCallSid, String customerCallSid, Instant startedAt,
                          Instant endedAt, AttemptOutcome outcome, Map<CallStatus, Instant> agentLeg,
                          Map<CallStatus, Instant> customerLeg) {}

  /**
   * A task as the agents see it.
   *
   * @param holder the agent holding it now, or null when it is free
   * @param dueAt when the dialler tries the callback (again); meaningful while it is scheduled
   * @param forRole only agents of this role may take it (null: any agent of the line)
   * @param feedback for a service-recovery task, the poor score that created it
   */
  public record Task(long id, String line, String phone, String customerName, String customerTier, CallbackTrigger trigger,
                     String reason,
                     Instant triggeredAt, Instant lastTriggeredAt, int triggerCount, int priority, int attempts, String recordingUrl,
                     CallbackState state, String outcome, Instant dueAt, Instant createdAt, Long holder, Instant leaseUntil,
                     String forRole, JsonObject feedback, JsonObject text) {}

  /**
   * What an agent completed within a span of time.
   *
   * @param reached of them, those whose outcome was that the customer was reached
   * @param averageHandlingSeconds from claiming a task to completing it, on average; null when none was completed
   */
  public record AgentWork(long completed, long reached, Double averageHandlingSeconds) {}

  /** A completed task, for the metrics. */
  public record Completed(long id, CallbackTrigger trigger, String line, String business) {}

  /** A task whose customer did not answer the agent, why it was in the queue, and what became of its callback. */
  public record Retried(Completed task, String reason, DialPolicy.AfterAttempt next) {}

  private final Pool pool;

  public TaskStore(Pool pool) {
    this.pool = pool;
  }

  /** @param agentId only the tasks of this agent's lines; null for every line */
  public Future<List<Task>> list(long businessId, Instant now, Long agentId, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(businessId, Rows.timestamp(now), agentId, limit)).map(TaskStore::tasks);
  }

  public Future<Optional<Task>> find(long businessId, Instant now, long id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(businessId, Rows.timestamp(now), id)).map(TaskStore::first);
  }

  public Future<Optional<Task>> claimNext(long businessId, Instant now, long agentId, int leaseSeconds) {
    return pool.preparedQuery(CLAIM_NEXT).execute(Tuple.of(businessId, Rows.timestamp(now), agentId, (double) leaseSeconds))
        .map(TaskStore::first);
  }

  /** Empty when the task is not free for this agent (held by another, not in the queue, not one of their lines). */
  public Future<Optional<Task>> claim(long businessId, Instant now, long agentId, int leaseSeconds, long id) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(businessId, Rows.timestamp(now), agentId, (double) leaseSeconds, id))
        .map(TaskStore::first);
  }

  public Future<Optional<Task>> renew(long businessId, Instant now, long agentId, int leaseSeconds, long id) {
    return pool.preparedQuery(RENEW).execute(Tuple.of(businessId, Rows.timestamp(now), agentId, (double) leaseSeconds, id))
        .map(TaskStore::first);
  }

  public Future<Optional<Task>> release(long businessId, Instant now, long agentId, long id) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(businessId, Rows.timestamp(now), id, agentId)).map(TaskStore::first);
  }

  public Future<Optional<Completed>> complete(long businessId, Instant now, long agentId, long id, String outcome, String note) {
    return pool.preparedQuery(COMPLETE).execute(Tuple.of(businessId, Rows.timestamp(now), id, agentId, outcome, note))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new Completed(rows.iterator().next().getLong("id"),
            CallbackStore.trigger(rows.iterator().next()), rows.iterator().next().getString("line"),
            rows.iterator().next().getString("business"))));
  }

  /**
   * Nobody answered the agent holding the task: {@code next} decides, from the callback's attempts
   * with the agent's call counted once, whether it goes back to the dialler or ends; in one
   * transaction with the note. Empty when the agent does not hold the task.
   */
  public Future<Optional<Retried>> noAnswer(long businessId, Instant now, long agentId, long id, String note,
                                            IntFunction<DialPolicy.AfterAttempt> next) {
    return pool.withTransaction(conn -> conn.preparedQuery(HELD_FOR_RETRY).execute(Tuple.of(businessId, Rows.timestamp(now), id, agentId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Retried>empty());
          }
          Row row = rows.iterator().next();
          int attempts = row.getInteger("attempts") + (row.getBoolean("task_call_counted") ? 0 : 1);
          DialPolicy.AfterAttempt after = next.apply(attempts);
          Completed task = new Completed(id, CallbackStore.trigger(row), row.getString("line"), row.getString("business"));
          return conn.preparedQuery(RETRY).execute(Tuple.from(new Object[] {businessId, id, agentId, after.state().value(),
                  after.outcome() == null ? null : after.outcome().value(), Rows.timestamp(after.dueAt()), attempts, note,
                  Rows.timestamp(now)}))
              .map(v -> Optional.of(new Retried(task, row.getString("task_reason"), after)));
        }));
  }

  /**
   * @param answered whether the agent answered (the customer is dialled now), rather than the call was only placed
   * @return whether the agent still holds the task and an attempt was started for this agent call, now or before
   */
  public Future<Boolean> startAttempt(long businessId, Instant now, long agentId, long id, String agentCallSid, boolean answered) {
    return pool.preparedQuery(START_ATTEMPT).execute(Tuple.of(businessId, Rows.timestamp(now), id, agentId, agentCallSid, answered))
        .map(rows -> rows.size() > 0)
        // The same webhook twice at once: the other copy started it.
        .recover(e -> Rows.isUniqueViolation(e) ? Future.succeededFuture(true) : Future.failedFuture(e));
  }

  /** The tasks the agent completed from {@code from} until {@code until}. */
  public Future<AgentWork> agentWork(long businessId, long agentId, Instant from, Instant until) {
    return pool.preparedQuery(AGENT_DAY).execute(Tuple.of(businessId, agentId, Rows.timestamp(from), Rows.timestamp(until)))
        .map(rows -> {
          Row row = rows.iterator().next();
          Object average = row.getValue("handling_seconds");
          return new AgentWork(row.getLong("completed"), row.getLong("reached"),
              average == null ? null : ((Number) average).doubleValue());
        });
  }

  /** The task's latest call through an agent's phone, if it had one. */
  public Future<Optional<AgentCall>> latestAgentCall(long businessId, long id) {
    return pool.preparedQuery(LATEST_AGENT_CALL).execute(Tuple.of(businessId, id)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new AgentCall(row.getInteger("attempt"), row.getString("agent_name"), row.getString("agent_call_sid"),
          row.getString("call_sid"), Rows.instant(row.getOffsetDateTime("started_at")), Rows.instant(row.getOffsetDateTime("ended_at")),
          AttemptOutcome.parse(row.getString("outcome")).orElse(null), leg(row.getValue("agent_leg")),
          leg(row.getValue("customer_leg"))));
    });
  }

  private static Map<CallStatus, Instant> leg(Object events) {
    Map<CallStatus, Instant> leg = new EnumMap<>(CallStatus.class);
    JsonObject byStatus = Rows.json(events);
    if (byStatus != null) {
      byStatus.forEach(e -> CallStatus.parse(e.getKey())
          .ifPresent(status -> leg.put(status, OffsetDateTime.parse((String) e.getValue()).toInstant())));
    }
    return leg;
  }

  /** A task by hand; an open callback for the same line and phone becomes the task instead. */
  public Future<CallbackStore.Scheduled> create(long businessId, long lineKey, String phone, Instant now, int priority) {
    return pool.preparedQuery(CREATE).execute(Tuple.of(businessId, lineKey, phone, Rows.timestamp(now), priority))
        .map(rows -> CallbackStore.scheduled(rows.iterator().next()));
  }

  private static Optional<Task> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(task(rows.iterator().next()));
  }

  private static List<Task> tasks(RowSet<Row> rows) {
    List<Task> out = new ArrayList<>();
    rows.forEach(row -> out.add(task(row)));
    return out;
  }

  private static Task task(Row row) {
    return new Task(row.getLong("id"), row.getString("line"), row.getString("customer_phone"), row.getString("customer_name"),
        row.getString("customer_tier"), CallbackStore.trigger(row), row.getString("task_reason"),
        Rows.instant(row.getOffsetDateTime("triggered_at")), Rows.instant(row.getOffsetDateTime("last_triggered_at")),
        row.getInteger("trigger_count"), row.getInteger("priority"), row.getInteger("attempts"), row.getString("recording_url"),
        CallbackState.parse(row.getString("state")).orElseThrow(), row.getString("outcome"), Rows.instant(row.getOffsetDateTime("due_at")),
        Rows.instant(row.getOffsetDateTime("created_at")), row.getLong("holder"),
        Rows.instant(row.getOffsetDateTime("lease_until")), row.getString("for_role"), Rows.json(row.getValue("feedback")),
        Rows.json(row.getValue("text")));
  }
}
