package dev.ringback.http;

import static dev.ringback.app.WebhookPaths.SCREEN;
import static dev.ringback.app.WebhookPaths.SCREENED;
import static dev.ringback.http.TwilioForms.blankToNull;
import static dev.ringback.http.TwilioForms.callbackParam;
import static dev.ringback.http.TwilioForms.required;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.app.Trigger;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Screened agents' legs: when an agent's phone answers, the agent hears who calls and presses 1
 * to take the call. Until then the caller keeps hearing ringing and the other agents keep ringing;
 * silence (a voicemail's greeting) or another key hangs this leg up.
 */
final class ScreeningWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(ScreeningWebhooks.class);

  private final Services services;

  ScreeningWebhooks(Services services) {
    this.services = services;
  }

  /**
   * How a screened leg of the call {@code callSid} on {@code line} is told who calls: the query of
   * {@code /twilio/screen} (and of its decision), naming the callback the customer is on, if any.
   */
  static Twiml.Legs legs(Services services, Business business, Line line, String callSid, Long callbackId, String statusUrl) {
    return new Twiml.Legs(statusUrl, line.screening(), TwilioGuard.url(services, business, SCREEN + query(callSid, line.id(), callbackId)));
  }

  /** No phone number goes into a URL (Twilio's logs keep URLs): the whisper finds the customer by the call. */
  private static String query(String callSid, String lineId, Long callbackId) {
    return "?call=" + encode(callSid) + "&line=" + encode(lineId) + (callbackId == null ? "" : "&callback=" + callbackId);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The agent's phone answered: who calls (by name when we know them), and "press 1". */
  void whisper(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    Optional<Line> line = Optional.ofNullable(ctx.request().getParam("line")).flatMap(business::lineById);
    String legSid = required(ctx.request().formAttributes(), "CallSid");
    if (line.isEmpty()) {
      LOG.warn("screen CallSid={} -> the line is no longer configured: leg hung up", legSid);
      Responses.twiml(ctx, 200, Twiml.hangup());
      return;
    }
    Long callbackId = callbackParam(ctx);
    String call = required(ctx.request().params(), "call");
    String decision = SCREENED + query(call, line.get().id(), callbackId);
    Speaking.onCall(services, business, call, callbackId)
        .onSuccess(customer -> Responses.twiml(ctx, 200, Twiml.screen(Speaking.on(services, line.get()),
            Twiml.screeningWhisper(line.get(), customer, callbackId != null), TwilioGuard.url(services, business, decision))))
        .onFailure(ctx::fail);
  }

  /**
   * The agent pressed a key: 1 puts the caller through, and the call counts as answered now;
   * another declines this leg. The decision is recorded before the answer; a person on the line is
   * put through even when it cannot be.
   */
  void decided(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String legSid = required(form, "CallSid");
    String call = Optional.ofNullable(ctx.request().getParam("call")).orElse(blankToNull(form.get("ParentCallSid")));
    if (call == null) {
      throw HttpFailure.badRequest("missing the call the leg belongs to");
    }
    boolean accepted = "1".equals(form.get("Digits"));
    String contact = Optional.ofNullable(blankToNull(form.get("To"))).orElse("unknown");
    services.triggers().screened(new Trigger.Screened(business.id(), call, legSid, contact, accepted, services.clock().instant()))
        .map(outcome -> outcome.journalled() ? "kept in the journal"
            : outcome.value().filter(a -> a.duplicate()).isPresent() ? "decided before" : "recorded")
        .recover(e -> {
          LOG.error("screened CallSid={} of {}: the decision could not be recorded: {}", legSid, call, e.getMessage());
          return Future.succeededFuture("not recorded");
        })
        .onSuccess(what -> {
          LOG.info("screened CallSid={} call={} agent={} -> {} ({})", legSid, call, PhoneNumbers.mask(contact),
              accepted ? "took the call" : "declined", what);
          Responses.twiml(ctx, 200, accepted ? Twiml.accepted() : Twiml.hangup());
        });
  }
}
