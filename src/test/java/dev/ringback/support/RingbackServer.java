package dev.ringback.support;

import dev.ringback.Ringback;
import dev.ringback.config.RingbackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The real Ringback, started in this JVM on a free port against a test database, and an HTTP
 * client that talks to it as Twilio, a shop or an agent would.
 */
public final class RingbackServer implements AutoCloseable {
  public static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
  public static final String AUTH_TOKEN = "0123456789abcdef0123456789abcdef";
  public static final String PUBLIC_URL = "https://ringback.example.com";
  public static final String API_TOKEN = "test-api-token-0123456789abcdef";
  public static final String LINE_NUMBER = "+14155550100";
  public static final String AGENT_NUMBER = "+14155550101";
  public static final String AGENT_SIP = "sip:front-desk@acme.sip.twilio.com";
  public static final String SUPPORT_NUMBER = "+14155550200";

  /** Two lines: one with agents (its callbacks ring the customer first, then the agents), one without. */
  public static final String LINES_YAML = """
      lines:
        - id: main
          number: "+1 415 555 0100"
          name: Acme
          time-zone: America/Los_Angeles
          greeting: "Thank you for calling Acme."
          greeting-known: "Hello {first-name}, thank you for calling Acme."
          agents: ["+14155550101", "sip:front-desk@acme.sip.twilio.com"]
          ring-timeout-seconds: 20
          callback-mode: customer-first
        - id: support
          number: "+14155550200"
          name: Acme Support
          agents: []
      """;

  /** {@link #LINES_YAML} with no numbers of main's own: a call rings its registered agents only, and nobody while they are away. */
  public static final String LINES_YAML_AGENTS_ONLY = LINES_YAML.replace(
      "agents: [\"+14155550101\", \"sip:front-desk@acme.sip.twilio.com\"]", "agents: []");

  /** A second business on the same server, with a Twilio account of its own. */
  public static final String BRAVO = "bravo";
  public static final String BRAVO_ACCOUNT_SID = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  public static final String BRAVO_AUTH_TOKEN = "bravo-auth-token-bbbbbbbbbbbbbbbb";
  public static final String BRAVO_API_TOKEN = "bravo-api-token-0123456789abcdef";
  public static final String BRAVO_NUMBER = "+14155550300";
  public static final String BRAVO_AGENT = "+14155550301";
  public static final String BRAVO_SHOP_SECRET = "bravo-shop-secret-0123456789";
  public static final String BRAVO_SHOP_DOMAIN = "bravo-goods.myshopify.com";

  /** {@link #LINES_YAML} and the business {@link #BRAVO}: one line with an agent, its own shop secrets and API token. */
  public static final String BUSINESSES_YAML = LINES_YAML + """
      businesses:
        - slug: bravo
          name: Bravo Plumbing
          api-token: bravo-api-token-0123456789abcdef
          calls-per-second: 0
          twilio:
            account-sid: ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
            auth-token: bravo-auth-token-bbbbbbbbbbbbbbbb
          orders:
            generic: {secret: bravo-shop-secret-0123456789}
            shopify: {secret: bravo-shop-secret-0123456789, shop-domain: bravo-goods.myshopify.com}
            woocommerce: {secret: bravo-shop-secret-0123456789, source-url: "https://shop.bravo.example/"}
          lines:
            - id: main
              number: "+14155550300"
              name: Bravo
              time-zone: America/New_York
              greeting: "Thank you for calling Bravo."
              greeting-known: "Hello {first-name}, Bravo here."
              agents: ["+14155550301"]
              callback-mode: customer-first
      """;

  /**
   * HTTP/1.1, as Twilio and the shops send; Java's default (an h2c upgrade attempt on http://)
   * failed on large answers from the server with a protocol error.
   */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Ringback ringback;
  private final String baseUrl;

  private RingbackServer(Ringback ringback) {
    this.ringback = ringback;
    this.baseUrl = "http://127.0.0.1:" + ringback.port();
  }

  /** Twilio credentials set (signatures checked), Twilio's API pointed at {@code twilioApiUrl}. */
  public static RingbackServer start(TestDatabase db, String twilioApiUrl) {
    return start(LINES_YAML, environment(db, twilioApiUrl), Clock.systemUTC());
  }

  /** Signatures checked, Twilio's API unreachable, and a clock that stands still at {@code now}. */
  public static RingbackServer startAt(TestDatabase db, java.time.Instant now) {
    return start(LINES_YAML, environment(db, "http://127.0.0.1:9"), Clock.fixed(now, java.time.ZoneOffset.UTC));
  }

  public static Map<String, String> environment(TestDatabase db, String twilioApiUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("RINGBACK_DATABASE_URL", db.url());
    env.put("RINGBACK_HTTP_PORT", "0");
    env.put("RINGBACK_PUBLIC_URL", PUBLIC_URL);
    env.put("RINGBACK_API_TOKEN", API_TOKEN);
    if (twilioApiUrl != null) {
      env.put("TWILIO_ACCOUNT_SID", ACCOUNT_SID);
      env.put("TWILIO_AUTH_TOKEN", AUTH_TOKEN);
      env.put("RINGBACK_TWILIO_API_URL", twilioApiUrl);
    }
    return env;
  }

  public static RingbackServer start(String yaml, Map<String, String> environment, Clock clock) {
    try {
      Path file = Files.createTempFile("ringback", ".yaml");
      Files.writeString(file, yaml);
      if (!environment.containsKey("RINGBACK_JOURNAL_DIR") && !yaml.contains("journal-dir")) {
        // One journal per server: several run in this JVM, some at once.
        environment = new HashMap<>(environment);
        environment.put("RINGBACK_JOURNAL_DIR", Files.createTempDirectory("ringback-journal").toString());
      }
      RingbackConfig config = RingbackConfig.load(file, environment);
      if (!yaml.contains("allowed-hours")) {
        // Tests that are not about quiet hours must not depend on the time of day they run at.
        config = config.withDialer(config.dialer().withAllowedHours(dev.ringback.domain.QuietHours.ALL_DAY));
      }
      return new RingbackServer(Ringback.start(config, clock));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Ringback did not start", e);
    }
  }

  public Ringback ringback() {
    return ringback;
  }

  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public void close() {
    ringback.close();
  }

  /** A call to {@code line} that nobody answered, as Twilio reports it: the call comes in, then its {@code <Dial>} ends unanswered. */
  public void missedCall(String callSid, String caller, String line) {
    twilio("/twilio/voice", "CallSid", callSid, "From", caller, "To", line);
    twilio("/twilio/dial", "CallSid", callSid, "From", caller, "To", line, "DialCallStatus", "no-answer");
  }

  /** A webhook exactly as Twilio sends it: form-encoded and signed for the public URL. */
  public HttpResponse<String> twilio(String pathAndQuery, String... nameValues) {
    List<Map.Entry<String, String>> params = pairs(nameValues);
    String signature = TwilioSigner.sign(AUTH_TOKEN, PUBLIC_URL + pathAndQuery, params);
    return twilioSigned(pathAndQuery, signature, params);
  }

  /** A webhook as Twilio sends it for another account: signed with that account's auth token. */
  public HttpResponse<String> twilioAs(String authToken, String pathAndQuery, String... nameValues) {
    List<Map.Entry<String, String>> params = pairs(nameValues);
    return twilioSigned(pathAndQuery, TwilioSigner.sign(authToken, PUBLIC_URL + pathAndQuery, params), params);
  }

  public HttpResponse<String> twilioSigned(String pathAndQuery, String signature, List<Map.Entry<String, String>> params) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .header("User-Agent", "TwilioProxy/1.1")
        .POST(HttpRequest.BodyPublishers.ofString(form(params)));
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    return send(request.build());
  }

  public static List<Map.Entry<String, String>> pairs(String... nameValues) {
    List<Map.Entry<String, String>> params = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      params.add(Map.entry(nameValues[i], nameValues[i + 1]));
    }
    return params;
  }

  public static String form(List<Map.Entry<String, String>> params) {
    return params.stream()
        .map(p -> URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** An /api call with the admin token. */
  public HttpResponse<String> api(String method, String path, String contentType, String body) {
    return request(method, path, contentType, body, "Bearer " + API_TOKEN);
  }

  /** @param headers more headers, as name, value pairs */
  public HttpResponse<String> request(String method, String path, String contentType, String body, String authorization,
                                      String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request.build());
  }

  /** A raw POST, as a shop sends its webhook: these exact bytes and headers. */
  public HttpResponse<String> post(String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  public HttpResponse<String> get(String path) {
    return request("GET", path, null, null, null);
  }

  /** /health with its details, which only the server admin's token is shown on the public port. */
  public HttpResponse<String> healthDetails() {
    return request("GET", "/health", null, null, "Bearer " + API_TOKEN);
  }

  /** A request with no timeout of its own gets one: a server that never answers fails the test instead of stalling it. */
  public static HttpResponse<String> send(HttpRequest request) {
    HttpRequest bounded = request.timeout().isPresent() ? request
        : HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(30)).build();
    try {
      return HTTP.send(bounded, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The families whose series appear at their first count (a line's callbacks, a trigger's speed
   * to callback): one of theirs not there yet counts 0. Any other name must be on /metrics, so a
   * misspelt one fails instead of reading 0.
   */
  static final List<String> COUNTED_FROM_FIRST_USE = List.of("ringback_calls_total", "ringback_calls_answered_within_target_total",
      "ringback_callbacks_scheduled_total", "ringback_callbacks_finished_total", "ringback_callback_delay_seconds",
      "ringback_callback_first_attempt_delay_seconds");

  /** The sum of the series on /metrics that carry all these labels, e.g. {@code metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"answered\"")}. */
  public double metric(String name, String... labels) {
    String body = get("/metrics").body();
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(body);
    double sum = 0;
    boolean any = false;
    while (m.find()) {
      String found = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String label : labels) {
        all &= found.contains(label);
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
        any = true;
      }
    }
    if (!any && COUNTED_FROM_FIRST_USE.stream().noneMatch(name::startsWith)) {
      throw new AssertionError("no series " + name + " with " + String.join(",", labels) + " on /metrics");
    }
    return sum;
  }

  /** Whether /metrics has a series of this name yet (counters appear at their first count). */
  public boolean registryHas(String name) {
    return get("/metrics").body().lines().anyMatch(line -> line.startsWith(name + "{") || line.startsWith(name + " "));
  }

  /** Polls until the condition holds or the deadline passes. */
  public static void await(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
