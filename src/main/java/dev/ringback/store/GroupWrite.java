package dev.ringback.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes the way a database groups commits: an item that arrives while nothing is being written
 * is written at once; items that arrive while a write is under way wait for it, then go together
 * in one statement. No delay when writes are few, one round trip and one commit for many when
 * they come in bursts. Not thread-safe: each event loop has its own ({@link #onThisEventLoop}).
 *
 * @param <T> what is written
 * @param <R> what each item's writer learns: the write returns one per item, in order
 */
public final class GroupWrite<T, R> {
  /** Rows per statement at most: bounds the arrays sent, and one slow statement's share of the work. */
  static final int MAX_GROUP = 256;

  private record Waiting<T, R>(T item, Promise<R> written) {}

  private final Function<List<T>, Future<List<R>>> write;
  private List<Waiting<T, R>> waiting = new ArrayList<>();
  private boolean writing;

  /** @param write writes a group of items in one statement, answering one result per item, in order */
  public GroupWrite(Function<List<T>, Future<List<R>>> write) {
    this.write = write;
  }

  /**
   * The group writer {@code owner} keeps on the calling event loop, made on first use; empty
   * when not called on an event loop (the caller then writes the item alone).
   */
  static <T, R> Optional<GroupWrite<T, R>> onThisEventLoop(Object owner, Supplier<GroupWrite<T, R>> make) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      return Optional.empty();
    }
    // Context data is shared by the event loop's request contexts, so one writer serves them all.
    GroupWrite<T, R> writer = context.get(owner);
    if (writer == null) {
      writer = make.get();
      context.put(owner, writer);
    }
    return Optional.of(writer);
  }

  public Future<R> add(T item) {
    Promise<R> written = Promise.promise();
    waiting.add(new Waiting<>(item, written));
    if (!writing) {
      writeWaiting();
    }
    return written.future();
  }

  private void writeWaiting() {
    if (waiting.isEmpty()) {
      return;
    }
    List<Waiting<T, R>> group;
    if (waiting.size() <= MAX_GROUP) {
      group = waiting;
      waiting = new ArrayList<>();
    } else {
      group = new ArrayList<>(waiting.subList(0, MAX_GROUP));
      waiting = new ArrayList<>(waiting.subList(MAX_GROUP, waiting.size()));
    }
    writing = true;
    Future<List<R>> result;
    try {
      result = write.apply(group.stream().map(Waiting::item).toList());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      writing = false;
      for (int i = 0; i < group.size(); i++) {
        if (done.failed()) {
          group.get(i).written().fail(done.cause());
        } else {
          group.get(i).written().complete(done.result().get(i));
        }
      }
      writeWaiting();
    });
  }
}
