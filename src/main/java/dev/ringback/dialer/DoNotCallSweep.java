package dev.ringback.dialer;

import dev.ringback.app.Services;
import dev.ringback.domain.AttemptOutcome;
import dev.ringback.store.DialStore;
import io.vertx.core.Future;

/** Cancels callbacks to numbers put on the do-not-call list after the callback was scheduled. */
final class DoNotCallSweep {
  private final Services services;
  private final DialStore store;

  DoNotCallSweep(Services services, DialStore store) {
    this.services = services;
    this.store = store;
  }

  Future<Void> run() {
    return store.cancelDoNotCall(services.clock().instant())
        .onSuccess(cancelled -> cancelled.forEach(c -> services.metrics().callbackFinished(c.business(), c.trigger(), c.line(),
            AttemptOutcome.CANCELLED)))
        .mapEmpty();
  }
}
