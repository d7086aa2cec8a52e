package dev.ringback.store;

import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallEvent;
import dev.ringback.domain.CallOutcome;
import dev.ringback.domain.CallbackPolicy;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.DialPolicy;
import dev.ringback.domain.InboundCalls;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The status events of every call leg, each stored once per business, and what each changes: a
 * call answered or ended (and the callback an abandoned or dropped call triggers), a callback's
 * attempt ringing, answered or ended (and the callback retried, handed to agents or finished).
 * Twilio retries and reorders; every change is guarded so it happens once.
 */
public final class CallEventStore {
  /** An event is stored once per business: another business's event for the same CallSid is kept apart. */
  static final String INSERT_EVENT = """
      INSERT INTO call_events (call_sid, parent_call_sid, call_status, sequence_number, twilio_timestamp,
                               direction, from_number, to_number, call_duration, answered_by, business_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
      ON CONFLICT (call_sid, call_status, business_id) DO NOTHING
      RETURNING id""";
  /**
   * A group of events that are only kept, in one statement (arrays of {@link #INSERT_EVENT}'s
   * columns). It answers the events it stored; an event it skipped was seen before, or twice in
   * the group.
   */
  static final String INSERT_EVENTS = """
      INSERT INTO call_events (call_sid, parent_call_sid, call_status, sequence_number, twilio_timestamp,
                               direction, from_number, to_number, call_duration, answered_by, business_id)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[],
                           $6::text[], $7::text[], $8::text[], $9::int[], $10::text[], $11::bigint[])
      ON CONFLICT (call_sid, call_status, business_id) DO NOTHING
      RETURNING call_sid, call_status, business_id""";
  /** Only the first answering leg counts: the update is its own guard against duplicates. */
  static final String MARK_ANSWERED = "UPDATE calls c SET answered_at = $3, answered_leg_sid = $2, agent_contact = $4 "
      + "WHERE call_sid = $1 AND business_id = $5 AND answered_at IS NULL RETURNING c.arrived_at, " + CallStore.CALL_FACTS;
  /** The agent leg of a callback was answered: that agent took the callback. */
  static final String AGENT_ON_ATTEMPT = """
      UPDATE callback_attempts a SET agent_contact = $2 FROM callbacks cb
      WHERE a.call_sid = $1 AND a.agent_contact IS NULL AND cb.id = a.callback_id AND cb.business_id = $3""";
  static final String INSERT_SCREENED = """
      INSERT INTO screened_legs (business_id, leg_sid, parent_call_sid, contact, accepted, decided_at) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (business_id, leg_sid) DO NOTHING""";
  static final String SCREENING = "SELECT accepted FROM screened_legs WHERE business_id = $1 AND leg_sid = $2";
  /**
   * The agent of an agent-first attempt pressed 1, once: only an attempt still open, of a
   * callback of this business still being dialled, whose customer has not been dialled.
   */
  static final String AGENT_ACCEPTED = """
      UPDATE callback_attempts a SET agent_accepted_at = $3
      FROM callbacks cb
      WHERE a.callback_id = $1 AND a.agent_call_sid = $2 AND a.agent_accepted_at IS NULL AND a.ended_at IS NULL AND a.call_sid IS NULL
        AND cb.id = a.callback_id AND cb.business_id = $4 AND cb.state = 'dialing'
      RETURNING cb.id, cb.line_id, cb.customer_phone, cb.trigger, cb.triggered_at, cb.attempts""";
  /**
   * The call to an agent-first attempt's agent ended before they pressed 1 (declined, silent, or
   * not reached): the customer was never called, so the attempt does not count, the agent is not
   * tried again for this callback, and the callback is due again at once for the next agent.
   */
  static final String AGENT_CALL_ENDED = """
      WITH attempt AS (
        UPDATE callback_attempts a SET ended_at = $3, outcome = 'agent_not_accepted'
        WHERE a.callback_id = $1 AND a.agent_call_sid = $2 AND a.agent_accepted_at IS NULL AND a.call_sid IS NULL AND a.ended_at IS NULL
          AND EXISTS (SELECT 1 FROM callbacks cb WHERE cb.id = $1 AND cb.business_id = $4)
        RETURNING a.agent_contact)
      UPDATE callbacks cb SET state = 'scheduled', owner = NULL, lease_until = NULL, check_at = NULL, needs_reconcile = false,
                              attempts = cb.attempts - 1, due_at = $3, updated_at = now(),
                              tried_agents = CASE WHEN attempt.agent_contact IS NULL THEN cb.tried_agents
                                                  ELSE array_append(cb.tried_agents, attempt.agent_contact) END
      FROM attempt WHERE cb.id = $1 AND cb.state = 'dialing'
      RETURNING cb.id""";
  /**
   * An agent's click-to-connect call ended before it dialled the customer (not answered, busy,
   * refused): its attempt ends so, once, and does not count as one of the customer's attempts
   * (nor as the call this hold already made).
   */
  static final String AGENT_CALL_OF_TASK_ENDED = """
      WITH attempt AS (
        UPDATE callback_attempts a SET ended_at = $2, outcome = 'agent_not_accepted'
        FROM callbacks cb
        WHERE a.agent_call_sid = $1 AND a.agent_accepted_at IS NULL AND a.call_sid IS NULL AND a.ended_at IS NULL
          AND cb.id = a.callback_id AND cb.business_id = $3
        RETURNING a.callback_id)
      UPDATE callbacks cb SET attempts = cb.attempts - 1, task_call_counted = false, updated_at = now()
      FROM attempt WHERE cb.id = attempt.callback_id""";
  static final String OPEN_CALL_FOR_UPDATE = "SELECT c.answered_at, c.dial_status, " + CallStore.CALL_FACTS
      + " FROM calls c WHERE call_sid = $1 AND business_id = $2 AND ended_at IS NULL FOR UPDATE OF c";
  static final String MARK_ENDED = "UPDATE calls SET ended_at = $2, outcome = $3, answered_by = COALESCE($4, answered_by) "
      + "WHERE call_sid = $1 AND business_id = $5";

  /**
   * The attempt an outbound leg's event belongs to: the one with its CallSid, else the newest not
   * yet placed; only of a callback of the webhook's business ($3), whose ids are easy to guess.
   */
  static final String ATTEMPT_OF_EVENT = """
      UPDATE callback_attempts a SET call_sid = COALESCE(a.call_sid, $2)
      WHERE a.id = (SELECT id FROM callback_attempts
                    WHERE callback_id = $1 AND (call_sid = $2 OR call_sid IS NULL)
                      AND outcome IS DISTINCT FROM 'api_error' AND outcome IS DISTINCT FROM 'agent_not_accepted'
                    ORDER BY (call_sid = $2) DESC NULLS LAST, id DESC LIMIT 1)
        AND EXISTS (SELECT 1 FROM callbacks cb WHERE cb.id = $1 AND cb.business_id = $3)
      RETURNING a.id""";
  private static final String ATTEMPT_LINE =
      "(SELECT l.slug FROM callbacks cb JOIN lines l ON l.id = cb.line_id WHERE cb.id = callback_attempts.callback_id) AS line, "
      + "(SELECT b.slug FROM callbacks cb JOIN businesses b ON b.id = cb.business_id WHERE cb.id = callback_attempts.callback_id) AS business";
  static final String ATTEMPT_RINGING = "UPDATE callback_attempts SET ringing_at = $2 WHERE id = $1 AND ringing_at IS NULL "
      + "RETURNING answered_at, " + ATTEMPT_LINE;
  static final String ATTEMPT_ANSWERED = """
      UPDATE callback_attempts SET answered_at = $2, answered_by = $3 WHERE id = $1 AND answered_at IS NULL
      RETURNING ringing_at,\s""" + ATTEMPT_LINE;
  static final String ATTEMPT_FOR_END = "SELECT a.answered_at, a.answered_by, a.no_agent, cb.attempts, cb.trigger, cb.state, "
      + CallbackStore.staffed("cb.line_id") + " AS staffed, " + Rows.lineSlug("cb.line_id") + """

      FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id
      WHERE a.id = $1 AND a.ended_at IS NULL FOR UPDATE""";
  static final String ATTEMPT_ENDED = "UPDATE callback_attempts SET ended_at = $2, outcome = $3, answered_by = COALESCE(answered_by, $4) WHERE id = $1";
  /** Only a callback still being dialled moves on; one cancelled meanwhile stays cancelled. */
  static final String CALLBACK_AFTER_ATTEMPT = """
      UPDATE callbacks SET state = $2, outcome = $3, due_at = COALESCE($4, due_at), task_reason = COALESCE($5, task_reason),
                           owner = NULL, lease_until = NULL, needs_reconcile = false, updated_at = now()
      WHERE id = $1 AND state = 'dialing'""";

  /** What one newly stored event changed, for the metrics to report after the commit. */
  public record Applied(boolean duplicate, Optional<Answer> answer, Optional<Ended> ended,
                        Optional<CallbackStore.Scheduled> scheduled, Optional<CallbackStore.Cancelled> cancelled,
                        List<Finished> finished) {
    /** The same changes without a ring-to-answer measurement, for an answer whose time is not known. */
    public Applied withoutAnswer() {
      return new Applied(duplicate, Optional.empty(), ended, scheduled, cancelled, finished);
    }

    static Applied nothing(boolean duplicate) {
      return new Applied(duplicate, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }
  }

  /** A callback attempt (or the callback itself) on a line ended with this outcome. */
  public record Finished(String business, CallbackTrigger trigger, String line, AttemptOutcome outcome) {}

  /** A call (by direction and line) got answered after ringing this long. */
  public record Answer(String business, String direction, String line, Duration ringToAnswer) {}

  /** A call (by direction and line) ended with this outcome. */
  public record Ended(String business, String direction, String line, CallOutcome outcome) {}

  private final Pool pool;
  private final CallbackPolicy policy;
  private final DialPolicy dialPolicy;

  public CallEventStore(Pool pool, CallbackPolicy policy, DialPolicy dialPolicy) {
    this.pool = pool;
    this.policy = policy;
    this.dialPolicy = dialPolicy;
  }

  /** An event to keep, with the business whose webhook brought it. */
  private record Kept(long businessId, CallEvent event) {}

  /**
   * Stores the event once for this business and applies it to its call, in one transaction. A
   * CallSid or callback id of another business (callback ids are easy to guess) changes nothing.
   *
   * @param callbackId set for the legs that call a callback's customer ({@code /twilio/status?callback=ID}): the
   *     dialler's calls, and the customer leg an agent's click-to-connect call dials
   * @param businessId the business whose webhook (signature or configuration) brought the event
   */
  public Future<Applied> apply(CallEvent event, Long callbackId, long businessId) {
    if (callbackId == null && !event.changesTheCall()) {
      return keepOnly(event, businessId);
    }
    Tuple row = eventRow(event, businessId);
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_EVENT).execute(row)
        .compose(inserted -> inserted.rowCount() == 0
            ? Future.succeededFuture(Applied.nothing(true))
            : callbackId != null ? applyCallbackLeg(conn, event, callbackId, businessId) : applyNew(conn, event, businessId)));
  }

  /**
   * Stores an event that changes nothing (a call's initiated, ringing, in-progress; a screened
   * leg's answer, which is not yet a person's): no transaction, and under load one statement for
   * all the events that came in while the last one ran.
   */
  public Future<Applied> keepOnly(CallEvent event, long businessId) {
    Kept kept = new Kept(businessId, event);
    return GroupWrite.<Kept, Boolean>onThisEventLoop(this, () -> new GroupWrite<>(this::keep))
        .map(events -> events.add(kept))
        .orElseGet(() -> keep(List.of(kept)).map(stored -> stored.get(0)))
        .map(stored -> Applied.nothing(!stored));
  }

  /**
   * A screened agent's leg decided, once: a decline is only kept; 1 puts the caller through,
   * which answers the call at that moment (ring-to-answer runs to it) exactly as an unscreened
   * leg's answer would.
   *
   * @param contact the agent's number as Twilio dialled it
   */
  public Future<Applied> screened(long businessId, String parentCallSid, String legSid, String contact, boolean accepted, Instant at) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_SCREENED)
        .execute(Tuple.of(businessId, legSid, parentCallSid, contact, accepted, Rows.timestamp(at)))
        .compose(inserted -> inserted.rowCount() == 0 ? Future.succeededFuture(Applied.nothing(true))
            : !accepted ? Future.succeededFuture(Applied.nothing(false))
            : answered(conn, parentCallSid, legSid, at, contact, businessId)));
  }

  /**
   * An agent-first callback whose agent pressed 1: the customer to dial now, from the line.
   *
   * @param attempt the customer's attempt this call is (1: the first call to them for this callback)
   */
  public record AgentAccepted(long callbackId, long lineId, String customerPhone, CallbackTrigger trigger, Instant triggeredAt, int attempt) {}

  /**
   * The agent of an agent-first attempt (on the call {@code agentCallSid}) pressed 1: recorded
   * once, so the customer is dialled once. Empty when the attempt was accepted before, has ended,
   * or its callback is no longer being dialled (cancelled meanwhile): then nobody is dialled.
   */
  public Future<Optional<AgentAccepted>> agentAccepted(long businessId, long callbackId, String agentCallSid, String contact, Instant at) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_SCREENED)
        .execute(Tuple.of(businessId, agentCallSid, agentCallSid, contact, true, Rows.timestamp(at)))
        .compose(v -> conn.preparedQuery(AGENT_ACCEPTED).execute(Tuple.of(callbackId, agentCallSid, Rows.timestamp(at), businessId)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.<AgentAccepted>empty();
          }
          Row row = rows.iterator().next();
          return Optional.of(new AgentAccepted(row.getLong("id"), row.getLong("line_id"), row.getString("customer_phone"),
              CallbackStore.trigger(row), Rows.instant(row.getOffsetDateTime("triggered_at")), row.getInteger("attempts")));
        }));
  }

  /**
   * An event of an agent-first attempt's call to its agent. Its end, before the agent pressed 1,
   * sends the callback on to the next agent; once they pressed 1 the customer's leg decides.
   */
  public Future<Applied> applyAgentLeg(CallEvent event, long callbackId, long businessId) {
    if (!event.status().isFinal()) {
      return keepOnly(event, businessId);
    }
    Tuple row = eventRow(event, businessId);
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_EVENT).execute(row)
        .compose(inserted -> inserted.rowCount() == 0 ? Future.succeededFuture(Applied.nothing(true))
            : conn.preparedQuery(AGENT_CALL_ENDED).execute(Tuple.of(callbackId, event.callSid(), Rows.timestamp(event.timestamp()), businessId))
                .map(v -> Applied.nothing(false))));
  }

  /** A screened leg's decision: accepted or declined; empty while (or when) its agent pressed nothing. */
  public Future<Optional<Boolean>> screening(long businessId, String legSid) {
    return pool.preparedQuery(SCREENING).execute(Tuple.of(businessId, legSid))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBoolean("accepted")));
  }

  /** {@link #INSERT_EVENT}'s values. */
  private static Tuple eventRow(CallEvent event, long businessId) {
    return Tuple.from(new Object[] {
        event.callSid(), event.parentCallSid(), event.status().value(), event.sequenceNumber(),
        Rows.timestamp(event.timestamp()), event.direction(), event.from(), event.to(),
        event.callDuration(), event.answeredBy(), businessId});
  }

  /** Stores events that are only kept; for each, whether it was new. */
  private Future<List<Boolean>> keep(List<Kept> events) {
    int n = events.size();
    String[] sids = new String[n];
    String[] parents = new String[n];
    String[] statuses = new String[n];
    Integer[] sequences = new Integer[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] directions = new String[n];
    String[] froms = new String[n];
    String[] tos = new String[n];
    Integer[] durations = new Integer[n];
    String[] answeredBy = new String[n];
    Long[] businesses = new Long[n];
    for (int i = 0; i < n; i++) {
      CallEvent e = events.get(i).event();
      sids[i] = e.callSid();
      parents[i] = e.parentCallSid();
      statuses[i] = e.status().value();
      sequences[i] = e.sequenceNumber();
      times[i] = Rows.timestamp(e.timestamp());
      directions[i] = e.direction();
      froms[i] = e.from();
      tos[i] = e.to();
      durations[i] = e.callDuration();
      answeredBy[i] = e.answeredBy();
      businesses[i] = events.get(i).businessId();
    }
    Tuple columns = Tuple.from(new Object[] {sids, parents, statuses, sequences, times, directions, froms, tos, durations, answeredBy,
        businesses});
    return pool.preparedQuery(INSERT_EVENTS).execute(columns).map(rows -> {
      Set<String> stored = new HashSet<>();
      rows.forEach(r -> stored.add(r.getString("call_sid") + ' ' + r.getString("call_status") + ' ' + r.getLong("business_id")));
      List<Boolean> isNew = new ArrayList<>(n);
      // The first of two equal events in one group is the one stored.
      events.forEach(k -> isNew.add(stored.remove(k.event().callSid() + ' ' + k.event().status().value() + ' ' + k.businessId())));
      return isNew;
    });
  }


  private Future<Applied> applyCallbackLeg(SqlConnection conn, CallEvent event, long callbackId, long businessId) {
    return conn.preparedQuery(ATTEMPT_OF_EVENT).execute(Tuple.of(callbackId, event.callSid(), businessId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Applied.nothing(false));
      }
      long attemptId = rows.iterator().next().getLong("id");
      Tuple at = Tuple.of(attemptId, Rows.timestamp(event.timestamp()));
      switch (event.status()) {
        case RINGING:
          return conn.preparedQuery(ATTEMPT_RINGING).execute(at).map(r -> ringAnswered(r, "answered_at", event.timestamp(), true));
        case IN_PROGRESS:
          return conn.preparedQuery(ATTEMPT_ANSWERED).execute(Tuple.of(attemptId, Rows.timestamp(event.timestamp()), event.answeredBy()))
              .map(r -> ringAnswered(r, "ringing_at", event.timestamp(), false));
        default:
          return event.status().isFinal() ? endAttempt(conn, event, callbackId, attemptId) : Future.succeededFuture(Applied.nothing(false));
      }
    });
  }

  /** Ring-to-answer needs both events; whichever of them comes second measures it, once. */
  private static Applied ringAnswered(RowSet<Row> rows, String otherColumn, Instant eventTime, boolean eventIsRinging) {
    if (rows.size() == 0 || rows.iterator().next().getOffsetDateTime(otherColumn) == null) {
      return Applied.nothing(false);
    }
    Instant other = Rows.instant(rows.iterator().next().getOffsetDateTime(otherColumn));
    Duration waited = eventIsRinging ? InboundCalls.ringToAnswer(eventTime, other) : InboundCalls.ringToAnswer(other, eventTime);
    String line = rows.iterator().next().getString("line");
    String business = rows.iterator().next().getString("business");
    return new Applied(false, Optional.of(new Answer(business, "callback", line, waited)), Optional.empty(), Optional.empty(), Optional.empty(),
        List.of());
  }

  private Future<Applied> endAttempt(SqlConnection conn, CallEvent event, long callbackId, long attemptId) {
    return conn.preparedQuery(ATTEMPT_FOR_END).execute(Tuple.of(attemptId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Applied.nothing(false));
      }
      Row row = rows.iterator().next();
      String answeredBy = row.getString("answered_by") != null ? row.getString("answered_by") : event.answeredBy();
      AttemptOutcome outcome = DialPolicy.attemptOutcome(event.status(), row.getOffsetDateTime("answered_at") != null, answeredBy,
          row.getBoolean("no_agent"));
      CallbackTrigger trigger = CallbackStore.trigger(row);
      String line = row.getString("line");
      String business = row.getString("business");
      List<Finished> finished = new ArrayList<>(List.of(new Finished(business, trigger, line, outcome)));
      DialPolicy.AfterAttempt next = dialPolicy.afterAttempt(outcome, row.getInteger("attempts"), row.getBoolean("staffed"),
          event.timestamp());
      if (next.attemptsUsedUp()) {
        finished.add(new Finished(business, trigger, line, AttemptOutcome.EXPIRED));
      }
      Ended ended = new Ended(business, "callback", line, DialPolicy.callOutcome(outcome));
      return conn.preparedQuery(ATTEMPT_ENDED)
          .execute(Tuple.of(attemptId, Rows.timestamp(event.timestamp()), outcome.value(), event.answeredBy()))
          .compose(v -> conn.preparedQuery(CALLBACK_AFTER_ATTEMPT).execute(Tuple.of(callbackId, next.state().value(),
              next.outcome() == null ? null : next.outcome().value(), Rows.timestamp(next.dueAt()), next.taskReason())))
          .map(v -> new Applied(false, Optional.empty(), Optional.of(ended), Optional.empty(), Optional.empty(), finished));
    });
  }

  /**
   * An agent took the call {@code parentCallSid} on the leg {@code legSid}: the call is answered
   * (the first leg only), or, for a callback's call, the attempt has its agent.
   */
  private static Future<Applied> answered(SqlConnection conn, String parentCallSid, String legSid, Instant at, String contact,
                                          long businessId) {
    return conn.preparedQuery(MARK_ANSWERED).execute(Tuple.of(parentCallSid, legSid, Rows.timestamp(at), contact, businessId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return conn.preparedQuery(AGENT_ON_ATTEMPT).execute(Tuple.of(parentCallSid, contact, businessId))
                .map(r -> Applied.nothing(false));
          }
          Row row = rows.iterator().next();
          Duration waited = InboundCalls.ringToAnswer(Rows.instant(row.getOffsetDateTime("arrived_at")), at);
          Answer answer = new Answer(row.getString("business"), row.getString("direction"), row.getString("line"), waited);
          String phone = row.getString("caller_phone");
          // The customer got through: a callback still waiting for them is no longer needed.
          Future<Optional<CallbackStore.Cancelled>> cancelled = phone == null
              ? Future.succeededFuture(Optional.empty())
              : CallbackStore.cancelScheduled(conn, row.getLong("line_id"), phone, parentCallSid);
          return cancelled.map(c -> new Applied(false, Optional.of(answer), Optional.empty(), Optional.empty(), c, List.of()));
        });
  }

  private Future<Applied> applyNew(SqlConnection conn, CallEvent event, long businessId) {
    if (event.isChildLeg() && event.status().isAnswer()) {
      return answered(conn, event.parentCallSid(), event.callSid(), event.timestamp(), event.to(), businessId);
    }
    if (!event.isChildLeg() && event.status().isFinal()) {
      return conn.preparedQuery(OPEN_CALL_FOR_UPDATE).execute(Tuple.of(event.callSid(), businessId))
          .compose(rows -> {
            if (rows.size() == 0) {
              // Not a call to a line: perhaps an agent's click-to-connect call.
              return conn.preparedQuery(AGENT_CALL_OF_TASK_ENDED)
                  .execute(Tuple.of(event.callSid(), Rows.timestamp(event.timestamp()), businessId))
                  .map(v -> Applied.nothing(false));
            }
            Row row = rows.iterator().next();
            CallOutcome outcome = InboundCalls.outcome(Rows.instant(row.getOffsetDateTime("answered_at")), row.getString("dial_status"),
                event.timestamp(), policy);
            Ended ended = new Ended(row.getString("business"), row.getString("direction"), row.getString("line"), outcome);
            // Missed calls were scheduled when the <Dial> ended; the others are only known now.
            Optional<CallbackTrigger> trigger = CallbackPolicy.triggerFor(outcome).filter(t -> t != CallbackTrigger.MISSED);
            return conn.preparedQuery(MARK_ENDED)
                .execute(Tuple.of(event.callSid(), Rows.timestamp(event.timestamp()), outcome.value(), event.answeredBy(), businessId))
                .compose(done -> trigger.isPresent()
                    ? CallStore.trigger(conn, policy, row, trigger.get(), event.callSid(), event.timestamp(), null)
                    : Future.succeededFuture(Optional.<CallbackStore.Scheduled>empty()))
                .map(scheduled -> new Applied(false, Optional.empty(), Optional.of(ended), scheduled, Optional.empty(), List.of()));
          });
    }
    return Future.succeededFuture(Applied.nothing(false));
  }
}
