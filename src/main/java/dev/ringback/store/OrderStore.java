package dev.ringback.store;

import dev.ringback.domain.CallbackPolicy;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Order;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;

/**
 * Orders from the shops. Recording one is a single transaction: the order in the buyer's
 * file, the buyer as a customer, and their callback; a delivery seen before changes nothing.
 */
public final class OrderStore {
  static final String INSERT = """
      INSERT INTO orders (business_id, source, order_id, display_number, phone, name, total, currency, item_count,
                          line_id, result, ordered_at, received_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      ON CONFLICT (business_id, source, order_id) DO NOTHING
      RETURNING id""";
  /** A buyer becomes a customer; a name already on file (perhaps typed by an agent) is kept. */
  static final String UPSERT_CUSTOMER = """
      INSERT INTO customers (business_id, phone, name) VALUES ($1, $2, $3)
      ON CONFLICT (business_id, phone) DO UPDATE
        SET name = COALESCE(NULLIF(customers.name, ''), EXCLUDED.name), updated_at = now()
      RETURNING id, tier""";
  static final String LINK = "UPDATE orders SET customer_id = $2, callback_id = $3 WHERE id = $1";
  /** The newest order a callback is about, for what the buyer hears. */
  static final String OF_CALLBACK = """
      SELECT source, order_id, display_number, name, total, currency, item_count, ordered_at
      FROM orders WHERE callback_id = $1 ORDER BY id DESC LIMIT 1""";

  /**
   * What recording an order did.
   *
   * @param result one of {@link Order#RESULTS}
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
    String storedPhone = phone.orElse(order.phones().isEmpty() ? null : clip(order.phones().get(0).raw()));
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT).execute(Tuple.from(new Object[] {
            businessId, order.source(), order.orderId(), clip(order.displayNumber()), storedPhone, order.name(), order.total(),
            order.currency(), order.itemCount(), lineId, result, Rows.timestamp(order.orderedAt()),
            Rows.timestamp(receivedAt)}))
        .compose(inserted -> {
          if (inserted.size() == 0) {
            return Future.succeededFuture(new Recorded(Order.DUPLICATE, Optional.empty(), Optional.empty()));
          }
          long rowId = inserted.iterator().next().getLong("id");
          if (phone.isEmpty()) {
            return Future.succeededFuture(new Recorded(result, Optional.of(rowId), Optional.empty()));
          }
          return callBack(conn, businessId, order, phone.get(), lineId, receivedAt, rowId)
              .map(scheduled -> new Recorded(result, Optional.of(rowId), Optional.of(scheduled)));
        }));
  }

  private Future<CallbackStore.Scheduled> callBack(SqlConnection conn, long businessId, Order order, String phone, long lineId,
                                                   Instant receivedAt, long rowId) {
    return conn.preparedQuery(UPSERT_CUSTOMER).execute(Tuple.of(businessId, phone, order.name()))
        .compose(rows -> {
          Row customer = rows.iterator().next();
          long customerId = customer.getLong("id");
          Customer.Tier tier = Customer.Tier.parse(customer.getString("tier")).orElse(Customer.Tier.STANDARD);
          return CallbackStore.schedule(conn, new CallbackStore.Trigger(businessId, lineId, phone, customerId,
                  CallbackPolicy.ORDER, null, receivedAt, policy.dueAt(CallbackPolicy.ORDER, receivedAt),
                  policy.priority(CallbackPolicy.ORDER, tier)))
              .compose(scheduled -> conn.preparedQuery(LINK).execute(Tuple.of(rowId, customerId, scheduled.id())).map(scheduled));
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
