package dev.ringback.http;

import dev.ringback.Services;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** What load balancers and operators ask: health, and the API description. */
final class Operations {
  private static final long HEALTH_TIMEOUT_MS = 2000;
  private final Services services;
  private final Buffer openapi;

  Operations(Services services) {
    this.services = services;
    try (InputStream in = Operations.class.getResourceAsStream("/openapi.yaml")) {
      this.openapi = Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** 200 when the database answers, 503 naming what is down. */
  void health(RoutingContext ctx) {
    services.pool().query("SELECT 1").execute()
        .timeout(HEALTH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(result -> {
          JsonObject checks = new JsonObject()
              .put("database", result.succeeded() ? "up" : "down: " + result.cause().getMessage())
              .put("telephony", services.telephony().name());
          boolean up = result.succeeded();
          Responses.json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "up" : "down").put("checks", checks));
        });
  }

  void openapi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml").end(openapi);
  }
}
