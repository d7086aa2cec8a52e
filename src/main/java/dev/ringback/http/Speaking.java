package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Line;
import dev.ringback.domain.Speech;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The language an answer to Twilio is spoken in: the customer's, else the line's, else the business's first line's. */
final class Speaking {
  private static final Logger LOG = LoggerFactory.getLogger(Speaking.class);

  private Speaking() {}

  static Speech on(Services services, Line line, Optional<Customer> customer) {
    return Speech.on(services.config().catalogs(), line, customer.map(Customer::language));
  }

  static Speech on(Services services, Line line) {
    return on(services, line, Optional.empty());
  }

  /**
   * How the caller on {@code line} is spoken to, once the business's record of them (their
   * language) is looked up; a slow or failed lookup falls back to the line's language.
   */
  static Future<Speech> forCaller(Services services, Business business, Optional<Line> line, Optional<String> phone) {
    if (line.isEmpty()) {
      return Future.succeededFuture(ofBusiness(services, business));
    }
    return customer(services, business, phone).map(customer -> on(services, line.get(), customer));
  }

  /**
   * The caller, if the business knows them: to speak to them by name, in their language. A caller
   * must never be cut off or kept waiting because the database is slow or down: a lookup that
   * fails or takes longer than {@link WhomToRing#LOOKUP_MILLIS} finds nobody.
   */
  static Future<Optional<Customer>> customer(Services services, Business business, Optional<String> phone) {
    return withinTheWait(phone.map(p -> services.customers().findByPhone(business.id(), p))
        .orElse(Future.succeededFuture(Optional.empty())));
  }

  /** The customer on a call ({@code callSid}) or its callback, looked up within the same wait as {@link #customer}. */
  static Future<Optional<Customer>> onCall(Services services, Business business, String callSid, Long callbackId) {
    return withinTheWait(services.customers().onCall(business.id(), callSid, callbackId));
  }

  private static Future<Optional<Customer>> withinTheWait(Future<Optional<Customer>> lookup) {
    return lookup.timeout(WhomToRing.LOOKUP_MILLIS, TimeUnit.MILLISECONDS)
        .recover(e -> {
          // The database's trouble is logged where it is noticed first.
          LOG.debug("customer lookup failed, spoken to without a name: {}", e.getMessage());
          return Future.succeededFuture(Optional.empty());
        });
  }

  /** A call that is on none of the business's lines (a number no longer configured, a request that failed). */
  static Speech ofBusiness(Services services, Business business) {
    return business.lines().isEmpty() ? Speech.plain(services.config().catalogs().reference()) : on(services, business.lines().get(0));
  }

  /** An answer to a request whose business is not known yet, or is known from the request. */
  static Speech ofRequest(Services services, RoutingContext ctx) {
    Business business = ctx.get(TwilioGuard.BUSINESS);
    return business == null ? Speech.plain(services.config().catalogs().reference()) : ofBusiness(services, business);
  }
}
