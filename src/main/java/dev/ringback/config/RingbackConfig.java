package dev.ringback.config;

import dev.ringback.domain.CallbackPolicy;
import dev.ringback.domain.DialPolicy;
import dev.ringback.domain.Line;
import dev.ringback.domain.OpeningHours;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.QuietHours;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * Everything Ringback is told at start-up: the YAML file, then single keys overridden by
 * environment variables. Loaded and validated once; a bad value stops start-up with one line.
 */
public record RingbackConfig(
    Http http,
    Database database,
    Twilio twilio,
    Api api,
    Phone phone,
    Metrics metrics,
    Callbacks callbacks,
    Dialer dialer,
    Orders orders,
    Agents agents,
    Feedback feedback,
    Demo demo,
    List<Line> lines,
    List<BusinessConfig> businesses,
    Secrets secrets,
    Retention retention) {

  public static final Path DEFAULT_FILE = Path.of("config", "ringback.yaml");

  /**
   * @param trustedProxies addresses or CIDR ranges whose X-Forwarded-Proto and -Host are believed
   * @param managementPort the port of /health and /metrics (0: a free one), or empty to serve them on {@code port}
   * @param maxBufferedBytes request bodies held in memory at once, over all connections
   */
  public record Http(int port, String publicUrl, int maxBodyBytes, int maxImportBytes, List<String> trustedProxies,
                     OptionalInt managementPort, int idleTimeoutSeconds, int bodyTimeoutSeconds, long maxBufferedBytes,
                     int maxConcurrentImports, int responseTimeoutSeconds, int maxInFlight) {}

  /**
   * @param url the external database URL, or empty for the embedded PostgreSQL
   * @param waitTimeoutMillis how long a query may wait for a free connection
   * @param maxWaiting queries that may wait for a free connection at once; more fail at once
   * @param journalDir where triggers the database could not take are kept until it can
   * @param writeDeadlineMillis how long a trigger's write may take before it goes to the journal
   */
  public record Database(Optional<String> url, Path embeddedDataDir, int poolSize, int connectTimeoutSeconds, int waitTimeoutMillis,
                         int maxWaiting, int statementTimeoutSeconds, Path journalDir, int writeDeadlineMillis) {
    /** The defaults for everything but where the database is and how many connections it gets. */
    public Database(Optional<String> url, Path embeddedDataDir, int poolSize) {
      this(url, embeddedDataDir, poolSize, 5, 2000, 4096, 10, Path.of("data", "journal"), 1000);
    }
  }

  /**
   * @param breakerFailures failed requests in a row that stop all requests for a pause
   * @param breakerSeconds the first pause; it doubles while the probes keep failing
   */
  public record Twilio(String accountSid, String authToken, String apiUrl, int workerThreads, int requestTimeoutSeconds,
                       int breakerFailures, int breakerSeconds, String apiKey, String apiSecret) {
    public Twilio(String accountSid, String authToken, String apiUrl, int workerThreads, int requestTimeoutSeconds,
                  int breakerFailures, int breakerSeconds) {
      this(accountSid, authToken, apiUrl, workerThreads, requestTimeoutSeconds, breakerFailures, breakerSeconds, "", "");
    }

    /** With both credentials set, calls go to Twilio and webhook signatures are checked. */
    public boolean configured() {
      return !accountSid.isEmpty() && !authToken.isEmpty();
    }

    /** The default business's account. */
    public TwilioAccount account() {
      return new TwilioAccount(accountSid, authToken, apiKey, apiSecret);
    }

    @Override
    public String toString() {
      return "Twilio[accountSid=" + accountSid + ", apiUrl=" + apiUrl + ", apiKey=" + apiKey + ", secrets masked]";
    }
  }

  /**
   * One business's Twilio account. Twilio signs its webhooks with the auth token, so that is
   * always needed; REST requests use the API key and secret instead when they are set.
   */
  public record TwilioAccount(String accountSid, String authToken, String apiKey, String apiSecret) {
    public boolean configured() {
      return !accountSid.isEmpty() && !authToken.isEmpty();
    }

    public boolean usesApiKey() {
      return !apiKey.isEmpty() && !apiSecret.isEmpty();
    }

    @Override
    public String toString() {
      return "TwilioAccount[accountSid=" + accountSid + ", apiKey=" + apiKey + ", authToken and apiSecret masked]";
    }
  }

  /**
   * A business besides the default one (the top-level configuration), declared under
   * {@code businesses:} or created through {@code /api/businesses}.
   *
   * @param slug its id in paths, the API and the metrics' {@code business} label
   * @param callsPerSecond outbound calls per second on its Twilio account (0: no limit)
   * @param apiToken its own admin token for /api/*, or empty to generate one at first start
   */
  public record BusinessConfig(String slug, String name, TwilioAccount twilio, int callsPerSecond, String apiToken, Orders orders,
                               List<Line> lines) {
    @Override
    public String toString() {
      return "BusinessConfig[slug=" + slug + ", name=" + name + ", " + twilio + ", lines=" + lines.size() + ", secrets masked]";
    }
  }

  /**
   * @param key base64 of the 32-byte AES key that encrypts the secrets kept in the database, or empty
   * @param previousKey the key before a rotation: what it sealed is opened and sealed again with {@code key} at start-up
   */
  public record Secrets(String key, String previousKey) {
    public Secrets(String key) {
      this(key, "");
    }

    public boolean configured() {
      return !key.isEmpty();
    }

    @Override
    public String toString() {
      return "Secrets[key " + (key.isEmpty() ? "unset" : "set") + ", previous key " + (previousKey.isEmpty() ? "unset" : "set") + "]";
    }
  }

  /** @param token the admin bearer token, or empty to generate one at first start */
  public record Api(String token) {}

  public record Phone(String defaultRegion) {}

  /**
   * @param targetRings callers should be answered within this many rings (the service level's target)
   * @param serviceLevelObjective the share of offered calls that should be answered within the target
   */
  public record Metrics(int ringSeconds, List<Integer> ringToAnswerBucketsRings, int targetRings, double serviceLevelObjective) {
    public Duration target() {
      return Duration.ofSeconds((long) targetRings * ringSeconds);
    }
  }

  /**
   * @param callsPerSecond outbound calls per second for the whole deployment (0: no limit)
   * @param leaseSeconds how long a claimed callback stays with one instance before another may take it
   * @param retryMinutes wait before each further attempt after no answer, busy or failed
   * @param statusCheckSeconds a placed call with no final status this long after its ring timeout is looked up
   */
  public record Dialer(int callsPerSecond, int leaseSeconds, int pollMillis, int batchSize, String machineDetection,
                       int ringTimeoutSeconds, int maxAttempts, List<Integer> retryMinutes, int statusCheckSeconds,
                       QuietHours allowedHours) {
    public DialPolicy policy() {
      return new DialPolicy(maxAttempts, retryMinutes.stream().map(Duration::ofMinutes).toList());
    }

    public Dialer withAllowedHours(QuietHours hours) {
      return new Dialer(callsPerSecond, leaseSeconds, pollMillis, batchSize, machineDetection, ringTimeoutSeconds, maxAttempts,
          retryMinutes, statusCheckSeconds, hours);
    }
  }

  /**
   * @param delaySeconds wait after each trigger before the callback is due
   * @param agentAnswerSeconds how long a customer who answered a callback may wait for an agent
   */
  public record Callbacks(Map<String, Integer> delaySeconds, int droppedCallSeconds, int promiseMinutes, int voicemailMaxSeconds,
                          int agentAnswerSeconds, int afterHoursSecondsPerAgent, int vipDelaySeconds) {
    public CallbackPolicy policy() {
      Map<String, Duration> delays = new HashMap<>();
      delaySeconds.forEach((trigger, seconds) -> delays.put(trigger, Duration.ofSeconds(seconds)));
      return new CallbackPolicy(delays, droppedCallSeconds, Duration.ofSeconds(vipDelaySeconds));
    }
  }

  /**
   * The question after a call.
   *
   * @param channel how a connected callback's customer is asked for a 1-5 score: voice, sms or none (a line may choose its own)
   * @param afterInbound ask after answered inbound calls too
   * @param question the spoken question (a line may have its own)
   * @param smsText the SMS question; {@code {line}} becomes the line's name
   * @param replyHours how long an SMS reply counts as the answer
   */
  public record Feedback(String channel, boolean afterInbound, String question, String smsText, int replyHours) {}

  /** The order webhooks, by source: {@code generic}, {@code shopify}, {@code woocommerce}. */
  public record Orders(Map<String, Shop> shops) {
    public Optional<Shop> shop(String source) {
      return Optional.ofNullable(shops.get(source));
    }
  }

  /**
   * One order source.
   *
   * @param secret the HMAC secret of its webhook; empty: the webhook answers 404
   * @param line the line that calls its buyers back when the order names none
   */
  public record Shop(String secret, String line, String origin) {
    public Shop(String secret, String line) {
      this(secret, line, "");
    }

    public boolean enabled() {
      return !secret.isEmpty();
    }

    @Override
    public String toString() {
      return "Shop[secret " + (secret.isEmpty() ? "unset" : "set") + ", line=" + line + ", origin=" + origin + "]";
    }

    /**
     * A shop's address as its webhook names it ({@code X-Shopify-Shop-Domain: acme.myshopify.com},
     * {@code X-WC-Webhook-Source: https://shop.example.com/}): lower case, without scheme and trailing slash.
     */
    public static String origin(String value) {
      if (value == null) {
        return "";
      }
      String origin = value.trim().toLowerCase(Locale.ROOT).replaceFirst("^https?://", "");
      while (origin.endsWith("/")) {
        origin = origin.substring(0, origin.length() - 1);
      }
      return origin;
    }
  }

  /**
   * How long data is kept; 0 keeps it forever.
   *
   * @param callEventsDays Twilio's status callbacks, by when they arrived
   * @param recordingsDays voicemails (at Twilio and their references), by the call they were left on
   */
  public record Retention(int callEventsDays, int recordingsDays) {}

  /** @param taskLeaseSeconds how long an agent holds a claimed task without renewing it */
  public record Agents(int taskLeaseSeconds) {}

  /**
   * Generated traffic for a newcomer's first look: simulated inbound calls and orders.
   *
   * @param enabled only with the call simulator: demo callers must never be dialled for real
   */
  public record Demo(boolean enabled, int callsPerMinute, int ordersPerMinute) {}

  /**
   * This configuration with the demo traffic on. The demo's orders need the generic order
   * webhook: without a secret of its own, it gets a random one for this run.
   */
  public RingbackConfig withDemo() {
    if (twilio.configured()) {
      throw new ConfigException("demo.enabled", "the demo needs the call simulator; unset TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
    }
    Map<String, Shop> shops = new HashMap<>(orders.shops());
    Shop generic = shops.get("generic");
    if (!generic.enabled()) {
      shops.put("generic", new Shop(UUID.randomUUID().toString(), generic.line()));
    }
    // The simulator rings nobody real, so the demo's callbacks need not wait for the morning;
    // its answered calls are scored too, so the feedback panel moves.
    return new RingbackConfig(http, database, twilio, api, phone, metrics, callbacks, dialer.withAllowedHours(QuietHours.ALL_DAY),
        new Orders(Map.copyOf(shops)), agents,
        new Feedback(feedback.channel(), true, feedback.question(), feedback.smsText(), feedback.replyHours()), new Demo(true, demo.callsPerMinute(), demo.ordersPerMinute()), lines,
        businesses, secrets, retention);
  }

  /** This configuration with other dialler settings. */
  public RingbackConfig withDialer(Dialer other) {
    return new RingbackConfig(http, database, twilio, api, phone, metrics, callbacks, other, orders, agents, feedback, demo, lines,
        businesses, secrets, retention);
  }

  public Optional<Line> lineByNumber(String number) {
    return lines.stream().filter(l -> l.number().equals(number)).findFirst();
  }

  public Optional<Line> lineById(String id) {
    return lines.stream().filter(l -> l.id().equals(id)).findFirst();
  }

  public PhoneNumbers phoneNumbers() {
    return new PhoneNumbers(phone.defaultRegion());
  }

  /** Reads a file (missing keys take their defaults) and applies the environment. */
  public static RingbackConfig load(Path file, Map<String, String> environment) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    return parse(file.toString(), text, environment);
  }

  public static RingbackConfig parse(String fileName, String yaml, Map<String, String> environment) {
    Map<String, Object> root = YamlDocument.topLevelMapping(fileName, yaml);
    Map<String, String> sources = EnvironmentOverlay.apply(root, environment);
    return read(new ConfigNode("", root, sources));
  }

  /** {@code RINGBACK_BUSINESS_ACME_WEST_} for the business {@code acme-west}: where its environment variables start. */
  public static String businessVariablePrefix(String slug) {
    return EnvironmentOverlay.businessVariablePrefix(slug);
  }

  /**
   * Sets {@code dottedKey} (e.g. {@code orders.shopify.secret}) in a tree of maps, copying each
   * map on the way, so trees read from YAML (possibly immutable) can be changed too.
   */
  @SuppressWarnings("unchecked")
  public static void setDotted(Map<String, Object> root, String dottedKey, Object value) {
    String[] parts = dottedKey.split("\\.");
    Map<String, Object> node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.get(parts[i]);
      Map<String, Object> copy = child instanceof Map ? new LinkedHashMap<>((Map<String, Object>) child) : new LinkedHashMap<>();
      node.put(parts[i], copy);
      node = copy;
    }
    node.put(parts[parts.length - 1], value);
  }

  private static RingbackConfig read(ConfigNode root) {
    ConfigNode http = root.child("http");
    Http httpConfig = new Http(
        http.integer("port", 8080, 0, 65535),
        http.httpUrl("public-url", "http://localhost:8080"),
        http.integer("max-body-bytes", 65536, 1024, 16 * 1024 * 1024),
        http.integer("max-import-bytes", 10 * 1024 * 1024, 1024, 512 * 1024 * 1024),
        http.listOrCommaSeparated("trusted-proxies"),
        managementPort(http),
        http.integer("idle-timeout-seconds", 300, 1, 3600),
        http.integer("body-timeout-seconds", 10, 1, 600),
        http.integer("max-buffered-bytes", 16 * 1024 * 1024, 64 * 1024, Integer.MAX_VALUE),
        http.integer("max-concurrent-imports", 2, 1, 64),
        http.integer("response-timeout-seconds", 10, 1, 14),
        http.integer("max-in-flight", 1000, 1, 1_000_000));
    try {
      AddressRanges.parse(httpConfig.trustedProxies());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(http.key("trusted-proxies"), e.getMessage());
    }
    http.rejectUnknownKeys();

    ConfigNode db = root.child("database");
    String url = db.string("url", "");
    if (!url.isEmpty()) {
      try {
        PgConnectOptions.fromUri(url);
      } catch (RuntimeException e) {
        throw new ConfigException(db.key("url"), "is not a postgresql://user:pass@host:port/db URL");
      }
      if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
        throw new ConfigException(db.key("url"), "is not a postgresql://user:pass@host:port/db URL");
      }
    }
    Database database = new Database(
        url.isEmpty() ? Optional.empty() : Optional.of(url),
        Path.of(db.string("embedded-data-dir", "data/postgres")),
        db.integer("pool-size", 8, 1, 200),
        db.integer("connect-timeout-seconds", 5, 1, 120),
        db.integer("wait-timeout-millis", 2000, 100, 60_000),
        db.integer("max-waiting", 4096, 1, 100_000),
        db.integer("statement-timeout-seconds", 10, 1, 3600),
        Path.of(db.string("journal-dir", "data/journal")),
        db.integer("write-deadline-millis", 1000, 100, 12_000));
    db.rejectUnknownKeys();

    ConfigNode tw = root.child("twilio");
    Twilio twilio = new Twilio(
        tw.string("account-sid", ""),
        tw.string("auth-token", ""),
        tw.httpUrl("api-url", "https://api.twilio.com"),
        tw.integer("worker-threads", 4, 1, 64),
        tw.integer("request-timeout-seconds", 10, 1, 120),
        tw.integer("breaker-failures", 5, 1, 1000),
        tw.integer("breaker-seconds", 10, 1, 3600),
        tw.string("api-key", ""),
        tw.string("api-secret", ""));
    if (twilio.accountSid().isEmpty() != twilio.authToken().isEmpty()) {
      throw new ConfigException(tw.key(twilio.accountSid().isEmpty() ? "account-sid" : "auth-token"),
          "missing; set both the account SID and the auth token, or neither to use the call simulator");
    }
    if (twilio.apiKey().isEmpty() != twilio.apiSecret().isEmpty()) {
      throw new ConfigException(tw.key(twilio.apiKey().isEmpty() ? "api-key" : "api-secret"),
          "missing; set both the API key and its secret, or neither to use the auth token");
    }
    if (!twilio.apiKey().isEmpty() && !twilio.configured()) {
      throw new ConfigException(tw.key("api-key"), "needs the account SID and the auth token too (Twilio signs webhooks with the auth token)");
    }
    tw.rejectUnknownKeys();

    ConfigNode api = root.child("api");
    Api apiConfig = new Api(api.string("token", ""));
    if (!apiConfig.token().isEmpty() && apiConfig.token().length() < 16) {
      throw new ConfigException(api.key("token"), "is too short; use at least 16 characters");
    }
    api.rejectUnknownKeys();

    ConfigNode ph = root.child("phone");
    String region = ph.string("default-region", "US");
    if (!PhoneNumbers.isKnownRegion(region)) {
      throw new ConfigException(ph.key("default-region"), "'" + region + "' is not a two-letter region code such as US or GB");
    }
    Phone phone = new Phone(region.toUpperCase(Locale.ROOT));
    ph.rejectUnknownKeys();

    ConfigNode m = root.child("metrics");
    int ringSeconds = m.integer("ring-seconds", 6, 1, 60);
    List<Integer> buckets = new ArrayList<>();
    List<String> bucketValues = m.has("ring-to-answer-buckets-rings")
        ? m.strings("ring-to-answer-buckets-rings") : List.of("1", "2", "3", "4", "5", "6", "10");
    for (int i = 0; i < bucketValues.size(); i++) {
      int rings = ConfigNode.parseInt(m.key("ring-to-answer-buckets-rings") + "[" + i + "]", bucketValues.get(i), 1, 1000);
      if (!buckets.isEmpty() && rings <= buckets.get(buckets.size() - 1)) {
        throw new ConfigException(m.key("ring-to-answer-buckets-rings"), "buckets must be in increasing order");
      }
      buckets.add(rings);
    }
    int targetRings = m.integer("target-rings", 3, 1, 100);
    if (!buckets.contains(targetRings)) {
      // The histogram needs a bucket at the target for the service level to be read from it.
      buckets.add(targetRings);
      buckets.sort(Integer::compare);
    }
    int objectivePercent = m.integer("service-level-percent", 80, 1, 100);
    Metrics metrics = new Metrics(ringSeconds, List.copyOf(buckets), targetRings, objectivePercent / 100.0);
    m.rejectUnknownKeys();

    ConfigNode cb = root.child("callbacks");
    ConfigNode delays = cb.child("delay-seconds");
    Map<String, Integer> delaySeconds = Map.of(
        CallbackPolicy.MISSED, delays.integer(CallbackPolicy.MISSED, 60, 0, 86400),
        CallbackPolicy.ABANDONED, delays.integer(CallbackPolicy.ABANDONED, 60, 0, 86400),
        CallbackPolicy.DROPPED, delays.integer(CallbackPolicy.DROPPED, 30, 0, 86400),
        CallbackPolicy.ORDER, delays.integer(CallbackPolicy.ORDER, 0, 0, 86400));
    delays.rejectUnknownKeys();
    Callbacks callbacks = new Callbacks(delaySeconds,
        cb.integer("dropped-call-seconds", 30, 1, 600),
        cb.integer("promise-minutes", 5, 1, 1440),
        cb.integer("voicemail-max-seconds", 120, 5, 3600),
        cb.integer("agent-answer-seconds", 2, 1, 120),
        cb.integer("after-hours-seconds-per-agent", 120, 0, 3600),
        cb.integer("vip-delay-seconds", 15, 0, 86400));
    cb.rejectUnknownKeys();

    ConfigNode d = root.child("dialer");
    String machineDetection = d.string("machine-detection", "DetectMessageEnd");
    if (!List.of("DetectMessageEnd", "Enable", "none").contains(machineDetection)) {
      throw new ConfigException(d.key("machine-detection"), "must be DetectMessageEnd, Enable or none");
    }
    List<Integer> retryMinutes = new ArrayList<>();
    List<String> retryValues = d.has("retry-minutes") ? d.strings("retry-minutes") : List.of("2", "10", "30");
    for (int i = 0; i < retryValues.size(); i++) {
      retryMinutes.add(ConfigNode.parseInt(d.key("retry-minutes") + "[" + i + "]", retryValues.get(i), 0, 10080));
    }
    Dialer dialer = new Dialer(
        d.integer("calls-per-second", 1, 0, 1000),
        d.integer("lease-seconds", 30, 5, 3600),
        d.integer("poll-millis", 1000, 10, 60000),
        d.integer("batch-size", 10, 1, 1000),
        machineDetection,
        d.integer("ring-timeout-seconds", 25, 15, 600),
        d.integer("max-attempts", 3, 1, 20),
        List.copyOf(retryMinutes),
        d.integer("status-check-seconds", 120, 10, 86400),
        allowedHours(d));
    d.rejectUnknownKeys();

    ConfigNode fb = root.child("feedback");
    String channel = fb.string("channel", dev.ringback.domain.Feedback.VOICE);
    if (!dev.ringback.domain.Feedback.CHANNELS.contains(channel)) {
      throw new ConfigException(fb.key("channel"), "must be voice, sms or none");
    }
    Feedback feedback = new Feedback(channel, fb.bool("after-inbound", false),
        fb.string("question", DEFAULT_FEEDBACK_QUESTION),
        fb.string("sms-text", "Thank you for talking to {line}. How did we do? Reply with a number from 1 (poor) to 5 (excellent)."),
        fb.integer("reply-hours", 48, 1, 720));
    fb.rejectUnknownKeys();

    PhoneNumbers numbers = new PhoneNumbers(phone.defaultRegion());
    // Every Twilio number belongs to one line of one business: the owner of each, for the error naming both.
    Map<String, String> numberOwners = new HashMap<>();
    List<Line> lines = readLines(root, numbers, feedback, DEFAULT_BUSINESS, numberOwners);
    Orders orders = readOrders(root.child("orders"), lines, false);

    ConfigNode sec = root.child("secrets");
    Secrets secrets = new Secrets(sec.string("key", ""), sec.string("previous-key", ""));
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
        throw new ConfigException(sec.key(name), "must be 32 random bytes in base64, e.g. the output of: openssl rand -base64 32");
      }
    }
    if (!secrets.previousKey().isEmpty() && !secrets.configured()) {
      throw new ConfigException(sec.key("key"), "missing; the previous key is only for moving the stored secrets to a new key");
    }
    sec.rejectUnknownKeys();

    List<BusinessConfig> businesses = new ArrayList<>();
    Set<String> slugs = new HashSet<>(Set.of(DEFAULT_BUSINESS));
    Map<String, String> origins = new HashMap<>();
    for (ConfigNode node : root.children("businesses")) {
      String slug = node.string("slug", "");
      if (!slug.equals(DEFAULT_BUSINESS) && !slugs.add(slug)) {
        throw new ConfigException(node.key("slug"), "'" + slug + "' is used by two businesses");
      }
      BusinessConfig business = readBusiness(node, numbers, feedback, numberOwners);
      for (var shop : business.orders().shops().entrySet()) {
        String origin = shop.getValue().origin();
        if (!origin.isEmpty()) {
          String other = origins.putIfAbsent(shop.getKey() + " " + origin, business.slug());
          if (other != null) {
            throw new ConfigException(node.key("orders." + shop.getKey()), origin + " is claimed by business '" + other
                + "' and business '" + business.slug() + "'");
          }
        }
      }
      businesses.add(business);
    }

    ConfigNode ag = root.child("agents");
    Agents agents = new Agents(ag.integer("task-lease-seconds", 300, 30, 86400));
    ag.rejectUnknownKeys();

    ConfigNode rt = root.child("retention");
    Retention retention = new Retention(rt.integer("call-events-days", 30, 0, 36500), rt.integer("recordings-days", 30, 0, 36500));
    rt.rejectUnknownKeys();

    ConfigNode dm = root.child("demo");
    Demo demo = new Demo(dm.bool("enabled", false), dm.integer("calls-per-minute", 12, 1, 600), dm.integer("orders-per-minute", 3, 0, 600));
    dm.rejectUnknownKeys();
    root.rejectUnknownKeys();
    RingbackConfig config = new RingbackConfig(httpConfig, database, twilio, apiConfig, phone, metrics, callbacks, dialer, orders,
        agents, feedback, new Demo(false, demo.callsPerMinute(), demo.ordersPerMinute()), List.copyOf(lines), List.copyOf(businesses),
        secrets, retention);
    return demo.enabled() ? config.withDemo() : config;
  }

  /** The business of the top-level configuration. */
  public static final String DEFAULT_BUSINESS = "default";

  /**
   * The {@code lines} under {@code node}: ids unique in the business, numbers unique across every
   * business ({@code numberOwners}: number to its owner, filled in as lines are read).
   */
  private static List<Line> readLines(ConfigNode node, PhoneNumbers numbers, Feedback feedback, String business,
                                      Map<String, String> numberOwners) {
    List<Line> lines = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigNode line : node.children("lines")) {
      Line parsed = readLine(line, numbers, feedback);
      if (!ids.add(parsed.id())) {
        throw new ConfigException(line.key("id"), "'" + parsed.id() + "' is used by two lines");
      }
      String owner = "line '" + parsed.id() + "' of business '" + business + "'";
      String other = numberOwners.putIfAbsent(parsed.number(), owner);
      if (other != null) {
        throw new ConfigException(line.key("number"), other.contains("business '" + business + "'")
            ? parsed.number() + " is used by two lines"
            : parsed.number() + " is claimed by two businesses: " + other + " and " + owner);
      }
      lines.add(parsed);
    }
    return List.copyOf(lines);
  }

  /**
   * The order webhooks of one business. An order webhook without a line of its own calls back
   * from the first line.
   *
   * @param withOrigins whether each shop may name its address ({@code shop-domain}, {@code source-url}) to be found by
   */
  private static Orders readOrders(ConfigNode o, List<Line> lines, boolean withOrigins) {
    Map<String, Shop> shops = new LinkedHashMap<>();
    for (String source : List.of("generic", "shopify", "woocommerce")) {
      ConfigNode shop = o.child(source);
      String secret = shop.string("secret", "");
      if (!secret.isEmpty() && secret.length() < 16) {
        throw new ConfigException(shop.key("secret"), "is too short; use at least 16 characters");
      }
      String line = shop.string("line", "");
      if (line.isEmpty()) {
        line = lines.isEmpty() ? "" : lines.get(0).id();
      } else {
        String wanted = line;
        if (lines.stream().noneMatch(l -> l.id().equals(wanted))) {
          throw new ConfigException(shop.key("line"), "'" + line + "' is not the id of a configured line");
        }
      }
      String origin = "";
      String originKey = source.equals("shopify") ? "shop-domain" : source.equals("woocommerce") ? "source-url" : null;
      if (withOrigins && originKey != null) {
        origin = Shop.origin(shop.string(originKey, ""));
        if (!origin.isEmpty() && !origin.matches("[a-z0-9.-]+(:[0-9]+)?(/[^\\s]*)?")) {
          throw new ConfigException(shop.key(originKey), "'" + origin + "' is not a shop address such as acme.myshopify.com");
        }
      }
      shop.rejectUnknownKeys();
      shops.put(source, new Shop(secret, line, origin));
    }
    o.rejectUnknownKeys();
    return new Orders(Map.copyOf(shops));
  }

  /**
   * One entry of {@code businesses:} (or a business sent to {@code /api/businesses}, in the same
   * shape): its own Twilio account, lines, order webhooks and API token.
   *
   * @param numberOwners the numbers already claimed and by whom; this business's are added
   */
  private static BusinessConfig readBusiness(ConfigNode node, PhoneNumbers numbers, Feedback feedback,
                                             Map<String, String> numberOwners) {
    String slug = node.requiredString("slug");
    if (!slug.matches(SLUG)) {
      throw new ConfigException(node.key("slug"), "'" + slug + "' must be 1-40 lower-case letters, digits, '-' or '_'");
    }
    if (slug.equals(DEFAULT_BUSINESS)) {
      throw new ConfigException(node.key("slug"), "'default' is the business of the top-level configuration");
    }
    String name = node.requiredString("name");
    ConfigNode tw = node.child("twilio");
    TwilioAccount account = new TwilioAccount(tw.string("account-sid", ""), tw.string("auth-token", ""), tw.string("api-key", ""),
        tw.string("api-secret", ""));
    if (account.accountSid().isEmpty() || account.authToken().isEmpty()) {
      throw new ConfigException(tw.key(account.accountSid().isEmpty() ? "account-sid" : "auth-token"),
          "missing; every business but the default needs its own Twilio account SID and auth token");
    }
    if (!account.accountSid().matches("AC[0-9a-zA-Z]{1,62}")) {
      throw new ConfigException(tw.key("account-sid"), "'" + account.accountSid() + "' is not a Twilio account SID (AC...)");
    }
    if (account.apiKey().isEmpty() != account.apiSecret().isEmpty()) {
      throw new ConfigException(tw.key(account.apiKey().isEmpty() ? "api-key" : "api-secret"),
          "missing; set both the API key and its secret, or neither to use the auth token");
    }
    tw.rejectUnknownKeys();
    int callsPerSecond = node.integer("calls-per-second", 1, 0, 1000);
    String apiToken = node.string("api-token", "");
    if (!apiToken.isEmpty() && apiToken.length() < 16) {
      throw new ConfigException(node.key("api-token"), "is too short; use at least 16 characters");
    }
    List<Line> lines = readLines(node, numbers, feedback, slug, numberOwners);
    Orders orders = readOrders(node.child("orders"), lines, true);
    node.rejectUnknownKeys();
    return new BusinessConfig(slug, name, account, callsPerSecond, apiToken, orders, lines);
  }

  /** A business's slug, a line's id: short, lower case, safe in paths and labels. */
  public static final String SLUG = "[a-z0-9][a-z0-9_-]{0,39}";

  /**
   * A business as {@code /api/businesses} takes it, in the shape of an entry of {@code businesses:}
   * (keys in kebab case), checked exactly as the configuration is. Its numbers are not checked
   * against other businesses' here: the database does that.
   *
   * @throws ConfigException naming the first key that is not valid
   */
  public BusinessConfig business(Map<String, Object> values) {
    return readBusiness(new ConfigNode("", values, Map.of()), phoneNumbers(), feedback, new HashMap<>());
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

  static final String DEFAULT_FEEDBACK_QUESTION =
      "Before you go: how did we do today? Press a number from 1 for poor to 5 for excellent.";

  private static Line readLine(ConfigNode line, PhoneNumbers numbers, Feedback feedback) {
    String id = line.requiredString("id");
    if (!id.matches(SLUG)) {
      throw new ConfigException(line.key("id"), "'" + id + "' must be 1-40 lower-case letters, digits, '-' or '_'");
    }
    String rawNumber = line.requiredString("number");
    String number = numbers.normalize(rawNumber)
        .orElseThrow(() -> new ConfigException(line.key("number"), "'" + rawNumber + "' is not a valid phone number"));
    String name = line.requiredString("name");
    String zone = line.string("time-zone", "UTC");
    ZoneId timeZone;
    try {
      timeZone = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new ConfigException(line.key("time-zone"), "'" + zone + "' is not a time zone such as Europe/Berlin");
    }
    String language = line.string("language", "en-US");
    String greeting = line.string("greeting", "Thank you for calling " + name + ".");
    String greetingKnown = line.string("greeting-known", "Hello {name}, thank you for calling " + name + ".");
    List<String> agents = new ArrayList<>();
    List<String> rawAgents = line.strings("agents");
    for (int i = 0; i < rawAgents.size(); i++) {
      String agent = rawAgents.get(i);
      if (Line.isSipUri(agent)) {
        agents.add(agent);
      } else {
        int index = i;
        agents.add(numbers.normalize(agent).orElseThrow(() -> new ConfigException(line.key("agents") + "[" + index + "]",
            "'" + agent + "' is neither a valid phone number nor a sip: URI")));
      }
    }
    int ringTimeout = line.integer("ring-timeout-seconds", 20, 5, 600);
    OpeningHours hours = readHours(line, timeZone);
    String afterHours = line.string("after-hours-message",
        "Thank you for calling " + name + ". We are closed right now. Please leave a message after the tone, and we will call you back"
            + " as soon as we open.");
    String channel = line.string("feedback-channel", feedback.channel());
    if (!dev.ringback.domain.Feedback.CHANNELS.contains(channel)) {
      throw new ConfigException(line.key("feedback-channel"), "must be voice, sms or none");
    }
    String question = line.string("feedback-question", feedback.question());
    line.rejectUnknownKeys();
    return new Line(id, number, name, timeZone, language, greeting, greetingKnown, agents, ringTimeout, hours, afterHours, channel,
        question);
  }

  /** The customer's local hours in which a callback may ring: {@code "08:00-21:00"}. */
  private static QuietHours allowedHours(ConfigNode d) {
    String value = d.string("allowed-hours", "08:00-21:00");
    try {
      OpeningHours.Interval interval = OpeningHours.Interval.parse(value);
      return new QuietHours(interval.open(), interval.close());
    } catch (RuntimeException e) {
      throw new ConfigException(d.key("allowed-hours"), "'" + value + "' is not a range such as 08:00-21:00");
    }
  }

  /** {@code hours: {mon: ["09:00-17:00"], ...}} and {@code closed: ["2026-12-25"]}; no hours: always open. */
  private static OpeningHours readHours(ConfigNode line, ZoneId zone) {
    Map<String, List<String>> week = null;
    if (line.has("hours")) {
      ConfigNode hours = line.child("hours");
      week = new HashMap<>();
      for (String day : OpeningHours.DAYS.keySet()) {
        if (hours.has(day)) {
          week.put(day, hours.strings(day));
        }
      }
      hours.rejectUnknownKeys();
    }
    try {
      return OpeningHours.parse(zone, week, line.strings("closed"));
    } catch (OpeningHours.Invalid e) {
      throw new ConfigException(line.key(e.field()), e.getMessage());
    }
  }
}
