package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.telephony.Telephony;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

/**
 * What the verticles share, built once at start-up. Nothing here holds mutable state:
 * state lives in PostgreSQL so several instances can serve one database.
 *
 * @param telephony the default business's telephony
 * @param adminTokenSha256 hash of the default business's admin bearer token, the server admin's
 * @param businesses every business served, the default one first
 * @param triggers where every webhook that may lead to a callback is written
 * @param agents the use cases the handlers and the dialler call, from here on: none of them reaches a store itself
 * @param instanceId this process's random id, on /health: the set-up check asks the public URL for it
 */
public record Services(
    RingbackConfig config,
    Clock clock,
    PhoneNumbers phoneNumbers,
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
    Attempts attempts,
    TextOutbox textOutbox,
    CallbackTexts callbackTexts,
    TextReplies textReplies,
    String instanceId) {

  /** An absolute URL on this server as Twilio and shops reach it. */
  public String publicUrl(String pathAndQuery) {
    return config.http().publicUrl() + pathAndQuery;
  }
}
