package dev.ringback.app;

import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.CallbackStore;
import dev.ringback.store.OrderStore;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.LongFunction;

/** A shop's new order: kept once per order, and called back on its line when it has a number to call. */
public final class Orders {
  private final OrderStore store;
  private final RingbackMetrics metrics;
  private final LongFunction<String> businessSlug;
  private final CallbackTexts texts;

  /**
   * @param businessSlug a business's slug by its id, for the metrics' labels
   * @param texts texts the buyer, when the line wants it
   */
  public Orders(OrderStore store, RingbackMetrics metrics, LongFunction<String> businessSlug, CallbackTexts texts) {
    this.texts = texts;
    this.store = store;
    this.metrics = metrics;
    this.businessSlug = businessSlug;
  }

  Future<OrderStore.Recorded> placed(Trigger.OrderPlaced t) {
    return store.record(t.businessId(), t.order(), Optional.ofNullable(t.phone()), t.lineId(), t.receivedAt()).onSuccess(recorded -> {
      metrics.order(businessSlug.apply(t.businessId()), t.order().source(), recorded.result());
      recorded.callback().filter(CallbackStore.Scheduled::created).ifPresent(c -> {
        metrics.callbackScheduled(c.business(), c.trigger(), c.line());
        texts.created(c);
      });
    });
  }
}
