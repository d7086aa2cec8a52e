package dev.ringback.store;

import dev.ringback.domain.CallEvent;
import dev.ringback.domain.InboundCalls;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Calls and their status events. Every write is idempotent: Twilio retries and reorders. */
public final class CallStore {
  static final String INSERT_INBOUND = """
      INSERT INTO calls (business_id, line_id, call_sid, direction, from_number, to_number, customer_id, arrived_at)
      VALUES ($1, $2, $3, 'inbound', $4, $5, $6, $7)
      ON CONFLICT (call_sid) DO NOTHING""";
  static final String SET_DIAL_STATUS = "UPDATE calls SET dial_status = $2 WHERE call_sid = $1 AND dial_status IS NULL";
  static final String INSERT_EVENT = """
      INSERT INTO call_events (call_sid, parent_call_sid, call_status, sequence_number, twilio_timestamp,
                               direction, from_number, to_number, call_duration, answered_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      ON CONFLICT (call_sid, call_status) DO NOTHING
      RETURNING id""";
  /** Only the first answering leg counts: the update is its own guard against duplicates. */
  static final String MARK_ANSWERED = """
      UPDATE calls SET answered_at = $3, answered_leg_sid = $2
      WHERE call_sid = $1 AND answered_at IS NULL
      RETURNING arrived_at, direction""";
  static final String OPEN_CALL_FOR_UPDATE = """
      SELECT direction, answered_at, dial_status FROM calls
      WHERE call_sid = $1 AND ended_at IS NULL FOR UPDATE""";
  static final String MARK_ENDED = "UPDATE calls SET ended_at = $2, outcome = $3, answered_by = COALESCE($4, answered_by) WHERE call_sid = $1";
  static final String COUNT_EVENTS = "SELECT count(*) AS n FROM call_events WHERE call_sid = $1";

  /** What one newly stored event changed, for the metrics to report after the commit. */
  public record Applied(boolean duplicate, Optional<Answer> answer, Optional<Ended> ended) {
    static Applied duplicateEvent() {
      return new Applied(true, Optional.empty(), Optional.empty());
    }
  }

  /** A call (by direction) got answered after ringing this long. */
  public record Answer(String direction, Duration ringToAnswer) {}

  /** A call (by direction) ended with this outcome. */
  public record Ended(String direction, String outcome) {}

  private final Pool pool;

  public CallStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> recordInbound(long businessId, long lineId, String callSid, String from, String to,
                                    Long customerId, Instant arrivedAt) {
    return pool.preparedQuery(INSERT_INBOUND)
        .execute(Tuple.of(businessId, lineId, callSid, from, to, customerId, Rows.timestamp(arrivedAt)))
        .mapEmpty();
  }

  public Future<Void> recordDialStatus(String callSid, String dialStatus) {
    return pool.preparedQuery(SET_DIAL_STATUS).execute(Tuple.of(callSid, dialStatus)).mapEmpty();
  }

  /** Stores the event once and applies it to its call, in one transaction. */
  public Future<Applied> apply(CallEvent event) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_EVENT).execute(Tuple.from(new Object[] {
            event.callSid(), event.parentCallSid(), event.status().value(), event.sequenceNumber(),
            Rows.timestamp(event.timestamp()), event.direction(), event.from(), event.to(),
            event.callDuration(), event.answeredBy()}))
        .compose(inserted -> inserted.rowCount() == 0
            ? Future.succeededFuture(Applied.duplicateEvent())
            : applyNew(conn, event)));
  }

  private Future<Applied> applyNew(SqlConnection conn, CallEvent event) {
    if (event.isChildLeg() && event.status().isAnswer()) {
      return conn.preparedQuery(MARK_ANSWERED)
          .execute(Tuple.of(event.parentCallSid(), event.callSid(), Rows.timestamp(event.timestamp())))
          .map(rows -> {
            if (rows.size() == 0) {
              return new Applied(false, Optional.empty(), Optional.empty());
            }
            Row row = rows.iterator().next();
            Duration waited = InboundCalls.ringToAnswer(Rows.instant(row.getOffsetDateTime("arrived_at")), event.timestamp());
            return new Applied(false, Optional.of(new Answer(row.getString("direction"), waited)), Optional.empty());
          });
    }
    if (!event.isChildLeg() && event.status().isFinal()) {
      return conn.preparedQuery(OPEN_CALL_FOR_UPDATE).execute(Tuple.of(event.callSid()))
          .compose(rows -> {
            if (rows.size() == 0) {
              return Future.succeededFuture(new Applied(false, Optional.empty(), Optional.empty()));
            }
            Row row = rows.iterator().next();
            String outcome = InboundCalls.outcome(Rows.instant(row.getOffsetDateTime("answered_at")), row.getString("dial_status"));
            return conn.preparedQuery(MARK_ENDED)
                .execute(Tuple.of(event.callSid(), Rows.timestamp(event.timestamp()), outcome, event.answeredBy()))
                .map(done -> new Applied(false, Optional.empty(), Optional.of(new Ended(row.getString("direction"), outcome))));
          });
    }
    return Future.succeededFuture(new Applied(false, Optional.empty(), Optional.empty()));
  }

  public Future<Long> countEvents(String callSid) {
    return pool.preparedQuery(COUNT_EVENTS).execute(Tuple.of(callSid)).map(rows -> rows.iterator().next().getLong("n"));
  }
}
