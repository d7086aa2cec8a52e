package dev.ringback.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How every response leaves: JSON for the API, TwiML for Twilio. */
final class Responses {
  static final String JSON = "application/json";
  static final String XML = "text/xml; charset=utf-8";

  private Responses() {}

  static void json(RoutingContext ctx, int status, Object body) {
    String text = body instanceof JsonObject json ? json.encode() : Json.encode(body);
    end(ctx, status, JSON, text);
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  static void twiml(RoutingContext ctx, int status, TwimlElement response) {
    end(ctx, status, XML, response.toXml());
  }

  /**
   * A refused body this small is read and thrown away, so the sender, which usually sends all of
   * it before it reads the answer, gets the answer: closing on unread bytes makes the operating
   * system reset the connection, and the answer can be lost with it.
   */
  static final long DISCARD_MAX_BYTES = 1024 * 1024;

  /**
   * Sends the answer. An answer given while the request's body is still arriving (a refusal
   * before the body was read) lets a small body arrive and throws it away; a larger one, or one
   * of unknown length, is never read: the connection is closed after the answer.
   */
  static void end(RoutingContext ctx, int status, String contentType, String text) {
    if (ctx.response().ended()) {
      // Already answered: the request's deadline passed first (503).
      return;
    }
    HttpServerRequest request = ctx.request();
    long declared = Requests.declaredLength(request);
    // HTTP/2 streams share a connection and are held back by flow control: only HTTP/1.x is closed.
    boolean unread = !request.isEnded() && declared != 0 && request.version() != HttpVersion.HTTP_2;
    boolean discard = unread && declared > 0 && declared <= DISCARD_MAX_BYTES;
    if (discard) {
      request.handler(chunk -> { }).resume();
    } else if (unread) {
      // Nothing more is read from the connection: the sender's rest waits in its own buffers.
      request.pause();
      ctx.response().putHeader("Connection", "close");
    }
    Future<Void> sent = ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(text);
    if (unread && !discard) {
      sent.onComplete(done -> request.connection().close());
    }
  }
}
