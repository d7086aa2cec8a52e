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
  private RebasedHttpClient http;

  public TwilioConnections(RingbackConfig.Twilio config) {
    this.config = config;
  }

  /**
   * On worker threads only, once per business's client: the first caller builds the HTTP client
   * (it loads the HTTP library) while the others wait.
   */
  synchronized RebasedHttpClient http() {
    if (http == null) {
      http = new RebasedHttpClient(config.apiUrl(), config.requestTimeoutSeconds());
    }
    return http;
  }
}
