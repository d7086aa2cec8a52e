package dev.ringback.http;

import static dev.ringback.app.WebhookPaths.AGENT_FIRST;
import static dev.ringback.app.WebhookPaths.STATUS;
import static dev.ringback.http.TwilioForms.blankToNull;
import static dev.ringback.http.TwilioForms.lineCalling;
import static dev.ringback.http.TwilioForms.required;
import static dev.ringback.http.TwilioForms.requiredCallbackParam;

import dev.ringback.app.Business;
import dev.ringback.app.Callbacks;
import dev.ringback.app.Services;
import dev.ringback.domain.InboundCalls;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.Speech;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent-first callbacks: the agent's phone rings first. On answering they hear who is to be
 * called and why, and press 1; only then is the customer dialled from the line's number, the
 * agent hearing it ring, so a customer who answers always finds a person. Silence (the agent's
 * voicemail) or another key dials nobody, and the callback goes on to the next agent.
 */
final class AgentFirstWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(AgentFirstWebhooks.class);

  private final Services services;
  private final FeedbackWebhooks feedback;

  AgentFirstWebhooks(Services services, FeedbackWebhooks feedback) {
    this.services = services;
    this.feedback = feedback;
  }

  private String url(Business business, String pathAndQuery) {
    return TwilioGuard.url(services, business, pathAndQuery);
  }

  /** {@code step} absent: the agent answered (the whisper); {@code key}: they pressed a key; {@code ended}: the customer's call ended. */
  void handle(RoutingContext ctx) {
    String step = ctx.request().getParam("step");
    if (step == null) {
      whisper(ctx);
    } else if (step.equals("key")) {
      key(ctx);
    } else if (step.equals("ended")) {
      ended(ctx);
    } else {
      throw HttpFailure.badRequest("unknown step '" + step + "'");
    }
  }

  /** The agent in the line's language; the call comes from the line. */
  private Speech toAgent(Business business, MultiMap form) {
    return lineCalling(services.phoneNumbers(), business, form).map(l -> Speaking.on(services, l))
        .orElseGet(() -> Speaking.ofBusiness(services, business));
  }

  private void whisper(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    long callbackId = requiredCallbackParam(ctx);
    services.callbacks().answered(business.id(), callbackId)
        .map(found -> {
          Optional<Line> line = found.flatMap(a -> business.lineOfKey(a.callback().lineId()));
          if (line.isEmpty()) {
            return Twiml.goodbye("agent-first.gone", toAgent(business, form));
          }
          Callbacks.Answered a = found.get();
          Speech speech = Speaking.on(services, line.get());
          String when = speech.time(a.callback().triggeredAt(), line.get().timeZone());
          return Twiml.agentFirstWhisper(speech, a.customer(),
              Twiml.whisperReason(a.callback().trigger(), null, when, a.spokenOrderNumber()),
              url(business, AGENT_FIRST + "?callback=" + callbackId + "&step=key"));
        })
        .onSuccess(twiml -> {
          LOG.info("agent-first CallSid={} callback=#{} -> the agent answered: whisper", callSid, callbackId);
          Responses.twiml(ctx, 200, twiml);
        })
        .onFailure(ctx::fail);
  }

  /** 1 dials the customer, once; another key declines, and the callback goes on to the next agent. */
  private void key(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    long callbackId = requiredCallbackParam(ctx);
    String agent = Optional.ofNullable(blankToNull(form.get("To"))).orElse("unknown");
    String contact = services.phoneNumbers().normalize(agent).orElse(agent);
    if (!"1".equals(form.get("Digits"))) {
      services.attempts().agentDeclined(business.id(), callSid, contact)
          .onComplete(done -> {
            LOG.info("agent-first CallSid={} callback=#{} Digits={} -> declined{}", callSid, callbackId, form.get("Digits"),
                done.succeeded() ? "" : " (not recorded: " + done.cause().getMessage() + ")");
            Responses.twiml(ctx, 200, Twiml.hangup());
          });
      return;
    }
    services.attempts().agentAccepted(business.id(), callbackId, callSid, contact)
        .map(accepted -> {
          Optional<Line> line = accepted.flatMap(a -> business.lineOfKey(a.lineId()));
          if (line.isEmpty()) {
            LOG.info("agent-first CallSid={} callback=#{} -> accepted before, or no longer due: nobody dialled", callSid, callbackId);
            return Twiml.goodbye("agent-first.gone", toAgent(business, form));
          }
          LOG.info("agent-first CallSid={} callback=#{} agent={} -> accepted: dialling {}", callSid, callbackId, PhoneNumbers.mask(contact),
              PhoneNumbers.mask(accepted.get().customerPhone()));
          return Twiml.dialCustomer(accepted.get().customerPhone(), line.get().number(), services.config().dialer().ringTimeoutSeconds(),
              url(business, AGENT_FIRST + "?callback=" + callbackId + "&step=ended"), url(business, STATUS + "?callback=" + callbackId));
        })
        .recover(e -> {
          // Without the acceptance on record the customer is not dialled: nobody may be dialled twice.
          LOG.error("agent-first CallSid={} callback=#{}: the acceptance could not be recorded ({}); nobody dialled", callSid, callbackId,
              e.getMessage());
          return Future.succeededFuture(Twiml.goodbye("apology", toAgent(business, form)));
        })
        .onSuccess(twiml -> Responses.twiml(ctx, 200, twiml));
  }

  /**
   * The customer's call ended: the agent hears whether they were reached. A customer who talked
   * is asked for a score by SMS when the line asks that way (they have hung up: no voice question).
   */
  private void ended(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    String dialStatus = blankToNull(form.get("DialCallStatus"));
    LOG.info("agent-first CallSid={} callback=#{} DialCallStatus={}", callSid, requiredCallbackParam(ctx), dialStatus == null ? "-" : dialStatus);
    if (!InboundCalls.dialAnswered(dialStatus)) {
      Responses.twiml(ctx, 200, Twiml.goodbye("agent-first.not-reached", toAgent(business, form)));
      return;
    }
    String customerLeg = blankToNull(form.get("DialCallSid"));
    Optional<Line> line = lineCalling(services.phoneNumbers(), business, form);
    Future<TwimlElement> after = customerLeg == null || line.isEmpty() ? Future.succeededFuture(Twiml.hangup())
        : feedback.afterConversation(business, customerLeg, line.get(), Optional.empty(), false, callSid);
    after.onSuccess(twiml -> Responses.twiml(ctx, 200, twiml)).onFailure(ctx::fail);
  }
}
