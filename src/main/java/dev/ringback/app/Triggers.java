package dev.ringback.app;

import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.CallEventStore;
import dev.ringback.store.CallbackStore;
import dev.ringback.store.DatabaseFailures;
import dev.ringback.store.OrderStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every webhook that may lead to a callback is written here, so that no caller told "we will
 * call you back" is forgotten. It goes to the database; when the database cannot take it within
 * the deadline (down, frozen, or past capacity), it goes to the journal on local disk instead,
 * and the webhook is answered once it is there. While the journal holds records, new triggers
 * go behind them, so a call's events keep their order. The journal is written to the database,
 * in order, as soon as the database takes it again; each write is idempotent, so a record
 * written twice (a write that finished after its deadline) changes nothing the second time.
 *
 * <p>What each trigger means is decided by its use case ({@link CallEvents}, {@link Callbacks},
 * {@link Orders}), the same whichever way the trigger came.
 */
public final class Triggers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Triggers.class);
  private static final int REPLAY_BATCH = 200;
  private static final long REPLAY_PAUSE_MILLIS = 1000;
  private static final long REPLAY_MAX_PAUSE_MILLIS = 5_000;
  /**
   * A record that fails for a reason that is neither the database's availability nor its data is
   * tried this many times more before it is set aside: it may be a passing fault, and it holds up
   * the records behind it.
   */
  private static final int UNEXPECTED_FAILURES_BEFORE_SET_ASIDE = 3;

  /**
   * What became of a trigger: written to the database, with what that did ({@code written}), or
   * kept in the journal to be written later ({@code journalled}; nothing is known of its effect yet).
   */
  public record Outcome<T>(T written, boolean journalled) {
    public Optional<T> value() {
      return Optional.ofNullable(written);
    }
  }

  /** Neither the database nor the journal took a trigger: nothing may promise its callback. */
  public static final class NotKept extends RuntimeException {
    NotKept(Throwable database, Throwable journal) {
      super("neither the database (" + (database == null ? "the journal holds earlier triggers" : describe(database))
          + ") nor the journal (" + describe(journal) + ") took the trigger", journal);
    }
  }

  private final Vertx vertx;
  private final Journal journal;
  private final CallEvents callEvents;
  private final Callbacks callbacks;
  private final Orders orders;
  private final RingbackMetrics metrics;
  private final long deadlineMillis;
  private Context context;
  // The replay's state: touched only on {@link #context}.
  private Journal.Position cursor;
  private boolean replaying;
  private long pause = REPLAY_PAUSE_MILLIS;
  /** While the database keeps failing, the next replay waits until then (System.nanoTime). */
  private long notBefore;
  private boolean failing;
  private int unexpectedFailures;
  private long periodic = -1;
  private volatile boolean journalling;
  private volatile boolean closed;

  /** @param deadlineMillis how long a write may take before the trigger goes to the journal */
  public Triggers(Vertx vertx, Journal journal, CallEvents callEvents, Callbacks callbacks, Orders orders, RingbackMetrics metrics,
                  long deadlineMillis) {
    this.vertx = vertx;
    this.journal = journal;
    this.callEvents = callEvents;
    this.callbacks = callbacks;
    this.orders = orders;
    this.metrics = metrics;
    this.deadlineMillis = deadlineMillis;
  }

  /** Starts writing the journal to the database: what an earlier process left, and what comes. */
  public void start() {
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      cursor = journal.start();
      // A safety net: a replay is also started whenever a record is kept.
      periodic = vertx.setPeriodic(REPLAY_PAUSE_MILLIS, id -> replay());
      replay();
    });
  }

  /** Records waiting in the journal to be written to the database. */
  public long backlog() {
    return journal.backlog();
  }

  public Future<Outcome<Void>> inbound(Trigger.Inbound t) {
    return durably(t, () -> callEvents.inbound(t));
  }

  public Future<Outcome<Optional<CallbackStore.Scheduled>>> afterHours(Trigger.AfterHours t) {
    return durably(t, () -> callEvents.afterHours(t));
  }

  public Future<Outcome<Optional<CallbackStore.Scheduled>>> dialEnded(Trigger.DialEnded t) {
    return durably(t, () -> callEvents.dialEnded(t));
  }

  /**
   * A status event. One that changes the call, or a callback's attempt, is a trigger; one that is
   * only kept (a call's initiated, ringing, in-progress) goes to the database in time or fails.
   */
  public Future<Outcome<CallEventStore.Applied>> status(Trigger.Status t) {
    if (t.callbackId() == null && !CallEvents.changesTheCall(t.event(), t.leg())) {
      return callEvents.status(t, true).timeout(deadlineMillis, TimeUnit.MILLISECONDS).map(applied -> new Outcome<>(applied, false));
    }
    return durably(t, () -> callEvents.status(t, true));
  }

  public Future<Outcome<CallEventStore.Applied>> screened(Trigger.Screened t) {
    return durably(t, () -> callEvents.screened(t, true));
  }

  public Future<Outcome<Boolean>> recording(Trigger.Recording t) {
    return durably(t, () -> callEvents.recording(t));
  }

  public Future<Outcome<Void>> noAgent(Trigger.NoAgent t) {
    return durably(t, () -> callbacks.noAgent(t));
  }

  public Future<Outcome<OrderStore.Recorded>> order(Trigger.OrderPlaced t) {
    return durably(t, () -> orders.placed(t));
  }

  /**
   * To the database within the deadline, else to the journal; behind the journal's records while
   * it holds any. Fails only when neither can take it, or the trigger itself is at fault.
   */
  private <T> Future<Outcome<T>> durably(Trigger trigger, Supplier<Future<T>> write) {
    if (journal.holdsRecords()) {
      return keep(trigger, null);
    }
    return write.get().timeout(deadlineMillis, TimeUnit.MILLISECONDS)
        .map(written -> new Outcome<>(written, false))
        .recover(e -> DatabaseFailures.isUnavailable(e) ? keep(trigger, e) : Future.failedFuture(e));
  }

  private <T> Future<Outcome<T>> keep(Trigger trigger, Throwable why) {
    if (why != null && !journalling) {
      journalling = true;
      LOG.warn("The database did not take a trigger in time ({}); keeping triggers in the journal until it does", describe(why));
    }
    return Future.fromCompletionStage(journal.append(Trigger.encode(trigger)), vertx.getOrCreateContext())
        .recover(e -> Future.failedFuture(new NotKept(why, e)))
        .map(v -> {
      metrics.journalled(trigger.kind());
      if (context != null) {
        context.runOnContext(x -> replay());
      }
      return new Outcome<T>(null, true);
    });
  }

  /** Writes a trigger through the use case it belongs to; {@code live}: as it happens, not from the journal. */
  private Future<?> write(Trigger trigger, boolean live) {
    if (trigger instanceof Trigger.Inbound t) {
      return callEvents.inbound(t);
    } else if (trigger instanceof Trigger.AfterHours t) {
      return callEvents.afterHours(t);
    } else if (trigger instanceof Trigger.DialEnded t) {
      return callEvents.dialEnded(t);
    } else if (trigger instanceof Trigger.Status t) {
      return callEvents.status(t, live);
    } else if (trigger instanceof Trigger.Screened t) {
      return callEvents.screened(t, live);
    } else if (trigger instanceof Trigger.Recording t) {
      return callEvents.recording(t);
    } else if (trigger instanceof Trigger.NoAgent t) {
      return callbacks.noAgent(t);
    } else if (trigger instanceof Trigger.OrderPlaced t) {
      return orders.placed(t);
    }
    throw new IllegalArgumentException("unknown trigger " + trigger);
  }

  /** Writes the next records of the journal to the database, in order; on {@link #context} only. */
  private void replay() {
    if (replaying || closed || journal.backlog() == 0 || System.nanoTime() - notBefore < 0) {
      return;
    }
    replaying = true;
    Journal.Position from = cursor;
    vertx.executeBlocking(() -> journal.read(from, REPLAY_BATCH), false)
        .compose(entries -> writeInOrder(entries, 0, from, 0))
        .onComplete(done -> {
          replaying = false;
          if (closed) {
            return;
          }
          if (done.succeeded()) {
            if (failing) {
              failing = false;
              LOG.info("Writing the journal to the database again");
            }
            pause = REPLAY_PAUSE_MILLIS;
            if (done.result()) {
              context.runOnContext(v -> replay());
            }
            return;
          }
          metrics.journalWriteFailed();
          if (!failing) {
            failing = true;
            LOG.warn("Writing the journal to the database stopped ({}); trying again while it fails, at most {} s apart",
                describe(done.cause()), REPLAY_MAX_PAUSE_MILLIS / 1000);
          } else {
            LOG.debug("Writing the journal to the database failed again: {}", describe(done.cause()));
          }
          long wait = pause;
          pause = Math.min(pause * 2, REPLAY_MAX_PAUSE_MILLIS);
          notBefore = System.nanoTime() + wait * 1_000_000;
          vertx.setTimer(wait, id -> replay());
        });
  }

  /**
   * Writes entries from {@code index} on, one after the other, then acknowledges them.
   *
   * @return whether the batch was written whole (more may follow at once)
   */
  private Future<Boolean> writeInOrder(List<Journal.Entry> entries, int index, Journal.Position done, int count) {
    if (index == entries.size()) {
      return acknowledge(done, count).map(v -> count > 0);
    }
    Journal.Entry entry = entries.get(index);
    Trigger trigger;
    try {
      trigger = Trigger.decode(entry.text());
    } catch (RuntimeException e) {
      return setAside(entry.text(), "unreadable: " + e.getMessage())
          .compose(v -> writeInOrder(entries, index + 1, entry.next(), count + 1));
    }
    return write(trigger, false).transform(written -> {
      if (written.succeeded()) {
        unexpectedFailures = 0;
        metrics.journalReplayed(trigger.kind());
        return writeInOrder(entries, index + 1, entry.next(), count + 1);
      }
      Throwable e = written.cause();
      boolean refused = DatabaseFailures.isRefusedData(e)
          || !DatabaseFailures.isUnavailable(e) && ++unexpectedFailures > UNEXPECTED_FAILURES_BEFORE_SET_ASIDE;
      if (!refused) {
        // The database is down or busy, or failed in a way that may pass: what was written so far is done;
        // the rest waits, in order, and is tried again.
        if (!DatabaseFailures.isUnavailable(e)) {
          LOG.error("A journal record failed to be written ({}); trying it again", e.toString());
        }
        return acknowledge(done, count).compose(v -> Future.failedFuture(e));
      }
      unexpectedFailures = 0;
      return setAside(entry.text(), e.toString()).compose(v -> writeInOrder(entries, index + 1, entry.next(), count + 1));
    });
  }

  private Future<Void> acknowledge(Journal.Position upTo, int count) {
    if (count == 0) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      journal.acknowledge(upTo, count);
      return null;
    }, false).<Void>mapEmpty().onSuccess(v -> {
      cursor = upTo;
      if (journal.backlog() == 0 && journalling) {
        journalling = false;
        LOG.info("The journal's records are all in the database; triggers go straight there again");
      } else {
        LOG.debug("Wrote {} journal record(s) to the database; {} wait", count, journal.backlog());
      }
    });
  }

  /**
   * A record the database refuses for good (its values, not its availability) would block the
   * journal for ever: it is moved to a file of its own beside the journal, for a person to read.
   */
  private Future<Void> setAside(String text, String why) {
    LOG.error("A journal record could not be written to the database and was set aside in {}: {}", journal.setAsideFile(), why);
    metrics.journalSetAside();
    return vertx.executeBlocking(() -> {
      Path file = journal.setAsideFile();
      Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
      return null;
    }, false).<Void>mapEmpty().recover(e -> {
      LOG.error("Could not set the record aside either ({}); it is dropped: {}", e.toString(), text);
      return Future.succeededFuture();
    });
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void close() {
    closed = true;
    if (periodic != -1) {
      vertx.cancelTimer(periodic);
    }
    journal.close();
  }
}
