package dev.ringback.app;

import dev.ringback.config.ConfigException;
import dev.ringback.config.RingbackConfig;
import dev.ringback.store.BusinessStore;
import dev.ringback.store.LineOverrides;
import dev.ringback.store.SecretBox;
import dev.ringback.telephony.Telephony;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every business this server serves, as one immutable snapshot that webhooks and the API read
 * without a database round trip: the configuration's businesses, fixed at start-up, and those
 * created through {@code /api/businesses}, read from the database and read again whenever any
 * instance changes one (PostgreSQL NOTIFY). Finds a business by slug, key, line number, Twilio
 * account, shop address or admin token.
 */
public final class Businesses {
  private static final Logger LOG = LoggerFactory.getLogger(Businesses.class);

  private record Snapshot(List<Business> all, Map<String, Business> bySlug, Map<Long, Business> byId, Map<String, Business> byNumber,
                          Map<String, List<Business>> byAccount, Map<Long, Business> byLineKey, Map<String, Business> byOrigin) {}

  /** A business's telephony, kept while its account stays the same (its breaker and connections with it). */
  private record Wired(RingbackConfig.TwilioAccount account, Telephony telephony) {}

  /** An API business as it was read, kept while its row stays the same: a change to one business rebuilds that one only. */
  private record Read(String fingerprint, Business business) {}

  private final Pool pool;
  private final RingbackConfig config;
  private final BusinessStore store;
  private final Optional<SecretBox> secrets;
  private final Optional<SecretBox> previous;
  private final BiFunction<String, RingbackConfig.TwilioAccount, Telephony> telephonies;
  private final Consumer<Business> onServed;
  private final Consumer<String> onRetired;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final Map<String, Wired> wired = new HashMap<>();
  private final Map<Long, Read> read = new HashMap<>();
  private List<Business> fromConfig = List.of();
  private Future<Void> reloading = Future.succeededFuture();

  /**
   * @param secrets seals and opens the stored secrets (RINGBACK_SECRET_KEY)
   * @param previous the key before a rotation (RINGBACK_SECRET_KEY_PREVIOUS): what only it opens is sealed again at start-up
   * @param telephonies makes the telephony of a business (slug) with its Twilio account
   * @param onServed told of every business each snapshot serves (to register its meters)
   * @param onRetired told of the slug of each business a snapshot no longer serves (to drop its meters)
   */
  public Businesses(Pool pool, RingbackConfig config, BusinessStore store, Optional<SecretBox> secrets, Optional<SecretBox> previous,
                    BiFunction<String, RingbackConfig.TwilioAccount, Telephony> telephonies, Consumer<Business> onServed,
                    Consumer<String> onRetired) {
    this.pool = pool;
    this.config = config;
    this.store = store;
    this.secrets = secrets;
    this.previous = previous;
    this.telephonies = telephonies;
    this.onServed = onServed;
    this.onRetired = onRetired;
  }

  /**
   * Serves the configuration's businesses (the default one first) and reads the API's; fails when
   * a stored business cannot be read (its secrets do not open with RINGBACK_SECRET_KEY).
   */
  public Future<Void> start(List<Business> configured) {
    synchronized (this) {
      fromConfig = List.copyOf(configured);
      publish(List.of());
    }
    return load(true);
  }

  /** Reads the API's businesses again; one that cannot be read is left out, with an error in the log. */
  public synchronized Future<Void> reload() {
    reloading = reloading.transform(v -> load(false));
    return reloading;
  }

  /**
   * A line's hours and settings after an instance changed them: the business of that line (its
   * database key, as the notification names it) reads its lines again; without a key (the
   * notifications were not heard for a while), every business does.
   */
  public Future<Void> reloadLines(String lineKey) {
    try {
      Optional<Business> owner = byLineKey(Long.parseLong(lineKey));
      if (owner.isPresent()) {
        return owner.get().overrides().reload();
      }
    } catch (NumberFormatException e) {
      // No key: every business's.
    }
    return LineOverrides.reload(pool, all().stream().map(Business::overrides).toList());
  }

  private Future<Void> load(boolean strict) {
    List<BusinessStore.Resealed> resealed = new ArrayList<>();
    return store.loadApi().compose(stored -> {
      List<Business> loaded = new ArrayList<>();
      List<Business> built = new ArrayList<>();
      Map<Long, Read> now = new HashMap<>();
      for (BusinessStore.Stored s : stored) {
        String fingerprint = fingerprint(s);
        Read before;
        synchronized (this) {
          before = read.get(s.id());
        }
        if (before != null && before.fingerprint().equals(fingerprint)) {
          loaded.add(before.business());
          now.put(s.id(), before);
          continue;
        }
        try {
          Business business = business(s, strict ? resealed : new ArrayList<>());
          loaded.add(business);
          built.add(business);
          now.put(s.id(), new Read(fingerprint, business));
        } catch (RuntimeException e) {
          if (strict) {
            return Future.failedFuture(new IllegalStateException("business '" + s.slug() + "': " + e.getMessage(), e));
          }
          LOG.error("business '{}' could not be read and is not served: {}", s.slug(), e.getMessage());
        }
      }
      synchronized (this) {
        read.clear();
        read.putAll(now);
      }
      // Only the businesses built again read their lines' hours and settings; the others have theirs.
      return LineOverrides.reload(pool, built.stream().map(Business::overrides).toList()).map(loaded);
    }).compose(loaded -> {
      if (resealed.isEmpty()) {
        return Future.succeededFuture(loaded);
      }
      LOG.warn("{} stored secret(s) were sealed with the previous key; sealed again with {} (the previous key may now be removed)",
          resealed.size(), SecretBox.VARIABLE);
      return store.reseal(resealed).map(loaded);
    }).map(loaded -> {
      synchronized (this) {
        // Nothing changed (most reloads after a missed notification): the snapshot and every index stay.
        if (!serves(loaded)) {
          publish(loaded);
        }
      }
      return null;
    });
  }

  /** Whether the snapshot serves exactly these API businesses, the same objects in the same order. */
  private boolean serves(List<Business> fromApi) {
    Snapshot now = current.get();
    if (now == null || now.all().size() != fromConfig.size() + fromApi.size()) {
      return false;
    }
    List<Business> all = now.all();
    for (int i = 0; i < fromApi.size(); i++) {
      if (all.get(fromConfig.size() + i) != fromApi.get(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * An API business from its row: settings and opened secrets, checked as the configuration would
   * be. A secret only the previous key opens is added to {@code resealed}, sealed under the current key.
   */
  private Business business(BusinessStore.Stored s, List<BusinessStore.Resealed> resealed) {
    Map<String, Object> values = plain(s.settings() == null ? new JsonObject() : s.settings());
    values.put("slug", s.slug());
    values.put("name", s.name());
    for (var sealed : s.sealed().entrySet()) {
      SecretBox box = secrets.orElseThrow(() -> new IllegalStateException(
          "its secrets are kept encrypted and " + SecretBox.VARIABLE + " is not set; set the key they were stored with"));
      String key = BusinessStore.SECRET_KEYS.get(sealed.getKey());
      String context = context(s.id(), sealed.getKey());
      String plain;
      try {
        plain = box.open(sealed.getValue(), context);
      } catch (SecretBox.Unreadable e) {
        if (previous.isEmpty()) {
          throw e;
        }
        plain = previous.get().open(sealed.getValue(), context);
        resealed.add(new BusinessStore.Resealed(s.id(), sealed.getKey(), box.seal(plain, context)));
      }
      RingbackConfig.setDotted(values, key, plain);
    }
    RingbackConfig.BusinessConfig parsed = config.business(values);
    return new Business(s.id(), s.slug(), s.name(), false, parsed.twilio(), parsed.callsPerSecond(), parsed.orders(),
        s.lineKeys(), s.tokenHash(), telephony(s.slug(), parsed.twilio()), new LineOverrides(pool, s.id(), parsed.lines(), new LineSettings(config)));
  }

  /** Everything of a stored business that its {@link Business} is built from. */
  private static String fingerprint(BusinessStore.Stored s) {
    StringBuilder out = new StringBuilder().append(s.slug()).append('\u0000').append(s.name()).append('\u0000')
        .append(s.settings() == null ? "" : s.settings().encode()).append('\u0000')
        .append(s.tokenHash() == null ? "" : HexFormat.of().formatHex(s.tokenHash()));
    new TreeMap<>(s.sealed()).forEach((name, sealed) -> out.append('\u0000').append(name).append('=').append(HexFormat.of().formatHex(sealed)));
    new TreeMap<>(s.lineKeys()).forEach((line, key) -> out.append('\u0000').append(line).append('=').append(key));
    return out.toString();
  }

  /** What a sealed secret belongs to, bound into it: a value moved to another business or name does not open. */
  public static String context(long businessId, String secretName) {
    return "business " + businessId + " " + secretName;
  }

  /** The telephony of a business: the one it had while its account is unchanged, else a new one. */
  public synchronized Telephony telephony(String slug, RingbackConfig.TwilioAccount account) {
    Wired known = wired.get(slug);
    if (known != null && known.account().equals(account)) {
      return known.telephony();
    }
    Telephony telephony = telephonies.apply(slug, account);
    wired.put(slug, new Wired(account, telephony));
    return telephony;
  }

  private void publish(List<Business> fromApi) {
    List<Business> all = new ArrayList<>(fromConfig);
    all.addAll(fromApi);
    Map<String, Business> bySlug = new LinkedHashMap<>();
    Map<Long, Business> byId = new HashMap<>();
    Map<String, Business> byNumber = new HashMap<>();
    Map<String, List<Business>> byAccount = new HashMap<>();
    Map<Long, Business> byLineKey = new HashMap<>();
    Map<String, Business> byOrigin = new HashMap<>();
    for (Business b : all) {
      bySlug.put(b.slug(), b);
      byId.put(b.id(), b);
      b.lines().forEach(line -> byNumber.putIfAbsent(line.number(), b));
      b.lineKeys().values().forEach(key -> byLineKey.put(key, b));
      if (b.twilio().configured()) {
        byAccount.computeIfAbsent(b.twilio().accountSid(), k -> new ArrayList<>()).add(b);
      }
      b.orders().shops().forEach((source, shop) -> {
        if (!shop.origin().isEmpty()) {
          byOrigin.putIfAbsent(source + " " + shop.origin(), b);
        }
      });
    }
    wired.keySet().retainAll(bySlug.keySet());
    Snapshot before = current.getAndSet(new Snapshot(List.copyOf(all), bySlug, byId, byNumber, byAccount, byLineKey, byOrigin));
    if (before != null) {
      before.bySlug().keySet().stream().filter(slug -> !bySlug.containsKey(slug)).forEach(onRetired);
    }
    // A business served as it was before needs nothing: only new and changed ones are told of.
    all.stream().filter(b -> before == null || before.bySlug().get(b.slug()) != b).forEach(onServed);
  }

  /** The business of the top-level configuration. */
  public Business defaultBusiness() {
    return current.get().all().get(0);
  }

  public List<Business> all() {
    return current.get().all();
  }

  public Optional<Business> bySlug(String slug) {
    return Optional.ofNullable(slug == null ? null : current.get().bySlug().get(slug));
  }

  public Optional<Business> byId(long id) {
    return Optional.ofNullable(current.get().byId().get(id));
  }

  /** The business one of whose lines has this E.164 number. */
  public Optional<Business> byNumber(String number) {
    return Optional.ofNullable(number == null ? null : current.get().byNumber().get(number));
  }

  /** The businesses on this Twilio account (usually one; several may share an account). */
  public List<Business> byAccountSid(String accountSid) {
    return accountSid == null ? List.of() : current.get().byAccount().getOrDefault(accountSid, List.of());
  }

  /** A business's slug by its id, for the metrics' labels: "unknown" for one no longer served. */
  public String slugOf(long id) {
    return byId(id).map(Business::slug).orElse("unknown");
  }

  /** A line's id by its database key, for the metrics' labels: "unknown" for one no longer served. */
  public String lineIdOf(long key) {
    return byLineKey(key).flatMap(b -> b.lineId(key)).orElse("unknown");
  }

  /** The business a line's database key belongs to. */
  public Optional<Business> byLineKey(long key) {
    return Optional.ofNullable(current.get().byLineKey().get(key));
  }

  /** The business whose shop of this source has this address ({@link RingbackConfig.Shop#origin(String)}). */
  public Optional<Business> byOrigin(String source, String origin) {
    return origin == null || origin.isEmpty() ? Optional.empty()
        : Optional.ofNullable(current.get().byOrigin().get(source + " " + origin));
  }

  /** The business whose admin token has this SHA-256, compared in constant time with each. */
  public Optional<Business> byToken(byte[] tokenHash) {
    Business found = null;
    for (Business b : all()) {
      if (b.adminTokenHash() != null && MessageDigest.isEqual(b.adminTokenHash(), tokenHash)) {
        found = b;
      }
    }
    return Optional.ofNullable(found);
  }

  /** A business and its new admin token, which is shown this once. */
  public record WithToken(Business business, String token) {}

  /**
   * Creates a business from settings in the configuration's shape, its secrets sealed, serves it
   * on every instance and gives it an admin token. Fails with {@link ConfigException} when the
   * settings are wrong or no key seals secrets, with {@link BusinessStore.SlugTaken} or
   * {@link BusinessStore.NumberTaken} when another business has its slug or one of its numbers.
   */
  public Future<WithToken> create(Map<String, Object> values) {
    return checked(values).compose(parsed -> {
      String token = adminToken();
      return store.nextId()
          .compose(id -> store.create(id, write(id, parsed, values), Tokens.sha256(token)).map(id))
          .compose(id -> reload().map(id))
          .map(id -> new WithToken(byId(id).orElseThrow(() -> new IllegalStateException("business " + parsed.slug() + " not served")),
              token));
    }).onSuccess(created -> LOG.info("business '{}' created through the API with {} line(s)", created.business().slug(),
        created.business().lines().size()));
  }

  /**
   * Replaces a business created through the API and serves it anew on every instance. A secret
   * the settings leave out keeps its value; an empty one clears it. Empty when there is no such
   * business; fails as {@link #create} does.
   */
  public Future<Optional<Business>> replace(Business current, Map<String, Object> values) {
    keepSecrets(values, current);
    return checked(values)
        .compose(parsed -> store.update(write(current.id(), parsed, values)))
        .compose(updated -> updated.isEmpty() ? Future.succeededFuture(Optional.<Business>empty())
            : reload().map(v -> bySlug(current.slug())))
        .onSuccess(replaced -> replaced.ifPresent(business ->
            LOG.info("business '{}' changed through the API ({} line(s))", business.slug(), business.lines().size())));
  }

  /** Gives a business created through the API a new admin token: the old one stops working on every instance. Empty when there is no such business. */
  public Future<Optional<WithToken>> newToken(Business current) {
    String token = adminToken();
    return store.replaceToken(current.slug(), Tokens.sha256(token))
        .compose(replaced -> replaced ? reload().map(v -> bySlug(current.slug()).map(business -> new WithToken(business, token)))
            : Future.succeededFuture(Optional.<WithToken>empty()))
        .onSuccess(given -> given.ifPresent(with ->
            LOG.info("business '{}' has a new admin token; the old one no longer works", with.business().slug())));
  }

  /**
   * Deletes a business created through the API: its history stays, its numbers and tokens stop
   * working, its waiting callbacks are cancelled. False when there is no such business.
   */
  public Future<Boolean> delete(Business current) {
    return store.delete(current.slug())
        .compose(deleted -> deleted ? reload().map(true) : Future.succeededFuture(false))
        .onSuccess(deleted -> {
          if (deleted) {
            LOG.info("business '{}' deleted through the API", current.slug());
          }
        });
  }

  private static String adminToken() {
    return "rbb_" + Tokens.random(32);
  }

  /** The settings checked as the configuration's are; a business is stored only where its secrets can be sealed. */
  private Future<RingbackConfig.BusinessConfig> checked(Map<String, Object> values) {
    return Future.succeededFuture(values).map(v -> {
      RingbackConfig.BusinessConfig parsed = config.business(v);
      if (secrets.isEmpty()) {
        throw new ConfigException("twilio.auth-token", "cannot be stored: secrets are kept encrypted in the database and "
            + SecretBox.VARIABLE + " is not set on the server (base64 of 32 random bytes, e.g. openssl rand -base64 32)");
      }
      return parsed;
    });
  }

  /** A business's secrets by where each sits in its settings; empty where none is set. */
  private static Map<String, String> secrets(RingbackConfig.TwilioAccount twilio, RingbackConfig.Orders orders) {
    Map<String, String> secrets = new HashMap<>();
    secrets.put("twilio.auth-token", twilio.authToken());
    secrets.put("twilio.api-secret", twilio.apiSecret());
    orders.shops().forEach((source, shop) -> secrets.put("orders." + source + ".secret", shop.secret()));
    return secrets;
  }

  /** Settings that leave a secret out keep the business's current one. */
  private static void keepSecrets(Map<String, Object> values, Business current) {
    Map<String, String> now = secrets(current.twilio(), current.orders());
    if (!has(values, "twilio.api-key")) {
      // No API key any more: its secret goes with it.
      now.remove("twilio.api-secret");
    }
    now.forEach((key, secret) -> {
      if (!has(values, key) && !secret.isEmpty()) {
        RingbackConfig.setDotted(values, key, secret);
      }
    });
  }

  /** What the database keeps: the settings without any secret, and each secret sealed for this business (null: removed). */
  private BusinessStore.Write write(long id, RingbackConfig.BusinessConfig parsed, Map<String, Object> values) {
    SecretBox box = secrets.orElseThrow();
    Map<String, String> plain = secrets(parsed.twilio(), parsed.orders());
    Map<String, byte[]> sealed = new HashMap<>();
    BusinessStore.SECRET_KEYS.forEach((name, key) -> {
      String secret = plain.get(key);
      if (secret != null) {
        sealed.put(name, secret.isEmpty() ? null : box.seal(secret, context(id, name)));
        remove(values, key);
      }
    });
    values.remove("slug");
    values.remove("name");
    return new BusinessStore.Write(parsed.slug(), parsed.name(), new JsonObject(values), sealed, parsed.lines());
  }

  @SuppressWarnings("unchecked")
  private static boolean has(Map<String, Object> values, String dottedKey) {
    Object node = values;
    for (String part : dottedKey.split("\\.")) {
      if (!(node instanceof Map)) {
        return false;
      }
      Map<String, Object> map = (Map<String, Object>) node;
      if (!map.containsKey(part)) {
        return false;
      }
      node = map.get(part);
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static void remove(Map<String, Object> values, String dottedKey) {
    String[] parts = dottedKey.split("\\.");
    Object node = values;
    for (int i = 0; i < parts.length - 1; i++) {
      if (!(node instanceof Map)) {
        return;
      }
      node = ((Map<String, Object>) node).get(parts[i]);
    }
    if (node instanceof Map) {
      ((Map<String, Object>) node).remove(parts[parts.length - 1]);
    }
  }

  /** A JSON value as the configuration reader takes it: maps and lists, not JsonObject and JsonArray. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> plain(JsonObject json) {
    return (Map<String, Object>) plainValue(json);
  }

  private static Object plainValue(Object value) {
    if (value instanceof JsonObject json) {
      return plainValue(json.getMap());
    }
    if (value instanceof JsonArray array) {
      return plainValue(array.getList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plainValue(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(plainValue(v)));
      return out;
    }
    return value;
  }
}
