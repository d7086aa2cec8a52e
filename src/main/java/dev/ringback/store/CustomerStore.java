package dev.ringback.store;

import dev.ringback.domain.Customer;
import dev.ringback.domain.CustomerData;
import dev.ringback.domain.CustomerQuery;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Customers of a business, keyed by their E.164 phone number. */
public final class CustomerStore {
  private static final String COLUMNS = "id, phone, name, tier, language, time_zone, notes, created_at, updated_at";

  static final String FIND_BY_PHONE = "SELECT " + COLUMNS + " FROM customers WHERE business_id = $1 AND phone = $2";
  /** The customer on a call: the caller of an inbound call, or the customer a callback calls. */
  static final String FIND_ON_CALL = "SELECT " + COLUMNS + " FROM customers WHERE business_id = $1 AND phone = " + """
      (SELECT phone FROM (SELECT caller_phone AS phone FROM calls WHERE business_id = $1 AND call_sid = $2
                          UNION ALL SELECT customer_phone FROM callbacks WHERE business_id = $1 AND id = $3) known
       WHERE phone IS NOT NULL LIMIT 1)""";
  static final String INSERT = "INSERT INTO customers (business_id, phone, name, tier, language, time_zone, notes) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " + COLUMNS;
  static final String REPLACE = "INSERT INTO customers (business_id, phone, name, tier, language, time_zone, notes) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $7) "
      + "ON CONFLICT (business_id, phone) DO UPDATE SET name = EXCLUDED.name, tier = EXCLUDED.tier, "
      + "language = EXCLUDED.language, time_zone = EXCLUDED.time_zone, notes = EXCLUDED.notes, updated_at = now() "
      + "RETURNING " + COLUMNS + ", (xmax = 0) AS inserted";
  /** Import rows: cells left empty keep what is stored. */
  static final String MERGE = "INSERT INTO customers (business_id, phone, name, tier, language, time_zone, notes) "
      + "VALUES ($1, $2, $3, COALESCE($4, 'standard'), $5, $6, $7) "
      + "ON CONFLICT (business_id, phone) DO UPDATE SET name = COALESCE($3, customers.name), "
      + "tier = COALESCE($4, customers.tier), language = COALESCE($5, customers.language), "
      + "time_zone = COALESCE($6, customers.time_zone), notes = COALESCE($7, customers.notes), updated_at = now() "
      + "RETURNING (xmax = 0) AS inserted";
  static final String FIND_BY_PHONES = "SELECT " + COLUMNS + " FROM customers WHERE business_id = $1 AND phone = ANY($2)";
  static final String DELETE = "DELETE FROM customers WHERE business_id = $1 AND phone = $2";
  static final String LIST = "SELECT " + COLUMNS + " FROM customers WHERE business_id = $1 AND id > $2 ORDER BY id LIMIT $3";
  /** Customers whose name holds $3 (a LIKE pattern, any case), or whose number holds the digits $4. */
  static final String SEARCH = "SELECT " + COLUMNS + " FROM customers WHERE business_id = $1 AND id > $2"
      + " AND (name ILIKE $3 OR phone LIKE $4) ORDER BY id LIMIT $5";

  /** What a replace did. */
  public record Saved(Customer customer, boolean created) {}

  /** What an import did. */
  public record Merged(int added, int updated) {}

  private final Pool pool;

  public CustomerStore(Pool pool) {
    this.pool = pool;
  }

  /** The customer the call {@code callSid}, or the callback {@code callbackId} (may be null), is with, if the business knows them. */
  public Future<Optional<Customer>> findOnCall(long businessId, String callSid, Long callbackId) {
    return pool.preparedQuery(FIND_ON_CALL).execute(Tuple.of(businessId, callSid, callbackId))
        .map(CustomerStore::first);
  }

  public Future<Optional<Customer>> findByPhone(long businessId, String phone) {
    return pool.preparedQuery(FIND_BY_PHONE).execute(Tuple.of(businessId, phone)).map(CustomerStore::first);
  }

  /** Empty when a customer with that phone exists already. */
  public Future<Optional<Customer>> create(long businessId, CustomerData data) {
    return pool.preparedQuery(INSERT).execute(values(businessId, data, "standard"))
        .map(CustomerStore::first)
        .recover(failure -> Rows.isUniqueViolation(failure) ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure));
  }

  public Future<Saved> replace(long businessId, CustomerData data) {
    return pool.preparedQuery(REPLACE).execute(values(businessId, data, "standard"))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Saved(toCustomer(row), row.getBoolean("inserted"));
        });
  }

  public Future<Boolean> delete(long businessId, String phone) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(businessId, phone)).map(rows -> rows.rowCount() > 0);
  }

  /** A page of customers after the given id, in id order. */
  public Future<List<Customer>> list(long businessId, long afterId, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(businessId, afterId, limit))
        .map(rows -> {
          List<Customer> out = new ArrayList<>();
          rows.forEach(row -> out.add(toCustomer(row)));
          return out;
        });
  }

  /** A page of the customers the query finds, after the given id, in id order. */
  public Future<List<Customer>> search(long businessId, CustomerQuery query, long afterId, int limit) {
    String name = query.name() == null ? null : "%" + literally(query.name()) + "%";
    String digits = query.digits() == null ? null : "%" + query.digits() + "%";
    return pool.preparedQuery(SEARCH).execute(Tuple.of(businessId, afterId, name, digits, limit))
        .map(rows -> {
          List<Customer> out = new ArrayList<>();
          rows.forEach(row -> out.add(toCustomer(row)));
          return out;
        });
  }

  /** Typed text as a LIKE pattern that matches it literally: its % and _ are no wildcards. */
  private static String literally(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** A row of an import and the line of the file it ends on. */
  public record ImportRow(long line, CustomerData data) {}

  /** A row skipped because its phone was given on an earlier line. */
  public record Repeated(long line, String phone, long firstLine) {}

  /** What one batch of an import did. */
  public record Batch(int added, int updated, List<Repeated> repeated) {}

  static final String IMPORT_PHONES = "CREATE TEMP TABLE import_phones (phone text PRIMARY KEY, line bigint NOT NULL) ON COMMIT DROP";
  static final String CLAIM_PHONES = "INSERT INTO import_phones SELECT * FROM unnest($1::text[], $2::bigint[]) "
      + "ON CONFLICT (phone) DO NOTHING RETURNING phone";
  static final String FIRST_LINES = "SELECT phone, line FROM import_phones WHERE phone = ANY($1)";

  /**
   * One import, batch by batch, in one transaction: applied whole or, on a failure, not at all.
   * Which phones it has seen is kept in the database (a temporary table), not in memory.
   */
  public <T> Future<T> importing(long businessId, Function<Import, Future<T>> work) {
    return pool.withTransaction(conn -> conn.query(IMPORT_PHONES).execute().compose(v -> work.apply(new Import(conn, businessId))));
  }

  /**
   * An import's reading without its writing, for a preview: the same phones seen batch by batch
   * in the same temporary table, in a transaction that is always rolled back.
   */
  public <T> Future<T> previewing(long businessId, Function<Import, Future<T>> work) {
    return pool.withConnection(conn -> conn.begin().compose(tx -> conn.query(IMPORT_PHONES).execute()
        .compose(v -> work.apply(new Import(conn, businessId)))
        .eventually(tx::rollback)));
  }

  /** A batch's rows whose phones no earlier batch gave, and those it did. */
  public record Claimed(List<ImportRow> fresh, List<Repeated> repeated) {}

  /** An import in progress. */
  public static final class Import {
    private final SqlConnection conn;
    private final long businessId;

    private Import(SqlConnection conn, long businessId) {
      this.conn = conn;
      this.businessId = businessId;
    }

    /** Merges rows whose phones differ from each other; a phone an earlier batch gave is skipped and reported. */
    public Future<Batch> merge(List<ImportRow> rows) {
      return claim(rows).compose(claimed -> mergeRows(claimed.fresh())
          .map(merged -> new Batch(merged.added(), merged.updated(), claimed.repeated())));
    }

    /** The business's customers among the phones (E.164), by phone; one query. */
    public Future<Map<String, Customer>> stored(List<String> phones) {
      if (phones.isEmpty()) {
        return Future.succeededFuture(Map.of());
      }
      return conn.preparedQuery(FIND_BY_PHONES).execute(Tuple.tuple().addLong(businessId).addArrayOfString(phones.toArray(String[]::new)))
          .map(rows -> {
            Map<String, Customer> found = new HashMap<>();
            rows.forEach(row -> found.put(row.getString("phone"), toCustomer(row)));
            return found;
          });
    }

    /** Notes the rows' phones (which differ from each other) as seen; a phone an earlier batch gave is reported with its first line. */
    public Future<Claimed> claim(List<ImportRow> rows) {
      if (rows.isEmpty()) {
        return Future.succeededFuture(new Claimed(List.of(), List.of()));
      }
      String[] phones = rows.stream().map(r -> r.data().phone()).toArray(String[]::new);
      Long[] lines = rows.stream().map(ImportRow::line).toArray(Long[]::new);
      return conn.preparedQuery(CLAIM_PHONES).execute(Tuple.tuple().addArrayOfString(phones).addArrayOfLong(lines)).compose(claimed -> {
        Set<String> fresh = new HashSet<>();
        claimed.forEach(row -> fresh.add(row.getString("phone")));
        List<ImportRow> accepted = rows.stream().filter(r -> fresh.contains(r.data().phone())).toList();
        List<ImportRow> seen = rows.stream().filter(r -> !fresh.contains(r.data().phone())).toList();
        Future<List<Repeated>> repeated = seen.isEmpty() ? Future.succeededFuture(List.of())
            : conn.preparedQuery(FIRST_LINES).execute(Tuple.tuple().addArrayOfString(seen.stream().map(r -> r.data().phone()).toArray(String[]::new)))
                .map(found -> {
                  Map<String, Long> first = new HashMap<>();
                  found.forEach(row -> first.put(row.getString("phone"), row.getLong("line")));
                  return seen.stream().map(r -> new Repeated(r.line(), r.data().phone(), first.get(r.data().phone()))).toList();
                });
        return repeated.map(skipped -> new Claimed(accepted, skipped));
      });
    }

    private Future<Merged> mergeRows(List<ImportRow> rows) {
      if (rows.isEmpty()) {
        return Future.succeededFuture(new Merged(0, 0));
      }
      List<Tuple> batch = rows.stream().map(r -> values(businessId, r.data(), null)).toList();
      return conn.preparedQuery(MERGE).executeBatch(batch).map(CustomerStore::merged);
    }
  }

  private static Merged merged(RowSet<Row> result) {
    int added = 0;
    int updated = 0;
    for (RowSet<Row> set = result; set != null; set = set.next()) {
      for (Row row : set) {
        if (row.getBoolean("inserted")) {
          added++;
        } else {
          updated++;
        }
      }
    }
    return new Merged(added, updated);
  }

  private static Tuple values(long businessId, CustomerData data, String defaultTier) {
    return Tuple.tuple()
        .addLong(businessId)
        .addString(data.phone())
        .addString(data.name())
        .addString(data.tier() == null ? defaultTier : data.tier().value())
        .addString(data.language())
        .addString(data.timeZone())
        .addString(data.notes());
  }

  private static Optional<Customer> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toCustomer(rows.iterator().next()));
  }

  static Customer toCustomer(Row row) {
    return new Customer(
        row.getLong("id"),
        row.getString("phone"),
        row.getString("name"),
        Customer.Tier.parse(row.getString("tier")).orElse(Customer.Tier.STANDARD),
        row.getString("language"),
        row.getString("time_zone"),
        row.getString("notes"),
        Rows.instant(row.getOffsetDateTime("created_at")),
        Rows.instant(row.getOffsetDateTime("updated_at")));
  }
}
