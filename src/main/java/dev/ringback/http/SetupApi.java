package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.app.Setup;
import dev.ringback.domain.Line;
import dev.ringback.domain.NumberWiring;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The set-up check ({@code GET /api/setup}), Connect ({@code GET /api/lines/{id}/connect} shows
 * what it would change, {@code POST} changes it) and a test call from a line
 * ({@code POST /api/lines/{id}/test-call}, whose TwiML is {@code /twilio/test-call}): the business
 * admin's, since Connect changes the Twilio account.
 */
final class SetupApi {
  private final Services services;
  private final Setup setup;

  SetupApi(Vertx vertx, Services services) {
    this.services = services;
    this.setup = new Setup(vertx, services);
  }

  void check(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    Business business = Caller.business(ctx);
    setup.check(business).onSuccess(found -> {
      JsonArray lines = new JsonArray();
      found.lines().forEach(l -> lines.add(new JsonObject()
          .put("line", l.line().id())
          .put("number", l.line().number())
          .put("number_sid", l.numberSid().orElse(null))
          .put("number_in_account", json(l.number()))
          .put("webhooks", json(l.webhooks()))
          .put("wanted", wanted(l.wiring()))
          .put("changes", changes(l.changes()))));
      Responses.json(ctx, 200, new JsonObject()
          .put("business", business.slug())
          .put("public_url", json(found.publicUrl()))
          .put("credentials", json(found.credentials()))
          .put("lines", lines));
    }).onFailure(ctx::fail);
  }

  void preview(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    Business business = Caller.business(ctx);
    Line line = line(ctx, business);
    setup.preview(business, line)
        .onSuccess(found -> Responses.json(ctx, 200, connection(line, found.numberSid().orElseThrow(), found.wiring(),
            found.changes(), false)))
        .onFailure(e -> ctx.fail(refused(e)));
  }

  void connect(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    Business business = Caller.business(ctx);
    Line line = line(ctx, business);
    setup.connect(business, line)
        .onSuccess(done -> Responses.json(ctx, 200, connection(line, done.numberSid(), setup.wiring(business), done.changed(), true)))
        .onFailure(e -> ctx.fail(refused(e)));
  }

  /** {@code {"to": "+14155550123"}}: Ringback calls that phone from the line's number. */
  void testCall(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    Business business = Caller.business(ctx);
    Line line = line(ctx, business);
    JsonObject body = Requests.jsonBody(ctx);
    Requests.onlyFields(body, Set.of("to"));
    if (!(body.getValue("to") instanceof String raw)) {
      throw HttpFailure.unprocessable("to: required, the phone to call");
    }
    String to = services.phoneNumbers().normalize(raw)
        .orElseThrow(() -> HttpFailure.unprocessable("to: '" + raw + "' is not a valid phone number"));
    setup.testCall(business, line, to)
        .onSuccess(callSid -> Responses.json(ctx, 202, new JsonObject().put("line", line.id()).put("to", to).put("call_sid", callSid)))
        .onFailure(e -> ctx.fail(refused(e)));
  }

  /** The test call answered: the line's greeting, in its language, then that the line is connected. */
  void testCallAnswered(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    Optional<Line> line = Optional.ofNullable(ctx.request().getParam("line")).flatMap(business::lineById);
    Responses.twiml(ctx, 200, line.map(l -> Twiml.testCall(Speaking.on(services, l), l)).orElseGet(Twiml::hangup));
  }

  private static Line line(RoutingContext ctx, Business business) {
    String id = ctx.pathParam("id");
    return business.lineById(id).orElseThrow(() -> HttpFailure.notFound("no line " + id));
  }

  /** A number that is not in the account cannot be connected (409); Twilio's own failures are the server's (502). */
  private static Throwable refused(Throwable e) {
    if (e instanceof Setup.CannotConnect) {
      return new HttpException(409, e.getMessage());
    }
    return e instanceof HttpException ? e : new HttpException(502, "Twilio: " + e.getMessage());
  }

  private static JsonObject connection(Line line, String numberSid, NumberWiring wiring, List<NumberWiring.Change> changes,
                                       boolean applied) {
    return new JsonObject()
        .put("line", line.id())
        .put("number", line.number())
        .put("number_sid", numberSid)
        .put("applied", applied)
        .put("wanted", wanted(wiring))
        .put("changes", changes(changes));
  }

  private static JsonObject json(Setup.Check check) {
    return new JsonObject().put("result", check.result().value()).put("detail", check.detail()).put("fix", check.fix());
  }

  private static JsonObject wanted(NumberWiring wiring) {
    return new JsonObject().put("voice_url", wiring.voiceUrl()).put("status_callback", wiring.statusCallback())
        .put("sms_url", wiring.smsUrl());
  }

  private static JsonArray changes(List<NumberWiring.Change> changes) {
    JsonArray out = new JsonArray();
    changes.forEach(c -> out.add(new JsonObject().put("field", c.field().value()).put("now", c.now()).put("wanted", c.wanted())));
    return out;
  }
}
