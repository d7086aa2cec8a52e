package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.AgentStore;
import dev.ringback.store.CallStore;
import dev.ringback.store.CallbackStore;
import dev.ringback.store.CustomerStore;
import dev.ringback.store.DoNotCallStore;
import dev.ringback.store.FeedbackStore;
import dev.ringback.store.OrderStore;
import dev.ringback.store.TaskStore;
import dev.ringback.store.TimelineStore;
import dev.ringback.telephony.Telephony;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * What the verticles share, built once at start-up. Nothing here holds mutable state:
 * state lives in PostgreSQL so several instances can serve one database.
 *
 * @param telephony the default business's telephony
 * @param adminTokenSha256 hash of the default business's admin bearer token, the server admin's
 * @param businesses every business served, the default one first
 * @param triggers where every webhook that may lead to a callback is written
 */
public record Services(
    RingbackConfig config,
    Clock clock,
    Pool pool,
    PhoneNumbers phoneNumbers,
    CustomerStore customerStore,
    CallStore callStore,
    CallbackStore callbackStore,
    OrderStore orderStore,
    AgentStore agentStore,
    TaskStore taskStore,
    TimelineStore timelineStore,
    DoNotCallStore doNotCallStore,
    FeedbackStore feedbackStore,
    RingbackMetrics metrics,
    PrometheusMeterRegistry registry,
    Telephony telephony,
    byte[] adminTokenSha256,
    Businesses businesses,
    Triggers triggers,
    Agents agents,
    Tasks tasks,
    Customers customers,
    Feedback feedback,
    Reports reports,
    CallEvents callEvents,
    Callbacks callbacks,
    Orders orders,
    Attempts attempts) {

  /** An absolute URL on this server as Twilio and shops reach it. */
  public String publicUrl(String pathAndQuery) {
    return config.http().publicUrl() + pathAndQuery;
  }
}
