package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.ringback.app.Business;
import dev.ringback.app.Businesses;
import dev.ringback.domain.Line;
import dev.ringback.store.SecretBox;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** /api/businesses: the server admin creates, reads, changes and deletes businesses; secrets are sealed and never shown. */
class BusinessApiTest {
  static final String KEY = newKey();
  static final String AUTH_TOKEN = "bravo-auth-token-0123456789abcdef";
  static final String API_SECRET = "bravo-api-secret-0123456789abcdef";
  static final String SHOPIFY_SECRET = "bravo-shopify-secret-0123456789";
  static final List<String> SECRETS = List.of(AUTH_TOKEN, API_SECRET, SHOPIFY_SECRET);
  static TestDatabase db;
  static RingbackServer server;
  static final List<String> logged = new CopyOnWriteArrayList<>();
  static AppenderBase<ILoggingEvent> capture;

  static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  static Map<String, String> environment(TestDatabase database, String key) {
    Map<String, String> env = new HashMap<>(RingbackServer.environment(database, "http://127.0.0.1:9"));
    if (key != null) {
      env.put("RINGBACK_SECRET_KEY", key);
    }
    return env;
  }

  @BeforeAll
  static void start() {
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        logged.add(event.getFormattedMessage());
      }
    };
    capture.setContext(root.getLoggerContext());
    capture.start();
    root.addAppender(capture);
    db = TestDatabase.create();
    server = RingbackServer.start(RingbackServer.LINES_YAML, environment(db, KEY), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
  }

  static String bravo(String slug, String number) {
    return """
        {"slug": "%s", "name": "Bravo Plumbing",
         "twilio": {"account_sid": "AC%s", "auth_token": "%s", "api_key": "SKbravo0001", "api_secret": "%s"},
         "calls_per_second": 2,
         "lines": [{"id": "front", "number": "%s", "name": "Bravo", "time_zone": "Europe/Berlin",
                    "greeting_known": "Hallo {first-name}, Bravo hier.", "agents": ["+14155550401"],
                    "hours": {"mon": ["09:00-17:00"]}}],
         "orders": {"shopify": {"secret": "%s", "shop_domain": "https://Bravo.myshopify.com/"}}}
        """.formatted(slug, "b".repeat(32), AUTH_TOKEN, API_SECRET, number, SHOPIFY_SECRET);
  }

  static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  static void assertNoSecret(String text) {
    for (String secret : SECRETS) {
      assertThat(text).doesNotContain(secret);
    }
  }

  @Test
  void theServerAdminCreatesABusinessWhoseSecretsAreSealedAndNeverShown() {
    HttpResponse<String> created = server.api("POST", "/api/businesses", "application/json", bravo("bravo", "+14155550400"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).contains("/api/businesses/bravo");
    JsonObject business = json(created);
    assertThat(business.getString("slug")).isEqualTo("bravo");
    assertThat(business.getString("source")).isEqualTo("api");
    assertThat(business.getString("api_token")).startsWith("rbb_");
    assertThat(business.getJsonObject("twilio").getMap()).containsEntry("account_sid", "AC" + "b".repeat(32))
        .containsEntry("auth_token_set", true).containsEntry("api_key", "SKbravo0001").containsEntry("api_secret_set", true);
    assertThat(business.getInteger("calls_per_second")).isEqualTo(2);
    JsonObject line = business.getJsonArray("lines").getJsonObject(0);
    assertThat(line.getString("number")).isEqualTo("+14155550400");
    assertThat(line.getString("time_zone")).isEqualTo("Europe/Berlin");
    JsonObject shopify = business.getJsonObject("orders").getJsonObject("shopify");
    assertThat(shopify.getMap()).containsEntry("enabled", true).containsEntry("line", "front")
        .containsEntry("shop_domain", "bravo.myshopify.com").containsEntry("path", "/orders/shopify/bravo");
    assertThat(business.getJsonObject("orders").getJsonObject("generic").getBoolean("enabled")).isFalse();
    assertNoSecret(created.body());

    HttpResponse<String> list = server.api("GET", "/api/businesses", null, null);
    assertThat(list.statusCode()).isEqualTo(200);
    JsonArray items = json(list).getJsonArray("items");
    assertThat(items.getJsonObject(0).getString("slug")).isEqualTo("default");
    assertThat(items.getJsonObject(0).getString("source")).isEqualTo("config");
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("slug")).toList()).contains("bravo");
    assertNoSecret(list.body());
    HttpResponse<String> one = server.api("GET", "/api/businesses/bravo", null, null);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(json(one).containsKey("api_token")).isFalse();
    assertNoSecret(one.body());

    // At rest: sealed, bound to the business and the secret's name; the settings hold no secret.
    var row = db.query("SELECT id, settings::text AS settings FROM businesses WHERE slug = 'bravo'").get(0);
    assertNoSecret((String) row.get("settings"));
    long id = (Long) row.get("id");
    var sealed = db.query("SELECT name, sealed FROM business_secrets WHERE business_id = ? ORDER BY name", id);
    assertThat(sealed).extracting(r -> r.get("name")).containsExactly("order_shopify", "twilio_api_secret", "twilio_auth_token");
    SecretBox box = SecretBox.of(KEY);
    for (var secret : sealed) {
      byte[] bytes = (byte[]) secret.get("sealed");
      assertNoSecret(new String(bytes, StandardCharsets.ISO_8859_1));
      assertThat(box.open(bytes, Businesses.context(id, (String) secret.get("name")))).isIn(SECRETS);
    }
    assertThat(db.count("SELECT count(*) FROM business_numbers WHERE number = '+14155550400' AND business_id = ?", id)).isEqualTo(1);
    assertNoSecret(String.join("\n", logged));
  }

  @Test
  void aReplaceKeepsTheSecretsItLeavesOutAndClearsTheEmptyOnes() {
    assertThat(server.api("POST", "/api/businesses", "application/json", bravo("charlie", "+14155550410")).statusCode()).isEqualTo(201);
    long id = (Long) db.query("SELECT id FROM businesses WHERE slug = 'charlie'").get(0).get("id");
    HttpResponse<String> replaced = server.api("PUT", "/api/businesses/charlie", "application/json", """
        {"name": "Charlie & Co", "twilio": {"account_sid": "AC%s"},
         "lines": [{"id": "front", "number": "+14155550411", "name": "Charlie"}],
         "orders": {"shopify": {"secret": ""}}}
        """.formatted("c".repeat(32)));
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    JsonObject business = json(replaced);
    assertThat(business.getString("name")).isEqualTo("Charlie & Co");
    assertThat(business.getJsonObject("twilio").getBoolean("auth_token_set")).isTrue();
    assertThat(business.getJsonObject("twilio").getString("api_key")).isNull();
    assertThat(business.getJsonObject("orders").getJsonObject("shopify").getBoolean("enabled")).isFalse();
    assertThat(business.getJsonArray("lines").getJsonObject(0).getString("number")).isEqualTo("+14155550411");
    assertThat(business.getInteger("calls_per_second")).isEqualTo(1);
    assertNoSecret(replaced.body());
    var sealed = db.query("SELECT name, sealed FROM business_secrets WHERE business_id = ?", id);
    assertThat(sealed).extracting(r -> r.get("name")).containsExactly("twilio_auth_token");
    assertThat(SecretBox.of(KEY).open((byte[]) sealed.get(0).get("sealed"), Businesses.context(id, "twilio_auth_token")))
        .isEqualTo(AUTH_TOKEN);
    // The old number is free again, the new one taken.
    assertThat(db.count("SELECT count(*) FROM business_numbers WHERE business_id = ?", id)).isEqualTo(1);
    assertThat(server.api("POST", "/api/businesses", "application/json", bravo("delta", "+14155550410")).statusCode()).isEqualTo(201);
    // A line the business no longer has keeps no series; its new line has them.
    HttpResponse<String> moved = server.api("PUT", "/api/businesses/charlie", "application/json", """
        {"name": "Charlie & Co", "twilio": {"account_sid": "AC%s"},
         "lines": [{"id": "back", "number": "+14155550411", "name": "Charlie"}]}
        """.formatted("c".repeat(32)));
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    RingbackServer.await("charlie's series on its new line only", java.time.Duration.ofSeconds(10),
        () -> series("charlie").anyMatch(line -> line.contains("line=\"back\""))
            && series("charlie").noneMatch(line -> line.contains("line=\"front\"")));
  }

  /** The exported series of a business, one line each. */
  static java.util.stream.Stream<String> series(String business) {
    return server.get("/metrics").body().lines().filter(line -> !line.startsWith("#") && line.contains("business=\"" + business + "\""));
  }

  @Test
  void aCatchUpThatFindsNothingChangedKeepsWhatIsServedAndOneThatFindsAChangeReadsThatBusinessAnew() throws Exception {
    HttpResponse<String> created = server.api("POST", "/api/businesses", "application/json", bravo("lima", "+14155550497"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Businesses businesses = server.ringback().services().businesses();
    Business lima = businesses.bySlug("lima").orElseThrow();
    Business main = businesses.defaultBusiness();
    List<Business> served = businesses.all();
    List<Line> limaLines = lima.overrides().lines();
    List<Line> mainLines = main.overrides().lines();
    // What an instance does once it hears notifications again, every business at once: nothing changed meanwhile.
    done(businesses.reload());
    done(businesses.reloadLines(""));
    assertThat(businesses.all()).isSameAs(served);
    assertThat(lima.overrides().lines()).isSameAs(limaLines);
    assertThat(main.overrides().lines()).isSameAs(mainLines);
    // Another instance set lima's hours while this one heard nothing: lima's lines are read anew, the others' stay.
    db.query("UPDATE lines SET hours = ?::jsonb, updated_at = now() WHERE business_id = ? AND slug = 'front'",
        "{\"week\": {\"tue\": [\"10:00-12:00\"]}}", lima.id());
    done(businesses.reloadLines(""));
    assertThat(lima.overrides().lines()).isNotSameAs(limaLines);
    assertThat(lima.overrides().setThroughApi(lima.lines().get(0))).isTrue();
    assertThat(main.overrides().lines()).isSameAs(mainLines);
    assertThat(businesses.all()).isSameAs(served);
    assertThat(server.api("DELETE", "/api/businesses/lima", null, null).statusCode()).isEqualTo(204);
  }

  static void done(io.vertx.core.Future<?> future) throws Exception {
    future.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void aDeletedBusinessIsGoneItsNumbersFreeItsHistoryKept() {
    HttpResponse<String> created = server.api("POST", "/api/businesses", "application/json", bravo("echo", "+14155550420"));
    assertThat(created.statusCode()).isEqualTo(201);
    String token = json(created).getString("api_token");
    long id = (Long) db.query("SELECT id FROM businesses WHERE slug = 'echo'").get(0).get("id");
    // Its own token reaches its own lines and agents.
    HttpResponse<String> lines = server.request("GET", "/api/lines", null, null, "Bearer " + token);
    assertThat(lines.statusCode()).isEqualTo(200);
    assertThat(json(lines).getJsonArray("items").encode()).contains("+14155550420").doesNotContain(RingbackServer.LINE_NUMBER);
    HttpResponse<String> agent = server.request("POST", "/api/agents", "application/json",
        "{\"name\":\"Eve\",\"contact\":\"+14155550421\"}", "Bearer " + token);
    assertThat(agent.statusCode()).isEqualTo(201);
    String agentToken = json(agent).getString("token");
    assertThat(server.request("GET", "/api/agents/me", null, null, "Bearer " + agentToken).statusCode()).isEqualTo(200);

    RingbackServer.await("echo's series exported", java.time.Duration.ofSeconds(10),
        () -> series("echo").anyMatch(line -> line.startsWith("ringback_callback_queue{")));

    assertThat(server.api("DELETE", "/api/businesses/echo", null, null).statusCode()).isEqualTo(204);
    // Dashboards no longer read its last values.
    RingbackServer.await("echo's series gone", java.time.Duration.ofSeconds(10), () -> series("echo").findAny().isEmpty());
    // Its tokens and its agents' stop working.
    assertThat(server.request("GET", "/api/lines", null, null, "Bearer " + token).statusCode()).isEqualTo(401);
    assertThat(server.request("GET", "/api/agents/me", null, null, "Bearer " + agentToken).statusCode()).isEqualTo(401);
    assertThat(server.api("GET", "/api/businesses/echo", null, null).statusCode()).isEqualTo(404);
    assertThat(server.api("DELETE", "/api/businesses/echo", null, null).statusCode()).isEqualTo(404);
    assertThat(db.count("SELECT count(*) FROM businesses WHERE id = ? AND deleted_at IS NOT NULL", id)).isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM business_secrets WHERE business_id = ?", id)).isZero();
    assertThat(db.count("SELECT count(*) FROM api_tokens WHERE business_id = ?", id)).isZero();
    // Its slug and number may be used again; the new business's series start anew.
    assertThat(server.api("POST", "/api/businesses", "application/json", bravo("echo", "+14155550420")).statusCode()).isEqualTo(201);
    RingbackServer.await("the new echo's series exported", java.time.Duration.ofSeconds(10),
        () -> series("echo").anyMatch(line -> line.startsWith("ringback_callback_queue{"))
            && series("echo").anyMatch(line -> line.startsWith("ringback_twilio_circuit_open{")));
  }

  @Test
  void conflictsAndBadInputAreRefusedAndChangeNothing() {
    long before = db.count("SELECT count(*) FROM businesses");
    HttpResponse<String> taken = server.api("POST", "/api/businesses", "application/json", bravo("foxtrot", RingbackServer.LINE_NUMBER));
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(json(taken).getString("error")).contains(RingbackServer.LINE_NUMBER).contains("'default'");
    assertThat(server.api("POST", "/api/businesses", "application/json", bravo("golf", "+14155550430")).statusCode()).isEqualTo(201);
    HttpResponse<String> again = server.api("POST", "/api/businesses", "application/json", bravo("golf", "+14155550431"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).getString("error")).startsWith("slug:");
    HttpResponse<String> other = server.api("POST", "/api/businesses", "application/json", bravo("hotel", "+14155550430"));
    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(json(other).getString("error")).contains("'golf'");
    before += 1;

    assertThat(error(server.api("POST", "/api/businesses", "application/json", "{\"slug\":\"india\",\"name\":\"I\"}")))
        .startsWith("twilio.account_sid: missing");
    assertThat(error(server.api("POST", "/api/businesses", "application/json",
        bravo("india", "+14155550440").replace("Europe/Berlin", "Mars/Olympus")))).startsWith("lines[0].time_zone: ");
    assertThat(error(server.api("POST", "/api/businesses", "application/json",
        bravo("india", "+14155550440").replace("\"calls_per_second\"", "\"calls_per_sec\"")))).isEqualTo("calls_per_sec: unknown key");
    assertThat(error(server.api("POST", "/api/businesses", "application/json", bravo("Default", "+14155550440")))).startsWith("slug:");
    assertThat(error(server.api("POST", "/api/businesses", "application/json", bravo("default", "+14155550440")))).startsWith("slug:");
    assertThat(error(server.api("POST", "/api/businesses", "application/json",
        bravo("india", "+14155550440").replace("\"name\": \"Bravo Plumbing\",", "\"name\": \"I\", \"api_token\": \"mine\","))))
        .startsWith("api_token:");
    assertThat(server.api("POST", "/api/businesses", "application/json", "{oops").statusCode()).isEqualTo(400);
    assertThat(server.api("POST", "/api/businesses", "text/plain", "{}").statusCode()).isEqualTo(415);
    assertThat(server.api("PUT", "/api/businesses/default", "application/json", bravo("default", "+14155550440")).statusCode())
        .isEqualTo(409);
    assertThat(server.api("DELETE", "/api/businesses/default", null, null).statusCode()).isEqualTo(409);
    assertThat(server.api("PUT", "/api/businesses/nope", "application/json", bravo("nope", "+14155550440")).statusCode()).isEqualTo(404);
    assertThat(server.api("PUT", "/api/businesses/golf", "application/json", bravo("other", "+14155550440")).statusCode()).isEqualTo(422);
    assertThat(server.api("GET", "/api/businesses/nope", null, null).statusCode()).isEqualTo(404);
    assertThat(db.count("SELECT count(*) FROM businesses")).isEqualTo(before);
  }

  static String error(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    return json(response).getString("error");
  }

  @Test
  void aNewAdminTokenReplacesTheOldOneOnEveryInstance() {
    HttpResponse<String> created = server.api("POST", "/api/businesses", "application/json", bravo("november", "+14155550480"));
    assertThat(created.statusCode()).isEqualTo(201);
    String old = json(created).getString("api_token");
    String agentToken = json(server.request("POST", "/api/agents", "application/json", "{\"name\":\"Finn\",\"contact\":\"+14155550481\"}",
        "Bearer " + old)).getString("token");
    try (RingbackServer second = RingbackServer.start(RingbackServer.LINES_YAML, environment(db, KEY), Clock.systemUTC())) {
      assertThat(second.request("GET", "/api/lines", null, null, "Bearer " + old).statusCode()).isEqualTo(200);
      // Only the server admin issues it; the business's own admin may not.
      assertThat(server.request("POST", "/api/businesses/november/token", null, null, "Bearer " + old).statusCode()).isEqualTo(403);

      HttpResponse<String> issued = server.api("POST", "/api/businesses/november/token", null, null);
      assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
      assertNoSecret(issued.body());
      String fresh = json(issued).getString("api_token");
      assertThat(fresh).startsWith("rbb_").isNotEqualTo(old);
      assertThat(json(issued).getString("slug")).isEqualTo("november");
      for (RingbackServer instance : List.of(server, second)) {
        RingbackServer.await("the old token refused", java.time.Duration.ofSeconds(10),
            () -> instance.request("GET", "/api/lines", null, null, "Bearer " + old).statusCode() == 401);
        HttpResponse<String> lines = instance.request("GET", "/api/lines", null, null, "Bearer " + fresh);
        assertThat(lines.statusCode()).isEqualTo(200);
        assertThat(lines.body()).contains("+14155550480");
        // The agents' tokens are theirs, and stay.
        assertThat(instance.request("GET", "/api/agents/me", null, null, "Bearer " + agentToken).statusCode()).isEqualTo(200);
      }
    }
    assertThat(server.api("POST", "/api/businesses/default/token", null, null).statusCode()).isEqualTo(409);
    assertThat(server.api("POST", "/api/businesses/nope/token", null, null).statusCode()).isEqualTo(404);
    assertThat(server.request("POST", "/api/businesses/november/token", null, null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void onlyTheServerAdminManagesBusinesses() {
    HttpResponse<String> created = server.api("POST", "/api/businesses", "application/json", bravo("juliet", "+14155550450"));
    String businessToken = json(created).getString("api_token");
    var agent = json(server.api("POST", "/api/agents", "application/json", "{\"name\":\"Ana\",\"contact\":\"+14155550451\"}"));
    for (String token : List.of(agent.getString("token"))) {
      assertThat(server.request("GET", "/api/businesses", null, null, "Bearer " + token).statusCode()).isEqualTo(403);
      assertThat(server.request("POST", "/api/businesses", "application/json", bravo("kilo", "+14155550452"), "Bearer " + token)
          .statusCode()).isEqualTo(403);
      assertThat(server.request("DELETE", "/api/businesses/juliet", null, null, "Bearer " + token).statusCode()).isEqualTo(403);
    }
    assertThat(server.request("GET", "/api/businesses/juliet", null, null, "Bearer " + businessToken).statusCode()).isEqualTo(403);
    assertThat(server.request("GET", "/api/businesses", null, null, null).statusCode()).isEqualTo(401);
    assertThat(server.api("GET", "/api/businesses/juliet", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutTheKeyNoBusinessIsCreatedAndTheSingleBusinessServerWorksAsBefore() {
    TestDatabase other = TestDatabase.create();
    try (RingbackServer plain = RingbackServer.start(RingbackServer.LINES_YAML, environment(other, null), Clock.systemUTC())) {
      HttpResponse<String> refused = plain.api("POST", "/api/businesses", "application/json", bravo("lima", "+14155550460"));
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(json(refused).getString("error")).contains("RINGBACK_SECRET_KEY");
      assertThat(other.count("SELECT count(*) FROM businesses")).isEqualTo(1);
      assertThat(plain.api("GET", "/api/customers", null, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void storedBusinessesComeBackAfterARestartWithTheirKeyOnly() {
    TestDatabase other = TestDatabase.create();
    try (RingbackServer first = RingbackServer.start(RingbackServer.LINES_YAML, environment(other, KEY), Clock.systemUTC())) {
      assertThat(first.api("POST", "/api/businesses", "application/json", bravo("mike", "+14155550470")).statusCode()).isEqualTo(201);
    }
    assertThatThrownBy(() -> RingbackServer.start(RingbackServer.LINES_YAML, environment(other, null), Clock.systemUTC()))
        .hasStackTraceContaining("RINGBACK_SECRET_KEY").hasStackTraceContaining("mike");
    assertThatThrownBy(() -> RingbackServer.start(RingbackServer.LINES_YAML, environment(other, newKey()), Clock.systemUTC()))
        .hasStackTraceContaining("RINGBACK_SECRET_KEY");
    // A configuration business may not claim a number the stored one has: both are named.
    String clash = RingbackServer.LINES_YAML + """
        businesses:
          - slug: november
            name: November
            twilio: {account-sid: AC%s, auth-token: november-token-0123456789}
            lines:
              - {id: main, number: "+14155550470", name: November}
        """.formatted("d".repeat(32));
    assertThatThrownBy(() -> RingbackServer.start(clash, environment(other, KEY), Clock.systemUTC()))
        .hasStackTraceContaining("+14155550470").hasStackTraceContaining("'november'").hasStackTraceContaining("'mike'");
    try (RingbackServer again = RingbackServer.start(RingbackServer.LINES_YAML, environment(other, KEY), Clock.systemUTC())) {
      JsonObject mike = json(again.api("GET", "/api/businesses/mike", null, null));
      assertThat(mike.getJsonObject("twilio").getBoolean("auth_token_set")).isTrue();
      assertThat(mike.getJsonArray("lines").getJsonObject(0).getString("number")).isEqualTo("+14155550470");
    }

    // A new key, with the old one as the previous: the secrets are sealed again, and then the old key is not needed.
    String rotated = newKey();
    Map<String, String> rotating = environment(other, rotated);
    rotating.put("RINGBACK_SECRET_KEY_PREVIOUS", KEY);
    try (RingbackServer again = RingbackServer.start(RingbackServer.LINES_YAML, rotating, Clock.systemUTC())) {
      assertThat(again.api("GET", "/api/businesses/mike", null, null).statusCode()).isEqualTo(200);
    }
    long id = (Long) other.query("SELECT id FROM businesses WHERE slug = 'mike'").get(0).get("id");
    byte[] sealed = (byte[]) other.query("SELECT sealed FROM business_secrets WHERE business_id = ? AND name = 'twilio_auth_token'", id)
        .get(0).get("sealed");
    assertThat(SecretBox.of(rotated).open(sealed, Businesses.context(id, "twilio_auth_token"))).isEqualTo(AUTH_TOKEN);
    try (RingbackServer again = RingbackServer.start(RingbackServer.LINES_YAML, environment(other, rotated), Clock.systemUTC())) {
      assertThat(json(again.api("GET", "/api/businesses/mike", null, null)).getString("slug")).isEqualTo("mike");
    }
  }

  @Test
  void theServerAdminNamesTheBusinessARequestIsAboutAndNobodyElseMay() {
    HttpResponse<String> created = server.api("POST", "/api/businesses", "application/json", bravo("sierra", "+14155550470"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String sierraToken = json(created).getString("api_token");

    JsonObject me = json(server.api("GET", "/api/me", null, null));
    assertThat(me.getMap()).containsEntry("role", "server_admin").containsEntry("business", "default");
    HttpResponse<String> named = server.request("GET", "/api/me", null, null, "Bearer " + RingbackServer.API_TOKEN,
        "Ringback-Business", "sierra");
    assertThat(json(named).getMap()).containsEntry("role", "server_admin").containsEntry("business", "sierra")
        .containsEntry("business_name", "Bravo Plumbing");
    // Naming it reaches its data (its lines), and still manages the businesses.
    HttpResponse<String> lines = server.request("GET", "/api/lines", null, null, "Bearer " + RingbackServer.API_TOKEN,
        "Ringback-Business", "sierra");
    assertThat(json(lines).getJsonArray("items").getJsonObject(0).getString("number")).isEqualTo("+14155550470");
    assertThat(server.request("GET", "/api/businesses", null, null, "Bearer " + RingbackServer.API_TOKEN,
        "Ringback-Business", "sierra").statusCode()).isEqualTo(200);

    HttpResponse<String> unknown = server.request("GET", "/api/lines", null, null, "Bearer " + RingbackServer.API_TOKEN,
        "Ringback-Business", "nobody");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).getString("error")).contains("nobody");

    // A business's own admin is not the server admin: it may not name another business, nor its own.
    assertThat(json(server.request("GET", "/api/me", null, null, "Bearer " + sierraToken)).getMap())
        .containsEntry("role", "admin").containsEntry("business", "sierra");
    HttpResponse<String> other = server.request("GET", "/api/lines", null, null, "Bearer " + sierraToken, "Ringback-Business", "default");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(json(other).getString("error")).contains("Ringback-Business");
    assertThat(server.request("DELETE", "/api/businesses/sierra", null, null, "Bearer " + RingbackServer.API_TOKEN).statusCode())
        .isEqualTo(204);
  }
}
