package dev.ringback.http;

import static dev.ringback.app.WebhookPaths.CONNECT;
import static dev.ringback.app.WebhookPaths.DIAL;
import static dev.ringback.app.WebhookPaths.GATHER;
import static dev.ringback.app.WebhookPaths.STATUS;
import static dev.ringback.http.TwilioForms.blankToNull;
import static dev.ringback.http.TwilioForms.customerStillThere;
import static dev.ringback.http.TwilioForms.lineCalling;
import static dev.ringback.http.TwilioForms.longParam;
import static dev.ringback.http.TwilioForms.required;
import static dev.ringback.http.TwilioForms.requiredCallbackParam;

import dev.ringback.app.Business;
import dev.ringback.app.Callbacks;
import dev.ringback.app.Services;
import dev.ringback.app.Trigger;
import dev.ringback.domain.Customer;
import dev.ringback.domain.DialPolicy;
import dev.ringback.domain.InboundCalls;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.Speech;
import dev.ringback.store.CallbackStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ringback's own calls: a callback answered (greet and connect to the agents, or leave a
 * message), its {@code <Dial>} to the agents, the keys pressed during it, and an agent's
 * click-to-connect call.
 */
final class CallbackCallWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackCallWebhooks.class);

  private final Services services;
  private final WhomToRing whomToRing;
  private final FeedbackWebhooks feedback;

  CallbackCallWebhooks(Services services, WhomToRing whomToRing, FeedbackWebhooks feedback) {
    this.services = services;
    this.whomToRing = whomToRing;
    this.feedback = feedback;
  }

  private String url(Business business, String pathAndQuery) {
    return TwilioGuard.url(services, business, pathAndQuery);
  }

  /**
   * An outbound callback was answered: a person is greeted by name and connected to the
   * line's agents; an answering machine gets a short message.
   */
  void callback(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    long callbackId = requiredCallbackParam(ctx);
    String answeredBy = blankToNull(form.get("AnsweredBy"));
    boolean machine = DialPolicy.isMachine(answeredBy);
    services.callbacks().answered(business.id(), callbackId)
        .compose(found -> {
          Optional<Line> line = found.flatMap(a -> business.lineOfKey(a.callback().lineId()));
          if (line.isEmpty()) {
            return Future.succeededFuture(Twiml.goodbye("apology", Speaking.ofBusiness(services, business)));
          }
          Callbacks.Answered a = found.get();
          return answerCallback(business, callSid, callbackId, a.callback(), line.get(), a.customer(), a.spokenOrderNumber(), machine);
        })
        .onSuccess(twiml -> {
          LOG.info("callback CallSid={} callback=#{} AnsweredBy={} -> {}", callSid, callbackId, answeredBy == null ? "-" : answeredBy,
              machine ? "left a message" : "greeted");
          Responses.twiml(ctx, 200, twiml);
        })
        .onFailure(ctx::fail);
  }

  private Future<TwimlElement> answerCallback(Business business, String callSid, long callbackId, CallbackStore.Callback cb, Line line,
                                              Optional<Customer> customer, Optional<String> orderNumber, boolean machine) {
    Speech speech = Speaking.on(services, line, customer);
    if (machine) {
      return Future.succeededFuture(Twiml.callbackMachine(speech, line, customer, orderNumber, PhoneNumbers.spoken(line.number())));
    }
    return whomToRing.on(business, line).compose(ring -> {
      if (ring.contacts().isEmpty()) {
        if (orderNumber.isPresent()) {
          // Confirming the order is the call's purpose: nobody is left waiting for an agent.
          return Future.succeededFuture(Twiml.orderWithoutAgents(speech, line, customer, orderNumber.get(),
              url(business, GATHER + "?callback=" + callbackId)));
        }
        return services.callbacks().noAgentFree(business.id(), callbackId, callSid, ring.registered())
            .map(queued -> queued ? Twiml.callbackToAgentQueue(speech, line, customer) : Twiml.callbackWithoutAgents(speech, line, customer));
      }
      String when = speech.time(cb.triggeredAt(), line.timeZone());
      return Future.succeededFuture(Twiml.callback(speech, line, customer, Twiml.why(cb.trigger(), when, orderNumber), ring.contacts(),
          services.config().callbacks().agentAnswerSeconds(), url(business, DIAL + "?callback=" + callbackId),
          ScreeningWebhooks.legs(services, business, line, callSid, callbackId, url(business, STATUS)),
          url(business, GATHER + "?callback=" + callbackId)));
    });
  }

  /**
   * A callback's {@code <Dial>} to the agents ended (/twilio/dial with the callback in its URL).
   * The agents did not take a call the customer answered: tell them, and try again later.
   */
  void agentsDialEnded(RoutingContext ctx, Business business, MultiMap form, String callSid, long callbackId, String dialStatus) {
    if (InboundCalls.dialAnswered(dialStatus)) {
      // A callback's call goes from the line to the customer.
      Optional<Line> line = lineCalling(services.phoneNumbers(), business, form);
      Future<TwimlElement> next = line.isPresent()
          ? feedback.afterConversation(business, callSid, line.get(), services.phoneNumbers().normalize(form.get("To")),
              customerStillThere(form), form.get("DialCallSid"))
          : Future.succeededFuture(Twiml.hangup());
      next.onSuccess(twiml -> Responses.twiml(ctx, 200, twiml));
      return;
    }
    services.triggers().noAgent(new Trigger.NoAgent(business.id(), callbackId, callSid))
        .compose(v -> customersSpeech(business, form))
        .onSuccess(speech -> {
          LOG.info("dial CallSid={} (callback) DialCallStatus={} -> no agent took it; the callback will be retried", callSid, dialStatus);
          Responses.twiml(ctx, 200, Twiml.goodbye("callback.no-agent", speech));
        })
        .onFailure(ctx::fail);
  }

  /**
   * A key pressed during a callback: 9 puts the number on the do-not-call list; 1, after an order
   * call on a line without agents, hands the callback to the agents' queue.
   */
  void gather(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    long callbackId = requiredCallbackParam(ctx);
    String digits = blankToNull(form.get("Digits"));
    if ("9".equals(digits)) {
      services.callbacks().stopCalling(business.id(), callbackId, callSid)
          .compose(listed -> customersSpeech(business, form).map(speech -> Map.entry(listed, speech)))
          .onSuccess(done -> {
            boolean listed = done.getKey();
            // The same key press again (a Twilio retry, a replay) is answered alike and lists nothing.
            LOG.info("gather CallSid={} callback=#{} Digits=9 -> {}", callSid, callbackId,
                listed ? "the number is on the do-not-call list"
                    : "no such callback, or pressed before in this call: nothing changed");
            Responses.twiml(ctx, 200, Twiml.goodbye("callback.stopped", done.getValue()));
          })
          .onFailure(ctx::fail);
      return;
    }
    boolean wantsAgent = "1".equals(digits);
    Future<Boolean> handed = wantsAgent ? services.callbacks().askedForAgent(business.id(), callbackId) : Future.succeededFuture(false);
    handed.compose(queued -> customersSpeech(business, form).map(speech -> Map.entry(queued, speech))).onSuccess(done -> {
      LOG.info("gather CallSid={} callback=#{} Digits={} -> {}", callSid, callbackId, digits == null ? "-" : digits,
          done.getKey() ? "waiting for an agent" : "order confirmed");
      Responses.twiml(ctx, 200, Twiml.orderGathered(done.getValue(), wantsAgent));
    }).onFailure(ctx::fail);
  }

  /** How the customer on a callback's call is spoken to: the call goes from the line to them. */
  private Future<Speech> customersSpeech(Business business, MultiMap form) {
    return Speaking.forCaller(services, business, lineCalling(services.phoneNumbers(), business, form),
        services.phoneNumbers().normalize(form.get("To")));
  }

  /**
   * An agent answered their click-to-connect call: they hear who and why, then the customer is
   * dialled with the line's number and bridged. The customer leg reports as a callback attempt.
   * With {@code ended}, it is the {@code <Dial>} action: the agent hears how it went.
   */
  void connect(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    long taskId = longParam(ctx, "task");
    long agentId = longParam(ctx, "agent");
    // The agent is called from the task's line, and spoken to in its language.
    Speech toAgent = lineCalling(services.phoneNumbers(), business, form).map(l -> Speaking.on(services, l))
        .orElseGet(() -> Speaking.ofBusiness(services, business));
    if (ctx.request().getParam("ended") != null) {
      String dialStatus = blankToNull(form.get("DialCallStatus"));
      boolean talked = InboundCalls.dialAnswered(dialStatus);
      LOG.info("connect CallSid={} task=#{} DialCallStatus={}", callSid, taskId, dialStatus == null ? "-" : dialStatus);
      Responses.twiml(ctx, 200, talked ? Twiml.hangup() : Twiml.goodbye("agent.customer-not-reached", toAgent));
      return;
    }
    services.tasks().find(business.id(), taskId)
        .compose(found -> {
          if (found.isEmpty() || found.get().holder() == null || found.get().holder() != agentId) {
            return Future.succeededFuture(Twiml.goodbye("agent.task-gone", toAgent));
          }
          var task = found.get();
          Optional<Line> line = business.lineById(task.line());
          if (line.isEmpty()) {
            return Future.succeededFuture(Twiml.goodbye("agent.task-gone", toAgent));
          }
          Speech speech = Speaking.on(services, line.get());
          String when = speech.time(task.triggeredAt(), line.get().timeZone());
          return services.callbacks().spokenOrderNumber(taskId)
              .compose(order -> services.tasks().agentAnswered(business.id(), agentId, taskId, callSid).map(started -> started
                  ? Twiml.whisperAndConnect(speech, task.customerName(), "vip".equals(task.customerTier()),
                      Twiml.whisperReason(task.trigger(), task.reason(), when, order), task.phone(), line.get().number(),
                      services.config().dialer().ringTimeoutSeconds(),
                      url(business, CONNECT + "?task=" + taskId + "&agent=" + agentId + "&ended=1"),
                      url(business, STATUS + "?callback=" + taskId))
                  : Twiml.goodbye("agent.task-gone", speech)));
        })
        .onSuccess(twiml -> {
          LOG.info("connect CallSid={} task=#{} agent=#{} -> whisper, dialling the customer", callSid, taskId, agentId);
          Responses.twiml(ctx, 200, twiml);
        })
        .onFailure(ctx::fail);
  }
}
