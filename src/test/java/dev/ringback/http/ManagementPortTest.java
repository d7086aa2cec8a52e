package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With http.management-port set, /health and /metrics answer there only; the public port knows nothing of them. */
class ManagementPortTest {

  static HttpResponse<String> get(int port, String path) {
    return RingbackServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
  }

  @Test
  void healthAndMetricsMoveToTheManagementPort() {
    Map<String, String> env = new HashMap<>(RingbackServer.environment(TestDatabase.create(), null));
    env.put("RINGBACK_MANAGEMENT_PORT", "0");
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      int management = server.ringback().managementPort().orElseThrow();
      assertThat(management).isNotEqualTo(server.ringback().port());

      var health = get(management, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("up");
      var metrics = get(management, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("ringback_calls_total");

      assertThat(get(management, "/health/live").statusCode()).isEqualTo(200);
      for (String path : new String[] {"/health", "/health/live", "/metrics"}) {
        var onPublicPort = server.get(path);
        assertThat(onPublicPort.statusCode()).as(path).isEqualTo(404);
        assertThat(new JsonObject(onPublicPort.body()).getString("error")).contains(path);
      }
      assertThat(server.api("GET", "/api/customers", null, null).statusCode()).as("the API stays where it was").isEqualTo(200);
      assertThat(get(management, "/api/customers").statusCode()).as("and only there").isEqualTo(404);
      assertThat(get(management, "/openapi.yaml").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void unsetTheyStayOnTheHttpPort() {
    try (RingbackServer server = RingbackServer.start(TestDatabase.create(), null)) {
      assertThat(server.ringback().managementPort()).isEmpty();
      assertThat(server.get("/health").statusCode()).isEqualTo(200);
      assertThat(server.get("/metrics").statusCode()).isEqualTo(200);
    }
  }
}
