package dev.ringback.store;

import dev.ringback.domain.AfterHoursSpread;
import dev.ringback.domain.CallbackPolicy;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.Customer;
import dev.ringback.domain.InboundCalls;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;

/**
 * Calls as they arrive (during or outside opening hours), how their {@code <Dial>} ended, their
 * voicemails, and the callbacks these trigger. Their status events are in {@link CallEventStore}.
 * Every write is idempotent: Twilio retries and reorders, and each guard below is the one row
 * update that may happen once.
 */
public final class CallStore {
  /** The customer, when the caller did not say ($7 null: the lookup failed or was cut short), is found here. */
  static final String INSERT_INBOUND = """
      INSERT INTO calls (business_id, line_id, call_sid, direction, from_number, caller_phone, to_number, customer_id, arrived_at)
      VALUES ($1, $2, $3, 'inbound', $4, $5, $6,
              COALESCE($7, (SELECT id FROM customers WHERE business_id = $1 AND phone = $5)), $8)
      ON CONFLICT (call_sid) DO NOTHING""";
  /** What a trigger needs to know about the call, including the caller's tier. */
  static final String CALL_FACTS = "c.business_id, c.line_id, c.caller_phone, c.customer_id, c.direction, "
      + Rows.lineSlug("c.line_id") + ", (SELECT tier FROM customers cu WHERE cu.id = c.customer_id) AS tier";
  /**
   * Every write keyed by a CallSid names the business whose webhook brought it (its signature, or
   * its configuration): a CallSid of another business's call, signed or not, changes nothing.
   */
  static final String SET_DIAL_STATUS = "UPDATE calls c SET dial_status = $2 WHERE call_sid = $1 AND business_id = $3 "
      + "AND dial_status IS NULL RETURNING " + CALL_FACTS;
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

  static final String INSERT_AFTER_HOURS = """
      INSERT INTO calls (business_id, line_id, call_sid, direction, from_number, caller_phone, to_number, customer_id, arrived_at,
                         dial_status)
      VALUES ($1, $2, $3, 'inbound', $4, $5, $6, COALESCE($7, (SELECT id FROM customers WHERE business_id = $1 AND phone = $5)), $8,
              'after_hours')
      ON CONFLICT (call_sid) DO NOTHING RETURNING id, customer_id""";
  /**
   * What {@link AfterHoursSpread} needs to know of the line: the after-hours callbacks already
   * waiting for this opening, and the agents registered on it.
   */
  static final String AFTER_HOURS_QUEUE = """
      SELECT count(*) AS waiting, (SELECT count(*) FROM agent_lines al WHERE al.line_id = $1) AS registered_agents
      FROM callbacks WHERE line_id = $1 AND trigger = 'after_hours' AND state = 'scheduled' AND due_at >= $2""";

  /**
   * An inbound call outside opening hours, once, and its callback at the next opening.
   *
   * @param opening the next opening, or null when the line never opens again (no callback)
   */
  public Future<Optional<CallbackStore.Scheduled>> recordAfterHours(long businessId, long lineId, String callSid, String from,
      String callerPhone, String to, Long customerId, Customer.Tier tier, Instant arrivedAt, Instant opening, AfterHoursSpread spread) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_AFTER_HOURS)
        .execute(Tuple.from(new Object[] {businessId, lineId, callSid, from, callerPhone, to, customerId, Rows.timestamp(arrivedAt)}))
        .compose(inserted -> {
          if (inserted.size() == 0 || callerPhone == null || opening == null) {
            return Future.succeededFuture(Optional.<CallbackStore.Scheduled>empty());
          }
          Future<Instant> due = AfterHoursSpread.dueAtOpening(tier) ? Future.succeededFuture(opening)
              : conn.preparedQuery(AFTER_HOURS_QUEUE).execute(Tuple.of(lineId, Rows.timestamp(opening)))
                  .map(rows -> {
                    Row queue = rows.iterator().next();
                    return spread.dueAt(opening, queue.getLong("waiting"), queue.getLong("registered_agents"));
                  });
          Long customer = inserted.iterator().next().getLong("customer_id");
          return due.compose(at -> CallbackStore.schedule(conn, new CallbackStore.Trigger(businessId, lineId, callerPhone, customer,
                  CallbackTrigger.AFTER_HOURS, callSid, arrivedAt, at, policy.priority(CallbackTrigger.AFTER_HOURS, tier), null)))
              .map(Optional::of);
        }));
  }

  /**
   * What a {@code <Dial>} action tells of its call: enough to record the call when its arrival
   * never was (the database could not take it then, or another instance kept it in its journal).
   */
  public record DialedCall(long lineId, String from, String callerPhone, String to) {}

  /**
   * Records how the {@code <Dial>} ended, once; agents not answering schedules a "missed" callback.
   *
   * @param businessId the business whose webhook it is: a call of another business is not touched
   * @param nobodyAvailable the line's registered agents were all busy or offline: on a staffed
   *     line the callback goes straight to the agent queue
   * @param call the call as the action tells it, or null when it is not on one of the business's lines
   */
  public Future<Optional<CallbackStore.Scheduled>> recordDialStatus(long businessId, String callSid, String dialStatus, Instant now,
                                                                    boolean nobodyAvailable, DialedCall call) {
    return pool.withTransaction(conn -> (call == null ? Future.<Void>succeededFuture() : conn.preparedQuery(INSERT_INBOUND)
            .execute(Tuple.from(new Object[] {businessId, call.lineId(), callSid, call.from(), call.callerPhone(), call.to(), null,
                Rows.timestamp(now)})).<Void>mapEmpty())
        .compose(v -> conn.preparedQuery(SET_DIAL_STATUS).execute(Tuple.of(callSid, dialStatus, businessId)))
        .compose(rows -> {
          if (rows.size() == 0 || !InboundCalls.dialNotAnswered(dialStatus)) {
            return Future.succeededFuture(Optional.empty());
          }
          return trigger(conn, policy, rows.iterator().next(), CallbackTrigger.MISSED, callSid, now,
              nobodyAvailable ? "no_agent_available" : null);
        }));
  }

  /**
   * Keeps a voicemail with its call and with the callback the call was promised.
   *
   * @param callbackId the callback Ringback named in the recording URL; null for a URL without one
   * @return whether a callback has it
   */
  public Future<Boolean> attachRecording(long businessId, String callSid, Long callbackId, String recordingUrl) {
    return pool.withTransaction(conn -> CallbackStore.attachRecording(conn, businessId, callSid, callbackId, recordingUrl));
  }

  /** The callback a call of a customer's ({@link #CALL_FACTS}) triggers, merged into one open for the number. */
  static Future<Optional<CallbackStore.Scheduled>> trigger(SqlConnection conn, CallbackPolicy policy, Row call, CallbackTrigger trigger,
                                                           String callSid, Instant at, String taskReason) {
    String phone = call.getString("caller_phone");
    if (phone == null || !"inbound".equals(call.getString("direction"))) {
      return Future.succeededFuture(Optional.empty());
    }
    Customer.Tier tier = Customer.Tier.parse(call.getString("tier")).orElse(Customer.Tier.STANDARD);
    return CallbackStore.schedule(conn, new CallbackStore.Trigger(call.getLong("business_id"), call.getLong("line_id"), phone,
            call.getLong("customer_id"), trigger, callSid, at, policy.dueAt(trigger, at, tier), policy.priority(trigger, tier), taskReason))
        .map(Optional::of);
  }

  static final String RECORDING = "SELECT line_id, recording_url FROM calls WHERE business_id = $1 AND call_sid = $2";

  /** A call of the business: its line, and its voicemail's URL at Twilio (null when it left none). */
  public record Recorded(long lineKey, String recordingUrl) {}

  public Future<Optional<Recorded>> recording(long businessId, String callSid) {
    return pool.preparedQuery(RECORDING).execute(Tuple.of(businessId, callSid)).map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(new Recorded(rows.iterator().next().getLong("line_id"), rows.iterator().next().getString("recording_url"))));
  }
}
