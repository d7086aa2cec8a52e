package dev.ringback.http;

import dev.ringback.app.Services;
import dev.ringback.app.Triggers;
import dev.ringback.store.DatabaseFailures;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure: a clear 4xx for what the caller sent, 503 when a dependency is down,
 * 500 only for our own bugs. On /twilio/* the body is TwiML that ends the call politely.
 */
final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  static void json(Services services, RoutingContext ctx) {
    if (clientGone(ctx)) {
      return;
    }
    Outcome outcome = outcome(ctx);
    render(services, ctx, outcome.status, outcome.message);
  }

  static void twiml(Services services, RoutingContext ctx) {
    if (clientGone(ctx)) {
      return;
    }
    Outcome outcome = outcome(ctx);
    if (ctx.response().ended()) {
      return;
    }
    LOG.info("{} {} -> {} {}", ctx.request().method(), ctx.request().path(), outcome.status, outcome.message);
    Responses.twiml(ctx, outcome.status, Twiml.goodbye("apology", Speaking.ofRequest(services, ctx)));
  }

  static void render(Services services, RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    if (isTwilio(ctx.request().path())) {
      Responses.twiml(ctx, status, Twiml.goodbye("apology", Speaking.ofRequest(services, ctx)));
    } else {
      Responses.error(ctx, status, message);
    }
  }

  /** What the {@code /twilio/*} route covers, the bare prefix included. */
  static boolean isTwilio(String path) {
    return path != null && (path.equals("/twilio") || path.startsWith("/twilio/"));
  }

  /**
   * A request Netty could not even parse (request line or headers too long or malformed): the
   * same statuses as Vert.x's default, with our JSON body; the connection is closed after it.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String message = status == 414 ? "request line too long" : status == 431 ? "request headers too large" : "malformed HTTP request";
    request.response().setStatusCode(status).putHeader("Content-Type", Responses.JSON)
        .end(new JsonObject().put("error", message).encode())
        .onComplete(v -> request.connection().close());
  }

  /** The client closed the connection before its request was read or answered: nobody is left to tell. */
  private static boolean clientGone(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpClosedException) {
      LOG.debug("{} {}: the client closed the connection first", ctx.request().method(), ctx.request().path());
      return true;
    }
    return false;
  }

  private record Outcome(int status, String message) {}

  private static Outcome outcome(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http) {
      return new Outcome(http.getStatusCode(), http.getPayload() != null ? http.getPayload() : reason(http.getStatusCode()));
    }
    if (failure instanceof DecodeException) {
      return new Outcome(400, "malformed body: " + failure.getMessage());
    }
    if (failure instanceof IllegalArgumentException || failure instanceof DecoderException) {
      // Netty's form decoder reports a malformed body this way.
      return new Outcome(400, "malformed request: " + failure.getMessage());
    }
    if (isUnstorableText(failure)) {
      return new Outcome(400, "a value contains a character that cannot be stored (such as NUL)");
    }
    if (failure == null && ctx.statusCode() >= 400) {
      return new Outcome(ctx.statusCode(), reason(ctx.statusCode()));
    }
    if (failure instanceof Triggers.NotKept) {
      LOG.error("{} {} failed: {}", ctx.request().method(), ctx.request().path(), failure.getMessage());
      return new Outcome(503, "the request could not be stored; try again shortly");
    }
    if (DatabaseFailures.isDown(failure)) {
      LOG.error("{} {} failed: the database is unavailable: {}", ctx.request().method(), ctx.request().path(), failure.toString());
      return new Outcome(503, "the database is unavailable; try again shortly");
    }
    if (DatabaseFailures.isUnavailable(failure)) {
      // Past capacity: expected under load, counted by the HTTP metrics' 503s; one line each would flood the log.
      LOG.debug("{} {}: the database is busy: {}", ctx.request().method(), ctx.request().path(), failure.toString());
      ctx.response().putHeader("Retry-After", "1");
      return new Outcome(503, "the database is busy; try again shortly");
    }
    LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
    return new Outcome(500, "internal error");
  }

  /** PostgreSQL refuses text with a NUL character or one its encoding lacks: the caller sent it. */
  private static boolean isUnstorableText(Throwable failure) {
    return failure instanceof PgException pg
        && ("22021".equals(pg.getSqlState()) || "22P05".equals(pg.getSqlState()));
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body larger than allowed";
      case 415 -> "unsupported content type";
      case 503 -> "no answer in time; try again shortly";
      default -> "error " + status;
    };
  }
}
