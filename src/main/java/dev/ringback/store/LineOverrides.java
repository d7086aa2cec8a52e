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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each line as it is now: its configuration, with the opening hours and settings an owner set
 * through the API in its place (kept in the database, read on every call from this copy,
 * reloaded whenever any instance changes them).
 */
public final class LineOverrides {
  private static final Logger LOG = LoggerFactory.getLogger(LineOverrides.class);
  static final String LOAD = """
      SELECT business_id, slug, hours, settings FROM lines
      WHERE business_id = ANY($1) AND (hours IS NOT NULL OR settings IS NOT NULL)""";
  static final String SET_HOURS = "UPDATE lines SET hours = $3, updated_at = now() WHERE business_id = $1 AND slug = $2";
  static final String SET_SETTINGS = "UPDATE lines SET settings = $3, updated_at = now() WHERE business_id = $1 AND slug = $2";

  /**
   * Applies settings in the API's shape to a configured line, checking them as the configuration
   * does; throws {@link IllegalArgumentException} naming the first that is not valid.
   */
  public interface Settings {
    Line apply(Line configured, JsonObject settings);
  }

  /** What the database holds for a line: its hours and settings as stored, either null. */
  private record Stored(JsonObject hours, JsonObject settings) {}

  /** The lines now, which of their parts were set through the API, and the stored values they were made from. */
  private record Now(List<Line> lines, Set<String> hoursSet, Map<String, JsonObject> settings, Map<String, Stored> stored) {}

  private final Pool pool;
  private final long businessId;
  private final List<Line> configured;
  private final Settings rules;
  private final AtomicReference<Now> now;

  public LineOverrides(Pool pool, long businessId, List<Line> configured, Settings rules) {
    this.pool = pool;
    this.businessId = businessId;
    this.configured = List.copyOf(configured);
    this.rules = rules;
    this.now = new AtomicReference<>(new Now(this.configured, Set.of(), Map.of(), Map.of()));
  }

  /** Every line, with what was set through the API in place of the configuration's. */
  public List<Line> lines() {
    return now.get().lines();
  }

  /** The line as the configuration declares it. */
  public Optional<Line> configured(String id) {
    return configured.stream().filter(l -> l.id().equals(id)).findFirst();
  }

  public OpeningHours of(Line line) {
    return lines().stream().filter(l -> l.id().equals(line.id())).findFirst().map(Line::hours).orElse(line.hours());
  }

  /** The hours come from the API rather than the config. */
  public boolean setThroughApi(Line line) {
    return now.get().hoursSet().contains(line.id());
  }

  /** The settings set through the API, in the API's shape; empty when all are the configuration's. */
  public JsonObject settings(Line line) {
    JsonObject set = now.get().settings().get(line.id());
    return set == null ? new JsonObject() : set.copy();
  }

  public Future<Void> reload() {
    return reload(pool, List.of(this));
  }

  /**
   * Reloads several businesses' lines with one query (at start, and when every business's may
   * have changed while no notification was heard); a business whose stored values did not change
   * keeps its lines as they are.
   */
  public static Future<Void> reload(Pool pool, List<LineOverrides> each) {
    if (each.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] ids = each.stream().map(o -> o.businessId).distinct().toArray(Long[]::new);
    return pool.preparedQuery(LOAD).execute(Tuple.of(ids)).map(rows -> {
      Map<Long, Map<String, Stored>> byBusiness = new HashMap<>();
      rows.forEach(row -> byBusiness.computeIfAbsent(row.getLong("business_id"), id -> new HashMap<>())
          .put(row.getString("slug"), stored(row)));
      each.forEach(o -> o.apply(byBusiness.getOrDefault(o.businessId, Map.of())));
      return null;
    });
  }

  private static Stored stored(Row row) {
    Object hours = row.getValue("hours");
    Object settings = row.getValue("settings");
    return new Stored(hours == null ? null : Rows.json(hours), settings == null ? null : Rows.json(settings));
  }

  /** The configured lines with the stored values in place; nothing is rebuilt when those are as before. */
  private void apply(Map<String, Stored> stored) {
    if (stored.equals(now.get().stored())) {
      return;
    }
    List<Line> lines = new ArrayList<>();
    Set<String> hoursSet = new HashSet<>();
    Map<String, JsonObject> settings = new HashMap<>();
    for (Line line : configured) {
      Stored row = stored.get(line.id());
      Line effective = line;
      if (row != null && row.settings() != null) {
        try {
          effective = rules.apply(effective, row.settings());
          settings.put(line.id(), row.settings());
        } catch (RuntimeException e) {
          LOG.error("line {}: the stored settings are not valid ({}); the config's apply", line.id(), e.getMessage());
        }
      }
      if (row != null && row.hours() != null) {
        try {
          effective = effective.withHours(parse(line, row.hours()));
          hoursSet.add(line.id());
        } catch (RuntimeException e) {
          LOG.error("line {}: the stored opening hours are not valid ({}); the config's apply", line.id(), e.getMessage());
        }
      }
      lines.add(effective);
    }
    now.set(new Now(List.copyOf(lines), Set.copyOf(hoursSet), Map.copyOf(settings), Map.copyOf(stored)));
  }

  /**
   * Sets a line's hours ({@code {"week": {"mon": ["09:00-17:00"], ...} or null, "closed": [...]}}),
   * or with null goes back to the config's. Throws {@link OpeningHours.Invalid} (or, for values
   * of the wrong type, {@link IllegalArgumentException}) before anything is stored.
   */
  public Future<Void> setHours(Line line, JsonObject hours) {
    if (hours != null) {
      parse(line, hours);
    }
    return pool.preparedQuery(SET_HOURS).execute(Tuple.of(businessId, line.id(), hours)).compose(v -> reload());
  }

  /**
   * Sets a line's settings in the API's shape (those left out are the configuration's), or with
   * null or an empty object goes back to the configuration's. Throws
   * {@link IllegalArgumentException} before anything is stored when one is not valid.
   */
  public Future<Void> setSettings(Line line, JsonObject settings) {
    JsonObject stored = settings == null || settings.isEmpty() ? null : settings;
    if (stored != null) {
      rules.apply(configured(line.id()).orElse(line), stored);
    }
    return pool.preparedQuery(SET_SETTINGS).execute(Tuple.of(businessId, line.id(), stored)).compose(v -> reload());
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
