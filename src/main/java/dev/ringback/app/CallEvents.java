package dev.ringback.app;

import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallEvent;
import dev.ringback.domain.CallStatus;
import dev.ringback.domain.LegKind;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.AgentStore;
import dev.ringback.store.CallEventStore;
import dev.ringback.store.CallStore;
import dev.ringback.store.CallbackStore;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each event of a call means for the business: an inbound call rung to the agents or
 * arrived after hours, a {@code <Dial>} that ended, a status callback of any leg, a voicemail.
 * The store writes each one atomically, taking its rules from {@code domain}; the follow-ups
 * (agents' presence, the metrics) are applied here, once, whether the event came from Twilio,
 * from the journal or from the status watchdog.
 */
public final class CallEvents {
  private static final Logger LOG = LoggerFactory.getLogger(CallEvents.class);

  private final CallStore calls;
  private final CallEventStore events;
  private final AgentStore agents;
  private final PhoneNumbers phoneNumbers;
  private final RingbackMetrics metrics;
  private final int awayAfterMissed;
  private final LongFunction<String> businessSlug;
  private final CallbackTexts texts;

  /**
   * @param awayAfterMissed calls in a row an agent's phone may leave unanswered before they are set away (0: never)
   * @param businessSlug a business's slug by its id, for the metrics' labels
   * @param texts texts the customer of a new callback, when its line wants it
   */
  public CallEvents(CallStore calls, CallEventStore events, AgentStore agents, PhoneNumbers phoneNumbers, RingbackMetrics metrics,
                    int awayAfterMissed, LongFunction<String> businessSlug, CallbackTexts texts) {
    this.texts = texts;
    this.calls = calls;
    this.events = events;
    this.agents = agents;
    this.phoneNumbers = phoneNumbers;
    this.metrics = metrics;
    this.awayAfterMissed = awayAfterMissed;
    this.businessSlug = businessSlug;
  }

  /** An inbound call during opening hours, whose agents are being rung. */
  Future<Void> inbound(Trigger.Inbound t) {
    return calls.recordInbound(t.businessId(), t.lineId(), t.callSid(), t.from(), t.callerPhone(), t.to(), t.customerId(), t.arrivedAt())
        .mapEmpty();
  }

  /** An inbound call outside opening hours: a callback at the opening, spread over the agents. */
  Future<Optional<CallbackStore.Scheduled>> afterHours(Trigger.AfterHours t) {
    return calls.recordAfterHours(t.businessId(), t.lineId(), t.callSid(), t.from(), t.callerPhone(), t.to(), t.customerId(), t.tier(),
            t.arrivedAt(), t.opening(), t.spread())
        .onSuccess(scheduled -> scheduled.ifPresent(this::counted));
  }

  /** The agents' {@code <Dial>} ended: a missed or dropped call becomes a callback. */
  Future<Optional<CallbackStore.Scheduled>> dialEnded(Trigger.DialEnded t) {
    return calls.recordDialStatus(t.businessId(), t.callSid(), t.dialStatus(), t.at(), t.nobodyAvailable(), t.call())
        .onSuccess(scheduled -> scheduled.ifPresent(this::counted));
  }

  /**
   * A status event of any leg. An event seen before changed nothing, so it changes no agent's
   * presence either; one replayed from the journal ({@code live} false) is too old to.
   */
  Future<CallEventStore.Applied> status(Trigger.Status t, boolean live) {
    return applied(t.event(), t.callbackId(), t.businessId(), t.leg())
        .compose(a -> a.duplicate() || !live ? Future.succeededFuture(a)
            : presence(t.businessId(), t.event(), t.leg().awaitsKey()).map(a))
        .onSuccess(this::counted);
  }

  private Future<CallEventStore.Applied> applied(CallEvent event, Long callbackId, long businessId, LegKind leg) {
    if (leg == LegKind.AGENT_FIRST && callbackId != null) {
      return events.applyAgentLeg(event, callbackId, businessId);
    }
    return callbackId == null && !changesTheCall(event, leg) ? events.keepOnly(event, businessId)
        : events.apply(event, callbackId, businessId);
  }

  /**
   * Whether a status event does more than be kept. A screened agent's leg answering is not the
   * caller's answer (it may be the agent's voicemail): only the agent's 1 is ({@link #screened}).
   */
  static boolean changesTheCall(CallEvent event, LegKind leg) {
    return !(leg == LegKind.SCREENED && event.isChildLeg()) && event.changesTheCall();
  }

  /**
   * A screened agent's leg decided: 1 answers the call, then and there, and the agent's count of
   * calls left unanswered starts again; another key only declines this leg.
   */
  Future<CallEventStore.Applied> screened(Trigger.Screened t, boolean live) {
    String contact = contact(t.contact());
    return events.screened(t.businessId(), t.parentCallSid(), t.legSid(), t.contact(), t.accepted(), t.at())
        .compose(applied -> applied.duplicate() || !live || !t.accepted() ? Future.succeededFuture(applied)
            : agents.tookCall(t.businessId(), contact).map(applied).recover(e -> {
              LOG.warn("agent {} took call {}, not counted: {}", PhoneNumbers.mask(contact), t.parentCallSid(), e.getMessage());
              return Future.succeededFuture(applied);
            }))
        .onSuccess(this::counted);
  }

  /** A voicemail left for a call, or for the callback named in its URL. */
  Future<Boolean> recording(Trigger.Recording t) {
    return calls.attachRecording(t.businessId(), t.callSid(), t.callbackId(), t.url());
  }

  /**
   * A callback's call whose end the network never reported, as the status watchdog found it:
   * written at once (the watchdog looks again if this fails) and counted like any other event.
   *
   * @param measured whether the event's time is the real one (an answer time the network does not give is not measured)
   */
  public Future<Void> settled(CallEvent event, long callbackId, long businessId, boolean measured, LegKind leg) {
    return applied(event, callbackId, businessId, leg).map(applied -> {
      counted(measured ? applied : applied.withoutAnswer());
      return null;
    });
  }

  /** A callback that was created, counted once, and its customer texted when the line wants it. */
  void counted(CallbackStore.Scheduled scheduled) {
    if (scheduled.created()) {
      metrics.callbackScheduled(scheduled.business(), scheduled.trigger(), scheduled.line());
      texts.created(scheduled);
    }
  }

  /** Everything one applied call event changed, counted once. */
  private void counted(CallEventStore.Applied applied) {
    applied.answer().ifPresent(a -> metrics.answered(a.business(), a.direction(), a.line(), a.ringToAnswer()));
    applied.ended().ifPresent(e -> metrics.callEnded(e.business(), e.direction(), e.line(), e.outcome()));
    applied.scheduled().ifPresent(this::counted);
    applied.cancelled().ifPresent(c -> metrics.callbackFinished(c.business(), c.trigger(), c.line(), AttemptOutcome.CANCELLED));
    applied.finished().forEach(f -> metrics.callbackFinished(f.business(), f.trigger(), f.line(), f.outcome()));
  }

  /**
   * An agent's leg answered: the agent is busy on that call; it ended: available again. Agents
   * who set their presence meanwhile keep it. A leg that rang unanswered counts toward setting
   * the agent away. Presence is never worth failing the event for.
   */
  private Future<Void> presence(long businessId, CallEvent event, boolean screened) {
    // screened: the leg's answer may be a voicemail's; only the agent's key says a person took it.
    boolean toSomeone = event.isChildLeg() || "outbound-api".equals(event.direction());
    if (!toSomeone || event.to() == null || !(event.status().isAnswer() || event.status().isFinal())) {
      return Future.succeededFuture();
    }
    String contact = contact(event.to());
    if (event.isChildLeg() && (event.status() == CallStatus.NO_ANSWER || event.status() == CallStatus.BUSY)) {
      return notAnswered(businessId, contact, event);
    }
    Future<Boolean> changed = event.status().isAnswer()
        ? agents.busyOnCall(businessId, contact, event.callSid(), !screened)
        : agents.callEnded(businessId, contact, event.callSid());
    Future<Void> done = changed.<Void>map(c -> {
      if (c) {
        LOG.info("agent {} is {}", PhoneNumbers.mask(contact), event.status().isAnswer() ? "busy on call " + event.callSid() : "available again");
      }
      return null;
    }).recover(e -> {
      LOG.warn("presence after {} of {} not updated: {}", event.status().value(), event.callSid(), e.getMessage());
      return Future.succeededFuture();
    });
    if (!(screened && event.status().isFinal())) {
      return done;
    }
    // A screened leg that ended without the agent pressing a key was a voicemail, or nobody.
    return done.compose(v -> events.screening(businessId, event.callSid()))
        .compose(decision -> decision.isPresent() ? Future.<Void>succeededFuture() : notAnswered(businessId, contact, event))
        .recover(e -> {
          LOG.warn("screened leg {} not counted: {}", event.callSid(), e.getMessage());
          return Future.succeededFuture();
        });
  }

  /** One more call in a row the agent's phone left unanswered; the one that makes {@code awayAfterMissed} sets them away. */
  private Future<Void> notAnswered(long businessId, String contact, CallEvent event) {
    return agents.legNotAnswered(businessId, contact, awayAfterMissed).<Void>map(away -> {
      if (away) {
        LOG.info("agent {} is away: {} calls in a row rang unanswered", PhoneNumbers.mask(contact), awayAfterMissed);
        metrics.agentSetAway(businessSlug.apply(businessId));
      }
      return null;
    }).recover(e -> {
      LOG.warn("unanswered leg {} not counted: {}", event.callSid(), e.getMessage());
      return Future.succeededFuture();
    });
  }

  /** An agent as the agents' table knows them: a SIP URI without its parameters, a number in E.164. */
  private String contact(String to) {
    return Line.isSipUri(to) ? to.split(";", 2)[0] : phoneNumbers.normalize(to).orElse(to);
  }
}
