package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files checked by Prometheus itself: promtool validates the configuration, the
 * alert rules and a live /metrics, and fires every alert on labelled series (each annotation
 * naming only labels its alert keeps); then a real Prometheus scrapes a Ringback that has handled
 * a scripted set of calls, and every PromQL expression of the dashboard and of the alert rules
 * is evaluated through its HTTP API: each panel's series named by their labels, none NaN.
 * Skipped (with the reason) where Prometheus is not installed; .ci/run installs Debian's package.
 */
class MonitoringCheckTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final String ORDER_SECRET = "monitoring-check-secret-0123";
  /** Lint findings of Micrometer's standard JVM binders, whose names dashboards everywhere rely on. */
  static final Set<String> KNOWN_LINT = Set.of("process_cpu_time_ns_total", "system_cpu_count");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ALERT_TESTS = "src/test/resources/monitoring/alerts-test.yml";
  static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
  static final Pattern ANNOTATION_LABEL = Pattern.compile("\\$labels\\.(\\w+)");
  /** The panels' words for what has no line label. */
  static final String NO_LINE = "the line filter does not apply";

  @Test
  void prometheusAcceptsTheConfigRulesMetricsAndEveryDashboardQuery() throws Exception {
    assumeThat(onPath("promtool") && onPath("prometheus"))
        .as("Prometheus is not installed (apt-get install prometheus): the monitoring check is skipped").isTrue();

    assertThat(run(List.of("promtool", "check", "config", "config/prometheus.yml"), null).exit()).isZero();
    assertThat(run(List.of("promtool", "check", "rules", "config/alerts.yml"), null).exit()).isZero();
    Run alertTests = run(List.of("promtool", "test", "rules", ALERT_TESTS), null);
    assertThat(alertTests.exit()).as(alertTests.output()).isZero();
    checkAnnotationsNameKeptLabels();
    JsonNode dashboard = JSON.readTree(Path.of("grafana/dashboards/ringback.json").toFile());
    List<Query> dashboardQueries = checkDashboard(dashboard);
    checkProvisioning();

    TestDatabase db = TestDatabase.create();
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      Map<String, String> env = new HashMap<>(RingbackServer.environment(db, twilio.baseUrl()));
      env.put("RINGBACK_ORDER_SECRET", ORDER_SECRET);
      String yaml = "callbacks:\n  delay-seconds:\n    missed: 0\ndialer:\n  calls-per-second: 0\n  poll-millis: 100\n"
          + "texts:\n  text-back: true\n" + RingbackServer.LINES_YAML;
      try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC());
           Prometheus prometheus = Prometheus.start(server)) {
        // Scraped before the traffic too, as in production: rates and increases see it happen.
        prometheus.awaitScrapes(2);
        script(server, twilio, db, prometheus);

        Run lint = run(List.of("promtool", "check", "metrics"), server.get("/metrics").body());
        List<String> findings = lint.output().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lint.exit()).as(lint.output()).isIn(0, 3);
        assertThat(findings).as("only the JVM binders' known names").allMatch(l -> KNOWN_LINT.stream().anyMatch(l::startsWith));

        Set<String> perLine = new HashSet<>();
        Matcher series = Pattern.compile("^(ringback_\\w+)\\{[^}]*\\bline=", Pattern.MULTILINE).matcher(server.get("/metrics").body());
        while (series.find()) {
          perLine.add(series.group(1).replaceAll("_(bucket|count|sum)$", ""));
        }
        checkLineFilters(dashboard, perLine);

        // Two samples of every series, those that appeared at their first count included: rates need two.
        prometheus.awaitScrapeAfter(Instant.now().plusMillis(1500));
        for (Query query : dashboardQueries) {
          JsonNode result = prometheus.query(query.promql());
          assertThat(result.path("status").asText()).as(query + " -> " + result).isEqualTo("success");
          assertThat(result.path("data").path("result").size()).as("no data for " + query).isPositive();
          for (JsonNode one : result.path("data").path("result")) {
            assertThat(one.path("value").get(1).asText()).as(query + ": " + one).isNotIn("NaN", "+Inf", "-Inf");
            Matcher legend = LEGEND_LABEL.matcher(query.legend());
            while (legend.find()) {
              assertThat(one.path("metric").path(legend.group(1)).asText()).as(query + ": a series without " + legend.group(1) + ": " + one)
                  .isNotBlank();
            }
          }
        }
        JsonNode lines = prometheus.get("/api/v1/label/line/values?match[]=ringback_calls_total");
        assertThat(lines.path("data").toString()).contains("\"main\"", "\"support\"");
        JsonNode rules = new YAMLMapper().readTree(Path.of("config/alerts.yml").toFile());
        int checked = 0;
        for (JsonNode group : rules.path("groups")) {
          for (JsonNode rule : group.path("rules")) {
            JsonNode result = prometheus.query(rule.path("expr").asText());
            assertThat(result.path("status").asText()).as(rule.path("alert").asText() + " -> " + result).isEqualTo("success");
            checked++;
          }
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
        prometheus.awaitRulesHealthy(checked);
      }
    }
  }

  /**
   * Calls, a missed call's callback and text-back, an order, a customer's text and a landline
   * that is not texted, through the real webhooks, so every panel has data.
   */
  static void script(RingbackServer server, TwilioStandIn twilio, TestDatabase db, Prometheus prometheus) {
    Instant start = Instant.now();
    String caller = "+14155550161";
    server.twilio("/twilio/voice", "CallSid", "CAmon00001", "From", caller, "To", RingbackServer.LINE_NUMBER);
    leg(server, "CAmon00001", "CAmonleg001", "ringing", start.plusSeconds(1));
    leg(server, "CAmon00001", "CAmonleg001", "in-progress", start.plusSeconds(9));
    server.twilio("/twilio/status", "CallSid", "CAmon00001", "CallStatus", "completed", "Timestamp", TWILIO.format(start.plusSeconds(120)));

    String missed = "+14155550162";
    server.twilio("/twilio/voice", "CallSid", "CAmon00002", "From", missed, "To", RingbackServer.LINE_NUMBER);
    server.twilio("/twilio/dial", "CallSid", "CAmon00002", "From", missed, "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer");
    server.twilio("/twilio/status", "CallSid", "CAmon00002", "CallStatus", "completed", "Timestamp", TWILIO.format(start.plusSeconds(40)));

    byte[] order = "{\"order_id\":\"mon-1\",\"phone\":\"+14155550163\",\"name\":\"Mona Check\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(server.post("/orders", Map.of("Content-Type", "application/json",
        "X-Ringback-Signature", ShopSigner.generic(ORDER_SECRET, order)), order).statusCode()).isEqualTo(200);

    RingbackServer.await("both callbacks to be placed", Duration.ofSeconds(15),
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE call_sid IS NOT NULL") == 2);
    // Another missed call once Prometheus has seen the first one's callback: a trigger's speed to
    // callback appears at its first count, which increase() and rate() cannot see (the README says so).
    prometheus.awaitScrapeAfter(Instant.now().plusMillis(100));
    String again = "+14155550164";
    server.twilio("/twilio/voice", "CallSid", "CAmon00004", "From", again, "To", RingbackServer.LINE_NUMBER);
    server.twilio("/twilio/dial", "CallSid", "CAmon00004", "From", again, "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer");
    server.twilio("/twilio/status", "CallSid", "CAmon00004", "CallStatus", "completed", "Timestamp", TWILIO.format(start.plusSeconds(45)));
    RingbackServer.await("the third callback to be placed", Duration.ofSeconds(15),
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE call_sid IS NOT NULL") == 3);
    int score = 3;
    for (Map<String, Object> attempt : db.query(
        "SELECT a.callback_id, a.call_sid, c.customer_phone FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id")) {
      String query = "?callback=" + attempt.get("callback_id");
      String sid = (String) attempt.get("call_sid");
      String customer = (String) attempt.get("customer_phone");
      String agentLeg = sid + "agent";
      server.twilio("/twilio/status" + query, "CallSid", sid, "CallStatus", "ringing", "Timestamp", TWILIO.format(start.plusSeconds(61)));
      server.twilio("/twilio/status" + query, "CallSid", sid, "CallStatus", "in-progress", "AnsweredBy", "human",
          "Timestamp", TWILIO.format(start.plusSeconds(70)));
      leg(server, sid, agentLeg, "in-progress", start.plusSeconds(75));
      server.twilio("/twilio/dial" + query, "CallSid", sid, "From", RingbackServer.LINE_NUMBER, "To", customer, "CallStatus", "in-progress",
          "DialCallStatus", "completed", "DialCallSid", agentLeg, "DialCallDuration", "120");
      server.twilio("/twilio/feedback", "CallSid", sid, "From", RingbackServer.LINE_NUMBER, "To", customer, "Digits", Integer.toString(score++));
      server.twilio("/twilio/status" + query, "CallSid", sid, "CallStatus", "completed", "Timestamp", TWILIO.format(start.plusSeconds(200)));
    }
    RingbackServer.await("the three scores to be counted", Duration.ofSeconds(15), () -> server.metric("ringback_feedback_score_count") == 3);
    // A request without credentials (the HTTP errors panel) and a collection (the GC panel).
    assertThat(server.get("/api/callbacks").statusCode()).isEqualTo(401);
    System.gc();
    texts(server, twilio, db, missed);
  }

  /** The missed caller's text-back delivered and answered with a time; a landline we missed is not texted. */
  static void texts(RingbackServer server, TwilioStandIn twilio, TestDatabase db, String texted) {
    TwilioStandIn.RecordedRequest text = twilio.awaitRequests(
        r -> r.path().endsWith("/Messages.json") && texted.equals(r.param("To")), 1, Duration.ofSeconds(15));
    RingbackServer.await("the text-back's SID to be kept", Duration.ofSeconds(15),
        () -> db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND message_sid IS NOT NULL", texted) > 0);
    String sid = (String) db.query("SELECT message_sid FROM texts WHERE customer_phone = ?", texted).get(0).get("message_sid");
    String statusPath = text.param("StatusCallback").substring(RingbackServer.PUBLIC_URL.length());
    assertThat(server.twilio(statusPath, "MessageSid", sid, "MessageStatus", "delivered", "To", texted).statusCode()).isEqualTo(200);
    assertThat(server.twilio("/twilio/sms", "MessageSid", "SMmon00001", "From", texted, "To", RingbackServer.LINE_NUMBER,
        "Body", "tomorrow 10:30").statusCode()).isEqualTo(200);

    String landline = "+442079460958";
    server.twilio("/twilio/voice", "CallSid", "CAmon00003", "From", landline, "To", RingbackServer.LINE_NUMBER);
    server.twilio("/twilio/dial", "CallSid", "CAmon00003", "From", landline, "To", RingbackServer.LINE_NUMBER,
        "DialCallStatus", "no-answer");
    RingbackServer.await("the texts and the reply to be counted", Duration.ofSeconds(15),
        () -> counted(server, "ringback_texts_total", "result=\"delivered\"")
            && counted(server, "ringback_texts_total", "result=\"not_mobile\"")
            && counted(server, "ringback_text_replies_total", "kind=\"time\""));
  }

  /** Whether a counter that appears at its first count has counted yet. */
  static boolean counted(RingbackServer server, String name, String label) {
    try {
      return server.metric(name, label) > 0;
    } catch (AssertionError none) {
      return false;
    }
  }

  static void leg(RingbackServer server, String parent, String leg, String status, Instant at) {
    server.twilio("/twilio/status", "CallSid", leg, "ParentCallSid", parent, "CallStatus", status, "Timestamp", TWILIO.format(at),
        "Direction", "outbound-dial", "To", RingbackServer.AGENT_NUMBER);
  }

  /** A dashboard query as Prometheus takes it, and how the panel names each of its series. */
  record Query(String panel, String promql, String legend) {
    @Override
    public String toString() {
      return panel + ": " + promql;
    }
  }

  /**
   * Unique ids; every panel and variable on the datasource variable, which an import sets from
   * its input; targets, each with a legend, on every panel; the business and line variables
   * defined and used (every business's meter filtered by business), the HTTP and JVM panels by
   * job and instance; returns every query.
   */
  static List<Query> checkDashboard(JsonNode dashboard) {
    assertThat(dashboard.path("uid").asText()).isEqualTo("ringback-overview");
    JsonNode input = dashboard.path("__inputs").get(0);
    assertThat(input.path("type").asText()).isEqualTo("datasource");
    assertThat(input.path("pluginId").asText()).isEqualTo("prometheus");
    JsonNode variables = dashboard.path("templating").path("list");
    assertThat(variables.toString()).contains("\"name\":\"line\"", "\"name\":\"business\"", "\"name\":\"job\"", "\"name\":\"instance\"");
    JsonNode datasource = variables.get(0);
    assertThat(datasource.path("name").asText()).isEqualTo("datasource");
    assertThat(datasource.path("type").asText()).isEqualTo("datasource");
    assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    assertThat(datasource.path("current").path("value").asText()).as("set by the import").isEqualTo("${" + input.path("name").asText() + "}");
    for (JsonNode variable : variables) {
      if (variable.path("type").asText().equals("query")) {
        assertThat(variable.path("datasource").path("uid").asText()).as(variable.path("name").asText()).isEqualTo("${datasource}");
      }
    }
    Set<Integer> ids = new HashSet<>();
    List<Query> queries = new ArrayList<>();
    boolean lineUsed = false;
    boolean businessUsed = false;
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel id " + panel.path("id") + " is unique").isTrue();
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      String title = panel.path("title").asText();
      assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
      assertThat(panel.path("targets").size()).as(title).isPositive();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertThat(expr).as(title).isNotBlank();
        assertThat(target.path("legendFormat").asText()).as(title + ": each series is named").isNotBlank();
        lineUsed |= expr.contains("$line");
        businessUsed |= expr.contains("$business");
        if (expr.matches(".*ringback_(calls|callback|callbacks|orders|twilio|agents|feedback|ring_to_answer|texts|text_replies|service_level|ring_seconds)\\w*[{\\[(].*")) {
          assertThat(expr).as(title + ": a business's meters are filtered by the business variable").contains("$business");
        }
        if (expr.matches(".*\\b(vertx|jvm|process)_\\w+.*")) {
          assertThat(expr).as(title + ": the server's meters are filtered by job and instance").contains("$job", "$instance");
        }
        queries.add(new Query(title, expr.replace("$line", ".*").replace("$business", ".*").replace("$job", ".*").replace("$instance", ".*")
            .replace("$__rate_interval", "1m").replace("$__range", "5m").replace("$__interval", "15s"), target.path("legendFormat").asText()));
      }
    }
    assertThat(lineUsed).as("the line variable is used").isTrue();
    assertThat(businessUsed).as("the business variable is used").isTrue();
    return queries;
  }

  /**
   * A panel on a meter with a line label filters by line; one whose meters have none says that
   * the line filter does not apply to it.
   */
  static void checkLineFilters(JsonNode dashboard, Set<String> perLine) {
    assertThat(perLine).contains("ringback_calls_total", "ringback_callbacks_scheduled_total");
    for (JsonNode panel : dashboard.path("panels")) {
      String exprs = panel.path("targets").findValuesAsText("expr").toString();
      if (!exprs.contains("ringback_")) {
        continue;
      }
      boolean lined = perLine.stream().anyMatch(name -> exprs.matches("(?s).*\\b" + name + "(_bucket|_count|_sum)?\\b.*"));
      if (lined) {
        assertThat(exprs).as(panel.path("title").asText()).contains("$line");
      } else if (exprs.contains("$business")) {
        assertThat(panel.path("description").asText()).as(panel.path("title").asText() + " has no line label").containsIgnoringCase(NO_LINE);
      }
    }
  }

  /**
   * Every alert fires in promtool's tests of it, which compare the labels it keeps exactly, and
   * each label its annotations name is one of them.
   */
  static void checkAnnotationsNameKeptLabels() throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    JsonNode tests = yaml.readTree(Path.of(ALERT_TESTS).toFile());
    Map<String, List<JsonNode>> fired = new HashMap<>();
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode alert : test.path("alert_rule_test")) {
        alert.path("exp_alerts").forEach(a -> fired.computeIfAbsent(alert.path("alertname").asText(), n -> new ArrayList<>()).add(a));
      }
    }
    int alerts = 0;
    for (JsonNode group : yaml.readTree(Path.of("config/alerts.yml").toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name = rule.path("alert").asText();
        assertThat(fired.get(name)).as(name + " fires in " + ALERT_TESTS).isNotEmpty();
        Matcher named = ANNOTATION_LABEL.matcher(rule.path("annotations").toString());
        while (named.find()) {
          for (JsonNode alert : fired.get(name)) {
            assertThat(alert.path("exp_labels").has(named.group(1))).as(name + " names " + named.group(1) + ", which it keeps").isTrue();
          }
        }
        alerts++;
      }
    }
    assertThat(alerts).isGreaterThanOrEqualTo(11);
  }

  /**
   * The provisioning points at the dashboard folder and provides the one Prometheus datasource,
   * the default, which the dashboard's datasource variable falls back on when nothing set it.
   */
  static void checkProvisioning() throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    JsonNode datasources = yaml.readTree(Path.of("grafana/provisioning/datasources/prometheus.yml").toFile());
    assertThat(datasources.path("datasources")).hasSize(1);
    assertThat(datasources.path("datasources").get(0).path("type").asText()).isEqualTo("prometheus");
    assertThat(datasources.path("datasources").get(0).path("isDefault").asBoolean()).isTrue();
    JsonNode providers = yaml.readTree(Path.of("grafana/provisioning/dashboards/ringback.yml").toFile());
    String path = providers.path("providers").get(0).path("options").path("path").asText();
    assertThat(Files.readString(Path.of("docker-compose.yml"))).contains("./grafana/dashboards:" + path)
        .contains("./grafana/provisioning:/etc/grafana/provisioning");
  }

  record Run(int exit, String output) {}

  static Run run(List<String> command, String stdin) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** A real Prometheus on a free port, scraping the server every second and evaluating alerts.yml. */
  static final class Prometheus implements AutoCloseable {
    private final Process process;
    private final String base;
    private final Path dir;

    private Prometheus(Process process, String base, Path dir) {
      this.process = process;
      this.base = base;
      this.dir = dir;
    }

    static Prometheus start(RingbackServer server) throws Exception {
      Path dir = Files.createTempDirectory("prometheus");
      String target = URI.create(server.baseUrl()).getAuthority();
      Files.writeString(dir.resolve("prometheus.yml"), """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
          rule_files:
            - %s
          scrape_configs:
            - job_name: ringback
              static_configs:
                - targets: ["%s"]
          """.formatted(Path.of("config/alerts.yml").toAbsolutePath(), target));
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Process process = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      Prometheus prometheus = new Prometheus(process, "http://127.0.0.1:" + port, dir);
      RingbackServer.await("Prometheus to be ready", Duration.ofSeconds(30), () -> {
        try {
          return RingbackServer.send(HttpRequest.newBuilder(URI.create(prometheus.base + "/-/ready")).build()).statusCode() == 200;
        } catch (RuntimeException e) {
          return false;
        }
      });
      return prometheus;
    }

    void awaitScrapes(int n) {
      RingbackServer.await(n + " scrapes of Ringback", Duration.ofSeconds(30), () -> {
        JsonNode result = query("count_over_time(up{job=\"ringback\"}[1m])").path("data").path("result");
        return result.size() == 1 && result.get(0).path("value").get(1).asDouble() >= n
            && query("up{job=\"ringback\"}").path("data").path("result").get(0).path("value").get(1).asText().equals("1");
      });
    }

    void awaitScrapeAfter(Instant instant) {
      RingbackServer.await("a scrape of Ringback after " + instant, Duration.ofSeconds(30), () -> {
        JsonNode result = query("timestamp(up{job=\"ringback\"})").path("data").path("result");
        return result.size() == 1 && result.get(0).path("value").get(1).asDouble() * 1000 > instant.toEpochMilli();
      });
    }

    void awaitRulesHealthy(int rules) {
      RingbackServer.await("every alert rule evaluated without error", Duration.ofSeconds(30), () -> {
        List<String> health = new ArrayList<>();
        get("/api/v1/rules").path("data").path("groups").forEach(g -> g.path("rules").forEach(r -> health.add(r.path("health").asText())));
        return health.size() == rules && health.stream().allMatch("ok"::equals);
      });
    }

    JsonNode query(String promql) {
      return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    JsonNode get(String pathAndQuery) {
      HttpResponse<String> response = RingbackServer.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build());
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("Prometheus answered " + response.statusCode() + ": " + response.body(), e);
      }
    }

    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
