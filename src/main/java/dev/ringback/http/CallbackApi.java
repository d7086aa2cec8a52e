package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.CallbackState;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.CallbackWhy;
import dev.ringback.domain.DialPolicy;
import dev.ringback.domain.Line;
import dev.ringback.store.CallbackStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** /api/callbacks: the queue of promises, filtered and paged; one with its story; cancel; schedule by hand. */
final class CallbackApi {
  private static final Set<String> CREATE_FIELDS = Set.of("phone", "line", "due_at");

  private final Services services;

  CallbackApi(Services services) {
    this.services = services;
  }

  void list(RoutingContext ctx) {
    var params = ctx.request().params();
    CallbackState state = params.get("state") == null ? null : CallbackState.parse(params.get("state"))
        .orElseThrow(() -> HttpFailure.unprocessable("state: must be one of "
            + String.join(", ", Stream.of(CallbackState.values()).map(CallbackState::value).sorted().toList())));
    CallbackTrigger trigger = params.get("trigger") == null ? null : CallbackTrigger.parse(params.get("trigger"))
        .orElseThrow(() -> HttpFailure.unprocessable("trigger: must be one of "
            + String.join(", ", Stream.of(CallbackTrigger.values()).map(CallbackTrigger::value).toList())));
    String phone = params.get("phone") == null ? null : services.phoneNumbers().normalize(params.get("phone"))
        .orElseThrow(() -> HttpFailure.unprocessable("phone: '" + params.get("phone") + "' is not a valid phone number"));
    Long lineKey = null;
    if (params.get("line") != null) {
      Line line = lineOrOnly(Caller.business(ctx), params.get("line"));
      Caller.requireLine(ctx, line.id(), "line " + line.id());
      lineKey = Caller.business(ctx).lineKey(line);
    }
    // An agent's list holds their own lines' callbacks only.
    List<Long> lineKeys = Caller.of(ctx).lineKeys();
    Instant from = Requests.instant("from", params.get("from"));
    Instant to = Requests.instant("to", params.get("to"));
    if (from != null && to != null && !from.isBefore(to)) {
      throw HttpFailure.unprocessable("from: must be before to");
    }
    int limit = Requests.intParam(ctx, "limit", 50, 1, 500);
    long after = Requests.cursor(params.get("cursor"));
    String order = Optional.ofNullable(params.get("order")).orElse("oldest");
    if (!order.equals("oldest") && !order.equals("newest")) {
      throw HttpFailure.unprocessable("order: must be oldest or newest");
    }
    services.callbacks().list(Caller.business(ctx).id(), new CallbackStore.Filter(state, trigger, phone, lineKey, lineKeys, from, to), after,
            limit + 1, order.equals("newest"))
        .onSuccess(found -> {
          boolean more = found.size() > limit;
          List<CallbackStore.Callback> page = more ? found.subList(0, limit) : found;
          JsonArray items = new JsonArray();
          page.forEach(c -> items.add(toJson(ctx, c)));
          Responses.json(ctx, 200, new JsonObject().put("items", items)
              .put("next_cursor", more ? Long.toString(page.get(page.size() - 1).id()) : null));
        })
        .onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    long id = id(ctx);
    services.callbacks().find(Caller.business(ctx).id(), id)
        .map(found -> yours(ctx, found, id))
        .compose(found -> found.isEmpty()
            ? Future.failedFuture(HttpFailure.notFound("no callback " + id))
            : services.callbacks().story(Caller.business(ctx).id(), found.get()).map(events -> {
              JsonArray story = new JsonArray();
              events.forEach(e -> story.add(new JsonObject()
                  .put("call_sid", e.callSid())
                  .put("parent_call_sid", e.parentCallSid())
                  .put("status", e.status())
                  .put("sequence_number", e.sequenceNumber())
                  .put("timestamp", e.timestamp() == null ? null : e.timestamp().toString())
                  .put("answered_by", e.answeredBy())));
              return toJson(ctx, found.get()).put("call_events", story);
            }))
        .onSuccess(body -> Responses.json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  void cancel(RoutingContext ctx) {
    long id = id(ctx);
    Future<?> allowed = Caller.of(ctx).isAdmin() ? Future.succeededFuture()
        : services.callbacks().find(Caller.business(ctx).id(), id).map(found -> yours(ctx, found, id));
    Caller caller = Caller.of(ctx);
    allowed.compose(v -> services.callbacks().cancel(Caller.business(ctx), id, caller.isAdmin() ? null : caller.agent().id()))
        .compose(cancelled -> {
          if (cancelled.isPresent()) {
            return Future.succeededFuture(cancelled.get());
          }
          return services.callbacks().find(Caller.business(ctx).id(), id).compose(found -> Future.failedFuture(found.isEmpty()
              ? HttpFailure.notFound("no callback " + id)
              : new HttpException(409, "callback " + id + " is " + found.get().state().value() + " and cannot be cancelled")));
        })
        .onSuccess(c -> Responses.json(ctx, 200, toJson(ctx, c)))
        .onFailure(ctx::fail);
  }

  /**
   * {@code {"due_at"}}: a waiting callback moves there, refused (422, saying why) as a caller's own
   * choice would be: passed, the line closed then, the customer not to be called then, or more
   * than 30 days ahead. 409 once it is being dialled or has ended.
   */
  void move(RoutingContext ctx) {
    long id = id(ctx);
    JsonObject body = Requests.jsonBody(ctx);
    Requests.onlyFields(body, Set.of("due_at"));
    if (!(body.getValue("due_at") instanceof String raw)) {
      throw HttpFailure.unprocessable("due_at: required, a time such as 2026-11-24T09:30:00+01:00");
    }
    Instant at = Requests.instant("due_at", raw);
    if (at == null) {
      throw HttpFailure.unprocessable("due_at: required, a time such as 2026-11-24T09:30:00+01:00");
    }
    Instant now = services.clock().instant();
    if (!DialPolicy.mayRetryAt(at, now) && at.isAfter(now)) {
      throw HttpFailure.unprocessable("due_at: '" + raw + "' is more than " + DialPolicy.MAX_RETRY_AHEAD.toDays() + " days ahead");
    }
    Business business = Caller.business(ctx);
    services.callbacks().find(business.id(), id)
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(HttpFailure.notFound("no callback " + id));
          }
          if (!Caller.of(ctx).isAdmin()) {
            yours(ctx, found, id);
          }
          return services.callbacks().move(business, found.get(), at).compose(moved -> {
            if (!moved.choice().accepted()) {
              return Future.failedFuture(HttpFailure.unprocessable("due_at: '" + raw + "' " + switch (moved.choice().refusal()) {
                case NOT_A_TIME, PASSED -> "has passed";
                case CLOSED -> "is when the line is closed";
                case NOT_CALLING_HOURS -> "is outside the hours the customer may be called";
              }));
            }
            return moved.callback().map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(new HttpException(409,
                "callback " + id + " is " + found.get().state().value() + " and cannot be moved")));
          });
        })
        .onSuccess(c -> Responses.json(ctx, 200, toJson(ctx, c)))
        .onFailure(ctx::fail);
  }

  /** {@code {"phone", "line"?, "due_at"?}}: a callback by hand (trigger {@code manual}), due now unless a time is given. */
  void create(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    Requests.onlyFields(body, CREATE_FIELDS);
    Object rawPhone = body.getValue("phone");
    if (!(rawPhone instanceof String phoneText)) {
      throw HttpFailure.unprocessable("phone: required, a string");
    }
    String phone = services.phoneNumbers().normalize(phoneText)
        .orElseThrow(() -> HttpFailure.unprocessable("phone: '" + phoneText + "' is not a valid phone number"));
    Object rawLine = body.getValue("line");
    if (rawLine != null && !(rawLine instanceof String)) {
      throw HttpFailure.unprocessable("line: must be a string");
    }
    Line line = lineOrOnly(Caller.business(ctx), (String) rawLine);
    Caller.requireLine(ctx, line.id(), "the callback");
    Object rawDue = body.getValue("due_at");
    if (rawDue != null && !(rawDue instanceof String)) {
      throw HttpFailure.unprocessable("due_at: must be a string");
    }
    Instant now = services.clock().instant();
    Instant due = Optional.ofNullable(Requests.instant("due_at", (String) rawDue)).orElse(now);
    if (due.isAfter(now.plus(Duration.ofDays(365)))) {
      throw HttpFailure.unprocessable("due_at: more than a year ahead");
    }
    services.callbacks().scheduleByHand(Caller.business(ctx), line, phone, due)
        .onSuccess(result -> {
          ctx.response().putHeader("Location", "/api/callbacks/" + result.callback().id());
          Responses.json(ctx, result.created() ? 201 : 200, toJson(ctx, result.callback()));
        })
        .onFailure(ctx::fail);
  }

  /** The business's line a request names, or its only line when it names none. */
  static Line lineOrOnly(Business business, String id) {
    if (id == null) {
      List<Line> lines = business.lines();
      if (lines.size() != 1) {
        throw HttpFailure.unprocessable("line: required when more than one line is configured");
      }
      return lines.get(0);
    }
    return business.lineById(id).orElseThrow(() -> HttpFailure.unprocessable("line: '" + id + "' is not a configured line"));
  }


  /** A callback on a line the calling agent does not serve is refused (403), as its task would be. */
  private Optional<CallbackStore.Callback> yours(RoutingContext ctx, Optional<CallbackStore.Callback> found, long id) {
    found.ifPresent(c -> Caller.requireLine(ctx, Caller.business(ctx).lineId(c.lineId()).orElse(null), "callback " + id));
    return found;
  }

  private static long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw HttpFailure.notFound("no callback " + raw);
    }
  }

  /** Why the callback is where it is, with what that reason names: a time, the task's reason, the call, who, the attempts. */
  static JsonObject why(CallbackStore.Callback c) {
    CallbackWhy why = CallbackWhy.of(c.state(), c.waitingFor(), c.cancelCause());
    JsonObject json = new JsonObject().put("reason", why.value());
    if (why.namesATime()) {
      json.put("until", c.dueAt().toString());
    }
    switch (why) {
      case WITH_AGENTS -> json.put("task_reason", c.taskReason());
      case CANCELLED_GOT_THROUGH -> json.put("call_sid", c.cancelledByCall());
      case CANCELLED_BY_HAND -> json.put("by", c.cancelledBy());
      case EXPIRED, FAILED, DONE -> json.put("outcome", c.outcome()).put("attempts", new JsonArray(c.attemptOutcomes()));
      default -> { }
    }
    return json;
  }

  private static JsonObject toJson(RoutingContext ctx, CallbackStore.Callback c) {
    return new JsonObject()
        .put("id", c.id())
        .put("line", Caller.business(ctx).lineId(c.lineId()).orElse(null))
        .put("phone", c.phone())
        .put("customer_id", c.customerId())
        .put("trigger", c.trigger().value())
        .put("trigger_call_sid", c.triggerCallSid())
        .put("trigger_count", c.triggerCount())
        .put("triggered_at", c.triggeredAt().toString())
        .put("last_triggered_at", c.lastTriggeredAt().toString())
        .put("due_at", c.dueAt().toString())
        .put("priority", c.priority())
        .put("attempts", c.attempts())
        .put("state", c.state().value())
        .put("outcome", c.outcome())
        .put("waiting_for", c.waitingFor())
        .put("why", why(c))
        .put("recording_url", c.recordingUrl() == null ? null : RecordingApi.ofCallback(c.id()))
        .put("created_at", c.createdAt().toString())
        .put("updated_at", c.updatedAt().toString());
  }
}
