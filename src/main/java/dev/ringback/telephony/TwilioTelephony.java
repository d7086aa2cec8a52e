package dev.ringback.telephony;

import com.twilio.base.Page;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.Account;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageReader;
import com.twilio.rest.api.v2010.account.Recording;
import com.twilio.type.PhoneNumber;
import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.CallStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Places calls, sends texts and reads and connects the account's numbers through twilio-java.
 * Its REST calls block, so they run on a dedicated worker pool and their results come back on the
 * caller's context.
 */
public final class TwilioTelephony implements Telephony {
  /** Twilio error codes that no retry can fix: bad or unreachable numbers, missing permissions. */
  private static final Set<Integer> PERMANENT_CODES = Set.of(
      13223, 13224, 13225, 13226, 13227, 21201, 21210, 21211, 21212, 21213, 21214, 21215, 21216, 21217, 21218, 21219,
      21220, 21401, 21402, 21403, 21404, 21405, 21406, 21407, 21408, 21421, 21422, 21610);

  /** Pages of 50 that findTexts reads at most: settling looks back minutes, not through a number's history. */
  private static final int MAX_TEXT_PAGES = 4;

  private final WorkerExecutor workers;
  private final RingbackConfig.TwilioAccount account;
  private final TwilioConnections connections;
  /** Built on first use, on a worker thread: building it loads twilio-java, Jackson and an HTTP client. */
  private volatile TwilioRestClient client;

  public TwilioTelephony(Vertx vertx, RingbackConfig.Twilio config) {
    this(vertx, config, config.account(), new TwilioConnections(config));
  }

  /**
   * A business's own account: REST requests authenticate with its API key and secret when it has
   * them, else with its account SID and auth token. Every business shares the one worker pool and
   * the one pool of connections.
   */
  public TwilioTelephony(Vertx vertx, RingbackConfig.Twilio config, RingbackConfig.TwilioAccount account,
                         TwilioConnections connections) {
    this.workers = vertx.createSharedWorkerExecutor("twilio-rest", config.workerThreads());
    this.account = account;
    this.connections = connections;
  }

  /**
   * Builds twilio-java's client now, on the worker pool, so the first call does not wait for it.
   * Start-up calls this at its beginning, beside building the services: webhooks need no client, calls do.
   */
  public Future<Void> prepare() {
    return workers.executeBlocking(() -> {
      // The first call's answer is read here once, so the first order's dial does not load the JSON mapping.
      Call.fromJson("{\"sid\": \"CA00000000000000000000000000000000\", \"status\": \"queued\"}", client().getObjectMapper());
      return null;
    }, false);
  }

  /** On worker threads only: the first caller builds the client while the others wait for it. */
  private TwilioRestClient client() {
    TwilioRestClient built = client;
    if (built == null) {
      synchronized (this) {
        if (client == null) {
          client = client(account, connections);
        }
        built = client;
      }
    }
    return built;
  }

  /** twilio-java's client for the account, on the shared connections; the first one built loads twilio-java and Jackson. */
  private static TwilioRestClient client(RingbackConfig.TwilioAccount account, TwilioConnections connections) {
    return new TwilioRestClient.Builder(account.usesApiKey() ? account.apiKey() : account.accountSid(),
            account.usesApiKey() ? account.apiSecret() : account.authToken())
        .accountSid(account.accountSid())
        .httpClient(connections.http())
        .build();
  }

  @Override
  public String name() {
    return "twilio";
  }

  @Override
  public Future<PlacedCall> placeCall(OutboundCall call) {
    // Unordered: independent calls must not queue behind one slow request.
    return workers.executeBlocking(() -> create(call), false);
  }

  @Override
  public Future<List<PlacedCall>> findCalls(String from, String to, Instant since) {
    return workers.executeBlocking(() -> {
      try {
        List<PlacedCall> found = new ArrayList<>();
        // StartTime filters by day; the exact cut is made here, with a little slack for clock skew.
        Instant cut = since.minusSeconds(60);
        for (Call call : Call.reader().setTo(new PhoneNumber(to)).setFrom(new PhoneNumber(from))
            .setStartTimeAfter(since.minus(Duration.ofDays(1)).atZone(ZoneOffset.UTC)).setPageSize(50L).read(client())) {
          if (call.getDateCreated() == null || !call.getDateCreated().toInstant().isBefore(cut)) {
            found.add(new PlacedCall(call.getSid(), call.getStatus() == null ? null : call.getStatus().toString()));
          }
        }
        return found;
      } catch (ApiException e) {
        throw classify(e);
      }
    }, false);
  }

  @Override
  public Future<Optional<CallProgress>> fetchCall(String callSid) {
    return workers.executeBlocking(() -> {
      try {
        Call call = Call.fetcher(callSid).fetch(client());
        return Optional.of(new CallProgress(call.getSid(),
            call.getStatus() == null ? null : CallStatus.parse(call.getStatus().toString()).orElse(null),
            instant(call.getStartTime()), instant(call.getEndTime()), duration(call.getDuration()), call.getAnsweredBy()));
      } catch (ApiException e) {
        if (e.getStatusCode() != null && e.getStatusCode() == 404) {
          return Optional.<CallProgress>empty();
        }
        throw classify(e);
      }
    }, false);
  }

  @Override
  public Future<SentText> sendText(OutgoingText text) {
    return workers.executeBlocking(() -> {
      // Through a Messaging Service Twilio picks the sender from the service's numbers.
      var creator = text.messagingServiceSid() != null
          ? Message.creator(new PhoneNumber(text.to()), text.messagingServiceSid(), text.body())
          : Message.creator(new PhoneNumber(text.to()), new PhoneNumber(text.from()), text.body());
      if (text.statusCallback() != null) {
        creator.setStatusCallback(URI.create(text.statusCallback()));
      }
      try {
        return sentText(creator.create(client()));
      } catch (ApiException e) {
        throw classify(e);
      }
    }, false);
  }

  @Override
  public Future<List<SentText>> findTexts(String to, Instant since) {
    return workers.executeBlocking(() -> {
      try {
        List<SentText> found = new ArrayList<>();
        // Twilio lists newest first. A queued text has no DateSent yet, so that filter would miss
        // it: the cut is made here on date_created, which has whole seconds.
        Instant cut = since.truncatedTo(ChronoUnit.SECONDS);
        MessageReader reader = Message.reader().setTo(new PhoneNumber(to)).setPageSize(50L);
        Page<Message> page = reader.firstPage(client());
        for (int pages = 1; ; pages++) {
          for (Message message : page.getRecords()) {
            Instant created = instant(message.getDateCreated());
            if (created != null && created.isBefore(cut)) {
              return found;
            }
            found.add(sentText(message));
          }
          if (!page.hasNextPage() || pages >= MAX_TEXT_PAGES) {
            return found;
          }
          page = reader.nextPage(page, client());
        }
      } catch (ApiException e) {
        throw classify(e);
      }
    }, false);
  }

  private static SentText sentText(Message message) {
    return new SentText(message.getSid(), message.getFrom() == null ? null : message.getFrom().toString(), message.getTo(),
        message.getBody(), message.getStatus() == null ? null : message.getStatus().toString(), instant(message.getDateCreated()));
  }

  @Override
  public Future<Void> deleteRecording(String recordingSid) {
    return workers.executeBlocking(() -> {
      try {
        Recording.deleter(recordingSid).delete(client());
        return null;
      } catch (ApiException e) {
        if (e.getStatusCode() != null && e.getStatusCode() == 404) {
          return null; // deleted already
        }
        throw classify(e);
      }
    }, false);
  }

  @Override
  public Future<TwilioAccountInfo> fetchAccount() {
    return workers.executeBlocking(() -> {
      try {
        Account fetched = Account.fetcher(account.accountSid()).fetch(client());
        return new TwilioAccountInfo(fetched.getSid(), fetched.getFriendlyName(),
            fetched.getStatus() == null ? null : fetched.getStatus().toString());
      } catch (ApiException e) {
        throw classifySetUp(e);
      }
    }, false);
  }

  @Override
  public Future<Optional<NumberSettings>> findNumber(String e164) {
    return workers.executeBlocking(() -> {
      try {
        // PhoneNumber also matches longer numbers that contain it: only the number itself is kept.
        for (IncomingPhoneNumber number : IncomingPhoneNumber.reader().setPhoneNumber(new PhoneNumber(e164)).setPageSize(20L)
            .read(client())) {
          if (number.getPhoneNumber() != null && e164.equals(number.getPhoneNumber().toString())) {
            return Optional.of(settings(number));
          }
        }
        return Optional.<NumberSettings>empty();
      } catch (ApiException e) {
        throw classifySetUp(e);
      }
    }, false);
  }

  @Override
  public Future<NumberSettings> connectNumber(String numberSid, NumberWebhooks webhooks) {
    return workers.executeBlocking(() -> {
      try {
        // An application's URLs win over the number's own: an empty SID takes it off the number.
        return settings(IncomingPhoneNumber.updater(numberSid)
            .setVoiceUrl(URI.create(webhooks.voiceUrl())).setVoiceMethod(HttpMethod.POST)
            .setStatusCallback(URI.create(webhooks.statusCallback())).setStatusCallbackMethod(HttpMethod.POST)
            .setSmsUrl(URI.create(webhooks.smsUrl())).setSmsMethod(HttpMethod.POST)
            .setVoiceApplicationSid("").setSmsApplicationSid("")
            .update(client()));
      } catch (ApiException e) {
        throw classifySetUp(e);
      }
    }, false);
  }

  private static NumberSettings settings(IncomingPhoneNumber number) {
    return new NumberSettings(number.getSid(), number.getPhoneNumber() == null ? null : number.getPhoneNumber().toString(),
        setting(number.getVoiceUrl()), setting(number.getVoiceMethod()), setting(number.getStatusCallback()),
        setting(number.getStatusCallbackMethod()), setting(number.getSmsUrl()), setting(number.getSmsMethod()),
        setting(number.getVoiceApplicationSid()), setting(number.getSmsApplicationSid()));
  }

  /** Twilio answers a setting that is not set as null or as an empty string: both become null. */
  private static String setting(Object value) {
    return value == null || value.toString().isBlank() ? null : value.toString();
  }

  private static Instant instant(ZonedDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static Integer duration(String seconds) {
    try {
      return seconds == null || seconds.isBlank() ? null : Integer.valueOf(seconds.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private PlacedCall create(OutboundCall call) {
    var creator = Call.creator(new PhoneNumber(call.to()), new PhoneNumber(call.from()), URI.create(call.twimlUrl()))
        .setMethod(HttpMethod.POST)
        .setStatusCallback(URI.create(call.statusCallbackUrl()))
        .setStatusCallbackMethod(HttpMethod.POST)
        .setStatusCallbackEvent(OutboundCall.STATUS_EVENTS)
        .setTimeout(call.timeoutSeconds());
    if (call.machineDetection() != null) {
      creator.setMachineDetection(call.machineDetection());
    }
    try {
      Call created = creator.create(client());
      return new PlacedCall(created.getSid(), created.getStatus() == null ? null : created.getStatus().toString());
    } catch (ApiException e) {
      throw classify(e);
    }
  }

  /**
   * A set-up request's refusal is the answer the owner asked for: wrong credentials (401, error
   * 20003) and a key without permission (403) are PERMANENT here, where {@link #classify} keeps
   * them retryable so that calls go on once an operator fixes the account.
   */
  static TelephonyException classifySetUp(ApiException e) {
    TelephonyException classified = classify(e);
    Integer status = e.getStatusCode();
    if (status != null && (status == 401 || status == 403) && classified.kind() != TelephonyException.Kind.PERMANENT) {
      return new TelephonyException(TelephonyException.Kind.PERMANENT, classified.code(), classified.getMessage(), e);
    }
    return classified;
  }

  static TelephonyException classify(ApiException e) {
    Integer status = e.getStatusCode();
    Integer code = e.getCode();
    if (status == null) {
      Throwable cause = e.getCause();
      boolean neverSent = cause instanceof ConnectException || cause instanceof ConnectTimeoutException
          || cause instanceof HttpHostConnectException || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException;
      if (neverSent) {
        return new TelephonyException(TelephonyException.Kind.RETRYABLE, null, "cannot reach the Twilio API: " + e.getMessage(), e);
      }
      if (cause instanceof SocketTimeoutException || cause instanceof InterruptedIOException
          || cause instanceof NoHttpResponseException) {
        return new TelephonyException(TelephonyException.Kind.AMBIGUOUS, null, "no answer from the Twilio API: " + e.getMessage(), e);
      }
      return new TelephonyException(TelephonyException.Kind.AMBIGUOUS, null, "Twilio API request failed: " + e.getMessage(), e);
    }
    String message = "Twilio answered " + status + (code == null ? "" : " (error " + code + ")") + ": " + e.getMessage();
    if (code != null && PERMANENT_CODES.contains(code)) {
      return new TelephonyException(TelephonyException.Kind.PERMANENT, code, message, e);
    }
    if (status == 429 || status >= 500 || (code != null && code == 20429)) {
      return new TelephonyException(TelephonyException.Kind.RETRYABLE, code, message, e);
    }
    // Other 4xx (bad credentials, unknown account) cannot be fixed by redialling either,
    // but may be fixed by an operator: report them as retryable so nothing is thrown away.
    if (status == 400 || status == 404 || status == 422) {
      return new TelephonyException(TelephonyException.Kind.PERMANENT, code, message, e);
    }
    return new TelephonyException(TelephonyException.Kind.RETRYABLE, code, message, e);
  }
}
