package dev.ringback.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Group commit: the first item goes alone at once, those that arrive meanwhile go together when
 * it is done, each learns its own result. The writes are completed by hand, so nothing waits.
 */
class GroupWriteTest {

  /** A write that answers "written:item" per item once the test completes it. */
  static final class Writes {
    final List<List<String>> groups = new ArrayList<>();
    final List<Promise<List<String>>> pending = new ArrayList<>();

    Future<List<String>> write(List<String> items) {
      groups.add(List.copyOf(items));
      Promise<List<String>> done = Promise.promise();
      pending.add(done);
      return done.future();
    }

    void succeed(int group) {
      pending.get(group).complete(groups.get(group).stream().map(item -> "written:" + item).toList());
    }
  }

  @Test
  void anItemArrivingWhileNothingIsWrittenGoesAtOnceAlone() {
    Writes writes = new Writes();
    GroupWrite<String, String> writer = new GroupWrite<>(writes::write);
    Future<String> a = writer.add("a");
    assertThat(writes.groups).containsExactly(List.of("a"));
    assertThat(a.isComplete()).isFalse();
    writes.succeed(0);
    assertThat(a.result()).isEqualTo("written:a");
    Future<String> b = writer.add("b");
    assertThat(writes.groups).as("the writer is idle again").containsExactly(List.of("a"), List.of("b"));
    writes.succeed(1);
    assertThat(b.result()).isEqualTo("written:b");
  }

  @Test
  void itemsArrivingDuringAWriteGoTogetherAfterItEachWithItsOwnResult() {
    Writes writes = new Writes();
    GroupWrite<String, String> writer = new GroupWrite<>(writes::write);
    Future<String> a = writer.add("a");
    Future<String> b = writer.add("b");
    Future<String> c = writer.add("c");
    assertThat(writes.groups).as("b and c wait").containsExactly(List.of("a"));
    writes.succeed(0);
    assertThat(writes.groups).containsExactly(List.of("a"), List.of("b", "c"));
    assertThat(b.isComplete()).isFalse();
    writes.succeed(1);
    assertThat(List.of(a.result(), b.result(), c.result())).containsExactly("written:a", "written:b", "written:c");
  }

  @Test
  void aFailedWriteFailsEveryItemOfItsGroupAndNoOther() {
    Writes writes = new Writes();
    GroupWrite<String, String> writer = new GroupWrite<>(writes::write);
    Future<String> a = writer.add("a");
    Future<String> b = writer.add("b");
    Future<String> c = writer.add("c");
    writes.succeed(0);
    Future<String> d = writer.add("d");
    RuntimeException down = new RuntimeException("database down");
    writes.pending.get(1).fail(down);
    assertThat(a.succeeded()).isTrue();
    assertThat(b.cause()).isSameAs(down);
    assertThat(c.cause()).isSameAs(down);
    assertThat(writes.groups).as("d waited for the failed write, then went").containsExactly(List.of("a"), List.of("b", "c"),
        List.of("d"));
    writes.succeed(2);
    assertThat(d.result()).isEqualTo("written:d");
  }

  @Test
  void aWriteThatThrowsFailsItsItemsAndDoesNotStopTheWriter() {
    List<List<String>> groups = new ArrayList<>();
    GroupWrite<String, String> writer = new GroupWrite<>(items -> {
      groups.add(items);
      if (items.contains("bad")) {
        throw new IllegalStateException("cannot bind");
      }
      return Future.succeededFuture(items.stream().map(item -> "written:" + item).toList());
    });
    Future<String> bad = writer.add("bad");
    assertThat(bad.cause()).isInstanceOf(IllegalStateException.class).hasMessage("cannot bind");
    assertThat(writer.add("good").result()).isEqualTo("written:good");
    assertThat(groups).containsExactly(List.of("bad"), List.of("good"));
  }

  @Test
  void aGroupHoldsAtMostMaxGroupItems() {
    Writes writes = new Writes();
    GroupWrite<String, String> writer = new GroupWrite<>(writes::write);
    List<Future<String>> written = IntStream.range(0, 1 + GroupWrite.MAX_GROUP + 10)
        .mapToObj(i -> writer.add("item" + i)).toList();
    writes.succeed(0);
    assertThat(writes.groups).hasSize(2);
    assertThat(writes.groups.get(1)).hasSize(256).startsWith("item1").endsWith("item256");
    writes.succeed(1);
    assertThat(writes.groups).hasSize(3);
    assertThat(writes.groups.get(2)).hasSize(10).startsWith("item257").endsWith("item266");
    writes.succeed(2);
    assertThat(written).allMatch(Future::succeeded);
    assertThat(written.get(266).result()).isEqualTo("written:item266");
  }

  @Test
  void eachEventLoopKeepsOneWriterWhichItsRequestContextsShare() throws Exception {
    Object owner = new Object();
    Supplier<GroupWrite<String, String>> make = () -> new GroupWrite<>(items -> Future.succeededFuture(items));
    assertThat(GroupWrite.onThisEventLoop(owner, make)).as("not on an event loop").isEmpty();
    Vertx vertx = Vertx.vertx();
    try {
      Context eventLoop = vertx.getOrCreateContext();
      assertThat(eventLoop.isEventLoopContext()).isTrue();
      GroupWrite<String, String> first = on(eventLoop, () -> GroupWrite.onThisEventLoop(owner, make)).orElseThrow();
      assertThat(on(eventLoop, () -> GroupWrite.onThisEventLoop(owner, make))).containsSame(first);
      // An HTTP request runs on a duplicate of its event loop's context.
      Context request = ((ContextInternal) eventLoop).duplicate();
      assertThat(on(request, () -> GroupWrite.onThisEventLoop(owner, make))).containsSame(first);
      assertThat(on(eventLoop, () -> GroupWrite.onThisEventLoop(new Object(), make)).orElseThrow()).as("another owner").isNotSameAs(first);
      Context worker = ((VertxInternal) vertx).createWorkerContext();
      assertThat(on(worker, () -> GroupWrite.onThisEventLoop(owner, make))).as("a worker writes alone").isEmpty();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  static <T> T on(Context context, Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }
}
