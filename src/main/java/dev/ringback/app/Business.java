package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.Line;
import dev.ringback.domain.OpeningHours;
import dev.ringback.store.LineHours;
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
 * @param lineKeys line id to its database key
 * @param adminTokenHash SHA-256 of its admin bearer token for /api/*
 * @param telephony places its calls with its own credentials, behind its own circuit breaker
 * @param hours its lines' opening hours (the config's, or those set through the API)
 */
public record Business(long id, String slug, String name, boolean fromConfig, RingbackConfig.TwilioAccount twilio,
                       int callsPerSecond, RingbackConfig.Orders orders, List<Line> lines, Map<String, Long> lineKeys,
                       byte[] adminTokenHash, Telephony telephony, LineHours hours) {

  public Business {
    lines = List.copyOf(lines);
    lineKeys = Map.copyOf(lineKeys);
  }

  public boolean isDefault() {
    return RingbackConfig.DEFAULT_BUSINESS.equals(slug);
  }

  public Optional<Line> lineByNumber(String number) {
    return lines.stream().filter(l -> l.number().equals(number)).findFirst();
  }

  public Optional<Line> lineById(String id) {
    return lines.stream().filter(l -> l.id().equals(id)).findFirst();
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
    return hours.of(line);
  }

  /** Whether a line's opening hours were set through the API (and override the configuration's). */
  public boolean hoursSetThroughApi(Line line) {
    return hours.setThroughApi(line);
  }

  /** Sets a line's opening hours ({@code null}: back to the configuration's), for every instance. */
  public Future<Void> setHours(Line line, JsonObject openingHours) {
    return hours.set(line, openingHours);
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
    return "Business[" + slug + " #" + id + ", " + lines.size() + " line(s), " + twilio + "]";
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
