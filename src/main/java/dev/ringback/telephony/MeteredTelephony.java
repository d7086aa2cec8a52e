package dev.ringback.telephony;

import dev.ringback.metrics.RingbackMetrics;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Counts every request to the telephony provider by operation and result, for the "API errors rising" alert. */
public final class MeteredTelephony implements Telephony {
  private final Telephony telephony;
  private final RingbackMetrics metrics;
  private final String business;

  /** @param business the slug of the business whose account this is, for the metrics' label */
  public MeteredTelephony(Telephony telephony, RingbackMetrics metrics, String business) {
    this.telephony = telephony;
    this.metrics = metrics;
    this.business = business;
  }

  @Override
  public Future<PlacedCall> placeCall(OutboundCall call) {
    return counted("create_call", telephony.placeCall(call));
  }

  @Override
  public Future<List<PlacedCall>> findCalls(String from, String to, Instant since) {
    return counted("list_calls", telephony.findCalls(from, to, since));
  }

  @Override
  public Future<Optional<CallProgress>> fetchCall(String callSid) {
    return counted("fetch_call", telephony.fetchCall(callSid));
  }

  @Override
  public Future<SentText> sendText(OutgoingText text) {
    return counted("create_message", telephony.sendText(text));
  }

  @Override
  public Future<List<SentText>> findTexts(String to, Instant since) {
    return counted("list_messages", telephony.findTexts(to, since));
  }

  @Override
  public Future<Void> deleteRecording(String recordingSid) {
    return counted("delete_recording", telephony.deleteRecording(recordingSid));
  }

  @Override
  public Future<TwilioAccountInfo> fetchAccount() {
    return counted("fetch_account", telephony.fetchAccount());
  }

  @Override
  public Future<Optional<NumberSettings>> findNumber(String e164) {
    return counted("list_numbers", telephony.findNumber(e164));
  }

  @Override
  public Future<NumberSettings> connectNumber(String numberSid, NumberWebhooks webhooks) {
    return counted("update_number", telephony.connectNumber(numberSid, webhooks));
  }

  @Override
  public int admits(int wanted) {
    return telephony.admits(wanted);
  }

  @Override
  public Optional<String> degraded() {
    return telephony.degraded();
  }

  @Override
  public String name() {
    return telephony.name();
  }

  private <T> Future<T> counted(String operation, Future<T> request) {
    return request.andThen(done -> metrics.twilioRequest(business, operation, done.succeeded() ? "ok"
        : done.cause() instanceof TelephonyException t ? t.kind().name().toLowerCase(Locale.ROOT) : "retryable"));
  }
}
