package dev.ringback.store;

import dev.ringback.domain.Line;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Gives the configured lines and the business their database keys. */
public final class LineStore {
  static final String BUSINESS_ID = "SELECT id FROM businesses WHERE slug = $1";
  static final String UPSERT_LINE = """
      INSERT INTO lines (business_id, slug, number, name) VALUES ($1, $2, $3, $4)
      ON CONFLICT (business_id, slug) DO UPDATE SET number = EXCLUDED.number, name = EXCLUDED.name, updated_at = now()
      RETURNING id, slug""";

  private final Pool pool;

  public LineStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Long> businessId(String slug) {
    return pool.preparedQuery(BUSINESS_ID).execute(Tuple.of(slug))
        .map(rows -> {
          if (rows.size() == 0) {
            throw new IllegalStateException("business '" + slug + "' is missing from the database");
          }
          return rows.iterator().next().getLong("id");
        });
  }

  /** Upserts every configured line; returns line id (config) to database key. */
  public Future<Map<String, Long>> sync(long businessId, List<Line> lines) {
    if (lines.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<Tuple> batch = lines.stream()
        .map(l -> Tuple.of(businessId, l.id(), l.number(), l.name()))
        .toList();
    return pool.withTransaction(conn -> conn.preparedQuery(UPSERT_LINE).executeBatch(batch))
        .map(rows -> {
          Map<String, Long> keys = new HashMap<>();
          for (var set = rows; set != null; set = set.next()) {
            for (Row row : set) {
              keys.put(row.getString("slug"), row.getLong("id"));
            }
          }
          return Map.copyOf(keys);
        });
  }

}
