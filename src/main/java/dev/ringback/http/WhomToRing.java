package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.Line;
import dev.ringback.domain.Ringing;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Reads the line's agents and their presence for {@link Ringing}, within the time a caller can wait for it. */
final class WhomToRing {
  /**
   * How long /twilio/voice waits for the caller's name and the agents' presence: the caller must
   * hear the greeting within 2 s however slow the database is (with the call's record, which has
   * the trigger deadline, this stays under it).
   */
  static final long LOOKUP_MILLIS = 500;

  private final Services services;

  WhomToRing(Services services) {
    this.services = services;
  }

  Future<Ringing> on(Business business, Line line) {
    return services.agents().ringing(business, line)
        .timeout(LOOKUP_MILLIS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture(Ringing.presenceUnknown(line.agents())));
  }
}
