package dev.ringback.app;

import dev.ringback.config.ConfigException;
import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.Line;
import dev.ringback.store.LineOverrides;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line's settings as the API takes them (snake_case keys, such as {@code ring_strategy}), read
 * by the configuration's own rules, so a value refused in the file is refused here too.
 */
public final class LineSettings implements LineOverrides.Settings {
  private final RingbackConfig config;

  public LineSettings(RingbackConfig config) {
    this.config = config;
  }

  /** The settings' names in the API's shape. */
  public static List<String> names() {
    return RingbackConfig.lineSettings().stream().map(LineSettings::apiName).toList();
  }

  public static String apiName(String configKey) {
    return configKey.replace('-', '_');
  }

  @Override
  public Line apply(Line configured, JsonObject settings) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String name : settings.fieldNames()) {
      Object value = settings.getValue(name);
      values.put(name.replace('_', '-'), value instanceof JsonObject object ? object.getMap() : value);
    }
    try {
      return config.lineWith(configured, values);
    } catch (ConfigException e) {
      // "settings.ring-seconds: ..." reads as the API's "ring_seconds: ...".
      String message = e.getMessage().replaceFirst("^settings\\.", "");
      int colon = message.indexOf(": ");
      String key = colon < 0 ? "" : message.substring(0, colon);
      String top = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
      throw new IllegalArgumentException(apiName(top) + key.substring(top.length()) + message.substring(Math.max(colon, 0)));
    }
  }
}
