package dev.ringback.config;

/** A configuration problem, reported to the operator as one line naming the key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
  }
}
