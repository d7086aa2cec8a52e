package dev.ringback.http;

import dev.ringback.app.Changes;
import dev.ringback.app.Services;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/events}: the agent queue as server-sent events. Each stream gets the queue (and
 * an agent their own record) at once, then again whenever any instance changes a task or a
 * presence (PostgreSQL NOTIFY, relayed on the event bus), so a new task reaches every open
 * console within a second.
 */
final class ConsoleEvents {
  private static final long DEBOUNCE_MILLIS = 100;
  private static final long PING_MILLIS = 15_000;

  private final Services services;
  private final Vertx vertx;

  ConsoleEvents(Vertx vertx, Services services) {
    this.vertx = vertx;
    this.services = services;
  }

  void stream(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        // Compression would hold events back in its buffer.
        .putHeader("Content-Encoding", "identity")
        .putHeader("X-Accel-Buffering", "no");
    Stream stream = new Stream(response, caller);
    MessageConsumer<String> changes = vertx.eventBus().consumer(Changes.TASKS, message -> stream.changed());
    long ping = vertx.setPeriodic(PING_MILLIS, t -> response.write(": ping\n\n"));
    response.closeHandler(v -> {
      changes.unregister();
      vertx.cancelTimer(ping);
    });
    response.write("retry: 2000\n\n");
    stream.send();
  }

  /** One console's stream: at most one refresh in flight, and changes in a burst sent once. */
  private final class Stream {
    private final HttpServerResponse response;
    private final Caller caller;
    private boolean pending;

    Stream(HttpServerResponse response, Caller caller) {
      this.response = response;
      this.caller = caller;
    }

    void changed() {
      if (!pending) {
        pending = true;
        vertx.setTimer(DEBOUNCE_MILLIS, t -> {
          pending = false;
          send();
        });
      }
    }

    void send() {
      if (response.closed()) {
        return;
      }
      services.tasks().list(caller.business().id(), caller.isAdmin() ? null : caller.agent().id(), 200)
          .onSuccess(tasks -> {
            JsonArray items = new JsonArray();
            tasks.forEach(t -> items.add(TaskApi.toJson(t, caller)));
            if (!response.closed()) {
              response.write("event: queue\ndata: " + new JsonObject().put("items", items).encode() + "\n\n");
            }
          })
          .onFailure(e -> {
            if (!response.closed()) {
              response.write("event: error\ndata: " + new JsonObject().put("error", "the queue is unavailable").encode() + "\n\n");
            }
          });
      if (!caller.isAdmin()) {
        // The agent's own presence, which Ringback changes too (busy while on a call).
        services.agents().find(caller.business().id(), caller.agent().id()).onSuccess(me -> me.ifPresent(agent -> {
          if (!response.closed()) {
            response.write("event: me\ndata: " + AgentApi.toJson(agent).encode() + "\n\n");
          }
        }));
      }
    }
  }
}
