package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ringback.config.RingbackConfig;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container and Kubernetes files, checked for what operators rely on: pinned images, health
 * checks that really probe /health, restart policies, every variable documented, and the
 * Kubernetes manifests' probes, ports, replicas and Secret keys agreeing with each other and with
 * Ringback's configuration. No schema validator for Kubernetes is reachable from this build, so
 * the fields that matter are checked here.
 */
class DeploymentFilesTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path HEALTHCHECK = Path.of("deploy/docker/healthcheck");
  private static final String HEALTHCHECK_IN_IMAGE = "/usr/local/bin/ringback-healthcheck";
  /** A tag naming one release (3.9.9, 17.0.13_11-jre-noble, v2.53.2, 16.4), not a moving one (17-jre, latest). */
  private static final Pattern EXACT_TAG = Pattern.compile(":v?\\d+\\.\\d+(\\.\\d+)?([_-][\\w.-]+)?$");
  /** Maven and Temurin number every release with three parts: 3.9 or 17.0 alone would float. */
  private static final Pattern THREE_PART_TAG = Pattern.compile(":\\d+\\.\\d+\\.\\d+([_-][\\w.-]+)?$");

  @Test
  void theDockerfilePinsItsImagesChecksHealthAndPassesSigtermToJava() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    List<String> froms = instructions(dockerfile, "FROM");
    assertThat(froms).hasSize(2);
    for (String from : froms) {
      assertThat(from).containsPattern(THREE_PART_TAG);
    }
    assertThat(froms.get(0)).startsWith("maven:3.9.").contains("-eclipse-temurin-17");
    assertThat(froms.get(1)).startsWith("eclipse-temurin:17.0.").contains("-jre");

    assertThat(instructions(dockerfile, "COPY")).contains(HEALTHCHECK + " " + HEALTHCHECK_IN_IMAGE);
    assertThat(instructions(dockerfile, "HEALTHCHECK")).singleElement().asString()
        .contains("--start-period=").endsWith("CMD [\"" + HEALTHCHECK_IN_IMAGE + "\"]");
    assertThat(Files.isExecutable(HEALTHCHECK)).isTrue();

    // Exec form with tini first: no shell in between that would keep SIGTERM from java.
    List<String> entrypoint = new ArrayList<>();
    YAML.readTree(instructions(dockerfile, "ENTRYPOINT").get(0)).forEach(node -> entrypoint.add(node.asText()));
    assertThat(entrypoint.subList(0, 3)).containsExactly("/usr/bin/tini", "--", "java");
    assertThat(entrypoint).contains("-XX:+ExitOnOutOfMemoryError", "-jar", "/app/ringback.jar");
    assertThat(instructions(dockerfile, "USER")).containsExactly("10001:10001");

    // The image built without Docker (the jib profile) stands on the same runtime.
    assertThat(Files.readString(Path.of("pom.xml"))).contains("<from><image>" + froms.get(1) + "</image></from>");
  }

  @Test
  void theHealthCheckPassesOnlyWhileRingbackAnswers200() throws Exception {
    TestDatabase db = TestDatabase.create();
    try (RingbackServer server = RingbackServer.start(db, null)) {
      assertThat(healthcheck(Map.of("RINGBACK_HTTP_PORT", String.valueOf(server.ringback().port())))).isZero();
    }
    HttpServer down = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    down.createContext("/health", exchange -> {
      byte[] body = "{\"status\":\"down\"}".getBytes();
      exchange.sendResponseHeaders(503, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    down.start();
    try {
      assertThat(healthcheck(Map.of("RINGBACK_MANAGEMENT_PORT", String.valueOf(down.getAddress().getPort())))).isOne();
    } finally {
      down.stop(0);
    }
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    assertThat(healthcheck(Map.of("RINGBACK_HTTP_PORT", String.valueOf(closed)))).isOne();
  }

  @Test
  void composeServicesReportHealthWaitForWhatTheyNeedAndRestart() throws IOException {
    JsonNode services = YAML.readTree(Path.of("docker-compose.yml").toFile()).path("services");
    assertThat(fieldNames(services)).containsExactlyInAnyOrder("postgres", "ringback", "prometheus", "grafana");
    services.fields().forEachRemaining(service -> {
      JsonNode s = service.getValue();
      assertThat(s.path("restart").asText()).as(service.getKey()).isEqualTo("unless-stopped");
      assertThat(s.path("healthcheck").path("test").size()).as(service.getKey()).isGreaterThan(1);
      if (s.has("image")) {
        assertThat(s.path("image").asText()).as(service.getKey()).containsPattern(EXACT_TAG);
      }
    });
    assertThat(texts(services.path("ringback").path("healthcheck").path("test"))).containsExactly("CMD", HEALTHCHECK_IN_IMAGE);
    assertThat(texts(services.path("prometheus").path("healthcheck").path("test"))).contains("http://localhost:9090/-/healthy");
    assertThat(texts(services.path("grafana").path("healthcheck").path("test"))).contains("http://localhost:3000/api/health");
    assertThat(services.path("ringback").path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
    assertThat(services.path("prometheus").path("depends_on").path("ringback").path("condition").asText()).isEqualTo("service_healthy");
    assertThat(services.path("grafana").path("depends_on").path("prometheus").path("condition").asText()).isEqualTo("service_healthy");

    JsonNode grafana = services.path("grafana").path("environment");
    assertThat(grafana.path("GF_SECURITY_ADMIN_PASSWORD").asText()).startsWith("${GRAFANA_ADMIN_PASSWORD:?");
    assertThat(variablesOf(services.path("ringback").path("environment"))).allSatisfy(this::isRingbacksVariable);
  }

  @Test
  void envExampleListsEveryVariableOfComposeWithAComment() throws IOException {
    Set<String> used = new HashSet<>();
    Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(Files.readString(Path.of("docker-compose.yml")));
    while (m.find()) {
      used.add(m.group(1));
    }
    List<String> lines = Files.readAllLines(Path.of(".env.example"));
    Set<String> listed = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher variable = Pattern.compile("^([A-Z0-9_]+)=").matcher(lines.get(i));
      if (variable.find()) {
        listed.add(variable.group(1));
        assertThat(lines.get(i - 1)).as("comment above " + variable.group(1)).startsWith("# ");
      }
    }
    assertThat(used).contains("GRAFANA_ADMIN_PASSWORD", "RINGBACK_API_TOKEN");
    assertThat(listed).isEqualTo(used);
  }

  @Test
  void kubernetesRunsTwoReplicasOnTheExternalDatabaseProbingTheManagementPort() throws IOException {
    Map<String, List<JsonNode>> kinds = kubernetesObjects();
    JsonNode kustomization = kinds.get("Kustomization").get(0);
    for (JsonNode resource : kustomization.path("resources")) {
      assertThat(Path.of("deploy/kubernetes", resource.asText())).exists();
    }
    JsonNode deployment = kinds.get("Deployment").get(0);
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
    JsonNode pod = deployment.path("spec").path("template");
    JsonNode labels = pod.path("metadata").path("labels");
    assertThat(matches(deployment.path("spec").path("selector").path("matchLabels"), labels)).isTrue();
    JsonNode container = pod.path("spec").path("containers").get(0);
    assertThat(container.path("image").asText()).containsPattern(EXACT_TAG);
    assertThat(pod.path("spec").path("securityContext").path("runAsUser").asInt()).isEqualTo(10001);

    Map<String, Integer> ports = new HashMap<>();
    container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    RingbackConfig config = configMapConfig(kinds, pod, container);
    assertThat(ports.get("http")).isEqualTo(config.http().port());
    assertThat(config.http().managementPort()).hasValue(ports.get("management"));
    assertThat(config.database().url()).as("two replicas need the external PostgreSQL").isPresent();
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      JsonNode get = container.path(probe).path("httpGet");
      assertThat(get.path("path").asText()).as(probe).isEqualTo("/health/live");
      assertThat(get.path("port").asText()).as(probe).isEqualTo("management");
    }
    JsonNode annotations = pod.path("metadata").path("annotations");
    assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(ports.get("management")));
    assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");

    for (JsonNode service : kinds.get("Service")) {
      assertThat(matches(service.path("spec").path("selector"), labels)).isTrue();
      service.path("spec").path("ports").forEach(p -> assertThat(ports).containsKey(p.path("targetPort").asText()));
    }
    assertThat(matches(kinds.get("PodDisruptionBudget").get(0).path("spec").path("selector").path("matchLabels"), labels)).isTrue();
  }

  @Test
  void kubernetesTakesEveryCredentialFromTheSecret() throws IOException {
    Map<String, List<JsonNode>> kinds = kubernetesObjects();
    JsonNode secret = kinds.get("Secret").get(0);
    // Real credentials never sit beside the manifests: the example Secret is not applied.
    assertThat(texts(kinds.get("Kustomization").get(0).path("resources"))).doesNotContain("secret.example.yaml");
    JsonNode container = kinds.get("Deployment").get(0).path("spec").path("template").path("spec").path("containers").get(0);
    Map<String, JsonNode> refs = secretRefs(container);
    assertThat(refs).containsKeys("RINGBACK_DATABASE_URL", "RINGBACK_API_TOKEN", "RINGBACK_SECRET_KEY",
        "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN");
    assertThat(refs.get("RINGBACK_DATABASE_URL").path("optional").asBoolean()).isFalse();
    refs.forEach((variable, ref) -> {
      isRingbacksVariable(variable);
      assertThat(ref.path("name").asText()).isEqualTo(secret.path("metadata").path("name").asText());
      assertThat(secret.path("stringData").has(ref.path("key").asText())).as(variable).isTrue();
    });
    assertThat(secret.path("stringData").size()).isEqualTo(refs.size());
    container.path("env").forEach(env -> assertThat(env.has("valueFrom")).as(env.path("name").asText()).isTrue());
  }

  @Test
  void theKubernetesConfigurationStartsRingbackWhoseManagementPortPassesTheHealthCheck() throws Exception {
    Map<String, List<JsonNode>> kinds = kubernetesObjects();
    String yaml = kinds.get("ConfigMap").get(0).path("data").path("ringback.yaml").asText();
    Map<String, String> env = secretValues(TestDatabase.create().url());
    // Free ports instead of the pod's fixed ones; a journal of its own, as each pod has.
    env.put("RINGBACK_HTTP_PORT", "0");
    env.put("RINGBACK_MANAGEMENT_PORT", "0");
    env.put("RINGBACK_JOURNAL_DIR", Files.createTempDirectory("ringback-journal").toString());
    try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC())) {
      int management = server.ringback().managementPort().orElseThrow();
      assertThat(healthcheck(Map.of("RINGBACK_MANAGEMENT_PORT", String.valueOf(management)))).isZero();
      assertThat(server.get("/health").statusCode()).as("not on the public port").isEqualTo(404);
    }
  }

  private RingbackConfig configMapConfig(Map<String, List<JsonNode>> kinds, JsonNode pod, JsonNode container) {
    JsonNode configMap = kinds.get("ConfigMap").get(0);
    JsonNode volume = null;
    for (JsonNode v : pod.path("spec").path("volumes")) {
      if (v.path("configMap").path("name").asText().equals(configMap.path("metadata").path("name").asText())) {
        volume = v;
      }
    }
    assertThat(volume).as("the ConfigMap is mounted").isNotNull();
    String mountPath = null;
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume.path("name").asText())) {
        mountPath = mount.path("mountPath").asText();
      }
    }
    assertThat(texts(container.path("args"))).containsExactly("--config", mountPath + "/ringback.yaml");
    return RingbackConfig.parse("ringback.yaml", configMap.path("data").path("ringback.yaml").asText(),
        secretValues("postgresql://ringback:secret@db.example.internal:5432/ringback"));
  }

  /** A value of the right form for each variable the Deployment takes from the Secret. */
  private static Map<String, String> secretValues(String databaseUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("RINGBACK_DATABASE_URL", databaseUrl);
    env.put("RINGBACK_API_TOKEN", "k8s-test-token-0123456789");
    env.put("RINGBACK_SECRET_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    env.put("TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID);
    env.put("TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN);
    env.put("RINGBACK_TWILIO_API_URL", "http://127.0.0.1:9");
    env.put("RINGBACK_ORDER_SECRET", "k8s-test-order-secret-0123");
    env.put("RINGBACK_SHOPIFY_SECRET", "k8s-test-shopify-secret-0123");
    env.put("RINGBACK_WOOCOMMERCE_SECRET", "k8s-test-woocommerce-secret-0123");
    return env;
  }

  private static Map<String, JsonNode> secretRefs(JsonNode container) {
    Map<String, JsonNode> refs = new LinkedHashMap<>();
    container.path("env").forEach(env -> {
      JsonNode ref = env.path("valueFrom").path("secretKeyRef");
      if (!ref.isMissingNode()) {
        refs.put(env.path("name").asText(), ref);
      }
    });
    return refs;
  }

  /** Every object of every file in deploy/kubernetes, by kind. */
  private static Map<String, List<JsonNode>> kubernetesObjects() throws IOException {
    Map<String, List<JsonNode>> kinds = new HashMap<>();
    try (var files = Files.list(Path.of("deploy/kubernetes"))) {
      for (Path file : files.sorted().toList()) {
        try (var docs = YAML.readValues(YAML.getFactory().createParser(file.toFile()), JsonNode.class)) {
          while (docs.hasNext()) {
            JsonNode doc = docs.next();
            assertThat(doc.path("apiVersion").asText()).as(file.toString()).isNotEmpty();
            kinds.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
          }
        }
      }
    }
    assertThat(kinds).containsOnlyKeys("Kustomization", "ConfigMap", "Secret", "Deployment", "Service", "PodDisruptionBudget");
    return kinds;
  }

  /** Runs the image's health check script as Docker would, with {@code env} as the container's variables. */
  private static int healthcheck(Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", HEALTHCHECK.toString()).redirectErrorStream(true);
    builder.environment().remove("RINGBACK_MANAGEMENT_PORT");
    builder.environment().remove("RINGBACK_HTTP_PORT");
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("the health check ends").isTrue();
    return process.exitValue();
  }

  /** A variable set on Ringback's container must be one config/ringback.yaml names. */
  private void isRingbacksVariable(String variable) {
    try {
      assertThat(Files.readString(Path.of("config/ringback.yaml"))).as(variable).contains(variable);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> instructions(String dockerfile, String keyword) {
    List<String> found = new ArrayList<>();
    for (String line : dockerfile.replace("\\\n", " ").split("\n")) {
      if (line.startsWith(keyword + " ")) {
        found.add(line.substring(keyword.length() + 1).trim().replaceAll("\\s+AS \\w+$", ""));
      }
    }
    return found;
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    List<String> keys = fieldNames(selector);
    return !keys.isEmpty() && keys.stream().allMatch(k -> selector.path(k).asText().equals(labels.path(k).asText()));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static List<String> variablesOf(JsonNode environment) {
    return fieldNames(environment);
  }
}
