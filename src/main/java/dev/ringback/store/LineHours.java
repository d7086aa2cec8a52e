package dev.ringback.store;

import dev.ringback.domain.Line;
import dev.ringback.domain.OpeningHours;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each line's opening hours: the ones set through the API (kept in the database, read on every
 * call from this copy, reloaded whenever any instance changes them), else the config's.
 */
public final class LineHours {
  private static final Logger LOG = LoggerFactory.getLogger(LineHours.class);
  static final String LOAD = "SELECT slug, hours FROM lines WHERE business_id = $1 AND hours IS NOT NULL";
  static final String SET = "UPDATE lines SET hours = $3, updated_at = now() WHERE business_id = $1 AND slug = $2";

  private final Pool pool;
  private final long businessId;
  private final List<Line> lines;
  private final AtomicReference<Map<String, OpeningHours>> set = new AtomicReference<>(Map.of());

  public LineHours(Pool pool, long businessId, List<Line> lines) {
    this.pool = pool;
    this.businessId = businessId;
    this.lines = List.copyOf(lines);
  }

  public OpeningHours of(Line line) {
    return set.get().getOrDefault(line.id(), line.hours());
  }

  /** The hours come from the API rather than the config. */
  public boolean setThroughApi(Line line) {
    return set.get().containsKey(line.id());
  }

  public Future<Void> reload() {
    return pool.preparedQuery(LOAD).execute(Tuple.of(businessId)).map(rows -> {
      Map<String, OpeningHours> loaded = new HashMap<>();
      for (Row row : rows) {
        String slug = row.getString("slug");
        lines.stream().filter(l -> l.id().equals(slug)).findFirst().ifPresent(line -> {
          try {
            loaded.put(slug, parse(line, Rows.json(row.getValue("hours"))));
          } catch (RuntimeException e) {
            LOG.error("line {}: the stored opening hours are not valid ({}); the config's apply", slug, e.getMessage());
          }
        });
      }
      set.set(Map.copyOf(loaded));
      return null;
    });
  }

  /**
   * Sets a line's hours ({@code {"week": {"mon": ["09:00-17:00"], ...} or null, "closed": [...]}}),
   * or with null goes back to the config's. Throws {@link OpeningHours.Invalid} (or, for values
   * of the wrong type, {@link IllegalArgumentException}) before anything is stored.
   */
  public Future<Void> set(Line line, JsonObject hours) {
    if (hours != null) {
      parse(line, hours);
    }
    return pool.preparedQuery(SET).execute(Tuple.of(businessId, line.id(), hours)).compose(v -> reload());
  }

  private static OpeningHours parse(Line line, JsonObject hours) {
    JsonObject week = hours.getJsonObject("week");
    Map<String, List<String>> days = null;
    if (week != null) {
      days = new HashMap<>();
      for (String day : week.fieldNames()) {
        days.put(day, strings(week.getValue(day), "week." + day));
      }
    }
    return OpeningHours.parse(line.timeZone(), days, strings(hours.getValue("closed"), "closed"));
  }

  private static List<String> strings(Object value, String field) {
    if (value == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof String text)) {
          throw new IllegalArgumentException(field + ": must be a list of strings");
        }
        out.add(text);
      }
      return out;
    }
    throw new IllegalArgumentException(field + ": must be a list of strings");
  }
}
