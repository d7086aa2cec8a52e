package dev.ringback.config;

import dev.ringback.config.RingbackConfig.BusinessConfig;
import dev.ringback.config.RingbackConfig.Feedback;
import dev.ringback.config.RingbackConfig.Orders;
import dev.ringback.config.RingbackConfig.Shop;
import dev.ringback.config.RingbackConfig.TwilioAccount;
import dev.ringback.domain.CallbackMode;
import dev.ringback.domain.Catalog;
import dev.ringback.domain.Catalogs;
import dev.ringback.domain.Line;
import dev.ringback.domain.OpeningHours;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.Prompt;
import dev.ringback.domain.RingStep;
import dev.ringback.domain.RingStrategy;
import dev.ringback.domain.Screening;
import dev.ringback.domain.TextBack;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sections a business has of its own: its lines and order webhooks, at the top level for the
 * default business and in each entry of {@code businesses:}. One reader goes through all of them,
 * since every Twilio number belongs to one line of one business across the whole configuration.
 */
final class BusinessReader {
  private final PhoneNumbers numbers;
  /** A line's feedback settings when it has none of its own. */
  private final Feedback feedback;
  /** A line's texts when it has no settings of its own. */
  private final TextBack textBack;
  /** The languages a line may speak, and the sentences its own may replace. */
  private final Catalogs catalogs;
  /** Whom callbacks call first on a line that does not say. */
  private final CallbackMode callbackMode;
  /** Each number read so far and its owner, for the error naming both. */
  private final Map<String, String> numberOwners = new HashMap<>();

  BusinessReader(PhoneNumbers numbers, Feedback feedback, TextBack textBack, Catalogs catalogs, CallbackMode callbackMode) {
    this.textBack = textBack;
    this.callbackMode = callbackMode;
    this.numbers = numbers;
    this.feedback = feedback;
    this.catalogs = catalogs;
  }

  /** The entries of {@code businesses:}: slugs unique, and no shop address claimed by two of them. */
  List<BusinessConfig> businesses(ConfigNode root) {
    List<BusinessConfig> businesses = new ArrayList<>();
    Set<String> slugs = new HashSet<>(Set.of(RingbackConfig.DEFAULT_BUSINESS));
    Map<String, String> origins = new HashMap<>();
    for (ConfigNode node : root.children("businesses")) {
      String slug = node.string("slug", "");
      if (!slug.equals(RingbackConfig.DEFAULT_BUSINESS) && !slugs.add(slug)) {
        throw new ConfigException(node.key("slug"), "'" + slug + "' is used by two businesses");
      }
      BusinessConfig business = business(node);
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
    return List.copyOf(businesses);
  }

  /**
   * One entry of {@code businesses:} (or a business sent to {@code /api/businesses}, in the same
   * shape): its own Twilio account, lines, order webhooks and API token.
   */
  BusinessConfig business(ConfigNode node) {
    String slug = node.slug("slug");
    if (slug.equals(RingbackConfig.DEFAULT_BUSINESS)) {
      throw new ConfigException(node.key("slug"), "'default' is the business of the top-level configuration");
    }
    String name = node.requiredString("name");
    TwilioAccount account = twilioAccount(node.child("twilio"));
    int callsPerSecond = node.integer("calls-per-second", 1, 0, 1000);
    String apiToken = node.secret("api-token");
    List<Line> lines = lines(node, slug);
    Orders orders = orders(node.child("orders"), lines, true);
    node.rejectUnknownKeys();
    return new BusinessConfig(slug, name, account, callsPerSecond, apiToken, orders, lines);
  }

  private static TwilioAccount twilioAccount(ConfigNode twilio) {
    TwilioAccount account = new TwilioAccount(twilio.string("account-sid", ""), twilio.string("auth-token", ""),
        twilio.string("api-key", ""), twilio.string("api-secret", ""));
    if (account.accountSid().isEmpty() || account.authToken().isEmpty()) {
      throw new ConfigException(twilio.key(account.accountSid().isEmpty() ? "account-sid" : "auth-token"),
          "missing; every business but the default needs its own Twilio account SID and auth token");
    }
    if (!account.accountSid().matches("AC[0-9a-zA-Z]{1,62}")) {
      throw new ConfigException(twilio.key("account-sid"), "'" + account.accountSid() + "' is not a Twilio account SID (AC...)");
    }
    Sections.requireBothOrNeither(twilio, account.apiKey(), account.apiSecret());
    twilio.rejectUnknownKeys();
    return account;
  }

  /** The {@code lines} under {@code node}: ids unique in the business, numbers unique across every business. */
  List<Line> lines(ConfigNode node, String business) {
    List<Line> lines = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigNode line : node.children("lines")) {
      Line parsed = line(line);
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

  private Line line(ConfigNode line) {
    String id = line.slug("id");
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
    String language = language(line);
    String voice = line.string("voice", "");
    if (!voice.isEmpty()) {
      SayVoices.problem(voice, language).ifPresent(problem -> {
        throw new ConfigException(line.key("voice"), problem);
      });
    }
    Map<String, Prompt> prompts = prompts(line, catalogs.forLanguage(language).orElseThrow());
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
    String rawStrategy = line.string("ring-strategy", RingStrategy.SIMULTANEOUS.value());
    RingStrategy strategy = RingStrategy.parse(rawStrategy).orElseThrow(() -> new ConfigException(line.key("ring-strategy"),
        "'" + rawStrategy + "' is not simultaneous, sequential or longest-idle"));
    int ringSeconds = line.integer("ring-seconds", Math.min(15, ringTimeout), RingStep.SHORTEST_RING_SECONDS, ringTimeout);
    String rawScreening = line.string("screening", Screening.AUTO.value());
    Screening screening = Screening.parse(rawScreening).orElseThrow(() -> new ConfigException(line.key("screening"),
        "'" + rawScreening + "' is not auto, always or never"));
    CallbackMode mode = Sections.callbackMode(line, "callback-mode", callbackMode);
    OpeningHours hours = hours(line, timeZone);
    String channel = Sections.feedbackChannel(line, "feedback-channel", feedback.channel());
    TextBack texts = new TextBack(line.bool("text-back", textBack.calls()), line.bool("text-back-orders", textBack.orders()),
        Sections.messagingServiceSid(line, "messaging-service-sid", textBack.messagingServiceSid()));
    line.rejectUnknownKeys();
    return new Line(id, number, name, timeZone, language, voice.isEmpty() ? null : voice, agents, ringTimeout, strategy, ringSeconds,
        screening, mode, hours, channel, texts, prompts);
  }

  /**
   * The line with the settings an owner set through the API in place of its configuration's:
   * {@code settings} holds any of the keys {@link #LINE_SETTINGS} names, in the configuration's
   * shape, each checked as the configuration checks it. A prompt set to an empty text goes back
   * to the language's own sentence. With another language than the file's, the file's sentences
   * (written in its language) give way to the new language's, and a voice that cannot speak it is
   * dropped (Twilio's default for the language speaks instead).
   */
  Line lineWith(Line line, Map<String, Object> settings) {
    ConfigNode node = new ConfigNode("settings", settings, Map.of());
    String language = node.has("language") ? language(node) : line.language();
    String voice = node.has("voice") ? node.string("voice", "") : line.voice() == null ? "" : line.voice();
    if (!voice.isEmpty()) {
      Optional<String> problem = SayVoices.problem(voice, language);
      if (problem.isPresent()) {
        if (node.has("voice")) {
          throw new ConfigException(node.key("voice"), problem.get());
        }
        voice = "";
      }
    }
    int ringTimeout = node.integer("ring-timeout-seconds", line.ringTimeoutSeconds(), 5, 600);
    String rawStrategy = node.string("ring-strategy", line.ringStrategy().value());
    RingStrategy strategy = RingStrategy.parse(rawStrategy).orElseThrow(() -> new ConfigException(node.key("ring-strategy"),
        "'" + rawStrategy + "' is not simultaneous, sequential or longest-idle"));
    int ringSeconds = node.integer("ring-seconds", Math.min(line.ringSeconds(), ringTimeout), RingStep.SHORTEST_RING_SECONDS, ringTimeout);
    String rawScreening = node.string("screening", line.screening().value());
    Screening screening = Screening.parse(rawScreening).orElseThrow(() -> new ConfigException(node.key("screening"),
        "'" + rawScreening + "' is not auto, always or never"));
    CallbackMode mode = Sections.callbackMode(node, "callback-mode", line.callbackMode());
    String channel = Sections.feedbackChannel(node, "feedback-channel", line.feedbackChannel());
    TextBack texts = new TextBack(node.bool("text-back", line.textBack().calls()), node.bool("text-back-orders", line.textBack().orders()),
        line.textBack().messagingServiceSid());
    Map<String, Prompt> prompts = language.equals(line.language()) ? new LinkedHashMap<>(line.prompts()) : new LinkedHashMap<>();
    Catalog catalog = catalogs.forLanguage(language).orElseThrow();
    ConfigNode own = node.child("prompts");
    for (String key : own.names()) {
      String text = own.string(key, "");
      if (text.isEmpty()) {
        sentenceOf(own.key(key), key);
        prompts.remove(key);
      } else {
        prompts.put(key, checked(own.key(key), key, text, catalog));
      }
    }
    own.rejectUnknownKeys();
    node.rejectUnknownKeys();
    return new Line(line.id(), line.number(), line.name(), line.timeZone(), language, voice.isEmpty() ? null : voice, line.agents(),
        ringTimeout, strategy, ringSeconds, screening, mode, line.hours(), channel, texts, prompts);
  }

  /** A line's language: one Twilio's {@code <Say>} speaks, and one a catalog has the sentences of. */
  /** The keys of a line an owner may set through the API, in the configuration's shape. */
  static final List<String> LINE_SETTINGS = List.of("language", "voice", "ring-timeout-seconds", "ring-strategy", "ring-seconds",
      "screening", "callback-mode", "feedback-channel", "text-back", "text-back-orders", "prompts");

  private String language(ConfigNode line) {
    String raw = line.string("language", Catalogs.REFERENCE);
    String language = SayVoices.language(raw).orElseThrow(() -> new ConfigException(line.key("language"),
        "'" + raw + "' is not a language Twilio's <Say> speaks, such as en-US, es-MX, ro-RO, ru-RU or cmn-CN"));
    if (catalogs.forLanguage(language).isEmpty()) {
      throw new ConfigException(line.key("language"), "no catalog has the sentences of " + language + " (Ringback ships "
          + String.join(", ", catalogs.all().stream().map(Catalog::language).toList()) + "); add " + language
          + ".properties to languages.catalog-dir");
    }
    return language;
  }

  /**
   * The line's own sentences: those of {@code prompts:} (a text, or {@code {play: url}}), and the
   * older keys that name one sentence each. Every one must be a sentence of the catalogs and use
   * only its placeholders.
   */
  private Map<String, Prompt> prompts(ConfigNode line, Catalog catalog) {
    Map<String, Prompt> prompts = new LinkedHashMap<>();
    for (var entry : List.of(Map.entry("greeting", "greeting"), Map.entry("greeting-known", "greeting.known"),
        Map.entry("after-hours-message", "after-hours"), Map.entry("feedback-question", "feedback.question"))) {
      String text = line.string(entry.getKey(), "");
      if (!text.isEmpty()) {
        prompts.put(entry.getValue(), checked(line.key(entry.getKey()), entry.getValue(), text, catalog));
      }
    }
    if (!prompts.containsKey("feedback.question") && !feedback.question().isEmpty()) {
      prompts.put("feedback.question", checked("feedback.question", "feedback.question", feedback.question(), catalog));
    }
    if (!feedback.smsText().isEmpty()) {
      prompts.put("sms.feedback.question", checked("feedback.sms-text", "sms.feedback.question",
          // This key names the line {line}; the catalogs call it {business}.
          feedback.smsText().replace("{line}", "{business}"), catalog));
    }
    ConfigNode own = line.child("prompts");
    for (String key : own.names()) {
      if (own.isMapping(key)) {
        ConfigNode recording = own.child(key);
        if (!recording.has("play")) {
          throw new ConfigException(recording.key("play"), "missing; a recording is {play: <https URL>}");
        }
        String url = recording.httpUrl("play", "");
        recording.rejectUnknownKeys();
        sentenceOf(own.key(key), key);
        prompts.put(key, Prompt.play(url));
      } else {
        prompts.put(key, checked(own.key(key), key, own.string(key, ""), catalog));
      }
    }
    own.rejectUnknownKeys();
    return prompts;
  }

  private Prompt checked(String configKey, String key, String text, Catalog catalog) {
    String reference = sentenceOf(configKey, key);
    try {
      catalog.compile(key, text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(configKey, e.getMessage());
    }
    Set<String> unknown = Catalog.unknownPlaceholders(text, reference);
    if (!unknown.isEmpty()) {
      throw new ConfigException(configKey, String.join(", ", unknown.stream().map(n -> "{" + n + "}").toList())
          + " is not a placeholder of '" + key + "', which has " + Catalog.placeholders(reference));
    }
    return Prompt.text(text);
  }

  /** The reference catalog's sentence of a key an owner replaces. */
  private String sentenceOf(String configKey, String key) {
    if (!catalogs.reference().keys().contains(key)) {
      throw new ConfigException(configKey, "'" + key + "' is not a sentence of the catalogs (the README's Languages section lists them)");
    }
    return catalogs.reference().pattern(key);
  }

  /** {@code hours: {mon: ["09:00-17:00"], ...}} and {@code closed: ["2026-12-25"]}; no hours: always open. */
  private static OpeningHours hours(ConfigNode line, ZoneId zone) {
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

  /**
   * The order webhooks of one business. An order webhook without a line of its own calls back
   * from the first line.
   *
   * @param withOrigins whether each shop may name its address ({@code shop-domain}, {@code source-url}) to be found by
   */
  static Orders orders(ConfigNode orders, List<Line> lines, boolean withOrigins) {
    Map<String, Shop> shops = new LinkedHashMap<>();
    for (String source : List.of("generic", "shopify", "woocommerce")) {
      ConfigNode shop = orders.child(source);
      String secret = shop.secret("secret");
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
    orders.rejectUnknownKeys();
    return new Orders(Map.copyOf(shops));
  }
}
