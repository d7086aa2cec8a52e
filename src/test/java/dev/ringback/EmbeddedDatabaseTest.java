package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringback.support.RingbackServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded default: data under the data directory survives a restart; one server per directory. */
class EmbeddedDatabaseTest {

  static RingbackServer start(Path dataDir) {
    String yaml = "database:\n  embedded-data-dir: " + dataDir + "\n" + RingbackServer.LINES_YAML;
    return RingbackServer.start(yaml, Map.of("RINGBACK_HTTP_PORT", "0", "RINGBACK_API_TOKEN", RingbackServer.API_TOKEN),
        Clock.systemUTC());
  }

  @Test
  void dataSurvivesARestartAndTheDatabaseStopsCleanly() throws Exception {
    Path dataDir = Files.createTempDirectory("ringback-data").resolve("postgres");
    try (RingbackServer first = start(dataDir)) {
      assertThat(first.api("PUT", "/api/customers/+14155550195", "application/json", "{\"name\":\"Still here\",\"tier\":\"vip\"}")
          .statusCode()).isEqualTo(201);
      assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).isTrue();

      // A second Ringback on the same files would corrupt them: it refuses to start.
      assertThatThrownBy(() -> start(dataDir)).hasMessageContaining("in use by another Ringback");
    }
    assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).as("postmaster stopped").isFalse();

    try (RingbackServer second = start(dataDir)) {
      var response = second.api("GET", "/api/customers/+14155550195", null, null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(response.body()).getString("name")).isEqualTo("Still here");
      assertThat(new JsonObject(response.body()).getString("tier")).isEqualTo("vip");
    }
  }
}
