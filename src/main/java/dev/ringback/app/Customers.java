package dev.ringback.app;

import dev.ringback.domain.Customer;
import dev.ringback.store.CustomerStore;
import dev.ringback.store.DoNotCallStore;
import dev.ringback.store.TimelineStore;
import io.vertx.core.Future;
import java.util.Optional;

/** The business's customers, the numbers it must not call, and each customer's history. */
public final class Customers {
  private final CustomerStore store;
  private final DoNotCallStore doNotCall;
  private final TimelineStore timeline;
  private final Privacy privacy;

  public Customers(CustomerStore store, DoNotCallStore doNotCall, TimelineStore timeline, Privacy privacy) {
    this.store = store;
    this.doNotCall = doNotCall;
    this.timeline = timeline;
    this.privacy = privacy;
  }

  /** The customer a phone number (E.164) belongs to, if the business knows it. */
  public Future<Optional<Customer>> findByPhone(long businessId, String phone) {
    return store.findByPhone(businessId, phone);
  }
}
