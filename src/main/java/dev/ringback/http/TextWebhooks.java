package dev.ringback.http;

import static dev.ringback.http.TwilioForms.lineCalled;
import static dev.ringback.http.TwilioForms.required;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Texts: a customer's text to a line ({@code /twilio/sms}) and Twilio's reports on the texts we
 * sent ({@code /twilio/text-status}). Both are answered with an empty document once what they say
 * is kept: our answers to a text go out through the outbox, each with its own status report.
 */
final class TextWebhooks {
  private final Services services;

  TextWebhooks(Services services) {
    this.services = services;
  }

  void texted(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String messageSid = required(form, "MessageSid");
    Optional<String> from = services.phoneNumbers().normalize(form.get("From"));
    if (from.isEmpty()) {
      // A short code or an alphanumeric sender: nobody to call back, or to answer.
      Responses.twiml(ctx, 200, Twiml.empty());
      return;
    }
    String body = Optional.ofNullable(form.get("Body")).orElse("");
    services.textReplies().received(business, lineCalled(services.phoneNumbers(), business, form), from.get(), body, messageSid)
        .onSuccess(v -> Responses.twiml(ctx, 200, Twiml.empty()))
        .onFailure(ctx::fail);
  }

  void status(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    long textId = TwilioForms.longParam(ctx, "text");
    String messageSid = required(form, "MessageSid");
    String status = required(form, "MessageStatus");
    Integer errorCode = errorCode(form.get("ErrorCode"));
    services.textOutbox().status(business, textId, messageSid, status, errorCode)
        .onSuccess(v -> Responses.twiml(ctx, 200, Twiml.empty()))
        .onFailure(ctx::fail);
  }

  /** Twilio's {@code ErrorCode}: a number, when there is one. */
  private static Integer errorCode(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(raw.trim());
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest("ErrorCode: not a number");
    }
  }
}
