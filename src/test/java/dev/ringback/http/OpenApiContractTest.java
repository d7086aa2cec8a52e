package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps openapi.yaml true: every route the server has is described, and every description is served. */
class OpenApiContractTest {
  static RingbackServer server;
  static JsonNode spec;

  @BeforeAll
  static void start() throws Exception {
    server = RingbackServer.start(TestDatabase.create(), null);
    try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
      spec = new YAMLMapper().readTree(in);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Set<String> routerOperations() {
    Router router = HttpVerticle.router(server.ringback().vertx(), server.ringback().services());
    Set<String> operations = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.methods() == null || route.methods().isEmpty() || route.getPath() == null) {
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z_]+)", "{$1}");
      route.methods().forEach(m -> operations.add(m.name() + " " + path));
    }
    return operations;
  }

  static Set<String> documentedOperations() {
    Set<String> operations = new TreeSet<>();
    spec.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
      if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
        operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));
    return operations;
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationExists() {
    Set<String> routes = routerOperations();
    assertThat(routes).contains("GET /api/customers", "POST /twilio/voice");
    assertThat(documentedOperations()).containsExactlyInAnyOrderElementsOf(routes);
  }

  @Test
  void everyApiOperationNeedsTheBearerToken() {
    spec.get("paths").fields().forEachRemaining(path -> {
      if (path.getKey().startsWith("/api/")) {
        path.getValue().fields().forEachRemaining(op -> {
          if (op.getKey().equals("parameters")) {
            return;
          }
          JsonNode security = op.getValue().has("security") ? op.getValue().get("security") : spec.get("security");
          assertThat(security).as(op.getKey() + " " + path.getKey()).isNotNull();
          assertThat(security.toString()).contains("bearerAuth");
          assertThat(op.getValue().get("responses").has("401")).as(op.getKey() + " " + path.getKey()).isTrue();
        });
      }
    });
  }

  @Test
  void theDescriptionIsServed() throws Exception {
    var response = server.get("/openapi.yaml");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new YAMLMapper().readTree(response.body())).isEqualTo(spec);
  }
}
