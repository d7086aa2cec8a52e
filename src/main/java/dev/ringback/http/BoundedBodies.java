package dev.ringback.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.util.Set;

/**
 * Reads a request's body into memory, within limits that hold however many connections send
 * at once: each body at most {@code maxBodyBytes}, all of them together at most what
 * {@link Admission} allows (a body that does not fit is refused with 503 before any of it is
 * read), and each complete within {@code timeoutMillis} (else 408). Registered after the checks
 * that need no body (tokens, signatures' preconditions), so a stranger's request is refused
 * before it costs memory.
 */
final class BoundedBodies implements Handler<RoutingContext> {
  /** Only methods that carry a body: a GET with a form Content-Type made the body handler throw (500). */
  private static final Set<HttpMethod> BODY_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final BodyHandler bodies;
  private final Admission admission;
  private final int maxBodyBytes;
  private final long timeoutMillis;

  BoundedBodies(Admission admission, int maxBodyBytes, long timeoutMillis) {
    this.bodies = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    this.admission = admission;
    this.maxBodyBytes = maxBodyBytes;
    this.timeoutMillis = timeoutMillis;
  }

  /** Whether the request's method is one that carries a body (even an empty one). */
  static boolean carriesBody(HttpServerRequest request) {
    return BODY_METHODS.contains(request.method());
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // Checked here, not on the route: a route limited by method turns every unknown GET path into 405.
    if (!carriesBody(request)) {
      ctx.next();
      return;
    }
    long declared = Requests.declaredLength(request);
    if (declared > maxBodyBytes) {
      ctx.fail(413);
      return;
    }
    // A body of unknown length (chunked) may grow to the limit: room for all of it is kept.
    long reserved = declared >= 0 ? declared : maxBodyBytes;
    if (reserved > 0) {
      if (!admission.tryReserve(reserved)) {
        ctx.response().putHeader("Retry-After", "1");
        ctx.fail(new HttpException(503, "the server is busy reading other requests; try again shortly"));
        return;
      }
      long timer = ctx.vertx().setTimer(timeoutMillis, id -> {
        if (!request.isEnded() && !ctx.response().ended()) {
          ctx.fail(new HttpException(408, "the request body did not arrive within " + timeoutMillis / 1000 + " s"));
        }
      });
      // Runs when the response is sent, and when the connection closes before that.
      ctx.addEndHandler(done -> {
        ctx.vertx().cancelTimer(timer);
        admission.release(reserved);
      });
    }
    bodies.handle(ctx);
  }
}
