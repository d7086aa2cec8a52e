package dev.ringback.dialer;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.CallEvent;
import dev.ringback.domain.CallStatus;
import dev.ringback.domain.LegKind;
import dev.ringback.store.DialStore;
import dev.ringback.telephony.CallProgress;
import dev.ringback.telephony.Telephony;
import io.vertx.core.Future;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles placed calls whose end was never reported: a status callback can be lost while this
 * server is down or unreachable, and without its end a callback would stay "dialing" for
 * ever. The call is looked up at the network and its end applied exactly as the status
 * callback would have applied it; a call still going on is looked at again later.
 */
final class StatusWatchdog {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWatchdog.class);

  private final Services services;
  private final int recheckSeconds;

  StatusWatchdog(Services services) {
    this.services = services;
    this.recheckSeconds = services.config().dialer().statusCheckSeconds();
  }

  /** One pass over the calls that are overdue now. */
  Future<Void> pass() {
    return services.attempts().claimUnfinished()
        .compose(unfinished -> Future.join(unfinished.stream().map(this::lookUp).toList()).mapEmpty());
  }

  private Future<Void> lookUp(DialStore.Unfinished u) {
    if (u.callSid() == null) {
      return Future.succeededFuture();
    }
    // The call was placed on its business's account, and is looked up there.
    Telephony telephony = services.businesses().byId(u.businessId()).map(Business::telephony).orElse(services.telephony());
    return telephony.fetchCall(u.callSid()).compose(found -> {
      Instant now = services.clock().instant();
      if (found.isEmpty()) {
        LOG.warn("callback #{}: the network does not know call {}; the attempt counts as failed", u.callbackId(), u.callSid());
        return apply(u, event(u.callSid(), CallStatus.FAILED, now, null, null), true);
      }
      CallProgress call = found.get();
      if (call.status() == null || !call.status().isFinal()) {
        LOG.info("callback #{}: call {} has not ended yet ({}); looking again in {} s", u.callbackId(), u.callSid(),
            call.status() == null ? "unknown status" : call.status().value(), recheckSeconds);
        return Future.succeededFuture();
      }
      Instant end = call.endTime() != null ? call.endTime() : now;
      LOG.info("callback #{}: call {} ended {} without telling us; applying it now", u.callbackId(), u.callSid(), call.status().value());
      // "completed" means it was answered: that is applied first so the outcome is right, but
      // the network gives no answer time, so it measures no ring-to-answer.
      Instant answer = call.durationSeconds() != null ? end.minusSeconds(call.durationSeconds()) : end;
      Future<Void> answered = call.status() == CallStatus.COMPLETED
          ? apply(u, event(u.callSid(), CallStatus.IN_PROGRESS, answer, null, call.answeredBy()), false)
          : Future.succeededFuture();
      return answered.compose(v -> apply(u, event(u.callSid(), call.status(), end, call.durationSeconds(), call.answeredBy()), true));
    });
  }

  private Future<Void> apply(DialStore.Unfinished u, CallEvent event, boolean timed) {
    return services.callEvents().settled(event, u.callbackId(), u.businessId(), timed, u.agentLeg() ? LegKind.AGENT_FIRST : LegKind.PLAIN);
  }

  private static CallEvent event(String callSid, CallStatus status, Instant at, Integer duration, String answeredBy) {
    return new CallEvent(callSid, null, status, at, null, "outbound-api", null, null, duration, answeredBy);
  }
}
