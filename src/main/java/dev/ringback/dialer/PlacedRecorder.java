package dev.ringback.dialer;

import dev.ringback.store.DialStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Records placed calls the way a database groups commits: a call placed while nothing is being
 * written is written at once; calls placed while a write is under way wait for it and then go
 * together in one statement. No delay when calls are few, one round trip for many when they
 * come in bursts. Used from the dispatcher's event loop only.
 */
final class PlacedRecorder {
  private record Waiting(DialStore.Placement placement, Promise<Void> recorded) {}

  private final DialStore store;
  private final String owner;
  private final int checkAfterSeconds;
  private List<Waiting> waiting = new ArrayList<>();
  private boolean writing;

  /** @param checkAfterSeconds when to look a call up if its end has not been reported by then */
  PlacedRecorder(DialStore store, String owner, int checkAfterSeconds) {
    this.store = store;
    this.owner = owner;
    this.checkAfterSeconds = checkAfterSeconds;
  }

  Future<Void> record(DialStore.Placement placement) {
    Promise<Void> recorded = Promise.promise();
    waiting.add(new Waiting(placement, recorded));
    if (!writing) {
      write();
    }
    return recorded.future();
  }

  private void write() {
    if (waiting.isEmpty()) {
      return;
    }
    List<Waiting> batch = waiting;
    waiting = new ArrayList<>();
    writing = true;
    store.placed(batch.stream().map(Waiting::placement).toList(), owner, checkAfterSeconds).onComplete(result -> {
      writing = false;
      batch.forEach(w -> w.recorded().handle(result));
      write();
    });
  }
}
