package dev.ringback.dialer;

import dev.ringback.app.Services;
import dev.ringback.domain.Presence;
import dev.ringback.store.DialStore;
import io.vertx.core.Future;

/** Reads the queue, the agents' presence and the lines that ring nobody of every business into their gauges. */
final class QueueGauges {
  private final Services services;

  QueueGauges(Services services) {
    this.services = services;
  }

  Future<Void> refresh() {
    return services.attempts().queue()
        .onSuccess(queues -> services.businesses().all().forEach(b -> {
          DialStore.Queue q = queues.getOrDefault(b.id(), DialStore.Queue.EMPTY);
          services.metrics().queue(b.slug(), q.counts(), q.oldestDue());
        }))
        .compose(v -> services.agents().countByPresence())
        .onSuccess(counts -> services.businesses().all().forEach(b ->
            services.metrics().agents(b.slug(), counts.getOrDefault(b.id(), Presence.NO_AGENTS))))
        .compose(v -> services.agents().checkLinesRingNobody(services.metrics()::ringsNobody))
        .mapEmpty();
  }
}
