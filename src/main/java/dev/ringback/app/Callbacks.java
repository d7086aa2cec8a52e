package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallbackTimeChoice;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Line;
import dev.ringback.domain.TimeZones;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.CallStore;
import dev.ringback.store.CallbackStore;
import dev.ringback.store.DoNotCallStore;
import dev.ringback.store.OrderStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The queue of promises to call back: listed, scheduled by hand, cancelled, moved to the time a
 * caller chose; and what happens on a callback's call once the customer answers (greet and
 * connect, hand to a person, stop calling). Every change that ends or creates a callback is
 * counted here.
 */
public final class Callbacks {
  /** Why a callback went to the agents' task queue, as the task shows it. */
  static final String NO_AGENT_AVAILABLE = "no_agent_available";
  static final String ASKED_FOR_AGENT = "asked_for_agent";

  private final CallbackStore store;
  private final CallStore calls;
  private final OrderStore orders;
  private final DoNotCallStore doNotCall;
  private final Customers customers;
  private final RingbackMetrics metrics;
  private final RingbackConfig config;
  private final Clock clock;

  public Callbacks(CallbackStore store, CallStore calls, OrderStore orders, DoNotCallStore doNotCall, Customers customers,
                   RingbackMetrics metrics, RingbackConfig config, Clock clock) {
    this.store = store;
    this.calls = calls;
    this.orders = orders;
    this.doNotCall = doNotCall;
    this.customers = customers;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  /** A page of the business's callbacks, oldest (or newest) first, after the one with id {@code afterId} (0: from the start). */
  public Future<List<CallbackStore.Callback>> list(long businessId, CallbackStore.Filter filter, long afterId, int limit,
                                                   boolean newestFirst) {
    return store.list(businessId, filter, afterId, limit, newestFirst);
  }

  public Future<Optional<CallbackStore.Callback>> find(long businessId, long id) {
    return store.find(businessId, id);
  }

  /** The call events of the call that triggered a callback, in order: its story. */
  public Future<List<CallbackStore.Event>> story(long businessId, CallbackStore.Callback callback) {
    return store.events(businessId, callback.triggerCallSid());
  }

  /**
   * Cancels a callback still waiting; empty when there is none, or it is past cancelling.
   *
   * @param agentId the agent who cancels it, kept as its cause; null for the admin
   */
  public Future<Optional<CallbackStore.Callback>> cancel(Business business, long id, Long agentId) {
    return store.cancel(business.id(), id, agentId).onSuccess(cancelled -> cancelled.ifPresent(c -> metrics.callbackFinished(business.slug(),
        c.trigger(), business.lineId(c.lineId()).orElse("unknown"), AttemptOutcome.CANCELLED)));
  }

  /** A callback asked for by a person; {@code created} false when one was already open for the number. */
  public record ByHand(boolean created, CallbackStore.Callback callback) {}

  /** A callback by hand (trigger manual) on a line, due at {@code due}; merged into one already open for the number. */
  public Future<ByHand> scheduleByHand(Business business, Line line, String phone, Instant due) {
    Instant now = clock.instant();
    return customers.findByPhone(business.id(), phone)
        .compose(customer -> store.schedule(new CallbackStore.Trigger(business.id(), business.lineKey(line), phone,
            customer.map(Customer::id).orElse(null), CallbackTrigger.MANUAL, null, now, due,
            config.callbacks().policy().priority(CallbackTrigger.MANUAL, customer.map(Customer::tier).orElse(Customer.Tier.STANDARD)),
            null)))
        .compose(scheduled -> {
          if (scheduled.created()) {
            metrics.callbackScheduled(scheduled.business(), CallbackTrigger.MANUAL, scheduled.line());
          }
          return store.find(business.id(), scheduled.id()).map(c -> new ByHand(scheduled.created(), c.orElseThrow()));
        });
  }

  /** A callback's call, as the customer answers it: whom it is for, and the order it is about. */
  public record Answered(CallbackStore.Callback callback, Optional<Customer> customer, Optional<String> spokenOrderNumber) {}

  /**
   * What the customer who answered a callback should hear about. A customer record or an order
   * that cannot be read only makes the greeting plainer; it never fails the call.
   */
  public Future<Optional<Answered>> answered(long businessId, long callbackId) {
    return store.find(businessId, callbackId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      CallbackStore.Callback callback = found.get();
      Future<Optional<Customer>> customer = customers.findByPhone(businessId, callback.phone())
          .recover(e -> Future.succeededFuture(Optional.empty()));
      Future<Optional<String>> order = spokenOrderNumber(callbackId);
      return Future.all(customer, order).map(v -> Optional.of(new Answered(callback, customer.result(), order.result())));
    });
  }

  /** The number of the order a callback is about, as it is read out; empty when there is none or it cannot be read. */
  public Future<Optional<String>> spokenOrderNumber(long callbackId) {
    return orders.ofCallback(callbackId).map(o -> o.flatMap(OrderStore.OrderFacts::spokenNumber))
        .recover(e -> Future.succeededFuture(Optional.empty()));
  }

  /**
   * The customer answered and no agent can take the call now. When the line has agents (all busy
   * or away), a person calls back instead of the dialler: the callback goes to their task queue.
   *
   * @return whether it went to the task queue
   */
  public Future<Boolean> noAgentFree(long businessId, long callbackId, String callSid, boolean lineHasAgents) {
    Future<Void> marked = store.markNoAgent(businessId, callbackId, callSid);
    return lineHasAgents ? marked.compose(v -> store.handToAgents(businessId, callbackId, NO_AGENT_AVAILABLE)).map(true)
        : marked.map(false);
  }

  /** The customer pressed the key to talk to a person: the callback waits in the agents' task queue. */
  public Future<Boolean> askedForAgent(long businessId, long callbackId) {
    return store.handToAgents(businessId, callbackId, ASKED_FOR_AGENT);
  }

  /**
   * The customer pressed the key to stop these calls: the number goes on the do-not-call list and
   * its open callbacks end. The same key press again (a Twilio retry) changes nothing.
   *
   * @return whether the number was listed now
   */
  public Future<Boolean> stopCalling(long businessId, long callbackId, String callSid) {
    return store.find(businessId, callbackId)
        .compose(cb -> cb.isEmpty() ? Future.succeededFuture(Optional.<List<DoNotCallStore.Cancelled>>empty())
            : doNotCall.addPressed(businessId, cb.get().phone(), clock.instant(),
                "Pressed 9 during a callback to stop these calls.", callSid, callbackId))
        .map(listed -> {
          listed.ifPresent(cancelled -> cancelled.forEach(c -> metrics.callbackFinished(c.business(), c.trigger(), c.line(),
              AttemptOutcome.CANCELLED)));
          return listed.isPresent();
        });
  }

  /**
   * A time the owner chose for a waiting callback: refused as the caller's own choice would be
   * (passed, the line closed, outside the customer's calling hours), or the callback as moved
   * (empty when it is no longer waiting for the dialler).
   */
  public record MovedByHand(CallbackTimeChoice choice, Optional<CallbackStore.Callback> callback) {}

  public Future<MovedByHand> move(Business business, CallbackStore.Callback callback, Instant at) {
    Optional<Line> line = business.lineOfKey(callback.lineId());
    if (line.isEmpty()) {
      return Future.succeededFuture(new MovedByHand(new CallbackTimeChoice(null, CallbackTimeChoice.Refusal.CLOSED), Optional.empty()));
    }
    ZoneId zone = line.get().timeZone();
    return customers.findByPhone(business.id(), callback.phone()).compose(c -> {
      Instant now = clock.instant();
      var local = at.atZone(zone);
      CallbackTimeChoice choice = CallbackTimeChoice.of(String.format("%02d%02d", local.getHour(), local.getMinute()), local.toLocalDate(),
          zone, now, business.openingHours(line.get()), config.dialer().allowedHours(),
          TimeZones.forCustomer(c.map(Customer::timeZone).orElse(null), callback.phone(), zone));
      if (!choice.accepted()) {
        return Future.succeededFuture(new MovedByHand(choice, Optional.empty()));
      }
      return store.move(business.id(), callback.id(), choice.at()).map(moved -> new MovedByHand(choice, moved));
    });
  }

  /** A time the caller keyed in, and what became of their waiting callback. */
  public record TimeChosen(LocalDate date, CallbackTimeChoice choice, Optional<CallbackStore.Rescheduled> moved) {}

  /**
   * The caller keyed in a time ({@code digits}, HHMM) {@code daysAhead} days from today where the
   * line is (0 today): accepted within the line's
   * opening hours and the hours we may call where the caller is, it moves the callback of this
   * call (or the one its URL names) there, once per call.
   */
  public Future<TimeChosen> chooseTime(Business business, Line line, String callSid, Long callbackId, Optional<String> caller,
                                       int daysAhead, String digits) {
    Future<Optional<Customer>> customer = caller.isEmpty() ? Future.succeededFuture(Optional.empty())
        : customers.findByPhone(business.id(), caller.get());
    return customer.compose(c -> {
      Instant now = clock.instant();
      LocalDate date = now.atZone(line.timeZone()).toLocalDate().plusDays(daysAhead);
      CallbackTimeChoice choice = CallbackTimeChoice.of(digits, date, line.timeZone(), now, business.openingHours(line),
          config.dialer().allowedHours(), TimeZones.forCustomer(c.map(Customer::timeZone).orElse(null), caller.orElse(null), line.timeZone()));
      if (!choice.accepted()) {
        return Future.succeededFuture(new TimeChosen(date, choice, Optional.empty()));
      }
      return store.reschedule(business.id(), callSid, callbackId, choice.at(), now)
          .map(done -> new TimeChosen(date, choice, Optional.of(done)));
    });
  }

  /** The voicemail a callback's customer left, if any: its URL at Twilio. */
  public Future<Optional<CallStore.Recorded>> recordingOfCall(long businessId, String callSid) {
    return calls.recording(businessId, callSid);
  }

  /** The customer answered a callback and no agent took the call: the attempt counts as no agent, and is retried. */
  Future<Void> noAgent(Trigger.NoAgent t) {
    return store.markNoAgent(t.businessId(), t.callbackId(), t.callSid());
  }
}
