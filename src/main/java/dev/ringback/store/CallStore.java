package dev.ringback.store;

import dev.ringback.domain.CallEvent;
import dev.ringback.domain.CallbackPolicy;
import dev.ringback.domain.Customer;
import dev.ringback.domain.InboundCalls;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Calls and their status events, and the callbacks they trigger. Every write is idempotent:
 * Twilio retries and reorders, and each guard below is the one row update that may happen once.
 */
public final class CallStore {
  static final String INSERT_INBOUND = """
      INSERT INTO calls (business_id, line_id, call_sid, direction, from_number, caller_phone, to_number, customer_id, arrived_at)
      VALUES ($1, $2, $3, 'inbound', $4, $5, $6, $7, $8)
      ON CONFLICT (call_sid) DO NOTHING""";
  /** What a trigger needs to know about the call, including the caller's tier. */
  private static final String CALL_FACTS = """
      c.business_id, c.line_id, c.caller_phone, c.customer_id, c.direction,
      (SELECT tier FROM customers cu WHERE cu.id = c.customer_id) AS tier""";
  static final String SET_DIAL_STATUS = "UPDATE calls c SET dial_status = $2 WHERE call_sid = $1 AND dial_status IS NULL RETURNING "
      + CALL_FACTS;
  static final String INSERT_EVENT = """
      INSERT INTO call_events (call_sid, parent_call_sid, call_status, sequence_number, twilio_timestamp,
                               direction, from_number, to_number, call_duration, answered_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      ON CONFLICT (call_sid, call_status) DO NOTHING
      RETURNING id""";
  /** Only the first answering leg counts: the update is its own guard against duplicates. */
  static final String MARK_ANSWERED = "UPDATE calls c SET answered_at = $3, answered_leg_sid = $2 "
      + "WHERE call_sid = $1 AND answered_at IS NULL RETURNING c.arrived_at, " + CALL_FACTS;
  static final String OPEN_CALL_FOR_UPDATE = "SELECT c.answered_at, c.dial_status, " + CALL_FACTS
      + " FROM calls c WHERE call_sid = $1 AND ended_at IS NULL FOR UPDATE OF c";
  static final String MARK_ENDED = "UPDATE calls SET ended_at = $2, outcome = $3, answered_by = COALESCE($4, answered_by) WHERE call_sid = $1";

  /** What one newly stored event changed, for the metrics to report after the commit. */
  public record Applied(boolean duplicate, Optional<Answer> answer, Optional<Ended> ended,
                        Optional<CallbackStore.Scheduled> scheduled, Optional<CallbackStore.Cancelled> cancelled) {
    static Applied nothing(boolean duplicate) {
      return new Applied(duplicate, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** A call (by direction) got answered after ringing this long. */
  public record Answer(String direction, Duration ringToAnswer) {}

  /** A call (by direction) ended with this outcome. */
  public record Ended(String direction, String outcome) {}

  private final Pool pool;
  private final CallbackPolicy policy;

  public CallStore(Pool pool, CallbackPolicy policy) {
    this.pool = pool;
    this.policy = policy;
  }

  /** @param callerPhone the caller in E.164, or null when they cannot be called back */
  public Future<Void> recordInbound(long businessId, long lineId, String callSid, String from, String callerPhone, String to,
                                    Long customerId, Instant arrivedAt) {
    return pool.preparedQuery(INSERT_INBOUND)
        .execute(Tuple.from(new Object[] {businessId, lineId, callSid, from, callerPhone, to, customerId, Rows.timestamp(arrivedAt)}))
        .mapEmpty();
  }

  /** Records how the {@code <Dial>} ended, once; agents not answering schedules a "missed" callback. */
  public Future<Optional<CallbackStore.Scheduled>> recordDialStatus(String callSid, String dialStatus, Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery(SET_DIAL_STATUS).execute(Tuple.of(callSid, dialStatus))
        .compose(rows -> {
          if (rows.size() == 0 || !InboundCalls.dialNotAnswered(dialStatus)) {
            return Future.succeededFuture(Optional.empty());
          }
          return trigger(conn, rows.iterator().next(), CallbackPolicy.MISSED, callSid, now);
        }));
  }

  public Future<Boolean> attachRecording(String callSid, String recordingUrl) {
    return pool.withTransaction(conn -> CallbackStore.attachRecording(conn, callSid, recordingUrl));
  }

  /** Stores the event once and applies it to its call, in one transaction. */
  public Future<Applied> apply(CallEvent event) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_EVENT).execute(Tuple.from(new Object[] {
            event.callSid(), event.parentCallSid(), event.status().value(), event.sequenceNumber(),
            Rows.timestamp(event.timestamp()), event.direction(), event.from(), event.to(),
            event.callDuration(), event.answeredBy()}))
        .compose(inserted -> inserted.rowCount() == 0
            ? Future.succeededFuture(Applied.nothing(true))
            : applyNew(conn, event)));
  }

  private Future<Applied> applyNew(SqlConnection conn, CallEvent event) {
    if (event.isChildLeg() && event.status().isAnswer()) {
      return conn.preparedQuery(MARK_ANSWERED)
          .execute(Tuple.of(event.parentCallSid(), event.callSid(), Rows.timestamp(event.timestamp())))
          .compose(rows -> {
            if (rows.size() == 0) {
              return Future.succeededFuture(Applied.nothing(false));
            }
            Row row = rows.iterator().next();
            Duration waited = InboundCalls.ringToAnswer(Rows.instant(row.getOffsetDateTime("arrived_at")), event.timestamp());
            Answer answer = new Answer(row.getString("direction"), waited);
            String phone = row.getString("caller_phone");
            // The customer got through: a callback still waiting for them is no longer needed.
            Future<Optional<CallbackStore.Cancelled>> cancelled = phone == null
                ? Future.succeededFuture(Optional.empty())
                : CallbackStore.cancelScheduled(conn, row.getLong("line_id"), phone);
            return cancelled.map(c -> new Applied(false, Optional.of(answer), Optional.empty(), Optional.empty(), c));
          });
    }
    if (!event.isChildLeg() && event.status().isFinal()) {
      return conn.preparedQuery(OPEN_CALL_FOR_UPDATE).execute(Tuple.of(event.callSid()))
          .compose(rows -> {
            if (rows.size() == 0) {
              return Future.succeededFuture(Applied.nothing(false));
            }
            Row row = rows.iterator().next();
            String outcome = InboundCalls.outcome(Rows.instant(row.getOffsetDateTime("answered_at")), row.getString("dial_status"),
                event.timestamp(), policy);
            Ended ended = new Ended(row.getString("direction"), outcome);
            // Missed calls were scheduled when the <Dial> ended; these two are only known now.
            boolean triggers = outcome.equals(CallbackPolicy.ABANDONED) || outcome.equals(CallbackPolicy.DROPPED);
            return conn.preparedQuery(MARK_ENDED)
                .execute(Tuple.of(event.callSid(), Rows.timestamp(event.timestamp()), outcome, event.answeredBy()))
                .compose(done -> triggers
                    ? trigger(conn, row, outcome, event.callSid(), event.timestamp())
                    : Future.succeededFuture(Optional.<CallbackStore.Scheduled>empty()))
                .map(scheduled -> new Applied(false, Optional.empty(), Optional.of(ended), scheduled, Optional.empty()));
          });
    }
    return Future.succeededFuture(Applied.nothing(false));
  }

  private Future<Optional<CallbackStore.Scheduled>> trigger(SqlConnection conn, Row call, String trigger, String callSid, Instant at) {
    String phone = call.getString("caller_phone");
    if (phone == null || !"inbound".equals(call.getString("direction"))) {
      return Future.succeededFuture(Optional.empty());
    }
    Customer.Tier tier = Customer.Tier.parse(call.getString("tier")).orElse(Customer.Tier.STANDARD);
    return CallbackStore.schedule(conn, new CallbackStore.Trigger(call.getLong("business_id"), call.getLong("line_id"), phone,
            call.getLong("customer_id"), trigger, callSid, at, policy.dueAt(trigger, at), policy.priority(trigger, tier)))
        .map(Optional::of);
  }
}
