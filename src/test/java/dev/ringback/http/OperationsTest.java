package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** /health follows the database down and back up; /metrics carries ours and the platform's meters. */
class OperationsTest {

  static EmbeddedPostgres startPostgres(Path dir, int port) throws Exception {
    var builder = EmbeddedPostgres.builder().setDataDirectory(dir.toFile()).setCleanDataDirectory(false);
    if (port > 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  @Test
  void healthIs503WhileTheDatabaseIsDownAndRecoversWithoutARestart() throws Exception {
    Path dir = Files.createTempDirectory("ringback-pg");
    EmbeddedPostgres postgres = startPostgres(dir, 0);
    int port = postgres.getPort();
    String url = "postgresql://postgres:postgres@localhost:" + port + "/postgres";
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML,
        Map.of("RINGBACK_DATABASE_URL", url, "RINGBACK_HTTP_PORT", "0", "RINGBACK_API_TOKEN", RingbackServer.API_TOKEN),
        Clock.systemUTC())) {
      var up = server.healthDetails();
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(up.body()).getJsonObject("checks").getString("database")).isEqualTo("up");
      assertThat(server.api("PUT", "/api/customers/+14155550190", "application/json", "{\"name\":\"Kept\"}").statusCode())
          .isEqualTo(201);

      postgres.close();
      RingbackServer.await("/health to report the database down", Duration.ofSeconds(20),
          () -> server.get("/health").statusCode() == 503);
      JsonObject down = new JsonObject(server.healthDetails().body());
      assertThat(down.getString("status")).isEqualTo("down");
      assertThat(down.getJsonObject("checks").getString("database")).startsWith("down");
      var apiWhileDown = server.api("GET", "/api/customers", null, null);
      assertThat(apiWhileDown.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(apiWhileDown.body()).getString("error")).contains("database");

      // Callers are never cut off: the greeting goes without a name and the agents still ring.
      var voice = server.twilio("/twilio/voice", "CallSid", "CAdbdown01", "From", "+14155550190", "To", RingbackServer.LINE_NUMBER);
      assertThat(voice.statusCode()).isEqualTo(200);
      var twiml = dev.ringback.support.Xml.parse(voice.body());
      assertThat(dev.ringback.support.Xml.childNames(twiml)).containsExactly("Say", "Dial");
      assertThat(dev.ringback.support.Xml.child(twiml, "Say").getTextContent()).isEqualTo("Thank you for calling Acme.");

      postgres = startPostgres(dir, port);
      RingbackServer.await("/health to recover", Duration.ofSeconds(30), () -> server.get("/health").statusCode() == 200);
      var kept = server.api("GET", "/api/customers/+14155550190", null, null);
      assertThat(kept.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(kept.body()).getString("name")).isEqualTo("Kept");
    } finally {
      postgres.close();
    }
  }

  @Test
  void healthAndLivenessAre503StartingUntilTheStartIsOverWhileWebhooksAreAlreadyAnswered() throws Exception {
    try (RingbackServer server = RingbackServer.start(dev.ringback.support.TestDatabase.create(), null)) {
      AtomicBoolean started = new AtomicBoolean();
      Vertx vertx = server.ringback().vertx();
      Router router = HttpVerticle.router(vertx, server.ringback().services(), new Admission(server.ringback().services().config().http()),
          started::get);
      HttpServer starting = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      try {
        String base = "http://127.0.0.1:" + starting.actualPort();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("starting");
        assertThat(health.headers().firstValue(dev.ringback.app.Setup.INSTANCE_HEADER)).isPresent();
        // A container's probe waits too, while a webhook that comes meanwhile is answered.
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(live.body()).getString("status")).isEqualTo("starting");
        HttpResponse<String> voice = http.send(HttpRequest.newBuilder(URI.create(base + "/twilio/voice"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("CallSid=CA" + "1".repeat(32) + "&From=%2B14155550111&To="
                + RingbackServer.LINE_NUMBER.replace("+", "%2B")))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(voice.statusCode()).isEqualTo(200);
        assertThat(voice.body()).contains("<Dial");
        started.set(true);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(), HttpResponse.BodyHandlers.ofString())
            .body()).contains("alive");
      } finally {
        starting.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      // Ringback.start returns once it is over.
      assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void metricsCarryRingbackJvmProcessHttpAndPoolMeters() {
    try (RingbackServer server = RingbackServer.start(dev.ringback.support.TestDatabase.create(), null)) {
      server.get("/health");
      server.api("GET", "/api/customers", null, null);
      var response = server.get("/metrics");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains("ringback_calls_total{business=\"default\",direction=\"inbound\",line=\"main\",outcome=\"missed\"} 0.0")
          .contains("ringback_calls_total{business=\"default\",direction=\"inbound\",line=\"support\",outcome=\"missed\"} 0.0")
          .contains("ringback_ring_to_answer_seconds_bucket{business=\"default\",direction=\"inbound\",le=\"18.0\"}")
          .contains("ringback_calls_answered_within_target_total{business=\"default\",direction=\"inbound\",line=\"main\"} 0.0")
          .contains("ringback_service_level_target_seconds{business=\"default\"} 18.0")
          .contains("ringback_service_level_objective{business=\"default\"} 0.8")
          .contains("ringback_ring_seconds{business=\"default\"} 6.0")
          .contains("ringback_callback_oldest_due_seconds{business=\"default\"} 0.0")
          .contains("ringback_agents{business=\"default\",state=\"available\"} 0.0")
          .contains("ringback_feedback_score_count{business=\"default\"} 0")
          .contains("ringback_feedback_scores_total{business=\"default\",score=\"1\"} 0.0")
          .contains("ringback_feedback_scores_total{business=\"default\",score=\"5\"} 0.0")
          .contains("ringback_twilio_requests_total{business=\"default\",operation=\"create_call\",result=\"ok\"} 0.0")
          .contains("jvm_memory_used_bytes")
          .contains("jvm_gc_")
          .contains("process_cpu_usage")
          .contains("vertx_http_server_requests_total")
          .contains("/api/customers\"")
          .contains("vertx_pool_");
      assertThat(response.body()).doesNotContain("+1415");
    }
  }
}
