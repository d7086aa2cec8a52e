package dev.ringback.store;

import dev.ringback.domain.Line;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The businesses: those of the configuration get a row (and their numbers) at start-up; those
 * created through the API live here whole, their secrets sealed by {@link SecretBox}. Every
 * Twilio number is claimed by one business in {@code business_numbers}, so two businesses can
 * never share one, even when two instances write at once.
 */
public final class BusinessStore {
  /** A configuration business keeps its row across restarts; a slug taken by an API business is refused (no row). */
  static final String UPSERT_CONFIG = """
      INSERT INTO businesses (slug, name, source) VALUES ($1, $2, 'config')
      ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
        WHERE businesses.source = 'config' AND businesses.name IS DISTINCT FROM EXCLUDED.name
      RETURNING id""";
  static final String FIND_BY_SLUG = "SELECT id, source, deleted_at FROM businesses WHERE slug = $1";
  /** The configuration is read again at each start: its businesses' numbers are claimed afresh. */
  static final String RELEASE_CONFIG_NUMBERS = """
      DELETE FROM business_numbers WHERE business_id IN (SELECT id FROM businesses WHERE source = 'config')""";
  static final String RELEASE_NUMBERS = "DELETE FROM business_numbers WHERE business_id = $1";
  static final String CLAIM_NUMBER = "INSERT INTO business_numbers (number, business_id) VALUES ($1, $2) ON CONFLICT (number) DO NOTHING";
  static final String OWNERS = """
      SELECT n.number, n.business_id, b.slug, b.source FROM business_numbers n JOIN businesses b ON b.id = n.business_id
      WHERE n.number = ANY($1)""";
  /** A key is taken before the row is written: the secrets are sealed for it. */
  static final String NEXT_ID = "SELECT nextval(pg_get_serial_sequence('businesses', 'id')) AS id";
  static final String INSERT_API = """
      INSERT INTO businesses (id, slug, name, source, settings) VALUES ($1, $2, $3, 'api', $4)
      ON CONFLICT (slug) DO NOTHING RETURNING id""";
  static final String UPDATE_API = """
      UPDATE businesses SET name = $2, settings = $3, updated_at = now()
      WHERE slug = $1 AND source = 'api' AND deleted_at IS NULL RETURNING id""";
  /** Deleted: its history stays, its slug is freed, its numbers, secrets and token go, its waiting callbacks are cancelled. */
  static final String DELETE_API = """
      UPDATE businesses SET deleted_at = now(), slug = slug || '~deleted-' || id, updated_at = now()
      WHERE slug = $1 AND source = 'api' AND deleted_at IS NULL RETURNING id""";
  static final String DELETE_SECRETS = "DELETE FROM business_secrets WHERE business_id = $1";
  static final String DELETE_TOKENS = "DELETE FROM api_tokens WHERE business_id = $1";
  static final String CANCEL_OPEN_WORK = """
      UPDATE callbacks SET state = 'cancelled', outcome = 'cancelled', cancel_cause = 'business_deleted', updated_at = now()
      WHERE business_id = $1 AND state IN ('scheduled', 'agent_queue')""";
  static final String PUT_SECRET = """
      INSERT INTO business_secrets (business_id, name, sealed) VALUES ($1, $2, $3)
      ON CONFLICT (business_id, name) DO UPDATE SET sealed = EXCLUDED.sealed""";
  static final String DELETE_SECRET = "DELETE FROM business_secrets WHERE business_id = $1 AND name = $2";
  /** Touches the business so every instance reloads it (the businesses' trigger notifies them). */
  static final String TOUCH_API = """
      UPDATE businesses SET updated_at = now() WHERE slug = $1 AND source = 'api' AND deleted_at IS NULL RETURNING id""";
  /** A business's admin token (its hash), new or in place of the one before. */
  static final String PUT_TOKEN = """
      INSERT INTO api_tokens (business_id, name, token_sha256) VALUES ($1, 'admin', $2)
      ON CONFLICT (business_id, name) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256""";
  static final String UPSERT_LINE = LineStore.UPSERT_LINE;
  static final String LOAD_API = """
      SELECT b.id, b.slug, b.name, b.settings,
             (SELECT t.token_sha256 FROM api_tokens t WHERE t.business_id = b.id AND t.name = 'admin') AS token
      FROM businesses b WHERE b.source = 'api' AND b.deleted_at IS NULL ORDER BY b.id""";
  static final String LOAD_SECRETS = """
      SELECT s.business_id, s.name, s.sealed FROM business_secrets s JOIN businesses b ON b.id = s.business_id
      WHERE b.source = 'api' AND b.deleted_at IS NULL""";
  static final String LOAD_LINE_KEYS = """
      SELECT l.business_id, l.slug, l.id FROM lines l JOIN businesses b ON b.id = l.business_id
      WHERE b.source = 'api' AND b.deleted_at IS NULL""";

  /** The secret names of a business and where each sits in its settings. */
  public static final Map<String, String> SECRET_KEYS = Map.of(
      "twilio_auth_token", "twilio.auth-token",
      "twilio_api_secret", "twilio.api-secret",
      "order_generic", "orders.generic.secret",
      "order_shopify", "orders.shopify.secret",
      "order_woocommerce", "orders.woocommerce.secret");

  /**
   * A number another business has.
   *
   * @param fromConfig the other business is declared in the configuration
   */
  public static final class NumberTaken extends RuntimeException {
    private final String number;
    private final String owner;
    private final boolean fromConfig;

    NumberTaken(String number, String owner, boolean fromConfig) {
      super(number + " is already a line of business '" + owner + "'", null, false, false);
      this.number = number;
      this.owner = owner;
      this.fromConfig = fromConfig;
    }

    public String number() {
      return number;
    }

    public String owner() {
      return owner;
    }

    public boolean fromConfig() {
      return fromConfig;
    }
  }

  /** A slug another business has (or had, when it came from the configuration). */
  public static final class SlugTaken extends RuntimeException {
    SlugTaken(String slug) {
      super("slug: '" + slug + "' is taken by another business", null, false, false);
    }
  }

  /**
   * An API business as stored.
   *
   * @param settings everything but the secrets, in the shape of an entry of {@code businesses:}
   * @param sealed the sealed secrets by name
   * @param lineKeys line id to its database key
   */
  public record Stored(long id, String slug, String name, JsonObject settings, Map<String, byte[]> sealed, byte[] tokenHash,
                       Map<String, Long> lineKeys) {}

  private final Pool pool;

  public BusinessStore(Pool pool) {
    this.pool = pool;
  }

  /** The row of a business of the configuration; fails when an API business has its slug. */
  public Future<Long> syncConfig(String slug, String name) {
    return pool.preparedQuery(UPSERT_CONFIG).execute(Tuple.of(slug, name)).compose(rows -> {
      if (rows.size() > 0) {
        return Future.succeededFuture(rows.iterator().next().getLong("id"));
      }
      return pool.preparedQuery(FIND_BY_SLUG).execute(Tuple.of(slug)).compose(found -> {
        Row row = found.iterator().next();
        if (!"config".equals(row.getString("source"))) {
          return Future.failedFuture(new IllegalStateException("business '" + slug + "' is declared in the configuration, but a "
              + "business created through /api/businesses has that slug; delete that one or rename this one"));
        }
        return Future.succeededFuture(row.getLong("id"));
      });
    });
  }

  /**
   * Claims the numbers of every configuration business at once (number to business key),
   * releasing what earlier configurations claimed; fails naming both businesses when one of
   * them is a line of an API business.
   */
  public Future<Void> claimConfigNumbers(Map<String, Long> numbers) {
    return pool.withTransaction(conn -> conn.query(RELEASE_CONFIG_NUMBERS).execute()
        .compose(v -> claim(conn, numbers)));
  }

  private static Future<Void> claim(SqlConnection conn, Map<String, Long> numbers) {
    if (numbers.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = numbers.entrySet().stream().map(e -> Tuple.of(e.getKey(), e.getValue())).toList();
    return conn.preparedQuery(CLAIM_NUMBER).executeBatch(batch)
        .compose(v -> conn.preparedQuery(OWNERS).execute(Tuple.of((Object) numbers.keySet().toArray(String[]::new))))
        .compose(rows -> {
          for (Row row : rows) {
            if (row.getLong("business_id").longValue() != numbers.get(row.getString("number")).longValue()) {
              return Future.failedFuture(new NumberTaken(row.getString("number"), row.getString("slug"),
                  "config".equals(row.getString("source"))));
            }
          }
          return Future.succeededFuture();
        });
  }

  /** What to write for an API business: its settings, its secrets sealed by name (null: removed), its lines. */
  public record Write(String slug, String name, JsonObject settings, Map<String, byte[]> sealed, List<Line> lines) {}

  /** The key the next business will have. */
  public Future<Long> nextId() {
    return pool.query(NEXT_ID).execute().map(rows -> rows.iterator().next().getLong("id"));
  }

  /** Creates an API business under a key from {@link #nextId}, with its token's hash; fails with {@link SlugTaken} or {@link NumberTaken}. */
  public Future<Long> create(long id, Write write, byte[] tokenHash) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_API)
        .execute(Tuple.of(id, write.slug(), write.name(), write.settings()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new SlugTaken(write.slug()));
          }
          return write(conn, id, write)
              .compose(v -> conn.preparedQuery(PUT_TOKEN).execute(Tuple.of(id, Buffer.buffer(tokenHash))))
              .map(id);
        }));
  }

  /** Gives an API business a new admin token (its hash): the old one stops working. False when there is no such API business. */
  public Future<Boolean> replaceToken(String slug, byte[] tokenHash) {
    return pool.withTransaction(conn -> conn.preparedQuery(TOUCH_API).execute(Tuple.of(slug)).compose(rows -> rows.size() == 0
        ? Future.succeededFuture(false)
        : conn.preparedQuery(PUT_TOKEN).execute(Tuple.of(rows.iterator().next().getLong("id"), Buffer.buffer(tokenHash))).map(true)));
  }

  /** Replaces an API business's settings, lines and the secrets given; empty when there is no such API business. */
  public Future<Optional<Long>> update(Write write) {
    return pool.withTransaction(conn -> conn.preparedQuery(UPDATE_API).execute(Tuple.of(write.slug(), write.name(), write.settings()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Long>empty());
          }
          long id = rows.iterator().next().getLong("id");
          return conn.preparedQuery(RELEASE_NUMBERS).execute(Tuple.of(id)).compose(v -> write(conn, id, write)).map(Optional.of(id));
        }));
  }

  private static Future<Void> write(SqlConnection conn, long id, Write write) {
    Map<String, Long> numbers = new LinkedHashMap<>();
    write.lines().forEach(line -> numbers.put(line.number(), id));
    return claim(conn, numbers)
        .compose(v -> write.lines().isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(UPSERT_LINE).executeBatch(write.lines().stream()
                .map(l -> Tuple.of(id, l.id(), l.number(), l.name())).toList()).mapEmpty())
        .compose(v -> {
          List<Future<RowSet<Row>>> secrets = new ArrayList<>();
          write.sealed().forEach((name, sealed) -> secrets.add(sealed == null
              ? conn.preparedQuery(DELETE_SECRET).execute(Tuple.of(id, name))
              : conn.preparedQuery(PUT_SECRET).execute(Tuple.of(id, name, Buffer.buffer(sealed)))));
          return Future.all(secrets).mapEmpty();
        });
  }

  /** Deletes an API business (its history stays); false when there is no such API business. */
  public Future<Boolean> delete(String slug) {
    return pool.withTransaction(conn -> conn.preparedQuery(DELETE_API).execute(Tuple.of(slug)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(false);
      }
      Tuple id = Tuple.of(rows.iterator().next().getLong("id"));
      return conn.preparedQuery(RELEASE_NUMBERS).execute(id)
          .compose(v -> conn.preparedQuery(DELETE_SECRETS).execute(id))
          .compose(v -> conn.preparedQuery(DELETE_TOKENS).execute(id))
          .compose(v -> conn.preparedQuery(CANCEL_OPEN_WORK).execute(id))
          .map(true);
    }));
  }

  /** A secret sealed again (under a new key): business key, secret name, the new sealed value. */
  public record Resealed(long businessId, String name, byte[] sealed) {}

  /** Stores secrets sealed again under the current key, in one transaction. */
  public Future<Void> reseal(List<Resealed> resealed) {
    if (resealed.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(conn -> conn.preparedQuery(PUT_SECRET).executeBatch(resealed.stream()
        .map(r -> Tuple.of(r.businessId(), r.name(), Buffer.buffer(r.sealed()))).toList())).mapEmpty();
  }

  /** Every API business that is not deleted. */
  public Future<List<Stored>> loadApi() {
    Future<RowSet<Row>> businesses = pool.query(LOAD_API).execute();
    Future<RowSet<Row>> secrets = pool.query(LOAD_SECRETS).execute();
    Future<RowSet<Row>> keys = pool.query(LOAD_LINE_KEYS).execute();
    return Future.all(businesses, secrets, keys).map(v -> {
      Map<Long, Map<String, byte[]>> sealed = new HashMap<>();
      for (Row row : secrets.result()) {
        sealed.computeIfAbsent(row.getLong("business_id"), k -> new HashMap<>())
            .put(row.getString("name"), row.getBuffer("sealed").getBytes());
      }
      Map<Long, Map<String, Long>> lineKeys = new HashMap<>();
      for (Row row : keys.result()) {
        lineKeys.computeIfAbsent(row.getLong("business_id"), k -> new HashMap<>()).put(row.getString("slug"), row.getLong("id"));
      }
      List<Stored> out = new ArrayList<>();
      for (Row row : businesses.result()) {
        long id = row.getLong("id");
        Buffer token = row.getBuffer("token");
        out.add(new Stored(id, row.getString("slug"), row.getString("name"), Rows.json(row.getValue("settings")),
            Map.copyOf(sealed.getOrDefault(id, Map.of())), token == null ? null : token.getBytes(),
            Map.copyOf(lineKeys.getOrDefault(id, Map.of()))));
      }
      return out;
    });
  }
}
