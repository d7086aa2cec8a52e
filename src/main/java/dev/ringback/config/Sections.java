package dev.ringback.config;

import dev.ringback.config.RingbackConfig.Agents;
import dev.ringback.config.RingbackConfig.Api;
import dev.ringback.config.RingbackConfig.Callbacks;
import dev.ringback.config.RingbackConfig.Database;
import dev.ringback.config.RingbackConfig.Demo;
import dev.ringback.config.RingbackConfig.Dialer;
import dev.ringback.config.RingbackConfig.Http;
import dev.ringback.config.RingbackConfig.Metrics;
import dev.ringback.config.RingbackConfig.Phone;
import dev.ringback.config.RingbackConfig.Retention;
import dev.ringback.config.RingbackConfig.Secrets;
import dev.ringback.config.RingbackConfig.Twilio;
import dev.ringback.domain.CallbackMode;
import dev.ringback.domain.CallbackPolicy;
import dev.ringback.domain.Catalogs;
import dev.ringback.domain.Feedback;
import dev.ringback.domain.OpeningHours;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.QuietHours;
import dev.ringback.domain.TextBack;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One reader for each section of the configuration that is a single mapping: its keys with their
 * defaults and limits, the checks across them, and no key it does not know. The sections a
 * business has of its own (lines, orders, businesses) are in {@link BusinessReader}.
 */
final class Sections {
  private Sections() {}

  static Http http(ConfigNode root) {
    ConfigNode node = root.child("http");
    int port = node.integer("port", 8080, 0, 65535);
    // Empty: this server on its own port; a free port (0) is known only once chosen (RingbackConfig.listeningOn).
    String publicUrl = node.optionalHttpUrl("public-url");
    Http http = new Http(
        port,
        publicUrl.isEmpty() && port != 0 ? RingbackConfig.localUrl(port) : publicUrl,
        node.integer("max-body-bytes", 65536, 1024, 16 * 1024 * 1024),
        node.integer("max-import-bytes", 10 * 1024 * 1024, 1024, 512 * 1024 * 1024),
        node.listOrCommaSeparated("trusted-proxies"),
        managementPort(node),
        node.integer("idle-timeout-seconds", 300, 1, 3600),
        node.integer("body-timeout-seconds", 10, 1, 600),
        node.integer("max-buffered-bytes", 16 * 1024 * 1024, 64 * 1024, Integer.MAX_VALUE),
        node.integer("max-concurrent-imports", 2, 1, 64),
        node.integer("response-timeout-seconds", 10, 1, 14),
        node.integer("max-in-flight", 1000, 1, 1_000_000));
    try {
      AddressRanges.parse(http.trustedProxies());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(node.key("trusted-proxies"), e.getMessage());
    }
    node.rejectUnknownKeys();
    return http;
  }

  /** Empty (the default): /health and /metrics stay on the HTTP port. */
  private static OptionalInt managementPort(ConfigNode http) {
    String value = http.string("management-port", "");
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    int port = ConfigNode.parseInt(http.key("management-port"), value, 0, 65535);
    if (port != 0 && port == http.integer("port", 8080, 0, 65535)) {
      throw new ConfigException(http.key("management-port"), port + " is the HTTP port; use another or leave it empty");
    }
    return OptionalInt.of(port);
  }

  static Database database(ConfigNode root) {
    ConfigNode node = root.child("database");
    String url = node.string("url", "");
    if (!url.isEmpty()) {
      try {
        PgConnectOptions.fromUri(url);
      } catch (RuntimeException e) {
        throw new ConfigException(node.key("url"), "is not a postgresql://user:pass@host:port/db URL");
      }
      if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
        throw new ConfigException(node.key("url"), "is not a postgresql://user:pass@host:port/db URL");
      }
    }
    Database database = new Database(
        url.isEmpty() ? Optional.empty() : Optional.of(url),
        Path.of(node.string("embedded-data-dir", "data/postgres")),
        node.integer("pool-size", 8, 1, 200),
        node.integer("connect-timeout-seconds", 5, 1, 120),
        node.integer("wait-timeout-millis", 2000, 100, 60_000),
        node.integer("max-waiting", 4096, 1, 100_000),
        node.integer("statement-timeout-seconds", 10, 1, 3600),
        Path.of(node.string("journal-dir", "data/journal")),
        node.integer("write-deadline-millis", 1000, 100, 12_000));
    node.rejectUnknownKeys();
    return database;
  }

  static Twilio twilio(ConfigNode root) {
    ConfigNode node = root.child("twilio");
    Twilio twilio = new Twilio(
        node.string("account-sid", ""),
        node.string("auth-token", ""),
        node.httpUrl("api-url", "https://api.twilio.com"),
        node.integer("worker-threads", 4, 1, 64),
        node.integer("request-timeout-seconds", 10, 1, 120),
        node.integer("breaker-failures", 5, 1, 1000),
        node.integer("breaker-seconds", 10, 1, 3600),
        node.string("api-key", ""),
        node.string("api-secret", ""));
    if (twilio.accountSid().isEmpty() != twilio.authToken().isEmpty()) {
      throw new ConfigException(node.key(twilio.accountSid().isEmpty() ? "account-sid" : "auth-token"),
          "missing; set both the account SID and the auth token, or neither to use the call simulator");
    }
    requireBothOrNeither(node, twilio.apiKey(), twilio.apiSecret());
    if (!twilio.apiKey().isEmpty() && !twilio.configured()) {
      throw new ConfigException(node.key("api-key"), "needs the account SID and the auth token too (Twilio signs webhooks with the auth token)");
    }
    node.rejectUnknownKeys();
    return twilio;
  }

  /** A Twilio API key is no use without its secret, nor the secret without the key. */
  static void requireBothOrNeither(ConfigNode twilio, String apiKey, String apiSecret) {
    if (apiKey.isEmpty() != apiSecret.isEmpty()) {
      throw new ConfigException(twilio.key(apiKey.isEmpty() ? "api-key" : "api-secret"),
          "missing; set both the API key and its secret, or neither to use the auth token");
    }
  }

  static Api api(ConfigNode root) {
    ConfigNode node = root.child("api");
    Api api = new Api(node.secret("token"));
    node.rejectUnknownKeys();
    return api;
  }

  static Phone phone(ConfigNode root) {
    ConfigNode node = root.child("phone");
    String region = node.string("default-region", "US");
    if (!PhoneNumbers.isKnownRegion(region)) {
      throw new ConfigException(node.key("default-region"), "'" + region + "' is not a two-letter region code such as US or GB");
    }
    Phone phone = new Phone(region.toUpperCase(Locale.ROOT));
    node.rejectUnknownKeys();
    return phone;
  }

  static Metrics metrics(ConfigNode root) {
    ConfigNode node = root.child("metrics");
    int ringSeconds = node.integer("ring-seconds", 6, 1, 60);
    List<Integer> buckets = new ArrayList<>();
    List<String> bucketValues = node.has("ring-to-answer-buckets-rings")
        ? node.strings("ring-to-answer-buckets-rings") : List.of("1", "2", "3", "4", "5", "6", "10");
    for (int i = 0; i < bucketValues.size(); i++) {
      int rings = ConfigNode.parseInt(node.key("ring-to-answer-buckets-rings") + "[" + i + "]", bucketValues.get(i), 1, 1000);
      if (!buckets.isEmpty() && rings <= buckets.get(buckets.size() - 1)) {
        throw new ConfigException(node.key("ring-to-answer-buckets-rings"), "buckets must be in increasing order");
      }
      buckets.add(rings);
    }
    int targetRings = node.integer("target-rings", 3, 1, 100);
    if (!buckets.contains(targetRings)) {
      // The histogram needs a bucket at the target for the service level to be read from it.
      buckets.add(targetRings);
      buckets.sort(Integer::compare);
    }
    int objectivePercent = node.integer("service-level-percent", 80, 1, 100);
    Metrics metrics = new Metrics(ringSeconds, List.copyOf(buckets), targetRings, objectivePercent / 100.0, node.bool("per-line", true));
    node.rejectUnknownKeys();
    return metrics;
  }

  static Callbacks callbacks(ConfigNode root) {
    ConfigNode node = root.child("callbacks");
    ConfigNode delays = node.child("delay-seconds");
    Map<String, Integer> delaySeconds = Map.of(
        CallbackPolicy.MISSED, delays.integer(CallbackPolicy.MISSED, 60, 0, 86400),
        CallbackPolicy.ABANDONED, delays.integer(CallbackPolicy.ABANDONED, 60, 0, 86400),
        CallbackPolicy.DROPPED, delays.integer(CallbackPolicy.DROPPED, 30, 0, 86400),
        CallbackPolicy.ORDER, delays.integer(CallbackPolicy.ORDER, 0, 0, 86400));
    delays.rejectUnknownKeys();
    Callbacks callbacks = new Callbacks(delaySeconds,
        node.integer("dropped-call-seconds", 30, 1, 600),
        node.integer("promise-minutes", 5, 1, 1440),
        node.integer("voicemail-max-seconds", 120, 5, 3600),
        node.integer("agent-answer-seconds", 2, 1, 120),
        node.integer("after-hours-seconds-per-agent", 120, 0, 3600),
        node.integer("vip-delay-seconds", 15, 0, 86400),
        callbackMode(node, "mode", CallbackMode.AUTO),
        node.integer("agent-wait-seconds", 30, 5, 3600));
    node.rejectUnknownKeys();
    return callbacks;
  }

  /** Whom a callback calls first: auto, agent-first or customer-first. */
  static CallbackMode callbackMode(ConfigNode node, String key, CallbackMode fallback) {
    String raw = node.string(key, fallback.value());
    return CallbackMode.parse(raw).orElseThrow(() -> new ConfigException(node.key(key),
        "'" + raw + "' is not auto, agent-first or customer-first"));
  }

  static Dialer dialer(ConfigNode root) {
    ConfigNode node = root.child("dialer");
    String machineDetection = node.string("machine-detection", "DetectMessageEnd");
    if (!List.of("DetectMessageEnd", "Enable", "none").contains(machineDetection)) {
      throw new ConfigException(node.key("machine-detection"), "must be DetectMessageEnd, Enable or none");
    }
    List<Integer> retryMinutes = new ArrayList<>();
    List<String> retryValues = node.has("retry-minutes") ? node.strings("retry-minutes") : List.of("2", "10", "30");
    for (int i = 0; i < retryValues.size(); i++) {
      retryMinutes.add(ConfigNode.parseInt(node.key("retry-minutes") + "[" + i + "]", retryValues.get(i), 0, 10080));
    }
    Dialer dialer = new Dialer(
        node.integer("calls-per-second", 1, 0, 1000),
        node.integer("lease-seconds", 30, 5, 3600),
        node.integer("poll-millis", 1000, 10, 60000),
        node.integer("batch-size", 10, 1, 1000),
        machineDetection,
        node.integer("ring-timeout-seconds", 25, 15, 600),
        node.integer("max-attempts", 3, 1, 20),
        List.copyOf(retryMinutes),
        node.integer("status-check-seconds", 120, 10, 86400),
        allowedHours(node));
    node.rejectUnknownKeys();
    return dialer;
  }

  /** The customer's local hours in which a callback may ring: {@code "08:00-21:00"}. */
  private static QuietHours allowedHours(ConfigNode dialer) {
    String value = dialer.string("allowed-hours", "08:00-21:00");
    try {
      OpeningHours.Interval interval = OpeningHours.Interval.parse(value);
      return new QuietHours(interval.open(), interval.close());
    } catch (RuntimeException e) {
      throw new ConfigException(dialer.key("allowed-hours"), "'" + value + "' is not a range such as 08:00-21:00");
    }
  }

  /** {@code languages.catalog-dir}: the owner's own catalogs beside the shipped ones. */
  static Catalogs catalogs(ConfigNode root) {
    ConfigNode node = root.child("languages");
    Catalogs catalogs = CatalogReader.read(node.key("catalog-dir"), node.string("catalog-dir", ""));
    node.rejectUnknownKeys();
    return catalogs;
  }

  static RingbackConfig.Feedback feedback(ConfigNode root) {
    ConfigNode node = root.child("feedback");
    RingbackConfig.Feedback feedback = new RingbackConfig.Feedback(feedbackChannel(node, "channel", Feedback.VOICE),
        node.bool("after-inbound", false),
        // Empty: each line's language's sentence (feedback.question, sms.feedback.question).
        node.string("question", ""),
        node.string("sms-text", ""),
        node.integer("reply-hours", 48, 1, 720));
    node.rejectUnknownKeys();
    return feedback;
  }

  static RingbackConfig.Texts texts(ConfigNode root) {
    ConfigNode node = root.child("texts");
    TextBack lines = new TextBack(node.bool("text-back", false), node.bool("text-back-orders", false),
        messagingServiceSid(node, "messaging-service-sid", ""));
    RingbackConfig.Texts texts = new RingbackConfig.Texts(lines, node.bool("after-last-attempt", true),
        node.integer("reply-hours", 72, 1, 720));
    node.rejectUnknownKeys();
    return texts;
  }

  /** A Twilio Messaging Service's SID (MG and 32 hex digits), or empty for none. */
  static String messagingServiceSid(ConfigNode node, String name, String fallback) {
    String sid = node.string(name, fallback);
    if (!sid.isEmpty() && !sid.matches("MG[0-9a-fA-F]{32}")) {
      throw new ConfigException(node.key(name), "'" + sid + "' is not a Messaging Service SID (MG and 32 hex digits)");
    }
    return sid;
  }

  /** How a customer is asked for a score: one of {@link Feedback#CHANNELS}. */
  static String feedbackChannel(ConfigNode node, String name, String fallback) {
    String channel = node.string(name, fallback);
    if (!Feedback.CHANNELS.contains(channel)) {
      throw new ConfigException(node.key(name), "must be voice, sms or none");
    }
    return channel;
  }

  static Secrets secrets(ConfigNode root) {
    ConfigNode node = root.child("secrets");
    Secrets secrets = new Secrets(node.string("key", ""), node.string("previous-key", ""));
    for (String name : List.of("key", "previous-key")) {
      String value = name.equals("key") ? secrets.key() : secrets.previousKey();
      if (value.isEmpty()) {
        continue;
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(value);
      } catch (IllegalArgumentException e) {
        key = new byte[0];
      }
      if (key.length != 32) {
        throw new ConfigException(node.key(name), "must be 32 random bytes in base64, e.g. the output of: openssl rand -base64 32");
      }
    }
    if (!secrets.previousKey().isEmpty() && !secrets.configured()) {
      throw new ConfigException(node.key("key"), "missing; the previous key is only for moving the stored secrets to a new key");
    }
    node.rejectUnknownKeys();
    return secrets;
  }

  static Agents agents(ConfigNode root) {
    ConfigNode node = root.child("agents");
    Agents agents = new Agents(node.integer("task-lease-seconds", 300, 30, 86400), node.integer("away-after-missed", 3, 0, 100));
    node.rejectUnknownKeys();
    return agents;
  }

  static Retention retention(ConfigNode root) {
    ConfigNode node = root.child("retention");
    Retention retention = new Retention(node.integer("call-events-days", 30, 0, 36500), node.integer("recordings-days", 30, 0, 36500),
        node.integer("texts-days", 30, 0, 36500));
    node.rejectUnknownKeys();
    return retention;
  }

  static Demo demo(ConfigNode root) {
    ConfigNode node = root.child("demo");
    Demo demo = new Demo(node.bool("enabled", false), node.integer("calls-per-minute", 12, 1, 600),
        node.integer("orders-per-minute", 3, 0, 600));
    node.rejectUnknownKeys();
    return demo;
  }
}
