package dev.ringback.dialer;

import io.vertx.core.Future;

/**
 * The boundary to the telephone network: Twilio's REST API, or the built-in simulator when
 * no Twilio credentials are configured. Futures complete on the caller's Vert.x context.
 */
public interface Telephony {

  /** Places an outbound call; fails with a {@link TelephonyException} that says whether to retry. */
  Future<PlacedCall> placeCall(OutboundCall call);

  /** "twilio" or "simulator", for logs and health. */
  String name();
}
