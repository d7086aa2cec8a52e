package dev.ringback.telephony;

import dev.ringback.config.RingbackConfig;

/**
 * One pool of HTTP connections to Twilio's API for every business's account. Each request carries
 * its own account's credentials in its Authorization header, so any connection serves any account:
 * a business's first call reuses an open connection (over TLS, a handshake saved) instead of
 * building a client and opening a connection of its own, and a business removed leaves no pool behind.
 */
public final class TwilioConnections {
  private final RingbackConfig.Twilio config;
  private volatile RebasedHttpClient http;

  public TwilioConnections(RingbackConfig.Twilio config) {
    this.config = config;
  }

  /** On worker threads only: the first caller builds the client (it loads the HTTP library) while the others wait. */
  RebasedHttpClient http() {
    RebasedHttpClient built = http;
    if (built == null) {
      synchronized (this) {
        if (http == null) {
          http = new RebasedHttpClient(config.apiUrl(), config.requestTimeoutSeconds());
        }
        built = http;
      }
    }
    return built;
  }
}
