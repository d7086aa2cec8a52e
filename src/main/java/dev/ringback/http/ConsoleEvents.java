package dev.ringback.http;

import dev.ringback.app.Changes;
import dev.ringback.app.Services;
import io.vertx.core.Handler;
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
 * console within a second. An agent's stream ends, with a {@code signed-out} event, as soon as
 * their token is replaced or they are deleted on any instance.
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
    // An agent's stream ends when their token stops working, whichever instance replaced it.
    MessageConsumer<String> tokens = caller.isAdmin() ? null : vertx.eventBus().consumer(Changes.TOKENS, message -> {
      if (message.body().isEmpty() || message.body().equals(Long.toString(caller.agent().id()))) {
        stream.checkToken(ApiRoutes.tokenSha256(ctx));
      }
    });
    long ping = vertx.setPeriodic(PING_MILLIS, t -> stream.write(": ping\n\n"));
    Handler<Void> finished = v -> {
      changes.unregister();
      if (tokens != null) {
        tokens.unregister();
      }
      vertx.cancelTimer(ping);
    };
    // Closed by the console, or ended here (signed out).
    response.closeHandler(finished);
    response.endHandler(finished);
    stream.write("retry: 2000\n\n");
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

    /** Ends the stream with a {@code signed-out} event when its token no longer belongs to its agent; a failed look-up keeps it open. */
    void checkToken(byte[] tokenSha256) {
      services.agents().bearer(tokenSha256).onSuccess(bearer -> {
        boolean valid = bearer.isPresent() && bearer.get().agent().id() == caller.agent().id();
        if (!valid && open()) {
          response.end("event: signed-out\ndata: " + new JsonObject().put("error", "this token no longer works").encode() + "\n\n");
        }
      });
    }

    private boolean open() {
      return !response.closed() && !response.ended();
    }

    void write(String event) {
      if (open()) {
        response.write(event);
      }
    }

    void send() {
      if (!open()) {
        return;
      }
      services.tasks().list(caller.business().id(), caller.isAdmin() ? null : caller.agent().id(), 200)
          .onSuccess(tasks -> {
            JsonArray items = new JsonArray();
            tasks.forEach(t -> items.add(TaskApi.toJson(t, caller)));
            write("event: queue\ndata: " + new JsonObject().put("items", items).encode() + "\n\n");
          })
          .onFailure(e -> write("event: error\ndata: " + new JsonObject().put("error", "the queue is unavailable").encode() + "\n\n"));
      if (!caller.isAdmin()) {
        // The agent's own presence, which Ringback changes too (busy while on a call).
        services.agents().find(caller.business().id(), caller.agent().id()).onSuccess(me -> me.ifPresent(agent ->
            write("event: me\ndata: " + AgentApi.toJson(agent).encode() + "\n\n")));
      }
    }
  }
}
