package dev.ringback.http;

import static dev.ringback.http.TwilioForms.blankToNull;
import static dev.ringback.http.TwilioForms.callbackParam;
import static dev.ringback.http.TwilioForms.integer;
import static dev.ringback.http.TwilioForms.required;
import static dev.ringback.http.TwilioForms.timestamp;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.app.Trigger;
import dev.ringback.domain.CallEvent;
import dev.ringback.domain.CallStatus;
import dev.ringback.domain.LegKind;
import dev.ringback.store.CallEventStore;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Twilio's status callbacks, for every leg of every call: each event stored once, then applied to its call. */
final class StatusWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWebhooks.class);

  private final Services services;

  StatusWebhooks(Services services) {
    this.services = services;
  }

  void status(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    String rawStatus = required(form, "CallStatus");
    CallStatus status = CallStatus.parse(rawStatus)
        .orElseThrow(() -> HttpFailure.badRequest("unknown CallStatus '" + rawStatus + "'"));
    CallEvent event = new CallEvent(
        callSid,
        blankToNull(form.get("ParentCallSid")),
        status,
        timestamp(form.get("Timestamp"), services.clock()),
        integer(form.get("SequenceNumber")),
        blankToNull(form.get("Direction")),
        blankToNull(form.get("From")),
        blankToNull(form.get("To")),
        integer(form.get("CallDuration")),
        blankToNull(form.get("AnsweredBy")));
    LegKind leg = "1".equals(ctx.request().getParam("screened")) ? LegKind.SCREENED
        : "1".equals(ctx.request().getParam("agent")) ? LegKind.AGENT_FIRST : LegKind.PLAIN;
    services.triggers().status(new Trigger.Status(business.id(), event, callbackParam(ctx), leg))
        .onSuccess(outcome -> {
          String what = outcome.journalled() ? "kept in the journal" : describe(outcome.written());
          // A call sends several events; its outcome is worth a line at INFO, the steps before it at DEBUG.
          if (status.isFinal()) {
            LOG.info("status CallSid={} CallStatus={} -> {}", callSid, status.value(), what);
          } else if (LOG.isDebugEnabled()) {
            LOG.debug("status CallSid={} CallStatus={} -> {}", callSid, status.value(), what);
          }
          Responses.twiml(ctx, 200, Twiml.empty());
        })
        .onFailure(ctx::fail);
  }

  private static String describe(CallEventStore.Applied applied) {
    if (applied.duplicate()) {
      return "duplicate, ignored";
    }
    StringBuilder text = new StringBuilder("stored");
    applied.answer().ifPresent(a -> text.append(", ").append(a.direction()).append(" call answered after ")
        .append(a.ringToAnswer().toMillis() / 1000.0).append(" s"));
    applied.ended().ifPresent(e -> text.append(", ").append(e.direction()).append(" call ended: ").append(e.outcome().value()));
    applied.scheduled().ifPresent(sc -> text.append(", callback #").append(sc.id()).append(" (").append(sc.trigger().value())
        .append(sc.created() ? ") due " + sc.dueAt() : ") counted again"));
    applied.cancelled().ifPresent(c -> text.append(", callback #").append(c.id()).append(" cancelled: the customer got through"));
    return text.toString();
  }
}
