package dev.ringback.dialer;

import dev.ringback.app.Attempts;
import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.AgentFirst;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.store.DialStore;
import dev.ringback.telephony.OpenCircuits;
import dev.ringback.telephony.OutboundCall;
import dev.ringback.telephony.TelephonyException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places due callbacks. Claims work with a short lease so any number of instances share the
 * queue, paces calls through the database for the whole deployment ({@link Pacer}), and settles
 * requests whose fate is unknown by asking the network before anyone redials. Woken by NOTIFY
 * when work becomes due ({@link NotificationRelay}, {@link WakeTimer}); the poll is only the
 * safety net.
 */
public final class Dispatcher extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final long QUEUE_REFRESH_MILLIS = 5000;
  /** How long a shutdown waits for requests already sent to Twilio. */
  private static final long DRAIN_MILLIS = 20_000;

  private final Services services;
  private final Attempts attempts;
  private final PgConnectOptions listenOptions;
  private final RingbackConfig.Dialer config;
  private final String owner = "ringback-" + UUID.randomUUID();
  private final StatusWatchdog watchdog;
  private final QueueGauges gauges;
  private final OpenCircuits circuits;
  private final OutageLog passOutage = new OutageLog();
  private final OutageLog watchOutage = new OutageLog();
  // Built at start, when Vert.x is known.
  private WakeTimer wakes;
  private Pacer pacer;
  private NotificationRelay relay;

  /** Set at stop: no new work is claimed, and work still waiting for its pacing slot is handed back. */
  private boolean stopped;
  /** A pass is under way: one pass at a time per instance, so two never claim for the same room. */
  private boolean passing;
  /** A wake-up came during the pass, or the pass filled its batch: another pass follows right after it. */
  private boolean passAgain;
  /** Dials placed but not yet answered by the network; a slow request must not hold up the others. */
  private int inFlight;
  /** Leases that ran out are looked for at each poll, not at every pass: they only appear with time. */
  private boolean reconcileDue = true;
  /** A watchdog pass is under way: one at a time, however slow the network. */
  private boolean watching;

  /** @param circuits the breakers of every business's telephony say here when they are open */
  public Dispatcher(Services services, PgConnectOptions listenOptions, OpenCircuits circuits) {
    this.services = services;
    this.circuits = circuits;
    this.attempts = services.attempts();
    this.listenOptions = listenOptions;
    this.config = services.config().dialer();
    this.watchdog = new StatusWatchdog(services);
    this.gauges = new QueueGauges(services);
  }

  @Override
  public Future<?> start() {
    wakes = new WakeTimer(vertx, services.clock(), config.pollMillis(), attempts::nextDue,
        this::poll, this::pass);
    pacer = new Pacer(vertx, services.clock(), attempts);
    relay = new NotificationRelay(vertx, listenOptions, config.pollMillis(), wakes::notified);
    wakes.start();
    vertx.setPeriodic(Math.max(1000, Math.min(QUEUE_REFRESH_MILLIS, config.pollMillis())), id -> sweepDoNotCallAndRefreshGauges());
    vertx.setPeriodic(config.pollMillis(), id -> watch());
    LOG.info("Dispatcher {} dials through {} at most {} call(s) per second{}", owner, services.telephony().name(),
        config.callsPerSecond() == 0 ? "unlimited" : config.callsPerSecond(),
        services.businesses().all().size() > 1 ? "; every other business through its own account at its own rate" : "");
    // Started once listening (or polling): the connection's sign-in and the catch-up after it are part of the start.
    return relay.start();
  }

  /**
   * Takes no new work; work waiting for its pacing slot goes back to the queue; requests already
   * sent to the network are let finish (for up to {@link #DRAIN_MILLIS}) so their outcome is
   * recorded. Whatever is still unsettled then is reconciled by the next instance once its
   * lease runs out.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    wakes.stop();
    pacer.stop();
    // The relay keeps serving this instance's other verticles while the calls drain.
    return drained().compose(v -> relay.stop());
  }

  private Future<Void> drained() {
    Promise<Void> drained = Promise.promise();
    long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
    vertx.setPeriodic(50, id -> {
      if (inFlight == 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        if (inFlight > 0) {
          LOG.warn("Stopping with {} call request(s) unanswered; they are reconciled after their lease", inFlight);
        }
        drained.complete();
      }
    });
    return drained.future();
  }

  /** The sweep goes first, so that the gauges leave out the callbacks it cancels. */
  private void sweepDoNotCallAndRefreshGauges() {
    attempts.sweepDoNotCall()
        .compose(v -> gauges.refresh())
        .onFailure(e -> LOG.debug("Queue gauges not refreshed: {}", e.getMessage()));
  }

  /** Looks up placed calls whose end never came. */
  private void watch() {
    if (stopped || watching) {
      return;
    }
    watching = true;
    watchdog.pass()
        .onComplete(done -> {
          watching = false;
          if (done.succeeded()) {
            watchOutage.succeeded();
          } else if (watchOutage.failed()) {
            LOG.warn("Looking up unfinished calls failed: {}; trying again at each poll", done.cause().getMessage());
          } else {
            LOG.debug("Looking up unfinished calls failed again: {}", done.cause().getMessage());
          }
        });
  }

  private void poll() {
    reconcileDue = true;
    pass();
  }

  /** Settles expired leases when due, then claims and dials due work. */
  private void pass() {
    if (stopped) {
      return;
    }
    if (passing) {
      passAgain = true;
      return;
    }
    passing = true;
    Future<Void> settled = reconcileDue ? reconcile() : Future.succeededFuture();
    reconcileDue = false;
    settled
        .compose(v -> dialDue())
        .onComplete(done -> {
          if (done.succeeded()) {
            if (passOutage.succeeded()) {
              LOG.info("Dispatcher passes succeed again");
            }
          } else if (passOutage.failed()) {
            LOG.warn("Dispatcher pass failed: {}; trying again at each poll", done.cause().getMessage());
          } else {
            LOG.debug("Dispatcher pass failed again: {}", done.cause().getMessage());
          }
        })
        .onComplete(v -> {
          passing = false;
          if (passAgain) {
            passAgain = false;
            vertx.runOnContext(x -> pass());
          }
        });
  }

  /** Claims as much due work as there is room for and starts dialling it; the pass does not wait for the network. */
  private Future<Void> dialDue() {
    // Each business's calls go through its own account and breaker: work of a business whose
    // circuit is open is left in the queue. (While one probes, others may still send.)
    int wanted = config.batchSize() - inFlight;
    // The claim names the businesses held back (usually none), not the many that send, and they
    // are looked for only while a breaker is open: a claim's cost does not grow with the businesses.
    int room = wanted;
    List<Long> held = new ArrayList<>();
    if (circuits.any()) {
      room = 0;
      for (Business business : services.businesses().all()) {
        int admits = business.telephony().admits(wanted);
        if (admits > 0) {
          room = Math.max(room, admits);
        } else {
          held.add(business.id());
        }
      }
    }
    if (room <= 0) {
      return Future.succeededFuture();
    }
    int claiming = room;
    return attempts.claimDue(owner, claiming, held)
        .map(claimed -> {
          if (claimed.size() == claiming) {
            passAgain = true;
          }
          for (DialStore.Claimed c : claimed) {
            inFlight++;
            dial(c).onComplete(done -> {
              inFlight--;
              if (done.failed()) {
                LOG.warn("callback #{}: {}", c.id(), done.cause().getMessage());
              }
              // Refill when half the batch is done: one claim for many calls, not one per call.
              if (inFlight <= config.batchSize() / 2) {
                pass();
              }
            });
          }
          return null;
        });
  }

  private Future<Void> dial(DialStore.Claimed c) {
    Optional<Business> found = services.businesses().byId(c.businessId());
    if (found.isEmpty()) {
      LOG.warn("callback #{}: its business is no longer served; handed back to the queue", c.id());
      return attempts.handBack(owner, c);
    }
    Business business = found.get();
    Line line = line(business, c.lineId());
    Optional<Instant> held = attempts.heldUntil(c, line);
    if (held.isPresent()) {
      LOG.info("callback #{} to {}: quiet hours where the customer is; waits until {}", c.id(), PhoneNumbers.mask(c.phone()), held.get());
      return attempts.holdUntil(owner, c, held.get());
    }
    return attempts.agentFirst(business, line, c).compose(agentFirst -> {
      if (agentFirst.isEmpty()) {
        return place(business, c, attempts.call(business, line, c), placed -> {
          LOG.info("callback #{} attempt {} to {} -> placed as {}", c.id(), c.attempt(), PhoneNumbers.mask(c.phone()), placed);
          return attempts.placed(owner, business, c, placed);
        }, error -> attempts.notTaken(owner, c, error));
      }
      AgentFirst choice = agentFirst.get();
      if (choice.waitForAgent()) {
        LOG.info("callback #{}: agent first, and no agent of its line is free; waits for one", c.id());
        return attempts.waitForAgent(owner, c);
      }
      if (choice.toAgentQueue()) {
        LOG.info("callback #{}: every agent of its line declined it or let it ring; handed to the agents' queue", c.id());
        return attempts.toAgents(owner, c);
      }
      String agent = choice.agent().orElseThrow();
      return attempts.agentCall(business, line, c, agent).compose(call -> place(business, c, call, placed -> {
        LOG.info("callback #{} attempt {} -> rings agent {} first, as {}", c.id(), c.attempt(), PhoneNumbers.mask(agent), placed);
        return attempts.agentPlaced(owner, c, placed);
      }, error -> attempts.agentNotTaken(owner, c, agent, error)));
    });
  }

  /** Places one call in the business's next pacing slot; {@code placed} records its CallSid, {@code refused} the network's refusal. */
  private Future<Void> place(Business business, DialStore.Claimed c, OutboundCall call, Function<String, Future<Void>> placed,
                             Function<TelephonyException, Future<Void>> refused) {
    return pacer.slotFor(business)
        .compose(v -> {
          if (stopped) {
            LOG.info("callback #{}: shutting down before it was placed; handed back to the queue", c.id());
            return attempts.handBack(owner, c);
          }
          return business.telephony().placeCall(call).compose(done -> placed.apply(done.callSid()), failure -> failed(c, failure, refused));
        });
  }

  private Future<Void> failed(DialStore.Claimed c, Throwable failure, Function<TelephonyException, Future<Void>> refused) {
    TelephonyException error = failure instanceof TelephonyException t ? t
        : new TelephonyException(TelephonyException.Kind.RETRYABLE, null, String.valueOf(failure.getMessage()), failure);
    LOG.warn("callback #{} attempt {} to {} -> {}: {}", c.id(), c.attempt(), PhoneNumbers.mask(c.phone()), error.kind(), error.getMessage());
    return refused.apply(error);
  }

  /** Work whose lease ran out while a call was being placed: look the call up, then keep it or requeue it. */
  private Future<Void> reconcile() {
    return attempts.claimExpired(owner)
        .compose(unsettled -> Future.join(unsettled.stream().map(this::settle).toList()).mapEmpty());
  }

  private Future<Void> settle(DialStore.Unsettled u) {
    Optional<Business> business = services.businesses().byId(u.businessId());
    if (u.since() == null || u.attemptId() == null || business.isEmpty()) {
      return attempts.notPlaced(owner, u);
    }
    Line line = line(business.get(), u.lineId());
    // An agent-first attempt's request called its agent, not the customer.
    return business.get().telephony().findCalls(line.number(), u.agent() != null ? u.agent() : u.phone(), u.since())
        .compose(found -> {
          if (found.isEmpty()) {
            LOG.info("callback #{}: no call was placed by the unanswered request; due again", u.id());
            return attempts.notPlaced(owner, u);
          }
          LOG.info("callback #{}: the unanswered request did place call {}; not redialling", u.id(), found.get(0).callSid());
          return attempts.foundPlaced(owner, u, found.get(0).callSid());
        });
  }

  private static Line line(Business business, long key) {
    return business.lineOfKey(key)
        .orElseThrow(() -> new IllegalStateException("line " + key + " of business " + business.slug() + " is no longer configured"));
  }
}
