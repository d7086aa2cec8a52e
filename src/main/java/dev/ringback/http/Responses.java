package dev.ringback.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How every response leaves: JSON for the API, TwiML for Twilio. */
final class Responses {
  static final String JSON = "application/json";
  static final String XML = "text/xml; charset=utf-8";

  private Responses() {}

  static void json(RoutingContext ctx, int status, Object body) {
    String text = body instanceof JsonObject json ? json.encode() : io.vertx.core.json.Json.encode(body);
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(text);
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  static void twiml(RoutingContext ctx, int status, TwimlElement response) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", XML).end(response.toXml());
  }
}
