package dev.ringback.store;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** What a failed query says about the database: down, busy, or neither (then it is our bug or bad input). */
public final class DatabaseFailures {
  private DatabaseFailures() {}

  /**
   * The database cannot be reached: a connection refused, lost, reset or timed out while
   * connecting, or PostgreSQL shutting down or refusing connections. A reset comes as the socket's
   * own exception (a backend that dies with a query unread), not as a closed connection.
   */
  public static boolean isDown(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SocketException || t instanceof ClosedConnectionException
          || t instanceof ConnectTimeoutException || t instanceof Errors.NativeIoException) {
        return true;
      }
      if (t instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
        return true;
      }
      // The client's own connection closing is the HTTP client's business, not the database's.
      if (t instanceof VertxException && !(t instanceof HttpClosedException)
          && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("closed")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The database answers, but not in time for this query: every connection stayed busy for the
   * pool's wait timeout, too many queries already wait, PostgreSQL cancelled a statement at its
   * statement timeout, or it lacks a resource (too many connections, memory, disk).
   */
  public static boolean isBusy(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectionPoolTooBusyException) {
        return true;
      }
      if (waitedForAConnection(t)) {
        return true;
      }
      // Cancelled at the statement timeout, or out of a resource (class 53: connections, memory, disk).
      if (t instanceof PgException pg && ("57014".equals(pg.getSqlState()) || pg.getSqlState() != null && pg.getSqlState().startsWith("53"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The pool's wait timeout, for a query ("Timeout waiting for connection") and for a connection
   * taken for a transaction ("Timeout"): vertx-sql-client gives it no type of its own.
   */
  public static boolean waitedForAConnection(Throwable failure) {
    return failure instanceof VertxException
        && ("Timeout waiting for connection".equals(failure.getMessage()) || "Timeout".equals(failure.getMessage()));
  }

  /**
   * PostgreSQL refused the values themselves (a data exception or an integrity violation, SQLSTATE
   * classes 22 and 23): writing the same again will fail the same way.
   */
  public static boolean isRefusedData(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"))) {
        return true;
      }
    }
    return false;
  }

  /** Either: the write can be kept elsewhere and retried, as nothing about it was wrong. */
  public static boolean isUnavailable(Throwable failure) {
    // Future.timeout fails with a java.util.concurrent.TimeoutException.
    return isDown(failure) || isBusy(failure) || failure instanceof TimeoutException;
  }
}
