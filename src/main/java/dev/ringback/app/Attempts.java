package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.AgentFirst;
import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallbackMode;
import dev.ringback.domain.CallbackWhy;
import dev.ringback.domain.DialPolicy;
import dev.ringback.domain.Line;
import dev.ringback.domain.TimeZones;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.CallEventStore;
import dev.ringback.store.DialStore;
import dev.ringback.telephony.OutboundCall;
import dev.ringback.telephony.TelephonyException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each attempt to call a customer back, from the dialler's side: claimed when due, held back for
 * the hours we may call, placed, failed (retried or given up), or handed back; and the work
 * around it (the pacing slot, the do-not-call sweep, the queue's figures). Every claim is leased
 * to one dialler, named {@code owner}, so that several instances share one queue.
 */
public final class Attempts {
  private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

  private final DialStore store;
  private final CallEventStore events;
  private final Agents agents;
  private final Businesses businesses;
  private final RingbackMetrics metrics;
  private final RingbackConfig config;
  private final Clock clock;

  public Attempts(DialStore store, CallEventStore events, Agents agents, Businesses businesses, RingbackMetrics metrics,
                  RingbackConfig config, Clock clock) {
    this.store = store;
    this.events = events;
    this.agents = agents;
    this.businesses = businesses;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  /** Claims up to {@code limit} due callbacks, each with a new attempt, but none of the businesses held back. */
  public Future<List<DialStore.Claimed>> claimDue(String owner, int limit, List<Long> heldBack) {
    return store.claimDue(owner, clock.instant(), config.dialer().leaseSeconds(), limit, heldBack);
  }

  /** When the next callback falls due, if any is waiting. */
  public Future<Optional<Instant>> nextDue() {
    return store.nextDue(clock.instant());
  }

  /**
   * When a claimed callback may be called, by the hours we may call where the customer is:
   * empty when it may be called now.
   */
  public Optional<Instant> heldUntil(DialStore.Claimed c, Line line) {
    Instant now = clock.instant();
    RingbackConfig.Dialer dialer = config.dialer();
    List<ZoneId> zones = dialer.allowedHours().isAllDay() ? List.of(line.timeZone())
        : TimeZones.forCustomer(c.customerZone(), c.phone(), line.timeZone());
    Instant allowed = dialer.allowedHours().firstCallable(now, zones, line.timeZone());
    return allowed.isAfter(now) ? Optional.of(allowed) : Optional.empty();
  }

  /** The callback waits, without counting an attempt, until the hours we may call. */
  public Future<Void> holdUntil(String owner, DialStore.Claimed c, Instant until) {
    return store.waitUntil(c.id(), c.attemptId(), owner, until, CallbackWhy.QUIET_HOURS);
  }

  /** The call that calls a claimed callback's customer from its line, with Ringback's webhooks. */
  public OutboundCall call(Business business, Line line, DialStore.Claimed c) {
    RingbackConfig.Dialer dialer = config.dialer();
    String publicUrl = config.http().publicUrl();
    String callbackUrl = business.url(publicUrl, WebhookPaths.forCallback(WebhookPaths.CALLBACK, c.id()));
    String statusUrl = business.url(publicUrl, WebhookPaths.forCallback(WebhookPaths.STATUS, c.id()));
    String machineDetection = dialer.machineDetection().equals("none") ? null : dialer.machineDetection();
    return new OutboundCall(line.number(), c.phone(), callbackUrl, statusUrl, machineDetection, dialer.ringTimeoutSeconds());
  }

  /**
   * Whom a claimed callback calls first: empty for the customer (customer first: the agents ring
   * once the customer answered), else which agent an agent-first call rings, or that it waits.
   */
  public Future<Optional<AgentFirst>> agentFirst(Business business, Line line, DialStore.Claimed c) {
    if (line.callbackMode() == CallbackMode.CUSTOMER_FIRST) {
      // Nothing to look up: the call goes out at once, as it always has.
      return Future.succeededFuture(Optional.empty());
    }
    return agents.staff(business, line).map(staff -> line.callbackMode().agentFirst(staff.everyone())
        ? Optional.of(AgentFirst.choose(staff.ringing().contacts(), c.triedAgents())) : Optional.empty());
  }

  /**
   * The call that rings the agent of an agent-first callback from its line: on answering they
   * hear who is called and why, and the customer is dialled once they press 1.
   */
  public Future<OutboundCall> agentCall(Business business, Line line, DialStore.Claimed c, String agent) {
    String publicUrl = config.http().publicUrl();
    String query = "?callback=" + c.id();
    OutboundCall call = new OutboundCall(line.number(), agent, business.url(publicUrl, WebhookPaths.AGENT_FIRST + query),
        business.url(publicUrl, WebhookPaths.STATUS + query + "&agent=1"), null, config.dialer().ringTimeoutSeconds());
    // Kept before the request, so that a dialler that dies while placing it looks for the agent's call.
    return store.agentChosen(c.attemptId(), agent).map(call);
  }

  /** The agent's call is placed; its lease released. Speed to callback is counted once the customer is dialled. */
  public Future<Void> agentPlaced(String owner, DialStore.Claimed c, String callSid) {
    return store.agentPlaced(new DialStore.Placement(c.id(), c.attemptId(), callSid, clock.instant()), owner, checkAfterSeconds());
  }

  /** No agent the line rings is free: the callback waits, without using an attempt, and says it waits for an agent. */
  public Future<Void> waitForAgent(String owner, DialStore.Claimed c) {
    return store.waitUntil(c.id(), c.attemptId(), owner, clock.instant().plusSeconds(config.callbacks().agentWaitSeconds()), CallbackWhy.AGENT);
  }

  /** Every agent the line rings declined the callback or let it ring out: a person takes it from the agents' queue. */
  public Future<Void> toAgents(String owner, DialStore.Claimed c) {
    return store.toAgents(c.id(), c.attemptId(), owner);
  }

  /**
   * The agent of an agent-first attempt pressed 1: the customer to dial now, once; speed to
   * callback is counted now, as the customer's call starts. Empty when the customer must not be
   * dialled (accepted before, or the callback ended meanwhile).
   */
  public Future<Optional<CallEventStore.AgentAccepted>> agentAccepted(long businessId, long callbackId, String agentCallSid,
                                                                        String contact) {
    Instant now = clock.instant();
    return events.agentAccepted(businessId, callbackId, agentCallSid, contact, now).compose(accepted -> {
      accepted.ifPresent(a -> metrics.callbackPlaced(businesses.slugOf(businessId), a.trigger(), businesses.lineIdOf(a.lineId()),
          Duration.between(a.triggeredAt(), now), a.attempt() == 1));
      return accepted.isEmpty() ? Future.succeededFuture(accepted) : agents.tookCall(businessId, contact).map(accepted).recover(e -> {
        LOG.warn("agent took callback #{}, not counted: {}", callbackId, e.getMessage());
        return Future.succeededFuture(accepted);
      });
    });
  }

  /** The agent of an agent-first attempt declined it with another key; their call's end sends the callback on. */
  public Future<Void> agentDeclined(long businessId, String agentCallSid, String contact) {
    return events.screened(businessId, agentCallSid, agentCallSid, contact, false, clock.instant()).mapEmpty();
  }

  /** Completes when the business may place its next call, by its calls per second across every instance. */
  public Future<Instant> nextSlot(Business business) {
    return store.nextSlot(business.id(), business.isDefault(), clock.instant(), business.callsPerSecond());
  }

  /** The network took the call: its speed to callback is counted, and its CallSid kept with the lease released. */
  public Future<Void> placed(String owner, Business business, DialStore.Claimed c, String callSid) {
    Instant now = clock.instant();
    metrics.callbackPlaced(business.slug(), c.trigger(), businesses.lineIdOf(c.lineId()), Duration.between(c.triggeredAt(), now),
        c.attempt() == 1);
    return store.placed(new DialStore.Placement(c.id(), c.attemptId(), callSid, now), owner, checkAfterSeconds());
  }

  /**
   * The network refused the call: a permanent refusal ends the callback, a passing one retries it
   * after a back-off that grows with the errors in a row, and one whose effect is unknown waits for
   * its lease to run out, when the network is asked whether the call was placed.
   */
  public Future<Void> notTaken(String owner, DialStore.Claimed c, TelephonyException error) {
    Instant now = clock.instant();
    return switch (error.kind()) {
      case PERMANENT -> store.failed(c.id(), c.attemptId(), owner, error.code(), error.getMessage(), now)
          .onSuccess(v -> metrics.callbackFinished(businesses.slugOf(c.businessId()), c.trigger(), businesses.lineIdOf(c.lineId()), AttemptOutcome.FAILED));
      case RETRYABLE -> store.retryLater(c.id(), c.attemptId(), owner, error.code(), error.getMessage(), now,
          now.plus(DialPolicy.apiBackoff(c.errorStreak())));
      case AMBIGUOUS -> store.ambiguous(c.id(), owner, error.getMessage());
    };
  }

  /**
   * The network refused the call to an agent-first attempt's agent. Refused for good (their
   * number is wrong): the customer's callback does not fail for it; the next agent is tried at
   * once. Otherwise as any refused call.
   */
  public Future<Void> agentNotTaken(String owner, DialStore.Claimed c, String agent, TelephonyException error) {
    if (error.kind() != TelephonyException.Kind.PERMANENT) {
      return notTaken(owner, c, error);
    }
    return store.agentUnreachable(c.id(), c.attemptId(), owner, agent, error.code(), error.getMessage(), clock.instant());
  }

  /** The claim goes back to the queue as it was, its attempt not counted (shutting down, or its business gone). */
  public Future<Void> handBack(String owner, DialStore.Claimed c) {
    return store.handBack(c.id(), c.attemptId(), owner);
  }

  /** Claims whose lease ran out while their call was being placed: whether it was placed is not known. */
  public Future<List<DialStore.Unsettled>> claimExpired(String owner) {
    return store.claimExpired(owner, clock.instant(), config.dialer().leaseSeconds(), config.dialer().batchSize());
  }

  /** A claim whose call the network never placed: due again. */
  public Future<Void> notPlaced(String owner, DialStore.Unsettled u) {
    return store.notPlaced(u.id(), u.attemptId(), owner, clock.instant());
  }

  /** A claim whose call (the customer's, or an agent-first attempt's agent's) the network did place, though its answer never came: kept as placed. */
  public Future<Void> foundPlaced(String owner, DialStore.Unsettled u, String callSid) {
    DialStore.Placement placement = new DialStore.Placement(u.id(), u.attemptId(), callSid, clock.instant());
    return u.agent() != null ? store.agentPlaced(placement, owner, checkAfterSeconds()) : store.placed(placement, owner, checkAfterSeconds());
  }

  /** Placed calls whose end was never reported, overdue for a look at the network. */
  public Future<List<DialStore.Unfinished>> claimUnfinished() {
    return store.claimUnfinished(clock.instant(), config.dialer().statusCheckSeconds(), config.dialer().batchSize());
  }

  /** Cancels the callbacks to numbers put on the do-not-call list after they were scheduled. */
  public Future<Void> sweepDoNotCall() {
    return store.cancelDoNotCall(clock.instant())
        .onSuccess(cancelled -> cancelled.forEach(c -> metrics.callbackFinished(c.business(), c.trigger(), c.line(),
            AttemptOutcome.CANCELLED)))
        .mapEmpty();
  }

  /** Each business's queue now, by its id: callbacks per state, and how long the oldest due one has waited. */
  public Future<Map<Long, DialStore.Queue>> queue() {
    return store.queue(clock.instant());
  }

  /** A call that rang out and still has not reported its end this much later is looked up. */
  private int checkAfterSeconds() {
    return config.dialer().ringTimeoutSeconds() + config.dialer().statusCheckSeconds();
  }
}
