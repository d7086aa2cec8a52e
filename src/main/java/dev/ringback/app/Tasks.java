package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.Agent;
import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallbackState;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.ClickToConnect;
import dev.ringback.domain.Customer;
import dev.ringback.domain.DialPolicy;
import dev.ringback.domain.Line;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.TaskStore.Task;
import dev.ringback.store.TaskStore;
import dev.ringback.telephony.OutboundCall;
import dev.ringback.telephony.PlacedCall;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Callbacks handed to people: the queue agents claim from, renew, release and complete. */
public final class Tasks {
  private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

  /** Why an agent may not act on a task. */
  public enum Refusal {
    NO_SUCH_TASK,
    /** Done, cancelled, or back with the dialler. */
    NOT_IN_QUEUE,
    NOT_THEIR_LINE,
    /** Only the line's agents of another role may take it. */
    FOR_ANOTHER_ROLE,
    HELD_BY_ANOTHER,
    /** Free: the agent must claim it first. */
    NOT_HELD,
    /** Its line is no longer configured, so there is no number to call from. */
    LINE_GONE
  }

  /** An agent's action on a task refused, with the task as it stands (none for {@link Refusal#NO_SUCH_TASK}). */
  public static final class Refused extends RuntimeException {
    private final Refusal refusal;
    private final transient Task task;

    Refused(Refusal refusal, Task task) {
      super(refusal.name(), null, false, false);
      this.refusal = refusal;
      this.task = task;
    }

    public Refusal refusal() {
      return refusal;
    }

    public Optional<Task> task() {
      return Optional.ofNullable(task);
    }
  }

  /** The agent's own phone could not be called; the message says why. */
  public static final class AgentUnreachable extends RuntimeException {
    AgentUnreachable(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** A task filed by hand, and whether it is new rather than an open callback that became it. */
  public record Filed(Task task, boolean created) {}

  private final TaskStore store;
  private final RingbackConfig config;
  private final Clock clock;
  private final RingbackMetrics metrics;

  public Tasks(TaskStore store, RingbackConfig config, Clock clock, RingbackMetrics metrics) {
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The queue, best first: the tasks of the agent's lines, or every line's when agentId is null. */
  public Future<List<Task>> list(long businessId, Long agentId, int limit) {
    return store.list(businessId, now(), agentId, limit);
  }

  /** One task of the business as the agents see it, if there is one. */
  public Future<Optional<Task>> find(long businessId, long id) {
    return store.find(businessId, now(), id);
  }

  /** Files a task for a person to call the number, prioritised by the customer's tier; an open callback to it becomes the task. */
  public Future<Filed> create(Business business, Line line, String phone, Optional<Customer> customer) {
    Customer.Tier tier = customer.map(Customer::tier).orElse(Customer.Tier.STANDARD);
    int priority = config.callbacks().policy().priority(CallbackTrigger.MANUAL, tier);
    return store.create(business.id(), business.lineKey(line), phone, now(), priority).compose(scheduled -> {
      if (scheduled.created()) {
        metrics.callbackScheduled(scheduled.business(), CallbackTrigger.MANUAL, scheduled.line());
      }
      return store.find(business.id(), now(), scheduled.id()).map(task -> new Filed(task.orElseThrow(), scheduled.created()));
    });
  }

  /** The agent takes the best free task of their lines for a lease; empty when there is none. */
  public Future<Optional<Task>> claimNext(long businessId, Agent agent) {
    return store.claimNext(businessId, now(), agent.id(), lease());
  }

  /** The agent takes a chosen task for a lease; fails with {@link Refused} saying why not. */
  public Future<Task> claim(long businessId, Agent agent, long id) {
    return orRefused(store.claim(businessId, now(), agent.id(), lease(), id), businessId, agent, id);
  }

  /** The agent keeps the task they hold for another lease while working on it; fails with {@link Refused} saying why not. */
  public Future<Task> renew(long businessId, Agent agent, long id) {
    return orRefused(store.renew(businessId, now(), agent.id(), lease(), id), businessId, agent, id);
  }

  /** The agent hands the task they hold back to the queue; fails with {@link Refused} saying why not. */
  public Future<Task> release(long businessId, Agent agent, long id) {
    return orRefused(store.release(businessId, now(), agent.id(), id), businessId, agent, id);
  }

  /**
   * The agent closes the task they hold with an outcome, the note (if not blank) going into the
   * customer's file; or {@link Refused}. Nobody answering ({@code no_answer}) does not close the
   * callback: it goes back to the dialler, after the wait an unanswered attempt gets or at
   * {@code retryAt}, and expires when its attempts are used up.
   *
   * @param retryAt for {@code no_answer}: when to try again, if the agent chose
   */
  public Future<Task> complete(long businessId, Agent agent, long id, String outcome, String note, Optional<Instant> retryAt) {
    String noted = note == null || note.isEmpty() ? null : note;
    Instant now = now();
    if (outcome.equals(Agent.NO_ANSWER)) {
      DialPolicy policy = config.dialer().policy();
      return store.noAnswer(businessId, now, agent.id(), id, noted, attempts -> policy.afterPersonNoAnswer(attempts, now, retryAt))
          .compose(retried -> {
            if (retried.isEmpty()) {
              return refused(businessId, agent, id);
            }
            TaskStore.Completed task = retried.get().task();
            metrics.callbackFinished(task.business(), task.trigger(), task.line(), AttemptOutcome.NO_ANSWER);
            // A callback the dialler handed over with its attempts used up was counted expired then.
            if (retried.get().next().attemptsUsedUp() && !DialPolicy.RETRIES_EXHAUSTED.equals(retried.get().reason())) {
              metrics.callbackFinished(task.business(), task.trigger(), task.line(), AttemptOutcome.EXPIRED);
            }
            return store.find(businessId, now(), id).map(Optional::orElseThrow);
          });
    }
    return store.complete(businessId, now, agent.id(), id, outcome, noted).compose(done -> {
      if (done.isEmpty()) {
        return refused(businessId, agent, id);
      }
      metrics.callbackFinished(done.get().business(), done.get().trigger(), done.get().line(), Agent.callbackOutcome(outcome));
      return store.find(businessId, now(), id).map(Optional::orElseThrow);
    });
  }

  /** What an agent completed on one day, in the time zone the day was counted in. */
  public record Day(LocalDate date, ZoneId zone, TaskStore.AgentWork work) {}

  /** What the agent completed today, the day as it is in {@code zone}. */
  public Future<Day> today(long businessId, Agent agent, ZoneId zone) {
    LocalDate today = LocalDate.ofInstant(now(), zone);
    return store.agentWork(businessId, agent.id(), today.atStartOfDay(zone).toInstant(), today.plusDays(1).atStartOfDay(zone).toInstant())
        .map(work -> new Day(today, zone, work));
  }

  /**
   * Click to connect: calls the holding agent's phone from the task's line, to whisper and then
   * dial the customer. The call is the task's attempt from now on, so its progress can be followed
   * and its end recorded even if the agent never answers.
   */
  public Future<PlacedCall> callAgentFirst(Business business, Agent agent, long id) {
    return store.find(business.id(), now(), id)
        .compose(found -> found.isPresent() && found.get().state() == CallbackState.AGENT_QUEUE && found.get().holder() != null
            && found.get().holder() == agent.id() && agent.lines().contains(found.get().line())
            ? Future.succeededFuture(found.get()) : refused(business.id(), agent, id))
        .compose(task -> {
          Optional<Line> line = business.lineById(task.line());
          if (line.isEmpty()) {
            return Future.failedFuture(new Refused(Refusal.LINE_GONE, task));
          }
          // The agent's phone is called from the business's line, on the business's own account.
          String publicUrl = config.http().publicUrl();
          OutboundCall call = new OutboundCall(line.get().number(), agent.contact(),
              business.url(publicUrl, WebhookPaths.CONNECT + "?task=" + id + "&agent=" + agent.id()),
              business.url(publicUrl, WebhookPaths.STATUS), null, config.dialer().ringTimeoutSeconds());
          return business.telephony().placeCall(call).recover(e -> Future.failedFuture(new AgentUnreachable(e)))
              .compose(placed -> store.startAttempt(business.id(), now(), agent.id(), id, placed.callSid(), false)
                  .<PlacedCall>map(started -> placed)
                  // The agent's phone rings all the same; their answer starts the attempt then.
                  .recover(e -> {
                    LOG.warn("task #{}: the call to agent #{} ({}) is not recorded yet: {}", id, agent.id(), placed.callSid(),
                        e.getMessage());
                    return Future.succeededFuture(placed);
                  }));
        });
  }

  /** A task's latest call through an agent's phone, and where it stands now. */
  public record AgentCallNow(TaskStore.AgentCall call, ClickToConnect.Progress progress, Instant now) {}

  /** Where the task's latest call through an agent's phone stands; empty when it had none. */
  public Future<Optional<AgentCallNow>> agentCall(long businessId, long id) {
    return store.latestAgentCall(businessId, id).map(found -> found.map(call ->
        new AgentCallNow(call, ClickToConnect.progress(call.agentLeg(), call.customerLeg(), call.endedAt()), now())));
  }

  /**
   * The agent answered their click-to-connect call and the customer is dialled now: recorded as the
   * task's attempt once; false when the agent no longer holds the task (nobody is dialled).
   */
  public Future<Boolean> agentAnswered(long businessId, long agentId, long id, String agentCallSid) {
    return store.startAttempt(businessId, now(), agentId, id, agentCallSid, true);
  }

  private Future<Task> orRefused(Future<Optional<Task>> changed, long businessId, Agent agent, long id) {
    return changed.compose(task -> task.isPresent() ? Future.succeededFuture(task.get()) : refused(businessId, agent, id));
  }

  /** Fails with why the agent could not act on the task, as it stands now. */
  private Future<Task> refused(long businessId, Agent agent, long id) {
    return store.find(businessId, now(), id).compose(found -> Future.failedFuture(new Refused(refusal(found, agent), found.orElse(null))));
  }

  private static Refusal refusal(Optional<Task> found, Agent agent) {
    if (found.isEmpty()) {
      return Refusal.NO_SUCH_TASK;
    }
    Task task = found.get();
    if (task.state() != CallbackState.AGENT_QUEUE) {
      return Refusal.NOT_IN_QUEUE;
    }
    if (!agent.lines().contains(task.line())) {
      return Refusal.NOT_THEIR_LINE;
    }
    if (task.forRole() != null && !task.forRole().equals(agent.role())) {
      return Refusal.FOR_ANOTHER_ROLE;
    }
    if (task.holder() != null && task.holder() != agent.id()) {
      return Refusal.HELD_BY_ANOTHER;
    }
    return Refusal.NOT_HELD;
  }

  private Instant now() {
    return clock.instant();
  }

  private int lease() {
    return config.agents().taskLeaseSeconds();
  }
}
