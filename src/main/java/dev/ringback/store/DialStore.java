package dev.ringback.store;

import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallbackState;
import dev.ringback.domain.CallbackTrigger;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dialler's side of the callback queue: claiming due work with a lease, pacing calls for
 * the whole deployment, and recording what each request to the network did.
 */
public final class DialStore {
  /**
   * Due work, best first, with an attempt row started for each, in one statement; SKIP LOCKED
   * lets any number of instances claim side by side.
   */
  static final String CLAIM_DUE = """
      WITH claimed AS (
        UPDATE callbacks cb SET state = 'dialing', owner = $1, lease_until = $2 + make_interval(secs => $3),
                                check_at = NULL, waiting_for = NULL, attempts = cb.attempts + 1, updated_at = now()
        WHERE cb.id IN (SELECT id FROM callbacks c WHERE state = 'scheduled' AND due_at <= $2
                          AND NOT\s""" + Rows.doNotCallListed("c.business_id", "c.customer_phone") + """
                          AND NOT c.business_id = ANY($5)
                        ORDER BY priority DESC, due_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING cb.id, cb.business_id, cb.line_id, cb.customer_phone, cb.trigger, cb.triggered_at, cb.attempts, cb.error_streak,
                  cb.tried_agents,
                  (SELECT c.time_zone FROM customers c WHERE c.business_id = cb.business_id AND c.phone = cb.customer_phone)
                    AS customer_zone),
      started AS (
        INSERT INTO callback_attempts (callback_id, attempt, started_at)
        SELECT id, attempts, $2 FROM claimed
        RETURNING id AS attempt_id, callback_id)
      SELECT c.*, s.attempt_id FROM claimed c JOIN started s ON s.callback_id = c.id""";
  /** Due callbacks to numbers on the do-not-call list (listed after they were scheduled) are cancelled, never dialled. */
  static final String CANCEL_DO_NOT_CALL = """
      UPDATE callbacks cb SET state = 'cancelled', outcome = 'cancelled', waiting_for = 'do_not_call', cancel_cause = 'do_not_call',
                          updated_at = now()
      WHERE cb.state = 'scheduled' AND cb.due_at <= $1
        AND\s""" + Rows.doNotCallListed("cb.business_id", "cb.customer_phone") + """
      RETURNING cb.id, cb.trigger,\s""" + Rows.lineSlug("cb.line_id");

  /** @return the callbacks cancelled */
  public Future<List<CallbackStore.Cancelled>> cancelDoNotCall(Instant now) {
    return pool.preparedQuery(CANCEL_DO_NOT_CALL).execute(Tuple.of(Rows.timestamp(now))).map(rows -> {
      List<CallbackStore.Cancelled> out = new ArrayList<>();
      rows.forEach(row -> out.add(CallbackStore.cancelled(row)));
      return out;
    });
  }

  /** Work whose instance vanished while placing a call: the call may exist, so it is looked up first. */
  static final String CLAIM_EXPIRED = """
      UPDATE callbacks cb SET owner = $1, lease_until = $2 + make_interval(secs => $3), needs_reconcile = true, updated_at = now()
      WHERE cb.id IN (SELECT id FROM callbacks WHERE state = 'dialing' AND lease_until < $2
                      ORDER BY lease_until LIMIT $4 FOR UPDATE SKIP LOCKED)
      RETURNING cb.id, cb.business_id, cb.line_id, cb.customer_phone,
                (SELECT max(a.id) FROM callback_attempts a WHERE a.callback_id = cb.id) AS attempt_id,
                (SELECT a.agent_contact FROM callback_attempts a WHERE a.callback_id = cb.id ORDER BY a.id DESC LIMIT 1) AS agent,
                (SELECT min(a.started_at) FROM callback_attempts a WHERE a.callback_id = cb.id AND a.call_sid IS NULL
                   AND a.outcome IS DISTINCT FROM 'api_error') AS since""";
  /** One row for the deployment: each caller takes the next free slot, 1/cps apart (the default business's account). */
  static final String NEXT_SLOT = """
      UPDATE dial_pacing SET next_slot = GREATEST(next_slot, $1) + make_interval(secs => $2)
      WHERE id = 1 RETURNING next_slot - make_interval(secs => $2) AS slot""";
  /** The same for another business: one row per business, as each has a Twilio account and a limit of its own. */
  static final String NEXT_BUSINESS_SLOT = """
      INSERT INTO business_pacing AS p (business_id, next_slot) VALUES ($3, $1 + make_interval(secs => $2))
      ON CONFLICT (business_id) DO UPDATE SET next_slot = GREATEST(p.next_slot, $1) + make_interval(secs => $2)
      RETURNING next_slot - make_interval(secs => $2) AS slot""";
  /**
   * Calls placed by one instance, in one statement (arrays of callback, attempt, CallSid and time):
   * each attempt gets its CallSid, each callback lets go of its lease and is looked up at
   * {@code check_at} if its call has not reported its end by then.
   */
  static final String PLACED = """
      WITH placed AS (
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::timestamptz[])
          AS p(callback_id, attempt_id, call_sid, placed_at)),
      attempts AS (
        UPDATE callback_attempts a SET call_sid = p.call_sid, placed_at = p.placed_at FROM placed p WHERE a.id = p.attempt_id)
      UPDATE callbacks cb SET lease_until = NULL, needs_reconcile = false, error_streak = 0,
                              check_at = p.placed_at + make_interval(secs => $5), updated_at = now()
      FROM placed p WHERE cb.id = p.callback_id AND cb.owner = $6""";
  /**
   * Placed calls that have not reported their end in time; claimed by pushing their next check
   * forward, so each is looked up by one instance at a time.
   */
  static final String CLAIM_UNFINISHED = """
      WITH claimed AS (
        UPDATE callbacks cb SET check_at = $1 + make_interval(secs => $2)
        WHERE cb.id IN (SELECT id FROM callbacks WHERE state = 'dialing' AND lease_until IS NULL AND check_at <= $1
                        ORDER BY check_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING cb.id, cb.business_id)
      SELECT c.id, c.business_id, latest.call_sid, latest.agent_leg FROM claimed c
      LEFT JOIN LATERAL (SELECT COALESCE(a.call_sid, a.agent_call_sid) AS call_sid,
                                a.call_sid IS NULL AND a.agent_call_sid IS NOT NULL AS agent_leg
                         FROM callback_attempts a WHERE a.callback_id = c.id AND a.ended_at IS NULL
                         ORDER BY a.id DESC LIMIT 1) latest ON true""";

  static final String ATTEMPT_ERROR = "UPDATE callback_attempts SET outcome = $2, error_code = $3, error_message = $4, ended_at = $5 WHERE id = $1";
  static final String CALLBACK_FAILED = """
      UPDATE callbacks SET state = 'failed', outcome = 'failed', error_code = $3, error_message = $4,
                           lease_until = NULL, needs_reconcile = false, updated_at = now()
      WHERE id = $1 AND owner = $2""";
  /**
   * The claim undone: the callback is back in the queue, and the attempt the claim counted does
   * not count. Relative to the row's own count, in the statement guarded by its owner.
   */
  private static final String CLAIM_UNDONE = "state = 'scheduled', owner = NULL, lease_until = NULL, attempts = attempts - 1";
  /** A request that created nothing does not use up one of the customer's attempts. */
  static final String CALLBACK_RETRY_LATER = "UPDATE callbacks SET " + CLAIM_UNDONE + """
      , needs_reconcile = false, error_streak = error_streak + 1, due_at = $3,
                           error_code = $4, error_message = $5, updated_at = now()
      WHERE id = $1 AND owner = $2""";
  /** Shutting down before the call was placed: the work goes back to the queue as it was, attempt and all. */
  static final String HAND_BACK = """
      WITH released AS (
        UPDATE callbacks SET\s""" + CLAIM_UNDONE + """
      , updated_at = now()
        WHERE id = $1 AND owner = $2 AND state = 'dialing' RETURNING id)
      DELETE FROM callback_attempts WHERE id = $3 AND call_sid IS NULL AND callback_id IN (SELECT id FROM released)""";
  /** A cleared lease means the call was already found placed (by reconciliation): a late timeout changes nothing. */
  static final String CALLBACK_AMBIGUOUS = """
      UPDATE callbacks SET needs_reconcile = true, error_code = $3, error_message = $4, updated_at = now()
      WHERE id = $1 AND owner = $2 AND state = 'dialing' AND lease_until IS NOT NULL""";

  /** Open work by business and state, and how much of the scheduled work is already due; partial indexes keep it cheap. */
  static final String QUEUE = """
      SELECT business_id, state, count(*) AS n, count(*) FILTER (WHERE state = 'scheduled' AND due_at <= $1) AS due,
             min(due_at) FILTER (WHERE state = 'scheduled' AND due_at <= $1) AS oldest_due
      FROM callbacks WHERE state IN\s""" + CallbackStore.OPEN_STATES + " GROUP BY business_id, state";

  /**
   * Open work by state's word ({@link #DUE}: scheduled work whose time has come), and how long the
   * oldest due callback has waited.
   */
  public record Queue(Map<String, Long> counts, Duration oldestDue) {
    public static final String DUE = "due";
    /** A business with no open work. */
    public static final Queue EMPTY = new Queue(Map.of(CallbackState.SCHEDULED.value(), 0L, DUE, 0L,
        CallbackState.DIALING.value(), 0L, CallbackState.AGENT_QUEUE.value(), 0L), Duration.ZERO);
  }

  /** Each business's queue (by its key); a business with no open work is not in the map. */
  public Future<Map<Long, Queue>> queue(Instant now) {
    return pool.preparedQuery(QUEUE).execute(Tuple.of(Rows.timestamp(now))).map(rows -> {
      Map<Long, Map<String, Long>> counts = new HashMap<>();
      Map<Long, Duration> oldest = new HashMap<>();
      for (Row row : rows) {
        long business = row.getLong("business_id");
        Map<String, Long> of = counts.computeIfAbsent(business, b -> new HashMap<>(Queue.EMPTY.counts()));
        of.put(row.getString("state"), row.getLong("n"));
        of.merge(Queue.DUE, row.getLong("due"), Long::sum);
        if (row.getOffsetDateTime("oldest_due") != null) {
          oldest.put(business, Duration.between(Rows.instant(row.getOffsetDateTime("oldest_due")), now));
        }
      }
      Map<Long, Queue> out = new HashMap<>();
      counts.forEach((business, of) -> out.put(business, new Queue(of, oldest.getOrDefault(business, Duration.ZERO))));
      return out;
    });
  }

  /** A claimed callback, ready to dial. */
  /**
   * @param customerZone the customer's own time zone, when their record has one
   * @param triedAgents the agents an agent-first call already rang for this callback
   */
  public record Claimed(long id, long businessId, long lineId, String phone, CallbackTrigger trigger, Instant triggeredAt, int attempt, long attemptId,
                        int errorStreak, String customerZone, List<String> triedAgents) {}

  /**
   * A callback whose call may or may not exist: look it up before anything else.
   *
   * @param agent the agent an agent-first attempt was calling (its call is the one to look for), else null
   */
  public record Unsettled(long id, long businessId, long lineId, String phone, Long attemptId, Instant since, String agent) {}

  private final Pool pool;

  public DialStore(Pool pool) {
    this.pool = pool;
  }

  /** @param heldBack none of the callbacks of these businesses (those whose telephony takes no requests now) */
  public Future<List<Claimed>> claimDue(String owner, Instant now, int leaseSeconds, int limit, List<Long> heldBack) {
    return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(owner, Rows.timestamp(now), (double) leaseSeconds, limit,
            heldBack.toArray(new Long[0])))
        .map(rows -> {
          List<Claimed> claimed = new ArrayList<>();
          for (Row row : rows) {
            claimed.add(new Claimed(row.getLong("id"), row.getLong("business_id"), row.getLong("line_id"), row.getString("customer_phone"),
                CallbackStore.trigger(row), Rows.instant(row.getOffsetDateTime("triggered_at")), row.getInteger("attempts"),
                row.getLong("attempt_id"), row.getInteger("error_streak"), row.getString("customer_zone"),
                List.of(row.getArrayOfStrings("tried_agents"))));
          }
          return claimed;
        });
  }

  /** The earliest scheduled callback not yet due: one step down the partial index callbacks_open_state. */
  static final String NEXT_DUE = "SELECT min(due_at) AS next_due FROM callbacks WHERE state = 'scheduled' AND due_at > $1";

  /** When the next scheduled callback becomes due, if any is waiting. */
  public Future<Optional<Instant>> nextDue(Instant now) {
    return pool.preparedQuery(NEXT_DUE).execute(Tuple.of(Rows.timestamp(now))).map(rows -> {
      OffsetDateTime next = rows.iterator().next().getOffsetDateTime("next_due");
      return Optional.ofNullable(next).map(Rows::instant);
    });
  }

  public Future<List<Unsettled>> claimExpired(String owner, Instant now, int leaseSeconds, int limit) {
    return pool.preparedQuery(CLAIM_EXPIRED).execute(Tuple.of(owner, Rows.timestamp(now), (double) leaseSeconds, limit))
        .map(DialStore::unsettled);
  }

  private static List<Unsettled> unsettled(RowSet<Row> rows) {
    List<Unsettled> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(new Unsettled(row.getLong("id"), row.getLong("business_id"), row.getLong("line_id"), row.getString("customer_phone"), row.getLong("attempt_id"),
          Rows.instant(row.getOffsetDateTime("since")), row.getString("agent")));
    }
    return out;
  }

  /** The instant this caller may place its call; with {@code callsPerSecond} 0 there is no limit. */
  public Future<Instant> nextSlot(Instant now, int callsPerSecond) {
    if (callsPerSecond <= 0) {
      return Future.succeededFuture(now);
    }
    return pool.preparedQuery(NEXT_SLOT).execute(Tuple.of(Rows.timestamp(now), 1.0 / callsPerSecond))
        .map(rows -> Rows.instant(rows.iterator().next().getOffsetDateTime("slot")));
  }

  /**
   * The instant a call of this business may be placed, paced to its own calls-per-second
   * across every instance; the default business keeps the deployment's single row.
   */
  public Future<Instant> nextSlot(long businessId, boolean defaultBusiness, Instant now, int callsPerSecond) {
    if (defaultBusiness || callsPerSecond <= 0) {
      return nextSlot(now, callsPerSecond);
    }
    return pool.preparedQuery(NEXT_BUSINESS_SLOT).execute(Tuple.of(Rows.timestamp(now), 1.0 / callsPerSecond, businessId))
        .map(rows -> Rows.instant(rows.iterator().next().getOffsetDateTime("slot")));
  }

  /** A call the network accepted for a claimed callback. */
  public record Placement(long callbackId, long attemptId, String callSid, Instant at) {}

  /**
   * Records calls placed by the instance {@code owner}: their CallSids, and their leases released.
   *
   * @param checkAfterSeconds when to look a call up if its end has not been reported by then
   */
  private Future<Void> placed(List<Placement> placements, String owner, int checkAfterSeconds) {
    int n = placements.size();
    Long[] callbacks = new Long[n];
    Long[] attempts = new Long[n];
    String[] callSids = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Placement p = placements.get(i);
      callbacks[i] = p.callbackId();
      attempts[i] = p.attemptId();
      callSids[i] = p.callSid();
      times[i] = Rows.timestamp(p.at());
    }
    return pool.preparedQuery(PLACED)
        .execute(Tuple.of(callbacks, attempts, callSids, times, (double) checkAfterSeconds, owner)).mapEmpty();
  }

  private record PlacedBy(DialStore store, String owner, int checkAfterSeconds) {}

  /**
   * One call placed by {@code owner}: written at once, or, while a write is under way, with the
   * calls placed meanwhile on this event loop, in one statement.
   */
  public Future<Void> placed(Placement placement, String owner, int checkAfterSeconds) {
    return GroupWrite.<Placement, Void>onThisEventLoop(new PlacedBy(this, owner, checkAfterSeconds),
            () -> new GroupWrite<>(group -> placed(group, owner, checkAfterSeconds).map(v -> Collections.nCopies(group.size(), (Void) null))))
        .map(placements -> placements.add(placement))
        .orElseGet(() -> placed(List.of(placement), owner, checkAfterSeconds));
  }

  /** The agent an agent-first attempt rings, kept before the call is placed so that a crash can look the call up. */
  static final String AGENT_CHOSEN = "UPDATE callback_attempts SET agent_contact = $2 WHERE id = $1";
  /** The agent's call was placed: the attempt keeps its CallSid; the customer's comes once the agent presses 1. */
  static final String AGENT_PLACED = """
      WITH attempt AS (UPDATE callback_attempts SET agent_call_sid = $3, placed_at = $4 WHERE id = $2)
      UPDATE callbacks SET lease_until = NULL, needs_reconcile = false, error_streak = 0,
                           check_at = $4 + make_interval(secs => $5), updated_at = now()
      WHERE id = $1 AND owner = $6""";
  /** Every agent the line rings declined this callback or let it ring out: a person takes it from the queue. */
  static final String CALLBACK_TO_AGENTS = "UPDATE callbacks SET " + CLAIM_UNDONE.replace("state = 'scheduled'", "state = 'agent_queue'") + """
      , task_reason = 'no_agent_available', waiting_for = NULL, updated_at = now()
      WHERE id = $1 AND owner = $2""";

  /** The agent's number cannot be called (refused for good): the claim is undone, and the next agent is tried at once. */
  static final String CALLBACK_AGENT_UNREACHABLE = "UPDATE callbacks SET " + CLAIM_UNDONE + """
      , needs_reconcile = false, due_at = $3, tried_agents = array_append(tried_agents, $4), updated_at = now()
      WHERE id = $1 AND owner = $2""";

  public Future<Void> agentUnreachable(long callbackId, long attemptId, String owner, String agent, Integer code, String message,
                                       Instant at) {
    return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPT_ERROR).execute(Tuple.of(attemptId, AttemptOutcome.API_ERROR.value(), code,
            message, Rows.timestamp(at)))
        .compose(v -> conn.preparedQuery(CALLBACK_AGENT_UNREACHABLE).execute(Tuple.of(callbackId, owner, Rows.timestamp(at), agent)))
        .mapEmpty());
  }

  public Future<Void> agentChosen(long attemptId, String agent) {
    return pool.preparedQuery(AGENT_CHOSEN).execute(Tuple.of(attemptId, agent)).mapEmpty();
  }

  /** Records the agent-first call placed by {@code owner} and releases its lease; looked up at {@code checkAfterSeconds} if it never ends. */
  public Future<Void> agentPlaced(Placement placement, String owner, int checkAfterSeconds) {
    return pool.preparedQuery(AGENT_PLACED).execute(Tuple.of(placement.callbackId(), placement.attemptId(), placement.callSid(),
        Rows.timestamp(placement.at()), (double) checkAfterSeconds, owner)).mapEmpty();
  }

  /** The claim is undone, its attempt never started, and the callback waits in the agents' queue. */
  public Future<Void> toAgents(long callbackId, long attemptId, String owner) {
    return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPT_NOT_STARTED).execute(Tuple.of(attemptId))
        .compose(v -> conn.preparedQuery(CALLBACK_TO_AGENTS).execute(Tuple.of(callbackId, owner)))
        .mapEmpty());
  }

  /** A placed call whose end was not reported in time: the customer's, or ({@code agentLeg}) an agent-first call to the agent. */
  public record Unfinished(long callbackId, long businessId, String callSid, boolean agentLeg) {}

  public Future<List<Unfinished>> claimUnfinished(Instant now, int recheckSeconds, int limit) {
    return pool.preparedQuery(CLAIM_UNFINISHED).execute(Tuple.of(Rows.timestamp(now), (double) recheckSeconds, limit))
        .map(rows -> {
          List<Unfinished> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Unfinished(row.getLong("id"), row.getLong("business_id"), row.getString("call_sid"),
                Boolean.TRUE.equals(row.getBoolean("agent_leg"))));
          }
          return out;
        });
  }

  /** Inside the customer's quiet hours: the claim is undone, no attempt is used, and the callback waits. */
  static final String CALLBACK_WAIT = "UPDATE callbacks SET " + CLAIM_UNDONE + """
      , due_at = $3, waiting_for = $4, updated_at = now()
      WHERE id = $1 AND owner = $2""";
  static final String ATTEMPT_NOT_STARTED = "DELETE FROM callback_attempts WHERE id = $1 AND call_sid IS NULL";

  public Future<Void> waitUntil(long callbackId, long attemptId, String owner, Instant dueAt, String reason) {
    return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPT_NOT_STARTED).execute(Tuple.of(attemptId))
        .compose(v -> conn.preparedQuery(CALLBACK_WAIT).execute(Tuple.of(callbackId, owner, Rows.timestamp(dueAt), reason)))
        .mapEmpty());
  }

  /** The number can never be called: the callback ends as failed with Twilio's code and message. */
  public Future<Void> failed(long callbackId, long attemptId, String owner, Integer code, String message, Instant at) {
    return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPT_ERROR).execute(Tuple.of(attemptId, AttemptOutcome.FAILED.value(), code, message,
            Rows.timestamp(at)))
        .compose(v -> conn.preparedQuery(CALLBACK_FAILED).execute(Tuple.of(callbackId, owner, code, message)))
        .mapEmpty());
  }

  /** Nothing was created: back to the queue, due again at {@code dueAt}. */
  public Future<Void> retryLater(long callbackId, long attemptId, String owner, Integer code, String message, Instant at,
                                    Instant dueAt) {
    return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPT_ERROR).execute(Tuple.of(attemptId, AttemptOutcome.API_ERROR.value(), code, message,
            Rows.timestamp(at)))
        .compose(v -> conn.preparedQuery(CALLBACK_RETRY_LATER).execute(Tuple.of(callbackId, owner, Rows.timestamp(dueAt), code, message)))
        .mapEmpty());
  }

  /** The request went out and no answer came back: keep the lease running out, then reconcile. */
  public Future<Void> ambiguous(long callbackId, String owner, String message) {
    return pool.preparedQuery(CALLBACK_AMBIGUOUS).execute(Tuple.of(callbackId, owner, null, message)).mapEmpty();
  }

  /** Reconciled with no call found: the attempt never happened; due again now. */
  public Future<Void> handBack(long callbackId, long attemptId, String owner) {
    return pool.preparedQuery(HAND_BACK).execute(Tuple.of(callbackId, owner, attemptId)).mapEmpty();
  }

  public Future<Void> notPlaced(long callbackId, Long attemptId, String owner, Instant now) {
    return pool.withTransaction(conn -> (attemptId == null ? Future.<RowSet<Row>>succeededFuture(null)
            : conn.preparedQuery(ATTEMPT_ERROR).execute(Tuple.of(attemptId, AttemptOutcome.API_ERROR.value(), null,
                "not placed (reconciled)", Rows.timestamp(now))))
        .compose(v -> conn.preparedQuery(CALLBACK_RETRY_LATER).execute(Tuple.of(callbackId, owner, Rows.timestamp(now), null,
            "reconciled: no call was placed")))
        .mapEmpty());
  }
}
