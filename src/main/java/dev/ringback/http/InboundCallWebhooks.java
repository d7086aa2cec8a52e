package dev.ringback.http;

import static dev.ringback.app.WebhookPaths.DIAL;
import static dev.ringback.app.WebhookPaths.RECORDING;
import static dev.ringback.app.WebhookPaths.STATUS;
import static dev.ringback.app.WebhookPaths.WHEN;
import static dev.ringback.app.WebhookPaths.forCallback;
import static dev.ringback.http.TwilioForms.blankToNull;
import static dev.ringback.http.TwilioForms.callbackParam;
import static dev.ringback.http.TwilioForms.customerStillThere;
import static dev.ringback.http.TwilioForms.lineCalled;
import static dev.ringback.http.TwilioForms.required;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.app.Trigger;
import dev.ringback.app.Triggers;
import dev.ringback.domain.AfterHoursSpread;
import dev.ringback.domain.Customer;
import dev.ringback.domain.InboundCalls;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.RecordingUrls;
import dev.ringback.domain.RingStep;
import dev.ringback.domain.Ringing;
import dev.ringback.store.CallStore;
import dev.ringback.store.CallbackStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A call to one of the lines: greet the caller and ring the agents, follow the {@code <Dial>}, keep the voicemail. */
final class InboundCallWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(InboundCallWebhooks.class);

  private final Services services;
  private final WhomToRing whomToRing;
  private final CallbackCallWebhooks callbackCalls;
  private final FeedbackWebhooks feedback;

  InboundCallWebhooks(Services services, WhomToRing whomToRing, CallbackCallWebhooks callbackCalls, FeedbackWebhooks feedback) {
    this.services = services;
    this.whomToRing = whomToRing;
    this.callbackCalls = callbackCalls;
    this.feedback = feedback;
  }

  private String url(Business business, String pathAndQuery) {
    return TwilioGuard.url(services, business, pathAndQuery);
  }

  /** A call comes in: greet, by name when known, and ring the line's agents. */
  void voice(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    PhoneNumbers numbers = services.phoneNumbers();
    Optional<Line> line = lineCalled(numbers, business, form);
    if (line.isEmpty()) {
      LOG.warn("voice CallSid={} to={} -> not a configured line: told the number is not in service",
          callSid, PhoneNumbers.mask(form.get("To")));
      Responses.twiml(ctx, 200, Twiml.goodbye("not-in-service", Speaking.ofBusiness(services, business)));
      return;
    }
    Optional<String> caller = numbers.normalize(form.get("From"));
    Instant arrivedAt = services.clock().instant();
    String from = caller.orElse(Optional.ofNullable(form.get("From")).orElse("unknown"));
    Future<Optional<Customer>> customer = Speaking.customer(services, business, caller);
    if (!business.openingHours(line.get()).isOpen(arrivedAt)) {
      afterHours(ctx, business, callSid, line.get(), from, caller, customer, arrivedAt);
      return;
    }
    Future<Ringing> ring = whomToRing.on(business, line.get());
    Future.all(customer, ring).map(v -> customer.result())
        .compose(known -> services.triggers()
            .inbound(new Trigger.Inbound(business.id(), business.lineKey(line.get()), callSid, from, caller.orElse(null),
                line.get().number(), known.map(Customer::id).orElse(null), arrivedAt))
            .recover(e -> {
              // Neither the database nor the journal took it: the <Dial> action records the call later.
              LOG.error("voice CallSid={}: could not record the call: {}", callSid, e.getMessage());
              return Future.succeededFuture();
            })
            .map(known))
        .onSuccess(known -> {
          if (ring.result().contacts().isEmpty()) {
            LOG.warn("voice CallSid={}: line {} rings nobody (no agent of it available, no number of its own): the caller is only promised"
                + " a callback", callSid, line.get().id());
          }
          LOG.info("voice CallSid={} line={} from={} -> greeted {}, ringing {} agent(s)", callSid, line.get().id(),
              PhoneNumbers.mask(from), known.filter(Customer::hasName).isPresent() ? "by name" : "generically",
              ring.result().contacts().size());
          Line l = line.get();
          Optional<RingStep> first = RingStep.first(l.ringStrategy(), ring.result().contacts(), l.ringTimeoutSeconds(), l.ringSeconds());
          Responses.twiml(ctx, 200, Twiml.inbound(Speaking.on(services, l, known), l, known,
              first.map(RingStep::contacts).orElse(List.of()), first.map(RingStep::timeoutSeconds).orElse(0),
              ring.result().registered(), url(business, ringing(first, arrivedAt)),
              ScreeningWebhooks.legs(services, business, l, callSid, null, url(business, STATUS))));
        })
        .onFailure(ctx::fail);
  }

  /** The {@code <Dial>} action of a step: one that is followed by another names it, and when the call began. */
  private static String ringing(Optional<RingStep> step, Instant arrivedAt) {
    return step.filter(s -> s.next() >= 0).map(s -> DIAL + "?ring=" + s.next() + "&started=" + arrivedAt.toEpochMilli()).orElse(DIAL);
  }

  /**
   * Nobody answered one step of a call that rings its agents one after another: the next agent,
   * while the line's ring budget lasts and the caller is still there. Empty when the call is missed.
   */
  private Future<Optional<TwimlElement>> nextRing(RoutingContext ctx, Business business, Optional<Line> line, MultiMap form,
                                                  String dialStatus) {
    String next = ctx.request().getParam("ring");
    String started = ctx.request().getParam("started");
    boolean callerStillThere = !"completed".equals(form.get("CallStatus")) && !"canceled".equals(form.get("CallStatus"));
    if (next == null || started == null || line.isEmpty() || !callerStillThere || !InboundCalls.dialNotAnswered(dialStatus)
        || !next.matches("\\d{1,3}") || !started.matches("\\d{1,15}")) {
      return Future.succeededFuture(Optional.empty());
    }
    Line l = line.get();
    Instant callStarted = Instant.ofEpochMilli(Long.parseLong(started));
    long elapsed = Math.max(0, Duration.between(callStarted, services.clock().instant()).toSeconds());
    Twiml.Legs legs = ScreeningWebhooks.legs(services, business, l, form.get("CallSid"), null, url(business, STATUS));
    return whomToRing.on(business, l).map(ring -> RingStep.after(l.ringStrategy(), ring.contacts(), Integer.parseInt(next), elapsed,
            l.ringTimeoutSeconds(), l.ringSeconds())
        .map(step -> Twiml.ringNext(step.contacts(), step.timeoutSeconds(), url(business, ringing(Optional.of(step), callStarted)), legs)));
  }

  private AfterHoursSpread afterHoursSpread(Business business, Line line) {
    int cps = business.callsPerSecond();
    return new AfterHoursSpread(services.config().callbacks().afterHoursSecondsPerAgent(), cps > 0 ? 1.0 / cps : 0, line.agents().size());
  }

  /**
   * A call outside opening hours: the after-hours message (by name when the caller is known),
   * then a voicemail; every such caller is called back when the line opens.
   */
  private void afterHours(RoutingContext ctx, Business business, String callSid, Line line, String from, Optional<String> caller,
                          Future<Optional<Customer>> customer, Instant arrivedAt) {
    Instant opening = business.openingHours(line).nextOpening(arrivedAt).orElse(null);
    customer.compose(known -> services.triggers()
            .afterHours(new Trigger.AfterHours(business.id(), business.lineKey(line), callSid, from, caller.orElse(null), line.number(),
                known.map(Customer::id).orElse(null), known.map(Customer::tier).orElse(Customer.Tier.STANDARD), arrivedAt, opening,
                afterHoursSpread(business, line)))
            .map(outcome -> {
              Optional<CallbackStore.Scheduled> scheduled = outcome.value().flatMap(s -> s);
              LOG.info("voice CallSid={} line={} from={} -> after hours: message and voicemail, {}", callSid, line.id(),
                  PhoneNumbers.mask(from), outcome.journalled() ? "kept in the journal for its callback"
                      : scheduled.map(sc -> "callback #" + sc.id() + " due " + sc.dueAt()).orElse("no callback"));
              return scheduled.map(CallbackStore.Scheduled::id).orElse(null);
            })
            .recover(e -> {
              LOG.error("voice CallSid={}: could not record the after-hours call: {}", callSid, e.getMessage());
              return Future.succeededFuture((Long) null);
            })
            .map(callbackId -> Twiml.afterHours(Speaking.on(services, line, known), line, known,
                services.config().callbacks().voicemailMaxSeconds(),
                url(business, forCallback(RECORDING, callbackId)), url(business, forCallback(WHEN, callbackId)))))
        .onSuccess(twiml -> Responses.twiml(ctx, 200, twiml))
        .onFailure(ctx::fail);
  }

  /**
   * The {@code <Dial>} to the agents ended. Nobody answered: the caller hears an apology and
   * the promise of a callback, and may leave a voicemail. A callback's {@code <Dial>} (its URL
   * names the callback) goes to {@link CallbackCallWebhooks#agentsDialEnded}.
   */
  void dial(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    String dialStatus = Optional.ofNullable(form.get("DialCallStatus")).orElse(ctx.request().getParam("DialCallStatus"));
    if (dialStatus == null || dialStatus.isBlank()) {
      throw HttpFailure.badRequest("missing DialCallStatus");
    }
    Long callbackId = callbackParam(ctx);
    if (callbackId != null) {
      callbackCalls.agentsDialEnded(ctx, business, form, callSid, callbackId, dialStatus);
      return;
    }
    Optional<Line> line = lineCalled(services.phoneNumbers(), business, form);
    Optional<String> caller = services.phoneNumbers().normalize(form.get("From"));
    // Rung nobody because no registered agent was available: a person calls back, not the dialler.
    boolean nobodyAvailable = "available".equals(ctx.request().getParam("nobody"));
    CallStore.DialedCall call = line.map(l -> new CallStore.DialedCall(business.lineKey(l),
        caller.orElse(Optional.ofNullable(form.get("From")).orElse("unknown")), caller.orElse(null), l.number())).orElse(null);
    Trigger.DialEnded ended = new Trigger.DialEnded(business.id(), callSid, dialStatus, services.clock().instant(), nobodyAvailable, call);
    nextRing(ctx, business, line, form, dialStatus).onSuccess(next -> {
      if (next.isPresent()) {
        LOG.info("dial CallSid={} DialCallStatus={} -> ringing the next agent", callSid, dialStatus);
        Responses.twiml(ctx, 200, next.get());
      } else {
        missedOrEnded(ctx, business, callSid, dialStatus, line, caller, form, ended);
      }
    }).onFailure(ctx::fail);
  }

  private void missedOrEnded(RoutingContext ctx, Business business, String callSid, String dialStatus, Optional<Line> line,
                             Optional<String> caller, MultiMap form, Trigger.DialEnded ended) {
    boolean callable = caller.isPresent();
    services.triggers().dialEnded(ended)
        .compose(outcome -> (InboundCalls.dialAnswered(dialStatus) || line.isEmpty() ? Future.succeededFuture(Optional.<Customer>empty())
            : Speaking.customer(services, business, caller)).map(known -> Map.entry(outcome, known)))
        .onSuccess(written -> {
          var outcome = written.getKey();
          Optional<Customer> known = written.getValue();
          Optional<CallbackStore.Scheduled> scheduled = outcome.value().flatMap(s -> s);
          if (InboundCalls.dialAnswered(dialStatus)) {
            LOG.info("dial CallSid={} DialCallStatus={} -> conversation over", callSid, dialStatus);
            Future<TwimlElement> next = line.isPresent() && services.config().feedback().afterInbound()
                ? feedback.afterConversation(business, callSid, line.get(), caller, customerStillThere(form),
                    form.get("DialCallSid"))
                : Future.succeededFuture(Twiml.hangup());
            next.onSuccess(twiml -> Responses.twiml(ctx, 200, twiml));
          } else if (line.isEmpty()) {
            Responses.twiml(ctx, 200, Twiml.goodbye("apology", Speaking.ofBusiness(services, business)));
          } else if (!callable) {
            LOG.info("dial CallSid={} DialCallStatus={} -> caller cannot be called back: apologised", callSid, dialStatus);
            Responses.twiml(ctx, 200, Twiml.goodbye("not-answered", Speaking.on(services, line.get(), known)));
          } else {
            LOG.info("dial CallSid={} DialCallStatus={} -> callback {}, voicemail offered", callSid, dialStatus,
                outcome.journalled() ? "kept in the journal" : scheduled.map(s -> "#" + s.id() + " due " + s.dueAt()).orElse("already promised"));
            var callbacks = services.config().callbacks();
            // A Twilio retry finds the dial status set and no callback to name: its URLs go without one.
            Long promised = scheduled.map(CallbackStore.Scheduled::id).orElse(null);
            Responses.twiml(ctx, 200, Twiml.missed(Speaking.on(services, line.get(), known), callbacks.promiseMinutes(),
                callbacks.voicemailMaxSeconds(),
                url(business, forCallback(RECORDING, promised)), url(business, forCallback(WHEN, promised))));
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * A voicemail: both the {@code <Record>} action (the caller is still on the line) and the
   * recording status callback (the file is ready) come here; either attaches it, to the call of
   * this business and the callback its URL names ({@code callback=ID}). Only a recording on
   * Twilio's media hosts is kept: an agent's browser loads it.
   */
  void recording(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    Long callbackId = callbackParam(ctx);
    String url = blankToNull(form.get("RecordingUrl"));
    String status = blankToNull(form.get("RecordingStatus"));
    boolean offered = url != null && (status == null || status.equals("completed"));
    boolean usable = offered && RecordingUrls.isTwilioMedia(url);
    Future<Triggers.Outcome<Boolean>> attached = usable
        ? services.triggers().recording(new Trigger.Recording(business.id(), callSid, callbackId, url))
        : Future.succeededFuture(new Triggers.Outcome<>(false, false));
    // The caller still on the line hears the thanks in their language; the status callback needs no words.
    Future<Optional<Customer>> known = status == null
        ? Speaking.customer(services, business, services.phoneNumbers().normalize(form.get("From")))
        : Future.succeededFuture(Optional.empty());
    attached.compose(outcome -> known.map(outcome)).onSuccess(outcome -> {
      LOG.info("recording CallSid={} callback={} RecordingStatus={} -> {}", callSid, callbackId == null ? "-" : "#" + callbackId,
          status == null ? "-" : status, !offered ? "nothing to attach"
              : !usable ? "not stored: RecordingUrl is not on Twilio's media hosts (https, api.twilio.com or a regional api host)"
              : outcome.journalled() ? "kept in the journal" : outcome.written() ? "attached to the callback" : "kept with the call");
      // Only the <Record> action is heard by the caller; the status callback gets an empty document.
      Responses.twiml(ctx, 200, status == null ? Twiml.goodbye("voicemail.thanks", lineCalled(services.phoneNumbers(), business, form)
          .map(line -> Speaking.on(services, line, known.result())).orElseGet(() -> Speaking.ofBusiness(services, business)))
          : Twiml.empty());
    }).onFailure(ctx::fail);
  }
}
