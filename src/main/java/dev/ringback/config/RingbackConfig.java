package dev.ringback.config;

import dev.ringback.domain.CallbackMode;
import dev.ringback.domain.CallbackPolicy;
import dev.ringback.domain.Catalogs;
import dev.ringback.domain.DialPolicy;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.QuietHours;
import dev.ringback.domain.TextBack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Everything Ringback is told at start-up: the YAML file ({@link YamlDocument}), then single keys
 * overridden by environment variables ({@link EnvironmentOverlay}), read section by section
 * ({@link Sections}, {@link BusinessReader}). Loaded and validated once; a bad value stops start-up
 * with one line.
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
    Texts texts,
    Demo demo,
    List<Line> lines,
    List<BusinessConfig> businesses,
    Secrets secrets,
    Retention retention,
    Catalogs catalogs) {

  public static final Path DEFAULT_FILE = Path.of("config", "ringback.yaml");

  /**
   * @param trustedProxies addresses or CIDR ranges whose X-Forwarded-Proto and -Host are believed
   * @param managementPort the port of /health and /metrics (0: a free one), or empty to serve them on {@code port}
   * @param maxBufferedBytes request bodies held in memory at once, over all connections
   */
  public record Http(int port, String publicUrl, int maxBodyBytes, int maxImportBytes, List<String> trustedProxies,
                     OptionalInt managementPort, int idleTimeoutSeconds, int bodyTimeoutSeconds, long maxBufferedBytes,
                     int maxConcurrentImports, int responseTimeoutSeconds, int maxInFlight) {
    Http withPublicUrl(String url) {
      return new Http(port, url, maxBodyBytes, maxImportBytes, trustedProxies, managementPort, idleTimeoutSeconds, bodyTimeoutSeconds,
          maxBufferedBytes, maxConcurrentImports, responseTimeoutSeconds, maxInFlight);
    }
  }

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
   * @param perLine whether calls and callbacks are counted per line too, or per business only
   */
  public record Metrics(int ringSeconds, List<Integer> ringToAnswerBucketsRings, int targetRings, double serviceLevelObjective,
                        boolean perLine) {
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
   * @param mode whom a callback calls first, unless its line says ({@code lines[].callback-mode})
   * @param agentWaitSeconds how long an agent-first callback with no agent free waits before looking again
   */
  public record Callbacks(Map<String, Integer> delaySeconds, int droppedCallSeconds, int promiseMinutes, int voicemailMaxSeconds,
                          int agentAnswerSeconds, int afterHoursSecondsPerAgent, int vipDelaySeconds, CallbackMode mode,
                          int agentWaitSeconds) {
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

  /**
   * Texts to customers.
   *
   * @param lineDefaults a line's text-back when it does not say
   * @param afterLastAttempt text the customer when the last attempt of a callback fails
   * @param replyHours a customer's text this long after ours is still about that text's callback
   */
  public record Texts(TextBack lineDefaults, boolean afterLastAttempt, int replyHours) {}

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
   * @param textsDays texts sent to customers and received from them, by when they were written or received; never an opt-out
   */
  public record Retention(int callEventsDays, int recordingsDays, int textsDays) {}

  /** @param taskLeaseSeconds how long an agent holds a claimed task without renewing it */
  /** @param awayAfterMissed calls in a row an agent's phone may leave unanswered before they are set away (0: never) */
  public record Agents(int taskLeaseSeconds, int awayAfterMissed) {}

  /**
   * Generated traffic for a newcomer's first look: simulated inbound calls and orders.
   *
   * @param enabled only with the call simulator: demo callers must never be dialled for real
   * @param generatedOrderSecret the generic order webhook's secret made for this run when none was
   *     configured, to be shown so that a person can sign orders too; empty otherwise
   */
  public record Demo(boolean enabled, int callsPerMinute, int ordersPerMinute, String generatedOrderSecret) {
    public Demo(boolean enabled, int callsPerMinute, int ordersPerMinute) {
      this(enabled, callsPerMinute, ordersPerMinute, "");
    }

    @Override
    public String toString() {
      return "Demo[enabled=" + enabled + ", callsPerMinute=" + callsPerMinute + ", ordersPerMinute=" + ordersPerMinute
          + ", generated order secret " + (generatedOrderSecret.isEmpty() ? "none" : "masked") + "]";
    }
  }

  /**
   * This configuration with the demo traffic on. The demo's orders need the generic order
   * webhook: without a secret of its own, it gets a random one for this run (kept when the demo
   * is switched on twice, by the file and by {@code --demo}).
   */
  public RingbackConfig withDemo() {
    if (twilio.configured()) {
      throw new ConfigException("demo.enabled", "the demo needs the call simulator; unset TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
    }
    Map<String, Shop> shops = new HashMap<>(orders.shops());
    Shop generic = shops.get("generic");
    String generated = demo.generatedOrderSecret();
    if (!generic.enabled()) {
      generated = UUID.randomUUID().toString();
      shops.put("generic", new Shop(generated, generic.line()));
    }
    // The simulator rings nobody real, so the demo's callbacks need not wait for the morning;
    // its answered calls are scored too, and its missed callers and buyers are texted (some
    // reply), so the feedback and text panels move.
    List<Line> texting = lines.stream()
        .map(line -> line.withTextBack(new TextBack(true, true, line.textBack().messagingServiceSid()))).toList();
    return new RingbackConfig(http, database, twilio, api, phone, metrics, callbacks, dialer.withAllowedHours(QuietHours.ALL_DAY),
        new Orders(Map.copyOf(shops)), agents,
        new Feedback(feedback.channel(), true, feedback.question(), feedback.smsText(), feedback.replyHours()), texts,
        new Demo(true, demo.callsPerMinute(), demo.ordersPerMinute(), generated), texting, businesses, secrets, retention, catalogs);
  }

  /** The public URL of a server nobody gave one: itself, on this machine. */
  public static String localUrl(int port) {
    return "http://localhost:" + port;
  }

  /** This configuration as the server listening on {@code port} runs it: without a public URL, the URL is its own. */
  public RingbackConfig listeningOn(int port) {
    if (!http.publicUrl().isEmpty()) {
      return this;
    }
    return new RingbackConfig(http.withPublicUrl(localUrl(port)), database, twilio, api, phone, metrics, callbacks, dialer, orders,
        agents, feedback, texts, demo, lines, businesses, secrets, retention, catalogs);
  }

  /** This configuration with other dialler settings. */
  public RingbackConfig withDialer(Dialer other) {
    return new RingbackConfig(http, database, twilio, api, phone, metrics, callbacks, other, orders, agents, feedback, texts, demo, lines,
        businesses, secrets, retention, catalogs);
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

  /** The sections in the order they are checked, so the first error reported is the first in this list. */
  private static RingbackConfig read(ConfigNode root) {
    Http http = Sections.http(root);
    Database database = Sections.database(root);
    Twilio twilio = Sections.twilio(root);
    Api api = Sections.api(root);
    Phone phone = Sections.phone(root);
    Metrics metrics = Sections.metrics(root);
    Callbacks callbacks = Sections.callbacks(root);
    Dialer dialer = Sections.dialer(root);
    Feedback feedback = Sections.feedback(root);
    Texts texts = Sections.texts(root);
    Catalogs catalogs = Sections.catalogs(root);
    BusinessReader businessReader = new BusinessReader(new PhoneNumbers(phone.defaultRegion()), feedback, texts.lineDefaults(), catalogs,
        callbacks.mode());
    List<Line> lines = businessReader.lines(root, DEFAULT_BUSINESS);
    Orders orders = BusinessReader.orders(root.child("orders"), lines, false);
    Secrets secrets = Sections.secrets(root);
    List<BusinessConfig> businesses = businessReader.businesses(root);
    Agents agents = Sections.agents(root);
    Retention retention = Sections.retention(root);
    Demo demo = Sections.demo(root);
    root.rejectUnknownKeys();
    RingbackConfig config = new RingbackConfig(http, database, twilio, api, phone, metrics, callbacks, dialer, orders, agents,
        feedback, texts, new Demo(false, demo.callsPerMinute(), demo.ordersPerMinute()), lines, businesses, secrets, retention, catalogs);
    return demo.enabled() ? config.withDemo() : config;
  }

  /** The business of the top-level configuration. */
  public static final String DEFAULT_BUSINESS = "default";

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
    return new BusinessReader(phoneNumbers(), feedback, texts.lineDefaults(), catalogs, callbacks.mode()).business(new ConfigNode("", values, Map.of()));
  }

  /** The keys of a line an owner may set through the API ({@link #lineWith}), in the configuration's shape. */
  public static List<String> lineSettings() {
    return BusinessReader.LINE_SETTINGS;
  }

  /**
   * A line with settings set through the API in place of the configuration's (keys in kebab case,
   * any of {@link #lineSettings()}), checked exactly as the configuration is.
   *
   * @throws ConfigException naming the first key that is not valid
   */
  public Line lineWith(Line line, Map<String, Object> settings) {
    return new BusinessReader(phoneNumbers(), feedback, texts.lineDefaults(), catalogs, callbacks.mode()).lineWith(line, settings);
  }

  /** The voices of Twilio's {@code <Say>} known to speak a language, by name. */
  public static List<String> voices(String language) {
    return SayVoices.voices(language);
  }
}
