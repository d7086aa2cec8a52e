package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.Line;
import dev.ringback.domain.OpeningHours;
import dev.ringback.store.LineOverrides;
import dev.ringback.telephony.Telephony;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One business on this server: its Twilio account (and the telephony that uses it), its lines,
 * order webhooks and admin token. Immutable; {@link Businesses} swaps in a new one when the
 * business changes.
 *
 * @param fromConfig declared in the configuration (the default business, or under {@code businesses:})
 * @param callsPerSecond outbound calls per second on its Twilio account (0: no limit)
 * @param lineKeys line id to its database key (of every line, also one no longer configured)
 * @param adminTokenHash SHA-256 of its admin bearer token for /api/*
 * @param telephony places its calls with its own credentials, behind its own circuit breaker
 * @param overrides its lines as configured, with the hours and settings set through the API in their place
 */
public record Business(long id, String slug, String name, boolean fromConfig, RingbackConfig.TwilioAccount twilio,
                       int callsPerSecond, RingbackConfig.Orders orders, Map<String, Long> lineKeys,
                       byte[] adminTokenHash, Telephony telephony, LineOverrides overrides) {

  public Business {
    lineKeys = Map.copyOf(lineKeys);
  }

  /** Its lines now: the configuration's, with what was set through the API in its place. */
  public List<Line> lines() {
    return overrides.lines();
  }

  public boolean isDefault() {
    return RingbackConfig.DEFAULT_BUSINESS.equals(slug);
  }

  public Optional<Line> lineByNumber(String number) {
    return lines().stream().filter(l -> l.number().equals(number)).findFirst();
  }

  public Optional<Line> lineById(String id) {
    return lines().stream().filter(l -> l.id().equals(id)).findFirst();
  }

  public long lineKey(Line line) {
    Long key = lineKeys.get(line.id());
    if (key == null) {
      throw new IllegalStateException("line " + line.id() + " of business " + slug + " has no database key");
    }
    return key;
  }

  /** The line id of a database key, also for a line no longer configured. */
  public Optional<String> lineId(long key) {
    return lineKeys.entrySet().stream().filter(e -> e.getValue() == key).map(Map.Entry::getKey).findFirst();
  }

  /** A line's opening hours now: those set through the API, else the configuration's. */
  public OpeningHours openingHours(Line line) {
    return overrides.of(line);
  }

  /** Whether a line's opening hours were set through the API (and override the configuration's). */
  public boolean hoursSetThroughApi(Line line) {
    return overrides.setThroughApi(line);
  }

  /** Sets a line's opening hours ({@code null}: back to the configuration's), for every instance. */
  public Future<Void> setHours(Line line, JsonObject openingHours) {
    return overrides.setHours(line, openingHours);
  }

  /** A line as the configuration declares it, before what was set through the API. */
  public Optional<Line> configuredLine(String id) {
    return overrides.configured(id);
  }

  /** The settings of a line set through the API, in the API's shape (empty: all are the configuration's). */
  public JsonObject settingsSetThroughApi(Line line) {
    return overrides.settings(line);
  }

  /**
   * Sets a line's settings in the API's shape ({@code null} or empty: back to the configuration's),
   * for every instance; throws {@link IllegalArgumentException} before anything is stored when one is not valid.
   */
  public Future<Void> setSettings(Line line, JsonObject settings) {
    return overrides.setSettings(line, settings);
  }

  /** The configured line of a database key. */
  public Optional<Line> lineOfKey(long key) {
    return lineId(key).flatMap(this::lineById);
  }

  /**
   * An absolute URL on this server for Twilio to call back about this business's calls: the
   * default business's URLs are as they always were; another business's carry
   * {@code business=<slug>}, so a webhook finds its business even when two share a Twilio account.
   */
  public String url(String publicUrl, String pathAndQuery) {
    if (isDefault()) {
      return publicUrl + pathAndQuery;
    }
    return publicUrl + pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "business=" + slug;
  }

  @Override
  public String toString() {
    return "Business[" + slug + " #" + id + ", " + lines().size() + " line(s), " + twilio + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Business b && b.id == id && b.slug.equals(slug);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }
}
