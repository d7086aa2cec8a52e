package dev.ringback.http;

import dev.ringback.app.Services;
import dev.ringback.app.Setup;
import dev.ringback.app.Tokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What load balancers and operators ask: health, and the API description. */
public final class Operations {
  /** Read once when the class loads, at start-up on the main thread, never on an event loop. */
  private static final Buffer OPENAPI = load("/openapi.yaml");

  private final Services services;
  private final BooleanSupplier started;

  /** @param started whether the start is over (the dialler and the jobs running, the paths warmed) */
  Operations(Services services, BooleanSupplier started) {
    this.services = services;
    this.started = started;
  }

  private static Buffer load(String resource) {
    try (InputStream in = Operations.class.getResourceAsStream(resource)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads what this class serves; called by start-up before any verticle runs. */
  public static void preload() {
    OPENAPI.length();
  }

  /**
   * /health where anyone may ask: only up, degraded or down (a load balancer needs no more), and
   * the details for the server admin's token. The management port, inside the network, always
   * gives the details.
   */
  void publicHealth(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    boolean admin = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        && MessageDigest.isEqual(Tokens.sha256(header.substring(7).trim()), services.adminTokenSha256());
    health(ctx, admin);
  }

  /**
   * 200 when the database answers ("degraded" while Twilio is failing, or while the journal still
   * holds triggers the database has not taken), 503 naming what is down, and 503 "starting" until
   * the start is over: webhooks are answered from the moment the port listens, but a load balancer
   * sends traffic only to a server that has finished starting.
   */
  void health(RoutingContext ctx) {
    health(ctx, true);
  }

  private void health(RoutingContext ctx, boolean detailed) {
    if (answeredStarting(ctx)) {
      return;
    }
    services.reports().databaseAnswers()
        .onComplete(result -> {
          // Any business's telephony held back makes the instance degraded; another business's is named.
          var degraded = services.businesses().all().stream()
              .flatMap(b -> b.telephony().degraded().map(why -> b.isDefault() ? why : "business " + b.slug() + ": " + why).stream())
              .findFirst();
          long waiting = services.triggers().backlog();
          List<String> nobody = services.agents().linesRingingNobody();
          JsonObject checks = new JsonObject()
              .put("database", result.succeeded() ? "up" : "down: " + result.cause().getMessage())
              .put("telephony", services.telephony().name() + degraded.map(why -> " degraded: " + why).orElse(" up"))
              .put("journal", waiting == 0 ? "empty" : waiting + " trigger(s) waiting to be written to the database")
              .put("lines", nobody.isEmpty() ? "every line rings somebody"
                  : "ringing nobody (no agent of theirs available, no number of their own): " + String.join(", ", nobody));
          boolean up = result.succeeded();
          // A failing telephony provider fails every instance alike: report it, but keep taking webhooks.
          String status = !up ? "down" : degraded.isPresent() || waiting > 0 ? "degraded" : "up";
          JsonObject body = new JsonObject().put("status", status);
          // Which process answered: the set-up check asks the public URL for it, to know the URL reaches this server.
          ctx.response().putHeader(Setup.INSTANCE_HEADER, services.instanceId());
          Responses.json(ctx, up ? 200 : 503, detailed ? body.put("checks", checks) : body);
        });
  }

  /**
   * Whether the process answers, the database not asked: a database outage is the journal's to
   * ride out (webhooks are still answered and kept), and restarting or unlisting the instance
   * would only turn it into failed calls. For a container's liveness and readiness: 503
   * "starting" until the start is over, so a probe routes traffic to a started server only.
   */
  void live(RoutingContext ctx) {
    if (answeredStarting(ctx)) {
      return;
    }
    Responses.json(ctx, 200, new JsonObject().put("status", "alive"));
  }

  /** While the start is not over, answers 503 "starting" (with this instance's id) and says so. */
  private boolean answeredStarting(RoutingContext ctx) {
    if (started.getAsBoolean()) {
      return false;
    }
    ctx.response().putHeader(Setup.INSTANCE_HEADER, services.instanceId());
    Responses.json(ctx, 503, new JsonObject().put("status", "starting"));
    return true;
  }

  void openapi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml").end(OPENAPI);
  }
}
