package dev.ringback.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A strict reader over one YAML mapping: every read names its key, every value is checked,
 * and keys nobody read are reported as unknown, so a typo never passes silently.
 */
final class ConfigNode {
  private final String path;
  private final Map<String, Object> values;
  private final Map<String, String> sources;
  private final Set<String> read = new TreeSet<>();

  ConfigNode(String path, Map<String, Object> values, Map<String, String> sources) {
    this.path = path;
    this.values = values == null ? Map.of() : values;
    this.sources = sources;
  }

  String key(String name) {
    String full = path.isEmpty() ? name : path + "." + name;
    String source = sources.get(full);
    return source == null ? full : source + " (" + full + ")";
  }

  boolean has(String name) {
    return values.get(name) != null;
  }

  private Object raw(String name) {
    read.add(name);
    return values.get(name);
  }

  String string(String name, String fallback) {
    Object value = raw(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Map || value instanceof List) {
      throw new ConfigException(key(name), "expected a single value, not a " + (value instanceof Map ? "mapping" : "list"));
    }
    return value.toString().trim();
  }

  String requiredString(String name) {
    String value = string(name, null);
    if (value == null || value.isEmpty()) {
      throw new ConfigException(key(name), "missing; it is required");
    }
    return value;
  }

  boolean bool(String name, boolean fallback) {
    String value = string(name, null);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new ConfigException(key(name), "'" + value + "' is not true or false");
    };
  }

  /** A token or secret: empty (unset), or long enough not to be guessed. */
  String secret(String name) {
    String value = string(name, "");
    if (!value.isEmpty() && value.length() < 16) {
      throw new ConfigException(key(name), "is too short; use at least 16 characters");
    }
    return value;
  }

  /** A required {@link RingbackConfig#SLUG}: a business's slug, a line's id. */
  String slug(String name) {
    String value = requiredString(name);
    if (!value.matches(RingbackConfig.SLUG)) {
      throw new ConfigException(key(name), "'" + value + "' must be 1-40 lower-case letters, digits, '-' or '_'");
    }
    return value;
  }

  int integer(String name, int fallback, int min, int max) {
    String value = string(name, null);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    return parseInt(key(name), value, min, max);
  }

  static int parseInt(String key, String value, int min, int max) {
    int parsed;
    try {
      parsed = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "'" + value + "' is not a whole number");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(key, parsed + " is out of range " + min + "-" + max);
    }
    return parsed;
  }

  /** {@link #httpUrl}, or empty when unset or empty. */
  String optionalHttpUrl(String name) {
    return string(name, "").isEmpty() ? "" : httpUrl(name, "");
  }

  /** An absolute http(s) URL without query or fragment, returned without a trailing slash. */
  String httpUrl(String name, String fallback) {
    String value = string(name, fallback);
    String key = key(name);
    URI uri;
    try {
      uri = new URI(value);
    } catch (Exception e) {
      throw new ConfigException(key, "'" + value + "' is not a valid URL");
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new ConfigException(key, "'" + value + "' is not an absolute http:// or https:// URL");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(key, "'" + value + "' must not have a query or fragment");
    }
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  List<String> strings(String name) {
    Object value = raw(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new ConfigException(key(name), "expected a list");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item == null || item instanceof Map || item instanceof List) {
        throw new ConfigException(key(name) + "[" + i + "]", "expected a single value");
      }
      out.add(item.toString().trim());
    }
    return out;
  }

  /** A list, or a comma-separated string as an environment variable gives it. */
  List<String> listOrCommaSeparated(String name) {
    if (values.get(name) instanceof String text) {
      read.add(name);
      return Arrays.stream(text.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
    return strings(name);
  }

  ConfigNode child(String name) {
    Object value = raw(name);
    if (value != null && !(value instanceof Map)) {
      throw new ConfigException(key(name), "expected a mapping of keys");
    }
    return new ConfigNode(path.isEmpty() ? name : path + "." + name, asMap(value), sources);
  }

  List<ConfigNode> children(String name) {
    Object value = raw(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new ConfigException(key(name), "expected a list");
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String itemPath = (path.isEmpty() ? name : path + "." + name) + "[" + i + "]";
      if (!(list.get(i) instanceof Map)) {
        throw new ConfigException(itemPath, "expected a mapping of keys");
      }
      out.add(new ConfigNode(itemPath, asMap(list.get(i)), sources));
    }
    return out;
  }

  /** The keys of this mapping, in the file's order. */
  List<String> names() {
    return List.copyOf(values.keySet());
  }

  boolean isMapping(String name) {
    return values.get(name) instanceof Map;
  }

  /** Call after every read: anything left over is a key this version does not know. */
  void rejectUnknownKeys() {
    for (String name : values.keySet()) {
      if (!read.contains(name)) {
        throw new ConfigException(key(name), "unknown key");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    if (value == null) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    ((Map<Object, Object>) value).forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }
}
