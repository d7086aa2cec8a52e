package dev.ringback.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  static final String LINE = """
      lines:
        - id: main
          number: "+14155550100"
          name: Acme
      """;

  static RingbackConfig parse(String yaml, Map<String, String> env) {
    return RingbackConfig.parse("test.yaml", yaml, env);
  }

  static String problem(String yaml, Map<String, String> env) {
    try {
      parse(yaml, env);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    }
    throw new AssertionError("expected a configuration error");
  }

  @Test
  void theShippedFileHoldsEveryDefault() {
    RingbackConfig shipped = RingbackConfig.load(Path.of("config", "ringback.yaml"), Map.of());
    RingbackConfig defaults = parse("", Map.of());
    assertThat(shipped.http()).isEqualTo(defaults.http());
    assertThat(shipped.database()).isEqualTo(defaults.database());
    assertThat(shipped.twilio()).isEqualTo(defaults.twilio());
    assertThat(shipped.api()).isEqualTo(defaults.api());
    assertThat(shipped.phone()).isEqualTo(defaults.phone());
    assertThat(shipped.metrics()).isEqualTo(defaults.metrics());
    assertThat(shipped.callbacks()).isEqualTo(defaults.callbacks());
    assertThat(shipped.dialer()).isEqualTo(defaults.dialer());
    assertThat(shipped.retention()).isEqualTo(defaults.retention());
    assertThat(shipped.feedback()).isEqualTo(defaults.feedback());
    assertThat(shipped.orders().shops().values()).allSatisfy(shop -> assertThat(shop).isEqualTo(new RingbackConfig.Shop("", "main")));
    assertThat(defaults.callbacks().agentAnswerSeconds()).isEqualTo(2);
    assertThat(defaults.callbacks().delaySeconds()).containsEntry("order", 0);
    assertThat(shipped.lines()).hasSize(1);
    assertThat(shipped.lines().get(0).agents()).hasSize(2);
    assertThat(defaults.http().port()).isEqualTo(8080);
    assertThat(defaults.http().publicUrl()).isEqualTo("http://localhost:8080");
    assertThat(defaults.database().url()).isEmpty();
    assertThat(defaults.twilio().apiUrl()).isEqualTo("https://api.twilio.com");
    assertThat(defaults.twilio().configured()).isFalse();
    assertThat(defaults.http().maxBodyBytes()).isEqualTo(65536);
    assertThat(defaults.http().trustedProxies()).isEmpty();
    assertThat(defaults.http().managementPort()).isEmpty();
  }

  @Test
  void environmentVariablesOverrideSingleKeys() {
    RingbackConfig config = parse("http:\n  port: 9000\n" + LINE, Map.of(
        "RINGBACK_HTTP_PORT", "9100",
        "RINGBACK_PUBLIC_URL", "https://calls.example.com/",
        "RINGBACK_DATABASE_URL", "postgresql://ringback:secret@db:5432/ringback",
        "TWILIO_ACCOUNT_SID", "AC123",
        "TWILIO_AUTH_TOKEN", "token",
        "RINGBACK_TWILIO_API_URL", "http://127.0.0.1:4010",
        "RINGBACK_API_TOKEN", "a-long-enough-api-token",
        "RINGBACK_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7,::1",
        "RINGBACK_MANAGEMENT_PORT", "9101"));
    assertThat(config.http().port()).isEqualTo(9100);
    assertThat(config.http().trustedProxies()).containsExactly("10.0.0.0/8", "192.168.1.7", "::1");
    assertThat(config.http().managementPort()).hasValue(9101);
    assertThat(config.http().publicUrl()).isEqualTo("https://calls.example.com");
    assertThat(config.database().url()).contains("postgresql://ringback:secret@db:5432/ringback");
    assertThat(config.twilio().configured()).isTrue();
    assertThat(config.twilio().apiUrl()).isEqualTo("http://127.0.0.1:4010");
    assertThat(config.api().token()).isEqualTo("a-long-enough-api-token");
    assertThat(config.lines().get(0).number()).isEqualTo("+14155550100");
  }

  @Test
  void withoutAPublicUrlTheServerIsItsOwnOnTheConfiguredPort() throws Exception {
    RingbackConfig shipped = RingbackConfig.load(Path.of("config", "ringback.yaml"), Map.of("RINGBACK_HTTP_PORT", "18580"));
    assertThat(shipped.http().publicUrl()).isEqualTo("http://localhost:18580");
    assertThat(parse("http:\n  port: 9100\n  public-url: \"\"\n", Map.of()).http().publicUrl()).isEqualTo("http://localhost:9100");
    RingbackConfig freePort = parse("http:\n  port: 0\n", Map.of());
    assertThat(freePort.http().publicUrl()).as("known once the port is chosen").isEmpty();
    assertThat(freePort.listeningOn(41234).http().publicUrl()).isEqualTo("http://localhost:41234");
    RingbackConfig set = parse("http:\n  port: 0\n  public-url: https://calls.example.com/\n", Map.of());
    assertThat(set.listeningOn(41234).http().publicUrl()).isEqualTo("https://calls.example.com");
  }

  @Test
  void linesAreNormalisedAndGetSensibleDefaults() {
    RingbackConfig config = parse("""
        phone:
          default-region: GB
        lines:
          - id: london
            number: "020 7946 0000"
            name: Acme UK
            time-zone: Europe/London
            agents: ["07911 123456", "sip:desk@acme.sip.twilio.com"]
        """, Map.of());
    var line = config.lines().get(0);
    assertThat(line.number()).isEqualTo("+442079460000");
    assertThat(line.agents()).containsExactly("+447911123456", "sip:desk@acme.sip.twilio.com");
    assertThat(line.timeZone()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(line.language()).isEqualTo("en-US");
    assertThat(line.voice()).isNull();
    assertThat(line.prompts()).as("every sentence is the catalog's").isEmpty();
    assertThat(line.ringTimeoutSeconds()).isEqualTo(20);
  }

  @Test
  void aLinesLanguageVoiceAndOwnSentencesAreChecked() {
    String line = """
        lines:
          - id: main
            number: "+14155550100"
            name: Acme
        """;
    RingbackConfig config = parse(line + """
            language: ro-ro
            voice: Polly.Carmen
            greeting: "Bună ziua, mulțumim că ați sunat la {business}."
            prompts:
              missed: "Vă sunăm înapoi în {minutes} minute."
              callback.stop-calls: {play: "https://example.com/stop.mp3"}
        """, Map.of());
    var parsed = config.lines().get(0);
    assertThat(parsed.language()).as("as Twilio spells it").isEqualTo("ro-RO");
    assertThat(parsed.voice()).isEqualTo("Polly.Carmen");
    assertThat(parsed.prompts().get("greeting").text()).isEqualTo("Bună ziua, mulțumim că ați sunat la {business}.");
    assertThat(parsed.prompts().get("missed").text()).isEqualTo("Vă sunăm înapoi în {minutes} minute.");
    assertThat(parsed.prompts().get("callback.stop-calls").play()).isEqualTo("https://example.com/stop.mp3");

    assertThat(problem(line + "    ring-strategy: round-robin\n", Map.of()))
        .isEqualTo("lines[0].ring-strategy: 'round-robin' is not simultaneous, sequential or longest-idle");
    assertThat(problem(line + "    ring-timeout-seconds: 20\n    ring-seconds: 30\n", Map.of()))
        .isEqualTo("lines[0].ring-seconds: 30 is out of range 5-20");
    assertThat(problem(line + "    language: xx-XX\n", Map.of()))
        .startsWith("lines[0].language: 'xx-XX' is not a language Twilio's <Say> speaks");
    assertThat(problem(line + "    language: fr-FR\n", Map.of()))
        .startsWith("lines[0].language: no catalog has the sentences of fr-FR");
    assertThat(problem(line + "    voice: Polly.Nobody\n", Map.of()))
        .startsWith("lines[0].voice: 'Polly.Nobody' is not a voice of Twilio's <Say>");
    assertThat(problem(line + "    language: ru-RU\n    voice: Polly.Carmen\n", Map.of()))
        .isEqualTo("lines[0].voice: the voice Polly.Carmen speaks ro-RO, not ru-RU");
    assertThat(parse(line + "    language: ru-RU\n    voice: Google.ru-RU-Wavenet-A\n", Map.of()).lines().get(0).voice())
        .isEqualTo("Google.ru-RU-Wavenet-A");
    assertThat(problem(line + "    prompts:\n      missed: \"Back within {minutes} minutes, {city}.\"\n", Map.of()))
        .isEqualTo("lines[0].prompts.missed: {city} is not a placeholder of 'missed', which has [minutes]");
    assertThat(problem(line + "    greeting-known: \"Hi {nickname}\"\n", Map.of()))
        .startsWith("lines[0].greeting-known: {nickname} is not a placeholder of 'greeting.known'");
    assertThat(problem(line + "    prompts:\n      goodbye: \"Bye.\"\n", Map.of()))
        .startsWith("lines[0].prompts.goodbye: 'goodbye' is not a sentence of the catalogs");
    assertThat(problem(line + "    prompts:\n      missed: \"Within {minutes, plural, one {# minute}\"\n", Map.of()))
        .startsWith("lines[0].prompts.missed: missed: not a valid message");
  }

  @Test
  void anOwnersCatalogThatIsNotWholeStopsStartUpNamingItsFileAndKey(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("fr-FR.properties"), "greeting = Merci d'avoir appelé {business}.\n");
    assertThat(problem("languages:\n  catalog-dir: " + dir + "\n", Map.of()))
        .startsWith("languages.catalog-dir (" + dir + "): the fr-FR catalog: ").contains("missed: missing");
  }

  @Test
  void badValuesNameTheKeyAndTheProblem() {
    assertThat(problem("http:\n  port: 70000\n", Map.of())).isEqualTo("http.port: 70000 is out of range 0-65535");
    assertThat(problem("", Map.of("RINGBACK_HTTP_PORT", "eighty")))
        .isEqualTo("RINGBACK_HTTP_PORT (http.port): 'eighty' is not a whole number");
    assertThat(problem("http:\n  public-url: not a url\n", Map.of())).startsWith("http.public-url: ");
    assertThat(problem("", Map.of("RINGBACK_PUBLIC_URL", "ftp://x.example.com")))
        .startsWith("RINGBACK_PUBLIC_URL (http.public-url): ");
    assertThat(problem("", Map.of("RINGBACK_TWILIO_API_URL", "localhost:4010")))
        .startsWith("RINGBACK_TWILIO_API_URL (twilio.api-url): ");
    assertThat(problem("", Map.of("RINGBACK_DATABASE_URL", "mysql://x@y/z")))
        .startsWith("RINGBACK_DATABASE_URL (database.url): ");
    assertThat(problem("htp:\n  port: 1\n", Map.of())).isEqualTo("htp: unknown key");
    assertThat(problem("http:\n  prot: 1\n", Map.of())).isEqualTo("http.prot: unknown key");
    assertThat(problem("lines:\n  - id: main\n    name: Acme\n", Map.of())).isEqualTo("lines[0].number: missing; it is required");
    assertThat(problem("lines:\n  - id: main\n    name: Acme\n    number: '12'\n", Map.of()))
        .isEqualTo("lines[0].number: '12' is not a valid phone number");
    assertThat(problem(LINE + "    agnets: []\n", Map.of())).isEqualTo("lines[0].agnets: unknown key");
    assertThat(problem(LINE + "    agents: ['not a phone']\n", Map.of())).startsWith("lines[0].agents[0]: ");
    assertThat(problem(LINE + "    time-zone: Mars/Olympus\n", Map.of())).startsWith("lines[0].time-zone: ");
    assertThat(problem(LINE + "  - id: main\n    number: '+14155550199'\n    name: B\n", Map.of()))
        .isEqualTo("lines[1].id: 'main' is used by two lines");
    assertThat(problem("", Map.of("TWILIO_ACCOUNT_SID", "AC1"))).startsWith("twilio.auth-token: missing");
    assertThat(problem("http: [1, 2]\n", Map.of())).isEqualTo("http: expected a mapping of keys");
    assertThat(problem("http:\n  port: 80\n   bad indent: x\n", Map.of())).startsWith("test.yaml: is not valid YAML at line");
    assertThat(problem("api:\n  token: short\n", Map.of())).startsWith("api.token: is too short");
    assertThat(problem("", Map.of("RINGBACK_TRUSTED_PROXIES", "proxy.example.com")))
        .startsWith("RINGBACK_TRUSTED_PROXIES (http.trusted-proxies): 'proxy.example.com' is not an IP address");
    assertThat(problem("http:\n  trusted-proxies: [10.0.0.0/33]\n", Map.of())).startsWith("http.trusted-proxies: '10.0.0.0/33' has a prefix");
    assertThat(problem("http:\n  port: 8080\n  management-port: 8080\n", Map.of())).startsWith("http.management-port: 8080 is the HTTP port");
    assertThat(problem("", Map.of("RINGBACK_MANAGEMENT_PORT", "x"))).isEqualTo("RINGBACK_MANAGEMENT_PORT (http.management-port): 'x' is not a whole number");
    assertThat(problem("metrics:\n  ring-to-answer-buckets-rings: [3, 2]\n", Map.of())).contains("increasing");
  }

  @Test
  void orderWebhooksTakeTheirSecretsFromTheEnvironmentAndALineThatExists() {
    String two = LINE + """
          - id: shop
            number: "+14155550300"
            name: Acme Shop
        """;
    RingbackConfig config = parse("orders:\n  shopify:\n    line: shop\n" + two, Map.of(
        "RINGBACK_SHOPIFY_SECRET", "shpss_0123456789abcdef",
        "RINGBACK_WOOCOMMERCE_SECRET", "wc-secret-0123456789",
        "RINGBACK_ORDER_SECRET", "order-secret-0123456789"));
    assertThat(config.orders().shop("shopify")).contains(new RingbackConfig.Shop("shpss_0123456789abcdef", "shop"));
    assertThat(config.orders().shop("woocommerce")).contains(new RingbackConfig.Shop("wc-secret-0123456789", "main"));
    assertThat(config.orders().shop("generic")).contains(new RingbackConfig.Shop("order-secret-0123456789", "main"));
    assertThat(parse(LINE, Map.of()).orders().shop("shopify").orElseThrow().enabled()).isFalse();

    assertThat(problem("orders:\n  woocommerce:\n    line: nope\n" + LINE, Map.of()))
        .isEqualTo("orders.woocommerce.line: 'nope' is not the id of a configured line");
    assertThat(problem(LINE, Map.of("RINGBACK_ORDER_SECRET", "short")))
        .contains("orders.generic.secret").contains("too short");
    assertThat(problem("orders:\n  magento:\n    secret: x\n" + LINE, Map.of())).contains("orders.magento");
  }

  @Test
  void theServiceLevelTargetAlwaysHasABucket() {
    RingbackConfig config = parse("metrics:\n  ring-seconds: 5\n  target-rings: 7\n  service-level-percent: 90\n" + LINE, Map.of());
    assertThat(config.metrics().ringToAnswerBucketsRings()).containsExactly(1, 2, 3, 4, 5, 6, 7, 10);
    assertThat(config.metrics().target()).isEqualTo(java.time.Duration.ofSeconds(35));
    assertThat(config.metrics().serviceLevelObjective()).isEqualTo(0.9);
    assertThat(parse(LINE, Map.of()).metrics().target()).isEqualTo(java.time.Duration.ofSeconds(18));
  }

  @Test
  void theDemoRunsOnlyWithTheSimulator() {
    RingbackConfig demo = parse(LINE, Map.of("RINGBACK_DEMO", "true"));
    assertThat(demo.demo().enabled()).isTrue();
    assertThat(demo.orders().shop("generic").orElseThrow().enabled()).isTrue();
    assertThat(demo.lines()).as("the demo's lines text back").allMatch(line -> line.textBack().calls() && line.textBack().orders());
    assertThat(parse(LINE, Map.of()).demo().enabled()).isFalse();
    assertThat(parse(LINE, Map.of()).lines().get(0).textBack().any()).isFalse();
    assertThat(problem(LINE, Map.of("RINGBACK_DEMO", "true", "TWILIO_ACCOUNT_SID", "AC1", "TWILIO_AUTH_TOKEN", "token")))
        .contains("demo").contains("simulator");
    assertThat(problem(LINE, Map.of("RINGBACK_DEMO", "maybe"))).contains("demo.enabled").contains("not true or false");
  }

  static final String BUSINESSES = """
      businesses:
        - slug: bravo-west
          name: Bravo West
          calls-per-second: 3
          twilio:
            account-sid: ACbravo0123456789
            auth-token: from-the-file
          orders:
            shopify:
              shop-domain: HTTPS://Bravo.MyShopify.com/
              line: shop
          lines:
            - id: front
              number: "+1 415 555 0300"
              name: Bravo
            - id: shop
              number: "+14155550301"
              name: Bravo Shop
      """;

  @Test
  void businessesAreDeclaredWithTheirOwnAccountLinesAndSecretsFromTheEnvironment() {
    RingbackConfig config = parse(LINE + BUSINESSES, Map.of(
        "RINGBACK_BUSINESS_BRAVO_WEST_TWILIO_AUTH_TOKEN", "from-the-environment",
        "RINGBACK_BUSINESS_BRAVO_WEST_TWILIO_API_KEY", "SKkey",
        "RINGBACK_BUSINESS_BRAVO_WEST_TWILIO_API_SECRET", "key-secret",
        "RINGBACK_BUSINESS_BRAVO_WEST_SHOPIFY_SECRET", "shpss_0123456789abcdef",
        "RINGBACK_BUSINESS_BRAVO_WEST_API_TOKEN", "bravo-admin-token-0123"));
    assertThat(config.businesses()).hasSize(1);
    RingbackConfig.BusinessConfig bravo = config.businesses().get(0);
    assertThat(bravo.slug()).isEqualTo("bravo-west");
    assertThat(bravo.callsPerSecond()).isEqualTo(3);
    assertThat(bravo.twilio()).isEqualTo(new RingbackConfig.TwilioAccount("ACbravo0123456789", "from-the-environment", "SKkey", "key-secret"));
    assertThat(bravo.twilio().usesApiKey()).isTrue();
    assertThat(bravo.apiToken()).isEqualTo("bravo-admin-token-0123");
    assertThat(bravo.lines()).extracting(l -> l.number()).containsExactly("+14155550300", "+14155550301");
    assertThat(bravo.orders().shop("shopify")).contains(new RingbackConfig.Shop("shpss_0123456789abcdef", "shop", "bravo.myshopify.com"));
    assertThat(bravo.orders().shop("generic")).contains(new RingbackConfig.Shop("", "front"));
    assertThat(bravo.toString() + config.twilio() + bravo.orders()).doesNotContain("from-the-environment").doesNotContain("key-secret")
        .doesNotContain("shpss_").doesNotContain("bravo-admin-token");
    // The default business is the top level, unchanged.
    assertThat(config.lines()).hasSize(1);
    assertThat(parse(LINE, Map.of()).businesses()).isEmpty();
  }

  @Test
  void aNumberClaimedByTwoBusinessesStopsStartUpNamingBoth() {
    assertThat(problem(LINE + BUSINESSES.replace("+1 415 555 0300", "+14155550100"), Map.of()))
        .isEqualTo("businesses[0].lines[0].number: +14155550100 is claimed by two businesses: line 'main' of business 'default'"
            + " and line 'front' of business 'bravo-west'");
    String twice = LINE + BUSINESSES + BUSINESSES.replace("businesses:\n", "").replace("bravo-west", "charlie")
        .replace("+14155550301", "+14155550399").replace("Bravo.MyShopify", "charlie.myshopify");
    assertThat(problem(twice, Map.of())).contains("+14155550300").contains("'bravo-west'").contains("'charlie'");
    assertThat(problem(LINE + BUSINESSES + BUSINESSES.replace("businesses:\n", ""), Map.of()))
        .isEqualTo("businesses[1].slug: 'bravo-west' is used by two businesses");
    assertThat(problem(LINE + BUSINESSES.replace("slug: bravo-west", "slug: default"), Map.of())).startsWith("businesses[0].slug:");
    assertThat(problem(LINE + BUSINESSES.replace("      auth-token: from-the-file\n", ""), Map.of()))
        .startsWith("businesses[0].twilio.auth-token: missing");
    assertThat(problem(LINE + BUSINESSES.replace("calls-per-second: 3", "calls-per-secnd: 3"), Map.of()))
        .isEqualTo("businesses[0].calls-per-secnd: unknown key");
    assertThat(problem(LINE + BUSINESSES, Map.of("RINGBACK_BUSINESS_BRAVO_WEST_ORDER_SECRET", "short")))
        .startsWith("RINGBACK_BUSINESS_BRAVO_WEST_ORDER_SECRET (businesses[0].orders.generic.secret): is too short");
  }

  @Test
  void theSecretKeyIs32BytesOfBase64() {
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    assertThat(parse(LINE, Map.of("RINGBACK_SECRET_KEY", key)).secrets().configured()).isTrue();
    assertThat(parse(LINE, Map.of("RINGBACK_SECRET_KEY", key)).secrets().toString()).doesNotContain(key);
    assertThat(problem(LINE, Map.of("RINGBACK_SECRET_KEY", "c2hvcnQ="))).startsWith("RINGBACK_SECRET_KEY (secrets.key): must be 32 random bytes");
    assertThat(problem(LINE, Map.of("RINGBACK_SECRET_KEY", "not base64!"))).startsWith("RINGBACK_SECRET_KEY (secrets.key):");
    assertThat(parse(LINE, Map.of()).secrets().configured()).isFalse();
  }

  /** The configuration's own YAML reader gives what Jackson's untyped reading gives, scalar types included. */
  @Test
  void yamlIsReadAsJacksonReadsIt() throws Exception {
    var mapper = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    java.util.List<String> documents = new java.util.ArrayList<>(java.util.List.of(
        "", "# only a comment\n", "plain scalar", "- a\n- 2\n",
        """
        ints: [0, 7, -3, 12345678901, 0x1F, 017]
        floats: [1.5, -0.25, 1e3, 2.0]
        booleans: [true, false, yes, no, on, off, True]
        nulls: [null, ~, ]
        strings: ["08:00", '00:00-24:00', "+1 415 555 0100", 08:00, 2026-12-02, "yes"]
        nested:
          - {a: 1, b: [x, {c: d}]}
          - key: |
              two
              lines
            folded: >
              one
              line
        anchors:
          base: &base {timeout: 25, retries: 3}
          copy: *base
        duplicate: first
        duplicate: second
        empty_map: {}
        empty_list: []
        """,
        java.nio.file.Files.readString(Path.of("config", "ringback.yaml"))));
    for (String doc : documents) {
      var tree = mapper.readTree(doc);
      Object jackson = tree == null || tree.isMissingNode() || tree.isNull() ? null : mapper.convertValue(tree, Object.class);
      assertThat(YamlDocument.read(doc)).as(doc).isEqualTo(jackson);
    }
  }
}
