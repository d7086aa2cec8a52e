package dev.ringback.store;

import dev.ringback.domain.CallbackPolicy;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Order;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Orders from the shops. Recording one is a single statement, so a single round trip and
 * atomic: the order in the buyer's file, the buyer as a customer, and their callback. The
 * later steps read the order's own insert, so a delivery seen before (the unique key on
 * source and order id) changes nothing, even when two copies arrive at once.
 */
public final class OrderStore {
  static final String RECORD = """
      WITH new_order AS (
        INSERT INTO orders (business_id, source, order_id, display_number, phone, name, total, currency, item_count,
                            line_id, result, ordered_at, received_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (business_id, source, order_id) DO NOTHING
        RETURNING id),
      buyer AS (
        -- A name already on file (perhaps typed by an agent) is kept.
        INSERT INTO customers (business_id, phone, name)
        SELECT $1, $5, $6 FROM new_order WHERE $11 = 'called'
        ON CONFLICT (business_id, phone) DO UPDATE
          SET name = COALESCE(NULLIF(customers.name, ''), EXCLUDED.name), updated_at = now()
        RETURNING id, tier),
      callback AS (
        INSERT INTO callbacks (business_id, line_id, customer_phone, customer_id, trigger, triggered_at, last_triggered_at,
                               due_at, priority, order_row_id)
        SELECT $1, $10, $5, buyer.id, 'order', $13, $13, $14, CASE WHEN buyer.tier = 'vip' THEN $16 ELSE $15 END, new_order.id
        FROM buyer, new_order
        """ + CallbackStore.MERGE_INTO_OPEN + """
      , order_row_id = EXCLUDED.order_row_id
        RETURNING\s""" + CallbackStore.SCHEDULED_COLUMNS + """
      )
      SELECT (SELECT id FROM new_order) AS order_row_id, callback.* FROM (VALUES (1)) AS one LEFT JOIN callback ON true""";
  /** The newest order behind a callback, for what the buyer hears. */
  static final String OF_CALLBACK = """
      SELECT o.source, o.order_id, o.display_number, o.name
      FROM callbacks cb JOIN orders o ON o.id = cb.order_row_id WHERE cb.id = $1""";

  /**
   * What recording an order did.
   *
   * @param result one of {@link Order#RESULTS}, as the answer and the metrics say it (the table keeps
   *     {@code called} for a buyer called now or later)
   * @param callback the callback it landed on, when the buyer can be called
   */
  public record Recorded(String result, Optional<Long> orderRowId, Optional<CallbackStore.Scheduled> callback) {}

  private final Pool pool;
  private final CallbackPolicy policy;

  public OrderStore(Pool pool, CallbackPolicy policy) {
    this.pool = pool;
    this.policy = policy;
  }

  /**
   * @param phone the buyer's callable number in E.164, or empty (the order is still recorded)
   * @param lineId the line that calls the buyer back
   */
  public Future<Recorded> record(long businessId, Order order, Optional<String> phone, long lineId, Instant receivedAt) {
    String result = phone.isPresent() ? Order.CALLED : order.unreachableResult();
    // To the microsecond PostgreSQL keeps, so that the callback read back compares equal.
    Instant dueAtOnce = policy.dueAt(CallbackTrigger.ORDER, receivedAt).truncatedTo(ChronoUnit.MICROS);
    String storedPhone = phone.orElse(order.phones().isEmpty() ? null : clip(order.phones().get(0).raw()));
    return pool.preparedQuery(RECORD).execute(Tuple.from(new Object[] {
            businessId, order.source(), order.orderId(), clip(order.displayNumber()), storedPhone, order.name(), order.total(),
            order.currency(), order.itemCount(), lineId, result, Rows.timestamp(order.orderedAt()), Rows.timestamp(receivedAt),
            Rows.timestamp(order.callAt() != null && order.callAt().isAfter(receivedAt) ? order.callAt() : dueAtOnce),
            policy.priority(CallbackTrigger.ORDER, Customer.Tier.STANDARD), policy.priority(CallbackTrigger.ORDER, Customer.Tier.VIP)}))
        .map(rows -> {
          Row row = rows.iterator().next();
          Long orderRow = row.getLong("order_row_id");
          if (orderRow == null) {
            return new Recorded(Order.DUPLICATE, Optional.empty(), Optional.empty());
          }
          Optional<CallbackStore.Scheduled> callback = row.getLong("id") == null ? Optional.empty()
              : Optional.of(CallbackStore.scheduled(row));
          return new Recorded(callback.map(c -> Order.callbackResult(c.dueAt(), dueAtOnce)).orElse(result), Optional.of(orderRow),
              callback);
        });
  }

  /** What the buyer hears about: the newest order behind a callback. */
  public record OrderFacts(String source, String orderId, String displayNumber, String name) {
    /** The order number as it is read out: "#1001" becomes "1001". */
    public Optional<String> spokenNumber() {
      String number = displayNumber != null ? displayNumber : orderId;
      return Optional.ofNullable(number).map(n -> n.replaceFirst("^#", "").trim()).filter(n -> !n.isEmpty());
    }
  }

  public Future<Optional<OrderFacts>> ofCallback(long callbackId) {
    return pool.preparedQuery(OF_CALLBACK).execute(Tuple.of(callbackId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new OrderFacts(row.getString("source"), row.getString("order_id"), row.getString("display_number"),
          row.getString("name")));
    });
  }

  private static String clip(String value) {
    return value == null || value.length() <= 64 ? value : value.substring(0, 64);
  }
}
