package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.app.Tasks;
import dev.ringback.domain.Agent;
import dev.ringback.domain.CallbackState;
import dev.ringback.domain.ClickToConnect;
import dev.ringback.domain.Customer;
import dev.ringback.domain.DialPolicy;
import dev.ringback.domain.Line;
import dev.ringback.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /api/tasks: the agent queue. An agent claims the next task or a chosen one for a lease,
 * renews it while working, and completes it with an outcome and a note for the customer's
 * file, or releases it.
 */
final class TaskApi {
  private static final Logger LOG = LoggerFactory.getLogger(TaskApi.class);

  private final Services services;

  TaskApi(Services services) {
    this.services = services;
  }

  /** The queue: an agent sees their lines' tasks, the admin every line's. */
  void list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    int limit = Requests.intParam(ctx, "limit", 100, 1, 500);
    services.tasks().list(Caller.business(ctx).id(), caller.isAdmin() ? null : caller.agent().id(), limit)
        .onSuccess(tasks -> {
          JsonArray items = new JsonArray();
          tasks.forEach(t -> items.add(toJson(t, caller)));
          Responses.json(ctx, 200, new JsonObject().put("items", items));
        })
        .onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    long id = id(ctx);
    services.tasks().find(Caller.business(ctx).id(), id)
        .map(found -> found.orElseThrow(() -> HttpFailure.notFound("no task " + id)))
        .map(task -> {
          Caller.requireLine(ctx, task.line(), "task " + id);
          return task;
        })
        .onSuccess(task -> Responses.json(ctx, 200, toJson(task, Caller.of(ctx))))
        .onFailure(ctx::fail);
  }

  /** {@code {"phone", "line"?}}: a task by hand, for a person to call the customer. */
  void create(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    Requests.onlyFields(body, Set.of("phone", "line"));
    String rawPhone = Requests.text(body, "phone", true, 64);
    String phone = services.phoneNumbers().normalize(rawPhone)
        .orElseThrow(() -> HttpFailure.unprocessable("phone: '" + rawPhone + "' is not a valid phone number"));
    Business business = Caller.business(ctx);
    Line line = CallbackApi.lineOrOnly(business, Requests.text(body, "line", false, 64));
    Caller.requireLine(ctx, line.id(), "the task");
    services.customers().findByPhone(business.id(), phone)
        .compose(customer -> services.tasks().create(business, line, phone, customer))
        .onSuccess(filed -> {
          ctx.response().putHeader("Location", "/api/tasks/" + filed.task().id());
          Responses.json(ctx, filed.created() ? 201 : 200, toJson(filed.task(), Caller.of(ctx)));
        })
        .onFailure(ctx::fail);
  }

  /** The best free task of the agent's lines; 204 when there is none. */
  void claimNext(RoutingContext ctx) {
    Agent agent = Caller.requireAgent(ctx);
    services.tasks().claimNext(Caller.business(ctx).id(), agent).onSuccess(claimed -> {
      if (claimed.isEmpty()) {
        ctx.response().setStatusCode(204).end();
        return;
      }
      LOG.info("task #{} claimed by agent #{}", claimed.get().id(), agent.id());
      Responses.json(ctx, 200, toJson(claimed.get(), Caller.of(ctx)));
    }).onFailure(ctx::fail);
  }

  void claim(RoutingContext ctx) {
    act(ctx, true, "claimed", (agent, id) -> services.tasks().claim(Caller.business(ctx).id(), agent, id));
  }

  /** The console renews the lease while the agent works on the task. */
  void renew(RoutingContext ctx) {
    act(ctx, false, null, (agent, id) -> services.tasks().renew(Caller.business(ctx).id(), agent, id));
  }

  void release(RoutingContext ctx) {
    act(ctx, false, "released", (agent, id) -> services.tasks().release(Caller.business(ctx).id(), agent, id));
  }

  /** One change to one task by the agent holding it (or claiming it); a refusal says why. */
  private void act(RoutingContext ctx, boolean claiming, String logged, BiFunction<Agent, Long, Future<TaskStore.Task>> change) {
    Agent agent = Caller.requireAgent(ctx);
    long id = id(ctx);
    change.apply(agent, id)
        .onSuccess(task -> {
          if (logged != null) {
            LOG.info("task #{} {} by agent #{}", id, logged, agent.id());
          }
          Responses.json(ctx, 200, toJson(task, Caller.of(ctx)));
        })
        .onFailure(e -> ctx.fail(refusal(e, id, claiming)));
  }

  /**
   * {@code {"outcome", "note"?, "retry_at"?}}: done; the note goes into the customer's file. With
   * {@code no_answer} the callback goes back to the dialler (at {@code retry_at} when given) or,
   * its attempts used up, expires.
   */
  void complete(RoutingContext ctx) {
    Agent agent = Caller.requireAgent(ctx);
    long id = id(ctx);
    JsonObject body = Requests.jsonBody(ctx);
    Requests.onlyFields(body, Set.of("outcome", "note", "retry_at"));
    String outcome = Requests.text(body, "outcome", true, 32);
    if (!Agent.TASK_OUTCOMES.contains(outcome)) {
      throw HttpFailure.unprocessable("outcome: must be one of " + String.join(", ", Agent.TASK_OUTCOMES));
    }
    String note = Requests.text(body, "note", false, 4000);
    Optional<Instant> retryAt = retryAt(body, outcome);
    services.tasks().complete(Caller.business(ctx).id(), agent, id, outcome, note, retryAt)
        .onSuccess(task -> {
          LOG.info("task #{} completed by agent #{}: {}{}", id, agent.id(), outcome,
              task.state() == CallbackState.SCHEDULED ? ", tried again at " + task.dueAt() : "");
          Responses.json(ctx, 200, toJson(task, Caller.of(ctx)));
        })
        .onFailure(e -> ctx.fail(refusal(e, id, false)));
  }

  /** When the agent wants the customer tried again: a time with an offset, later than now and within 30 days. */
  private Optional<Instant> retryAt(JsonObject body, String outcome) {
    Object value = body.getValue("retry_at");
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw HttpFailure.badRequest("retry_at: " + value + " is not a time such as 2026-11-24T09:30:00+01:00");
    }
    if (!outcome.equals(Agent.NO_ANSWER)) {
      throw HttpFailure.badRequest("retry_at: '" + text + "' goes with the outcome " + Agent.NO_ANSWER + " only, not " + outcome);
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw HttpFailure.badRequest("retry_at: '" + text + "' is not a time such as 2026-11-24T09:30:00+01:00");
    }
    Instant now = services.clock().instant();
    if (!DialPolicy.mayRetryAt(at, now)) {
      throw HttpFailure.badRequest("retry_at: '" + text + "' is " + (at.isAfter(now) ? "more than "
          + DialPolicy.MAX_RETRY_AHEAD.toDays() + " days ahead" : "not in the future") + " (now: " + now + ")");
    }
    return Optional.of(at);
  }

  /**
   * Click to connect: Ringback calls the agent's phone first; when they answer they hear who
   * and why, then the customer is dialled with the line's number and the two are bridged.
   */
  void call(RoutingContext ctx) {
    Agent agent = Caller.requireAgent(ctx);
    long id = id(ctx);
    services.tasks().callAgentFirst(Caller.business(ctx), agent, id)
        .onSuccess(placed -> {
          LOG.info("task #{}: calling agent #{} first ({})", id, agent.id(), placed.callSid());
          Responses.json(ctx, 202, new JsonObject().put("task", id).put("agent_call_sid", placed.callSid()));
        })
        .onFailure(e -> ctx.fail(e instanceof Tasks.AgentUnreachable unreachable
            ? new HttpException(503, "could not call your phone: " + unreachable.getMessage()) : refusal(e, id, false)));
  }

  /**
   * Where the task's latest call through an agent's phone stands, for the console to follow it:
   * the agent's phone ringing, answered, the customer ringing, talking, ended and how.
   */
  void agentCall(RoutingContext ctx) {
    long id = id(ctx);
    long businessId = Caller.business(ctx).id();
    services.tasks().find(businessId, id)
        .map(found -> found.orElseThrow(() -> HttpFailure.notFound("no task " + id)))
        .compose(task -> {
          Caller.requireLine(ctx, task.line(), "task " + id);
          return services.tasks().agentCall(businessId, id);
        })
        .map(found -> found.orElseThrow(() -> HttpFailure.notFound("task " + id + " has had no call through an agent's phone")))
        .onSuccess(now -> Responses.json(ctx, 200, toJson(id, now)))
        .onFailure(ctx::fail);
  }

  private static JsonObject toJson(long id, Tasks.AgentCallNow now) {
    TaskStore.AgentCall call = now.call();
    ClickToConnect.Progress progress = now.progress();
    Instant talkedUntil = progress.stage() == ClickToConnect.Stage.ENDED ? progress.since() : now.now();
    return new JsonObject()
        .put("task", id)
        .put("attempt", call.attempt())
        .put("agent", call.agentName())
        .put("agent_call_sid", call.agentCallSid())
        .put("customer_call_sid", call.customerCallSid())
        .put("started_at", call.startedAt().toString())
        .put("stage", progress.stage().value())
        .put("since", progress.since() == null ? null : progress.since().toString())
        .put("seconds", progress.since() == null ? null : seconds(progress.since(), now.now()))
        .put("talked_seconds", progress.talkedSince() == null ? null : seconds(progress.talkedSince(), talkedUntil))
        .put("outcome", call.outcome() == null ? null : call.outcome().value());
  }

  private static long seconds(Instant from, Instant until) {
    return Math.max(0, Duration.between(from, until).toSeconds());
  }

  /** Why a task could not be taken or acted on: 404, 403 (another's, or not the agent's line) or 409; other failures as they are. */
  private static Throwable refusal(Throwable failure, long id, boolean claiming) {
    if (!(failure instanceof Tasks.Refused refused)) {
      return failure;
    }
    Optional<TaskStore.Task> task = refused.task();
    return switch (refused.refusal()) {
      case NO_SUCH_TASK -> HttpFailure.notFound("no task " + id);
      case NOT_IN_QUEUE -> new HttpException(409, "task " + id + " is no longer in the queue (" + task.orElseThrow().state().value() + ")");
      case NOT_THEIR_LINE -> new HttpException(403, "task " + id + " is on line " + task.orElseThrow().line() + ", not one of yours");
      case FOR_ANOTHER_ROLE -> new HttpException(403, "task " + id + " is for the line's " + task.orElseThrow().forRole() + "s");
      case HELD_BY_ANOTHER -> new HttpException(claiming ? 409 : 403, "task " + id + " is held by another agent");
      case NOT_HELD -> new HttpException(409, "task " + id + " is not held by you: claim it first");
      case LINE_GONE -> new HttpException(409, "line " + task.orElseThrow().line() + " is no longer configured");
    };
  }

  private static long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw HttpFailure.notFound("no task " + raw);
    }
  }

  static JsonObject toJson(TaskStore.Task t, Caller caller) {
    return new JsonObject()
        .put("id", t.id())
        .put("line", t.line())
        .put("phone", t.phone())
        .put("customer_name", t.customerName())
        .put("customer_tier", t.customerTier() == null ? Customer.Tier.STANDARD.name().toLowerCase() : t.customerTier())
        .put("trigger", t.trigger().value())
        .put("reason", t.reason())
        .put("triggered_at", t.triggeredAt().toString())
        .put("last_triggered_at", t.lastTriggeredAt().toString())
        .put("trigger_count", t.triggerCount())
        .put("priority", t.priority())
        .put("attempts", t.attempts())
        .put("recording_url", t.recordingUrl() == null ? null : RecordingApi.ofCallback(t.id()))
        .put("state", t.state().value())
        .put("outcome", t.outcome())
        .put("due_at", t.state() == CallbackState.SCHEDULED ? t.dueAt().toString() : null)
        .put("created_at", t.createdAt().toString())
        .put("holder", t.holder())
        .put("mine", t.holder() != null && !caller.isAdmin() && t.holder() == caller.agent().id())
        .put("lease_until", t.leaseUntil() == null ? null : t.leaseUntil().toString())
        .put("for_role", t.forRole())
        .put("feedback", t.feedback())
        .put("text", t.text());
  }
}
