package dev.ringback.telephony;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The boundary to the telephone network: Twilio's REST API, or the built-in simulator when
 * no Twilio credentials are configured. Futures complete on the caller's Vert.x context.
 */
public interface Telephony {

  /** Places an outbound call; fails with a {@link TelephonyException} that says whether to retry. */
  Future<PlacedCall> placeCall(OutboundCall call);

  /**
   * Calls placed from {@code from} to {@code to} since {@code since}: how an ambiguous request
   * (sent, but no answer came back) is settled before anyone redials.
   */
  Future<List<PlacedCall>> findCalls(String from, String to, Instant since);

  /** The call as the network sees it now; empty when it does not know the CallSid. */
  Future<Optional<CallProgress>> fetchCall(String callSid);

  /** Sends a text; fails with a TelephonyException that says whether to retry (AMBIGUOUS: it may have been sent). */
  Future<SentText> sendText(OutgoingText text);

  /**
   * Texts sent to {@code to} created since {@code since}, newest first: how a request that got no
   * answer is settled before sending again. Twilio's creation times are whole seconds of its own
   * clock: a caller that fears clock skew gives an earlier {@code since}.
   */
  Future<List<SentText>> findTexts(String to, Instant since);

  /**
   * Deletes a recording (its SID, RE...) from the account; succeeds when it is gone, also when
   * it was gone already. Fails with a {@link TelephonyException}.
   */
  Future<Void> deleteRecording(String recordingSid);

  /** The account the credentials open; fails with a TelephonyException (PERMANENT, error 20003, when they are wrong). */
  Future<TwilioAccountInfo> fetchAccount();

  /** The account's number {@code e164} (IncomingPhoneNumbers filtered by PhoneNumber); empty when the account has no such number. */
  Future<Optional<NumberSettings>> findNumber(String e164);

  /**
   * Sets the number's Voice URL, status callback and SMS URL, each with POST, clearing a Voice or
   * SMS application that would override them; answers the number as it is now. An unknown SID
   * fails PERMANENT (error 20404).
   */
  Future<NumberSettings> connectNumber(String numberSid, NumberWebhooks webhooks);

  /** How many of {@code wanted} requests may be sent now: fewer, or none, while the provider is failing. */
  default int admits(int wanted) {
    return wanted;
  }

  /** Why requests are held back, for /health; empty while all is well. */
  default Optional<String> degraded() {
    return Optional.empty();
  }

  /** "twilio" or "simulator", for logs and health. */
  String name();
}
