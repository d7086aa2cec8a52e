package dev.ringback.dialer;

import dev.ringback.app.Changes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears PostgreSQL's NOTIFYs on a connection of its own and passes them on: work that became
 * due wakes the dispatcher; changes to tasks, agents' tokens, opening hours and businesses go to this
 * instance's verticles over the event bus ({@link Changes}). A lost connection is opened
 * again; meanwhile the dispatcher's poll is the safety net.
 */
final class NotificationRelay {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationRelay.class);
  /** Callbacks were scheduled or became due. */
  private static final String CALLBACKS_CHANNEL = "ringback_callbacks";
  /** Task changes, relayed to every console of this instance. */
  private static final String TASKS_CHANNEL = "ringback_tasks";
  /** An agent's token replaced or the agent deleted, relayed so this instance's consoles with the old token are signed out. */
  private static final String TOKENS_CHANNEL = "ringback_tokens";
  /** Opening hours set through the API, relayed so every verticle of this instance reloads them. */
  private static final String LINES_CHANNEL = "ringback_lines";
  /** A business was created, changed or deleted through the API on some instance. */
  private static final String BUSINESSES_CHANNEL = "ringback_businesses";
  private static final List<String> CHANNELS = List.of(CALLBACKS_CHANNEL, TASKS_CHANNEL, TOKENS_CHANNEL, LINES_CHANNEL,
      BUSINESSES_CHANNEL);
  private static final Map<String, String> ADDRESSES = Map.of(
      TASKS_CHANNEL, Changes.TASKS,
      TOKENS_CHANNEL, Changes.TOKENS,
      LINES_CHANNEL, Changes.LINES,
      BUSINESSES_CHANNEL, Changes.BUSINESSES);
  /** A connection that was lost is opened again this soon; one that could not be opened, after the longer pause. */
  private static final long RECONNECT_MILLIS = 1000;
  private static final long RETRY_MILLIS = 5000;

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final long pollMillis;
  private final Runnable callbacksDue;
  private final OutageLog outage = new OutageLog();
  /** The connection listening now, closed at stop. */
  private PgConnection connection;
  /** Set at stop: a lost connection is no longer opened again, nor its failure logged. */
  private boolean stopped;

  /**
   * @param pollMillis how often the dispatcher polls while nothing is heard, for the outage's log line
   * @param callbacksDue run for each NOTIFY of work that became due
   */
  NotificationRelay(Vertx vertx, PgConnectOptions options, long pollMillis, Runnable callbacksDue) {
    this.vertx = vertx;
    this.options = options;
    this.pollMillis = pollMillis;
    this.callbacksDue = callbacksDue;
  }

  /** Completes once the first attempt to listen is over, heard or not (the poll covers what is not heard). */
  Future<Void> start() {
    return listen();
  }

  Future<Void> stop() {
    stopped = true;
    return connection == null ? Future.succeededFuture() : connection.close();
  }

  private Future<Void> listen() {
    if (stopped) {
      return Future.succeededFuture();
    }
    return PgConnection.connect(vertx, options)
        .compose(conn -> {
          connection = conn;
          conn.notificationHandler(n -> relay(n.getChannel(), n.getPayload()));
          conn.exceptionHandler(e -> {
            if (!stopped) {
              LOG.warn("The LISTEN connection failed: {}", e.getMessage());
            }
          });
          conn.closeHandler(v -> {
            if (!stopped) {
              vertx.setTimer(RECONNECT_MILLIS, t -> listen());
            }
          });
          Future<Void> listening = Future.succeededFuture();
          for (String channel : CHANNELS) {
            listening = listening.compose(v -> conn.query("LISTEN " + channel).execute().mapEmpty());
          }
          // Changes made while not listening are picked up now.
          return listening.onSuccess(v -> {
            outage.succeeded();
            vertx.eventBus().publish(Changes.TOKENS, "");
            vertx.eventBus().publish(Changes.LINES, "");
            vertx.eventBus().publish(Changes.BUSINESSES, "");
          });
        })
        .onFailure(e -> {
          if (outage.failed()) {
            LOG.warn("Cannot LISTEN for due callbacks ({}); polling every {} ms meanwhile", e.getMessage(), pollMillis);
          } else {
            LOG.debug("Cannot LISTEN for due callbacks yet: {}", e.getMessage());
          }
          vertx.setTimer(RETRY_MILLIS, t -> listen());
        })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private void relay(String channel, String payload) {
    if (CALLBACKS_CHANNEL.equals(channel)) {
      callbacksDue.run();
      return;
    }
    String address = ADDRESSES.get(channel);
    if (address != null) {
      vertx.eventBus().publish(address, payload);
    }
  }
}
