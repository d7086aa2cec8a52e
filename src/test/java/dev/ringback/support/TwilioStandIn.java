package dev.ringback.support;

import dev.ringback.domain.SmsSegments;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A local stand-in for Twilio's REST API ({@code https://api.twilio.com}), answering the Call
 * resource of API version 2010-04-01 the way Twilio's OpenAPI description
 * ({@code twilio_api_v2010.json}, {@code api.v2010.account.call}) documents it:
 * <ul>
 *   <li>{@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json} creates a call: 201 and the
 *       call resource, status {@code queued}, direction {@code outbound-api};</li>
 *   <li>{@code GET /2010-04-01/Accounts/{AccountSid}/Calls.json} lists calls, newest first,
 *       filtered by {@code To}, {@code From}, {@code Status}, {@code ParentCallSid},
 *       {@code StartTime}, {@code StartTime>}, {@code StartTime<} (sent as
 *       {@code StartTime>=2024-01-31} or {@code StartTime%3E=2024-01-31}), paged by
 *       {@code PageSize} and {@code Page};</li>
 *   <li>{@code GET /2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json} fetches one call;</li>
 *   <li>{@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} sends a text ({@code api.v2010.account.message},
 *       CreateMessage): 201 and the message resource, status {@code queued}, or {@code accepted} with no
 *       {@code from} yet when sent through a Messaging Service (the sender is one of the service's numbers,
 *       {@link #messagingServiceSender}, once the text moves on);</li>
 *   <li>{@code GET /2010-04-01/Accounts/{AccountSid}/Messages.json} lists texts (ListMessage), newest first,
 *       filtered by {@code To}, {@code From}, {@code DateSent}, {@code DateSent<}, {@code DateSent>} (on
 *       {@code date_sent}, which a text has once sent), paged by {@code PageSize}, {@code Page} and
 *       {@code PageToken};</li>
 *   <li>{@code GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json} fetches one text (FetchMessage);</li>
 *   <li>{@code GET /2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.mp3} (or {@code .wav}, or no extension: WAV)
 *       fetches a recording's media ({@code api.v2010.account.recording}, "Fetch a Recording media file"),
 *       with HTTP Basic credentials, as when the account enforces HTTP auth on media URLs; a recording
 *       of another account is not found. Recordings are added with {@link #addRecording}; with
 *       {@link #redirectMedia} the stand-in answers 302 to a short-lived URL of its own instead, as
 *       Twilio may.</li>
 *   <li>{@code DELETE /2010-04-01/Accounts/{AccountSid}/Recordings/{Sid}.json} deletes a recording
 *       ({@code api.v2010.account.recording}): 204 with no body, or 404 (error 20404) when the
 *       account has no such recording.</li>
 *   <li>{@code GET /2010-04-01/Accounts/{Sid}.json} fetches the account (FetchAccount): {@code status}
 *       {@code active}, {@code type} {@code Full}, its {@code subresource_uris}, and {@code auth_token}
 *       null (Twilio's answer carries the secret; the stand-in does not echo it).</li>
 *   <li>{@code GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json} lists the account's phone
 *       numbers (ListIncomingPhoneNumber), oldest first, filtered by {@code PhoneNumber} (part of a number,
 *       {@code *} for any digit) and {@code FriendlyName}; numbers are added with {@link #addNumber};</li>
 *   <li>{@code GET} and {@code POST /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json}
 *       fetch a number and update the fields sent (FetchIncomingPhoneNumber, UpdateIncomingPhoneNumber),
 *       or answer 404 (error 20404) when the account has no such number.</li>
 * </ul>
 * Every request needs HTTP Basic credentials {@code accountSid:authToken} (or {@code apiKeySid:apiKeySecret}
 * of a key of that account, {@link #addApiKey}), and the path's AccountSid must be that account;
 * otherwise 401 with Twilio error 20003. More accounts can be added ({@link #addAccount}): each
 * sees only its own calls. Errors have Twilio's
 * shape: {@code {"code":21211,"message":"...","more_info":"https://www.twilio.com/docs/errors/21211","status":400}}.
 *
 * <p>Faults for the next call creations are queued with {@link #failNext} and {@link #hangNext}, for
 * the next text creations with {@link #failNextMessage} and {@link #hangNextMessage}, for the next
 * number updates with {@link #failNextNumberUpdate}.
 * A queued call has no {@code start_time} yet (Twilio fills it once the call is dialled), so the
 * {@code StartTime} filters compare a call's {@code start_time}, or its {@code date_created}
 * while it has none: a call created just before a reconciliation query is found by it.
 */
public final class TwilioStandIn implements AutoCloseable {
  public static final String API_VERSION = "2010-04-01";

  /** RFC 2822, as Twilio writes every date: {@code Tue, 31 Aug 2010 20:36:28 +0000}. */
  public static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  /** A date-time as some of Twilio's own examples send it: {@code 2019-06-11 22:05:25.000}. */
  private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]", Locale.US);

  /** An account's own resource ({@code .../Accounts/{Sid}.json}) or one beneath it. */
  private static final Pattern ACCOUNT_PATH = Pattern.compile("^/2010-04-01/Accounts/([^/.]+)(\\.json|/.*)?$");
  private static final Pattern CALLS = Pattern.compile("^/Calls\\.json$");
  private static final Pattern CALL = Pattern.compile("^/Calls/([^/]+)\\.json$");
  private static final Pattern MESSAGES = Pattern.compile("^/Messages\\.json$");
  private static final Pattern MESSAGE = Pattern.compile("^/Messages/([^/]+)\\.json$");
  private static final Pattern MESSAGE_CREATION = Pattern.compile("^/2010-04-01/Accounts/[^/]+/Messages\\.json$");
  private static final Pattern RECORDING = Pattern.compile("^/Recordings/(RE[0-9a-fA-F]{32})(\\.mp3|\\.wav)?$");
  private static final Pattern RECORDING_RESOURCE = Pattern.compile("^/Recordings/(RE[0-9a-fA-F]{32})\\.json$");
  private static final Pattern SIGNED_MEDIA = Pattern.compile("^/media/(RE[0-9a-fA-F]{32})\\.(mp3|wav)$");
  private static final Pattern NUMBERS = Pattern.compile("^/IncomingPhoneNumbers\\.json$");
  private static final Pattern NUMBER = Pattern.compile("^/IncomingPhoneNumbers/([^/]+)\\.json$");
  private static final Pattern NUMBER_UPDATE = Pattern.compile("^/2010-04-01/Accounts/[^/]+/IncomingPhoneNumbers/[^/]+\\.json$");
  private static final Pattern APPLICATION_SID = Pattern.compile("^AP[0-9a-fA-F]{32}$");
  private static final Pattern CALL_CREATION = Pattern.compile("^/2010-04-01/Accounts/[^/]+/Calls\\.json$");
  private static final Pattern NANP = Pattern.compile("^\\+1([2-9]\\d{2})([2-9]\\d{2})(\\d{4})$");
  private static final List<String> SUBRESOURCES = List.of("notifications:Notifications", "recordings:Recordings",
      "payments:Payments", "events:Events", "siprec:Siprec", "streams:Streams", "transcriptions:Transcriptions",
      "user_defined_message_subscriptions:UserDefinedMessageSubscriptions",
      "user_defined_messages:UserDefinedMessages");
  /** The Account resource's subresources, as FetchAccount's example in {@code twilio_api_v2010.json} lists them. */
  private static final List<String> ACCOUNT_SUBRESOURCES = List.of("available_phone_numbers:AvailablePhoneNumbers", "calls:Calls",
      "conferences:Conferences", "incoming_phone_numbers:IncomingPhoneNumbers", "notifications:Notifications",
      "outgoing_caller_ids:OutgoingCallerIds", "recordings:Recordings", "transcriptions:Transcriptions", "addresses:Addresses",
      "signing_keys:SigningKeys", "connect_apps:ConnectApps", "sip:SIP", "authorized_connect_apps:AuthorizedConnectApps",
      "usage:Usage", "keys:Keys", "applications:Applications", "short_codes:SMS/ShortCodes", "queues:Queues",
      "messages:Messages", "balance:Balance");
  /** UpdateIncomingPhoneNumber's form parameters and the fields of the resource they set (VoiceCallerIdLookup apart). */
  private static final Map<String, String> NUMBER_FIELDS = Map.ofEntries(
      Map.entry("ApiVersion", "api_version"), Map.entry("FriendlyName", "friendly_name"),
      Map.entry("SmsApplicationSid", "sms_application_sid"), Map.entry("SmsFallbackMethod", "sms_fallback_method"),
      Map.entry("SmsFallbackUrl", "sms_fallback_url"), Map.entry("SmsMethod", "sms_method"), Map.entry("SmsUrl", "sms_url"),
      Map.entry("StatusCallback", "status_callback"), Map.entry("StatusCallbackMethod", "status_callback_method"),
      Map.entry("VoiceApplicationSid", "voice_application_sid"), Map.entry("VoiceFallbackMethod", "voice_fallback_method"),
      Map.entry("VoiceFallbackUrl", "voice_fallback_url"), Map.entry("VoiceMethod", "voice_method"), Map.entry("VoiceUrl", "voice_url"),
      Map.entry("EmergencyStatus", "emergency_status"), Map.entry("EmergencyAddressSid", "emergency_address_sid"),
      Map.entry("TrunkSid", "trunk_sid"), Map.entry("VoiceReceiveMode", "voice_receive_mode"), Map.entry("IdentitySid", "identity_sid"),
      Map.entry("AddressSid", "address_sid"), Map.entry("BundleSid", "bundle_sid"));
  private static final List<String> NUMBER_METHODS = List.of("SmsFallbackMethod", "SmsMethod", "StatusCallbackMethod",
      "VoiceFallbackMethod", "VoiceMethod");
  private static final Set<String> PAGING = Set.of("Page", "PageSize", "PageToken");
  private static final long TIMEOUT_SECONDS = 10;
  /** The number a Messaging Service sends from unless a test names another. */
  public static final String DEFAULT_SERVICE_SENDER = "+15017122661";
  /** Statuses of a text that has left Twilio: it then has a {@code date_sent}. */
  private static final Set<String> SENT = Set.of("sent", "delivered", "undelivered", "read", "partially_delivered");

  /**
   * One HTTP request as the stand-in received it; {@code query} its decoded query string;
   * {@code connection} the client's address and port, the same for requests on one connection.
   */
  public record RecordedRequest(Instant receivedAt, String method, String path, Map<String, List<String>> form,
                                Map<String, String> headers, Map<String, List<String>> query, String connection) {

    /** The first value of a form parameter, or null. */
    public String param(String name) {
      List<String> values = form.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a form parameter, in the order sent; empty when absent. */
    public List<String> params(String name) {
      return form.getOrDefault(name, List.of());
    }

    /** A request header (case-insensitive name), repeated values joined by ", "; or null. */
    public String header(String name) {
      return headers.get(name);
    }

    /** The AccountSid of the request's path, or null. */
    public String accountSid() {
      Matcher m = ACCOUNT_PATH.matcher(path);
      return m.matches() ? m.group(1) : null;
    }

    /** The user name of the request's HTTP Basic credentials (an account SID or an API key SID), or null. */
    public String basicUser() {
      String auth = header("Authorization");
      if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
        return null;
      }
      String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
      return decoded.contains(":") ? decoded.substring(0, decoded.indexOf(':')) : decoded;
    }

    /** The password of the request's HTTP Basic credentials, or null. */
    public String basicPassword() {
      String auth = header("Authorization");
      if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
        return null;
      }
      String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
      return decoded.contains(":") ? decoded.substring(decoded.indexOf(':') + 1) : null;
    }
  }

  private record Fault(int status, int code, String message, boolean hang) {}

  /** A recording's media; {@code failure} answers every fetch with that Twilio error instead. */
  private record StoredRecording(String account, byte[] media, Fault failure) {}

  /** A created call: its resource and the instant used by the StartTime filters. */
  private record StoredCall(JsonObject resource, Instant created) {
    String account() {
      return resource.getString("account_sid");
    }
  }

  /** A created text: its resource, and its place in the order of creation (lists are newest first). */
  private record StoredMessage(JsonObject resource, long sequence) {
    String account() {
      return resource.getString("account_sid");
    }
  }

  /** A phone number of an account: its resource, and its place in the order numbers were added (lists are oldest first). */
  private record StoredNumber(JsonObject resource, long sequence) {
    String account() {
      return resource.getString("account_sid");
    }
  }

  /** Where a list page starts. */
  private record Paging(int page, int pageSize) {}

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final String accountSid;
  /** Every account: SID to auth token. */
  private final Map<String, String> accounts = new ConcurrentHashMap<>();
  /** API keys: key SID to its account and secret. */
  private final Map<String, String[]> apiKeys = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  /** Appended by the server, read as snapshots: a copy-on-write list would copy it on every request. */
  private final List<RecordedRequest> requests = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private final List<RecordedRequest> creations = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final Map<String, StoredCall> calls = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Fault> messageFaults = new ConcurrentLinkedQueue<>();
  /** Faults for the next texts to one number, before the queue for any number: other texts may be sent meanwhile. */
  private final Map<String, ConcurrentLinkedQueue<Fault>> messageFaultsTo = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Fault> listFaults = new ConcurrentLinkedQueue<>();
  private final Map<String, StoredMessage> messages = new ConcurrentHashMap<>();
  private final AtomicLong messageSequence = new AtomicLong();
  private volatile String serviceSender = DEFAULT_SERVICE_SENDER;
  /** Phone numbers by SID. */
  private final Map<String, StoredNumber> numbers = new ConcurrentHashMap<>();
  private final AtomicLong numberSequence = new AtomicLong();
  private final ConcurrentLinkedQueue<Fault> numberFaults = new ConcurrentLinkedQueue<>();
  /** When every account was created, as its resource says. */
  private final Instant accountsCreated = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Set<HttpConnection> hung = ConcurrentHashMap.newKeySet();
  /** Recording SID to its media. */
  private final Map<String, StoredRecording> recordings = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Fault> recordingFaults = new ConcurrentLinkedQueue<>();
  /** One-time tokens of the short-lived media URLs handed out by redirects. */
  private final Set<String> mediaTokens = ConcurrentHashMap.newKeySet();
  /** Where media fetches are redirected: null, answered at once; "" the stand-in itself; else that origin. */
  private volatile String redirectMedia;
  /** While set, media is sent in two halves, the second once it completes. */
  private volatile io.vertx.core.Promise<Void> mediaHeld;
  private volatile HttpServer server;
  private volatile boolean closed;

  public TwilioStandIn(Vertx vertx, String accountSid, String authToken) {
    this(vertx, false, accountSid, authToken);
  }

  private TwilioStandIn(Vertx vertx, boolean ownsVertx, String accountSid, String authToken) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.accountSid = accountSid;
    accounts.put(accountSid, authToken);
  }

  /** Another account on the same stand-in, with its own calls. */
  public TwilioStandIn addAccount(String sid, String token) {
    accounts.put(sid, token);
    return this;
  }

  /** An API key of an account: {@code keySid:keySecret} then authenticates that account's requests. */
  public TwilioStandIn addApiKey(String account, String keySid, String keySecret) {
    apiKeys.put(keySid, new String[] {account, keySecret});
    return this;
  }

  /**
   * A recording of an account, with this media (served as given, whatever the extension asks
   * for); returns its URL as Twilio's {@code RecordingUrl} gives it, on {@code api.twilio.com}.
   */
  public String addRecording(String account, String recordingSid, byte[] media) {
    recordings.put(recordingSid, new StoredRecording(account, media.clone(), null));
    return "https://api.twilio.com/" + API_VERSION + "/Accounts/" + account + "/Recordings/" + recordingSid;
  }

  /** A recording the account holds, as a call with {@code <Record>} would have left it, with no media to speak of. */
  public String addRecording(String account, String recordingSid) {
    return addRecording(account, recordingSid, new byte[0]);
  }

  /** Whether the account still holds the recording. */
  public boolean hasRecording(String account, String recordingSid) {
    StoredRecording recording = recordings.get(recordingSid);
    return recording != null && recording.account().equals(account);
  }

  /** The next recording deletion is answered with this Twilio error instead (after the credentials check). */
  public TwilioStandIn failNextRecordingDeletion(int httpStatus, int twilioCode, String message) {
    recordingFaults.add(new Fault(httpStatus, twilioCode, message, false));
    return this;
  }

  /** Every DELETE of a Recording resource, whatever it was answered. */
  public List<RecordedRequest> recordingDeletions() {
    return requests().stream().filter(r -> r.method().equals("DELETE") && r.path().contains("/Recordings/")).toList();
  }

  /** Every fetch of the recording's media is answered with this Twilio error (after the credentials check). */
  public TwilioStandIn failRecording(String recordingSid, int httpStatus, int twilioCode, String message) {
    recordings.computeIfPresent(recordingSid, (sid, r) -> new StoredRecording(r.account(), r.media(), new Fault(httpStatus, twilioCode,
        message, false)));
    return this;
  }

  /**
   * A media fetch is answered 302 to {@code origin + "/media/..."}: "" is the stand-in itself,
   * which serves the media once there without credentials (as Twilio's short-lived storage URLs
   * do); null answers the media at once again.
   */
  public TwilioStandIn redirectMedia(String origin) {
    redirectMedia = origin;
    return this;
  }

  /** From now on media is sent in two halves: the first at once, the second once {@link #releaseMedia} is called. */
  public TwilioStandIn holdMedia() {
    mediaHeld = io.vertx.core.Promise.promise();
    return this;
  }

  /** Sends the second halves held back, and sends media whole again. */
  public void releaseMedia() {
    io.vertx.core.Promise<Void> held = mediaHeld;
    mediaHeld = null;
    if (held != null) {
      held.tryComplete();
    }
  }

  /** Every request for a recording's media, redirected ones included. */
  public List<RecordedRequest> mediaRequests() {
    return requests().stream().filter(r -> r.path().contains("/Recordings/") || r.path().startsWith("/media/")).toList();
  }

  /** Starts on its own Vert.x instance, closed by {@link #close()}; returns once listening. */
  public static TwilioStandIn start(String accountSid, String authToken) {
    TwilioStandIn standIn = new TwilioStandIn(Vertx.vertx(), true, accountSid, authToken);
    try {
      return standIn.listen();
    } catch (RuntimeException e) {
      standIn.close();
      throw e;
    }
  }

  /** Starts on the given Vert.x instance, left open by {@link #close()}; returns once listening. */
  public static TwilioStandIn start(Vertx vertx, String accountSid, String authToken) {
    return new TwilioStandIn(vertx, accountSid, authToken).listen();
  }

  /** Listens on a random port of 127.0.0.1; blocks until listening. */
  public TwilioStandIn listen() {
    server = await(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
    return this;
  }

  /** Where the stand-in listens, e.g. {@code http://127.0.0.1:40123}: the client's Twilio API URL. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  public String accountSid() {
    return accountSid;
  }

  /** The next call creation is answered with this Twilio error instead (after the credentials check). */
  public TwilioStandIn failNext(int httpStatus, int twilioCode, String message) {
    faults.add(new Fault(httpStatus, twilioCode, message, false));
    return this;
  }

  /**
   * The next call creation is accepted, recorded and carried out (the call exists and is listed)
   * but never answered: the client can only time out, not knowing whether the call was placed.
   */
  public TwilioStandIn hangNext() {
    faults.add(new Fault(0, 0, null, true));
    return this;
  }

  /** The next text to {@code to} is answered with this Twilio error instead, whatever other texts are sent meanwhile. */
  public TwilioStandIn failNextMessageTo(String to, int httpStatus, int twilioCode, String message) {
    messageFaultsTo.computeIfAbsent(to, k -> new ConcurrentLinkedQueue<>()).add(new Fault(httpStatus, twilioCode, message, false));
    return this;
  }

  /** The next text to {@code to} is stored but never answered ({@link #hangNextMessage}), whatever other texts are sent meanwhile. */
  public TwilioStandIn hangNextMessageTo(String to) {
    messageFaultsTo.computeIfAbsent(to, k -> new ConcurrentLinkedQueue<>()).add(new Fault(0, 0, null, true));
    return this;
  }

  /** The next text creation is answered with this Twilio error instead (after the credentials check). */
  public TwilioStandIn failNextMessage(int httpStatus, int twilioCode, String message) {
    messageFaults.add(new Fault(httpStatus, twilioCode, message, false));
    return this;
  }

  /** The next list of texts is answered with this Twilio error instead (after the credentials check). */
  public TwilioStandIn failNextList(int httpStatus, int twilioCode, String message) {
    listFaults.add(new Fault(httpStatus, twilioCode, message, false));
    return this;
  }

  /**
   * The next text creation is accepted and the text stored (it is listed and fetched) but never
   * answered: the client can only time out, not knowing whether the text was sent.
   */
  public TwilioStandIn hangNextMessage() {
    messageFaults.add(new Fault(0, 0, null, true));
    return this;
  }

  /** The number a Messaging Service sends from, once a text sent through it moves on. */
  public TwilioStandIn messagingServiceSender(String number) {
    serviceSender = number;
    return this;
  }

  /**
   * A phone number of the account, as bought in Twilio's console: its calls and texts go nowhere
   * yet (no URLs, no applications). Returns its SID.
   */
  public String addNumber(String account, String e164) {
    String sid = "PN" + hex(16);
    numbers.put(sid, new StoredNumber(newNumber(account, sid, e164, Instant.now()), numberSequence.incrementAndGet()));
    return sid;
  }

  /** The number's resource as Twilio would return it now (a copy), or null when there is no such number. */
  public JsonObject numberSettings(String sid) {
    StoredNumber stored = numbers.get(sid);
    return stored == null ? null : stored.resource().copy();
  }

  /** Sets fields of the number's resource as the owner would in Twilio's console, e.g. a {@code voice_application_sid}. */
  public TwilioStandIn configureNumber(String sid, JsonObject fields) {
    StoredNumber changed = numbers.computeIfPresent(sid, (key, stored) ->
        new StoredNumber(stored.resource().copy().mergeIn(fields), stored.sequence()));
    if (changed == null) {
      throw new IllegalArgumentException("no number " + sid + " was added");
    }
    return this;
  }

  /** Every POST to a number ({@code .../IncomingPhoneNumbers/{Sid}.json}), whatever it was answered. */
  public List<RecordedRequest> numberUpdates() {
    return requests().stream().filter(r -> r.method().equals("POST") && NUMBER_UPDATE.matcher(r.path()).matches()).toList();
  }

  /** The next number update is answered with this Twilio error instead (after the credentials check). */
  public TwilioStandIn failNextNumberUpdate(int httpStatus, int twilioCode, String message) {
    numberFaults.add(new Fault(httpStatus, twilioCode, message, false));
    return this;
  }

  /** The texts created so far, as Twilio would return them, oldest first. */
  public List<JsonObject> messages() {
    return messages.values().stream().sorted(Comparator.comparingLong(StoredMessage::sequence))
        .map(m -> m.resource().copy()).toList();
  }

  /** Waits until at least {@code n} text creations arrived; returns the n-th. Fails after the deadline. */
  public RecordedRequest awaitMessageCreations(int n, Duration deadline) {
    return awaitRequests(TwilioStandIn::isMessageCreation, n, deadline);
  }

  /**
   * Moves a created text on, as the network would: its status and error code (null: none). A text
   * that leaves Twilio gets its {@code date_sent}, and one sent through a Messaging Service its
   * sender. Status callbacks are the test's business.
   */
  public void setMessageStatus(String sid, String status, Integer errorCode) {
    StoredMessage moved = messages.computeIfPresent(sid, (key, stored) -> {
      String now = RFC_2822.format(Instant.now());
      JsonObject resource = stored.resource().copy()
          .put("status", status)
          .put("error_code", errorCode)
          .put("date_updated", now);
      if (resource.getString("date_sent") == null && SENT.contains(status)) {
        resource.put("date_sent", now);
      }
      if (resource.getString("from") == null && !status.equals("accepted") && !status.equals("scheduled")) {
        resource.put("from", serviceSender);
      }
      return new StoredMessage(resource, stored.sequence());
    });
    if (moved == null) {
      throw new IllegalArgumentException("no text " + sid + " was created");
    }
  }

  /** Every request received, in order of arrival. */
  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Every POST to {@code .../Calls.json}, whatever it was answered. */
  public List<RecordedRequest> callCreations() {
    synchronized (creations) {
      return List.copyOf(creations);
    }
  }

  /** How many call creations arrived, without copying them. */
  public int callCreationCount() {
    return creations.size();
  }

  /** Waits until at least {@code n} call creations arrived; returns the n-th. Fails after the deadline. */
  public RecordedRequest awaitCallCreations(int n, Duration deadline) {
    return awaitRequests(TwilioStandIn::isCallCreation, n, deadline);
  }

  /** Waits until at least {@code n} received requests match; returns the n-th match. Fails after the deadline. */
  public RecordedRequest awaitRequests(Predicate<RecordedRequest> matching, int n, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      List<RecordedRequest> matches = requests().stream().filter(matching).toList();
      if (matches.size() >= n) {
        return matches.get(n - 1);
      }
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("expected " + n + " matching requests within " + deadline + ", received "
            + matches.size() + " of " + requests.size() + ": " + requests());
      }
      synchronized (requests) {
        try {
          requests.wait(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for requests", e);
        }
      }
    }
  }

  /** The calls created so far, as Twilio would return them, oldest first. */
  public List<JsonObject> calls() {
    return calls.values().stream().sorted(Comparator.comparing(StoredCall::created))
        .map(c -> c.resource().copy()).toList();
  }

  /**
   * Moves a created call on, as the network would: its status, start (dialled) and end times,
   * duration (answered calls only) and what answered. Status callbacks are the test's business.
   */
  public void progress(String sid, String status, Instant startedAt, Instant endedAt, String answeredBy) {
    calls.computeIfPresent(sid, (key, stored) -> {
      JsonObject resource = stored.resource().copy()
          .put("status", status)
          .put("date_updated", RFC_2822.format(endedAt != null ? endedAt : Instant.now()))
          .put("answered_by", answeredBy)
          .put("start_time", startedAt == null ? null : RFC_2822.format(startedAt))
          .put("end_time", endedAt == null ? null : RFC_2822.format(endedAt))
          .put("duration", endedAt == null || startedAt == null || !status.equals("completed") ? null
              : Long.toString(java.time.Duration.between(startedAt, endedAt).toSeconds()));
      return new StoredCall(resource, stored.created());
    });
  }

  /** Forgets requests, calls, texts, numbers and queued faults; drops the connections of hung requests. Recordings stay. */
  public void reset() {
    faults.clear();
    numbers.clear();
    numberFaults.clear();
    messageFaults.clear();
    messageFaultsTo.clear();
    listFaults.clear();
    messages.clear();
    serviceSender = DEFAULT_SERVICE_SENDER;
    recordingFaults.clear();
    requests.clear();
    creations.clear();
    calls.clear();
    dropHungRequests();
  }

  /**
   * Closes the connections of hung requests without answering them, as a dropped connection
   * would: the client sees the connection end after its request was sent. The calls remain.
   */
  public void dropHungRequests() {
    for (HttpConnection connection : List.copyOf(hung)) {
      hung.remove(connection);
      connection.close();
    }
  }

  /** Drops hung requests' connections, stops listening and, when it owns it, closes Vert.x. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    dropHungRequests();
    try {
      if (server != null) {
        await(server.close());
      }
    } finally {
      if (ownsVertx) {
        await(vertx.close());
      }
    }
  }

  private static boolean isCallCreation(RecordedRequest r) {
    return r.method().equals("POST") && CALL_CREATION.matcher(r.path()).matches();
  }

  private static boolean isMessageCreation(RecordedRequest r) {
    return r.method().equals("POST") && MESSAGE_CREATION.matcher(r.path()).matches();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("Twilio stand-in: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  private void handle(HttpServerRequest request) {
    Instant receivedAt = Instant.now();
    request.body().onComplete(body -> {
      if (body.failed()) {
        return;
      }
      String contentType = request.getHeader("Content-Type");
      boolean isForm = request.method() == HttpMethod.POST
          && (contentType == null || contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"));
      Map<String, List<String>> form = Map.of();
      boolean malformed = false;
      try {
        form = isForm ? decode(body.result().toString(StandardCharsets.UTF_8)) : Map.of();
      } catch (IllegalArgumentException e) {
        malformed = true;
      }
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      request.headers().names().forEach(name -> headers.put(name, String.join(", ", request.headers().getAll(name))));
      RecordedRequest recorded = new RecordedRequest(receivedAt, request.method().name(), request.path(), form,
          Collections.unmodifiableMap(headers), decode(request.query()), String.valueOf(request.connection().remoteAddress()));
      synchronized (requests) {
        requests.add(recorded);
        if (isCallCreation(recorded)) {
          creations.add(recorded);
        }
        requests.notifyAll();
      }
      if (malformed) {
        error(request, 400, 20001, "Malformed form body");
        return;
      }
      try {
        route(request, recorded);
      } catch (RuntimeException e) {
        error(request, 500, 20500, "Internal Server Error: " + e);
      }
    });
  }

  private void route(HttpServerRequest request, RecordedRequest recorded) {
    Matcher signed = SIGNED_MEDIA.matcher(request.path());
    if (signed.matches() && request.method() == HttpMethod.GET) {
      signedMedia(request, signed.group(1), signed.group(2));
      return;
    }
    Matcher account = ACCOUNT_PATH.matcher(request.path());
    if (!account.matches()) {
      notFound(request);
      return;
    }
    String account0 = account.group(1);
    if (!authorized(request.getHeader("Authorization"), account0)) {
      request.response().putHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
      error(request, 401, 20003, "Authenticate");
      return;
    }
    String rest = account.group(2) == null ? "" : account.group(2);
    Matcher call = CALL.matcher(rest);
    Matcher message = MESSAGE.matcher(rest);
    Matcher number = NUMBER.matcher(rest);
    if (CALLS.matcher(rest).matches() && request.method() == HttpMethod.POST) {
      create(request, recorded, account0);
    } else if (CALLS.matcher(rest).matches() && request.method() == HttpMethod.GET) {
      list(request, account0);
    } else if (call.matches() && request.method() == HttpMethod.GET) {
      StoredCall stored = calls.get(call.group(1));
      if (stored == null || !stored.account().equals(account0)) {
        notFound(request);
      } else {
        json(request, 200, stored.resource());
      }
    } else if (MESSAGES.matcher(rest).matches() && request.method() == HttpMethod.POST) {
      createMessage(request, recorded, account0);
    } else if (MESSAGES.matcher(rest).matches() && request.method() == HttpMethod.GET) {
      listMessages(request, account0);
    } else if (message.matches() && request.method() == HttpMethod.GET) {
      StoredMessage stored = messages.get(message.group(1));
      if (stored == null || !stored.account().equals(account0)) {
        notFound(request);
      } else {
        json(request, 200, stored.resource());
      }
    } else if (rest.equals(".json") && request.method() == HttpMethod.GET) {
      json(request, 200, accountResource(account0));
    } else if (NUMBERS.matcher(rest).matches() && request.method() == HttpMethod.GET) {
      listNumbers(request, account0);
    } else if (number.matches() && request.method() == HttpMethod.GET) {
      StoredNumber stored = numbers.get(number.group(1));
      if (stored == null || !stored.account().equals(account0)) {
        notFound(request);
      } else {
        json(request, 200, stored.resource());
      }
    } else if (number.matches() && request.method() == HttpMethod.POST) {
      updateNumber(request, recorded, account0, number.group(1));
    } else if (RECORDING_RESOURCE.matcher(rest).matches() && request.method() == HttpMethod.DELETE) {
      deleteRecording(request, account0, RECORDING_RESOURCE.matcher(rest).replaceFirst("$1"));
    } else if (RECORDING.matcher(rest).matches() && request.method() == HttpMethod.GET) {
      Matcher recording = RECORDING.matcher(rest);
      recording.matches();
      recordingMedia(request, account0, recording.group(1), recording.group(2));
    } else if (CALLS.matcher(rest).matches() || call.matches() || MESSAGES.matcher(rest).matches() || message.matches()
        || rest.equals(".json") || NUMBERS.matcher(rest).matches() || number.matches()) {
      error(request, 405, 20004, "Method not allowed");
    } else {
      notFound(request);
    }
  }

  /** The account's own SID and auth token, or an API key of the account and its secret. */
  private boolean authorized(String header, String account) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6) || !accounts.containsKey(account)) {
      return false;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      if (decoded.equals(account + ":" + accounts.get(account))) {
        return true;
      }
      int colon = decoded.indexOf(':');
      String[] key = colon < 0 ? null : apiKeys.get(decoded.substring(0, colon));
      return key != null && key[0].equals(account) && key[1].equals(decoded.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void create(HttpServerRequest request, RecordedRequest recorded, String account) {
    Fault fault = faults.poll();
    if (fault != null && !fault.hang()) {
      error(request, fault.status(), fault.code(), fault.message());
      return;
    }
    String to = recorded.param("To");
    String from = recorded.param("From");
    if (blank(to)) {
      error(request, 400, 21201, "No 'To' number is specified");
      return;
    }
    if (blank(from)) {
      error(request, 400, 21213, "No 'From' number is specified");
      return;
    }
    if (blank(recorded.param("Url")) && blank(recorded.param("Twiml")) && blank(recorded.param("ApplicationSid"))) {
      error(request, 400, 21205, "Url parameter is required. Either a 'Url', 'Twiml' or 'ApplicationSid' must be given.");
      return;
    }
    JsonObject resource = newCall(account, to, from, recorded.receivedAt());
    calls.put(resource.getString("sid"), new StoredCall(resource, recorded.receivedAt()));
    if (fault != null) {
      hang(request);
      return;
    }
    json(request, 201, resource);
  }

  /** The resource exists, but the answer never leaves; the connection is dropped on close/reset. */
  private void hang(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    hung.add(connection);
    connection.closeHandler(v -> hung.remove(connection));
  }

  /**
   * {@code POST .../Messages.json} ({@code api.v2010.account.message}, CreateMessage): {@code To} and
   * one of {@code From}/{@code MessagingServiceSid} and {@code Body}/{@code MediaUrl}/{@code ContentSid}
   * are required; 201 and the message resource. A text is created {@code queued}; through a Messaging
   * Service {@code accepted}, its sender ({@code from}) chosen later unless {@code From} names one.
   */
  private void createMessage(HttpServerRequest request, RecordedRequest recorded, String accountSid) {
    ConcurrentLinkedQueue<Fault> toThisNumber = recorded.param("To") == null ? null : messageFaultsTo.get(recorded.param("To"));
    Fault fault = toThisNumber != null && !toThisNumber.isEmpty() ? toThisNumber.poll() : messageFaults.poll();
    if (fault != null && !fault.hang()) {
      error(request, fault.status(), fault.code(), fault.message());
      return;
    }
    String to = recorded.param("To");
    String from = recorded.param("From");
    String service = recorded.param("MessagingServiceSid");
    String body = recorded.param("Body");
    if (blank(to)) {
      error(request, 400, 21604, "A 'To' phone number is required.");
      return;
    }
    if (blank(from) && blank(service)) {
      error(request, 400, 21603, "A 'From' phone number is required.");
      return;
    }
    if (blank(body) && blank(recorded.param("MediaUrl")) && blank(recorded.param("ContentSid"))) {
      error(request, 400, 21602, "Message body is required.");
      return;
    }
    String sid = "SM" + hex(16);
    String date = RFC_2822.format(recorded.receivedAt());
    String uri = "/" + API_VERSION + "/Accounts/" + accountSid + "/Messages/" + sid;
    JsonObject resource = new JsonObject()
        .put("account_sid", accountSid)
        .put("api_version", API_VERSION)
        .put("body", body)
        .put("date_created", date)
        .putNull("date_sent")
        .put("date_updated", date)
        .put("direction", "outbound-api")
        .putNull("error_code")
        .putNull("error_message")
        .put("from", blank(from) ? null : from)
        .put("messaging_service_sid", blank(service) ? null : service)
        .put("num_media", Integer.toString(recorded.params("MediaUrl").size()))
        .put("num_segments", Integer.toString(blank(body) ? 1 : SmsSegments.count(body)))
        .putNull("price")
        .put("price_unit", "USD")
        .put("sid", sid)
        .put("status", blank(service) ? "queued" : "accepted")
        .put("subresource_uris", new JsonObject().put("media", uri + "/Media.json").put("feedback", uri + "/Feedback.json"))
        .put("to", to)
        .put("uri", uri + ".json");
    messages.put(sid, new StoredMessage(resource, messageSequence.incrementAndGet()));
    if (fault != null) {
      hang(request);
      return;
    }
    json(request, 201, resource);
  }

  /**
   * {@code GET .../Messages.json} as {@code twilio_api_v2010.json} describes ListMessage (its
   * ListMessageResponse): {@code messages}, newest first, in Twilio's page envelope. {@code To} and
   * {@code From} match exactly; {@code DateSent} (a day, or an instant), {@code DateSent>} (on or after)
   * and {@code DateSent<} (on or before) compare {@code date_sent}, so a text not yet sent matches none
   * of them. {@code PageToken} ({@code PA} and the last SID of the page before) goes on after that text
   * even when newer ones came since; without it {@code Page} counts pages of {@code PageSize}.
   */
  private void listMessages(HttpServerRequest request, String account) {
    Fault fault = listFaults.poll();
    if (fault != null) {
      error(request, fault.status(), fault.code(), fault.message());
      return;
    }
    Map<String, List<String>> query = decode(request.query());
    Paging paging = paging(request, query);
    if (paging == null) {
      return;
    }
    List<Predicate<JsonObject>> filters = new ArrayList<>();
    filters.add(m -> account.equals(m.getString("account_sid")));
    field(query, "To", "to", filters);
    field(query, "From", "from", filters);
    try {
      dateSent(query, "DateSent", filters);
      dateSent(query, "DateSent>", filters);
      dateSent(query, "DateSent<", filters);
    } catch (DateTimeParseException e) {
      error(request, 400, 20001, "Invalid DateSent: " + e.getParsedString());
      return;
    }
    List<JsonObject> matching = messages.values().stream()
        .sorted(Comparator.comparingLong(StoredMessage::sequence).reversed())
        .map(StoredMessage::resource)
        .filter(m -> filters.stream().allMatch(f -> f.test(m)))
        .toList();
    int start = Math.min(paging.page() * paging.pageSize(), matching.size());
    String token = first(query, "PageToken", null);
    if (token != null && token.startsWith("PA")) {
      for (int i = 0; i < matching.size(); i++) {
        if (matching.get(i).getString("sid").equals(token.substring(2))) {
          start = i + 1;
          break;
        }
      }
    }
    json(request, 200, page(request, query, "messages", matching, paging, start));
  }

  private static void field(Map<String, List<String>> query, String name, String field, List<Predicate<JsonObject>> filters) {
    String value = first(query, name, null);
    if (value != null) {
      filters.add(m -> value.equals(m.getString(field)));
    }
  }

  /** {@code DateSent} on a day or at an instant, {@code DateSent>} on or after, {@code DateSent<} on or before. */
  private static void dateSent(Map<String, List<String>> query, String name, List<Predicate<JsonObject>> filters) {
    String value = first(query, name, null);
    if (value == null) {
      return;
    }
    boolean dateOnly = value.matches("\\d{4}-\\d{2}-\\d{2}");
    Instant from = dateOnly ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : parseInstant(value);
    Instant to = dateOnly ? from.plus(Duration.ofDays(1)) : from;
    Predicate<Instant> matches;
    if (name.endsWith(">")) {
      matches = sent -> !sent.isBefore(from);
    } else if (name.endsWith("<")) {
      matches = sent -> dateOnly ? sent.isBefore(to) : !sent.isAfter(to);
    } else {
      matches = sent -> dateOnly ? !sent.isBefore(from) && sent.isBefore(to) : sent.equals(from);
    }
    filters.add(m -> m.getString("date_sent") != null && matches.test(ZonedDateTime.parse(m.getString("date_sent"), RFC_2822).toInstant()));
  }

  /**
   * {@code GET /2010-04-01/Accounts/{Sid}.json} (FetchAccount, {@code api.v2010.account}). Twilio's
   * answer carries the account's {@code auth_token}; the stand-in never echoes a secret and answers
   * it null, which the schema allows.
   */
  private JsonObject accountResource(String sid) {
    String date = RFC_2822.format(accountsCreated);
    String base = "/" + API_VERSION + "/Accounts/" + sid;
    JsonObject subresources = new JsonObject();
    for (String entry : ACCOUNT_SUBRESOURCES) {
      String[] parts = entry.split(":");
      subresources.put(parts[0], base + "/" + parts[1] + ".json");
    }
    return new JsonObject()
        .putNull("auth_token")
        .put("date_created", date)
        .put("date_updated", date)
        .put("friendly_name", "My first Twilio account")
        .put("owner_account_sid", sid)
        .put("sid", sid)
        .put("status", "active")
        .put("subresource_uris", subresources)
        .put("type", "Full")
        .put("uri", base + ".json");
  }

  /** A number's resource ({@code api.v2010.account.incoming_phone_number}) as Twilio's examples show one just bought. */
  private static JsonObject newNumber(String account, String sid, String e164, Instant created) {
    String date = RFC_2822.format(created);
    return new JsonObject()
        .put("account_sid", account)
        .put("address_requirements", "none")
        .putNull("address_sid")
        .put("api_version", API_VERSION)
        .put("beta", false)
        .put("capabilities", new JsonObject().put("voice", true).put("sms", true).put("mms", true).put("fax", false))
        .put("date_created", date)
        .put("date_updated", date)
        .put("emergency_status", "Inactive")
        .putNull("emergency_address_sid")
        .put("emergency_address_status", "unregistered")
        .put("friendly_name", formatted(e164))
        .putNull("identity_sid")
        .put("origin", "twilio")
        .put("phone_number", e164)
        .put("sid", sid)
        .put("sms_application_sid", "")
        .put("sms_fallback_method", "POST")
        .put("sms_fallback_url", "")
        .put("sms_method", "POST")
        .put("sms_url", "")
        .put("status_callback", "")
        .put("status_callback_method", "POST")
        .putNull("trunk_sid")
        .put("uri", "/" + API_VERSION + "/Accounts/" + account + "/IncomingPhoneNumbers/" + sid + ".json")
        .put("voice_application_sid", "")
        .put("voice_caller_id_lookup", false)
        .put("voice_fallback_method", "POST")
        .putNull("voice_fallback_url")
        .put("voice_method", "POST")
        .putNull("voice_url")
        .put("voice_receive_mode", "voice")
        .put("status", "in-use")
        .putNull("bundle_sid")
        .put("type", "local");
  }

  /**
   * {@code GET .../IncomingPhoneNumbers.json} (ListIncomingPhoneNumber): {@code incoming_phone_numbers},
   * oldest first, in Twilio's page envelope. {@code PhoneNumber} may be part of a number, {@code *}
   * standing for any digit, as Twilio documents it; {@code FriendlyName} matches exactly.
   */
  private void listNumbers(HttpServerRequest request, String account) {
    Map<String, List<String>> query = decode(request.query());
    Paging paging = paging(request, query);
    if (paging == null) {
      return;
    }
    List<Predicate<JsonObject>> filters = new ArrayList<>();
    filters.add(n -> account.equals(n.getString("account_sid")));
    field(query, "FriendlyName", "friendly_name", filters);
    String pattern = first(query, "PhoneNumber", null);
    if (pattern != null) {
      Pattern part = Pattern.compile(Pattern.quote(pattern).replace("*", "\\E\\d\\Q"));
      filters.add(n -> n.getString("phone_number") != null && part.matcher(n.getString("phone_number")).find());
    }
    List<JsonObject> matching = numbers.values().stream()
        .sorted(Comparator.comparingLong(StoredNumber::sequence))
        .map(StoredNumber::resource)
        .filter(n -> filters.stream().allMatch(f -> f.test(n)))
        .toList();
    json(request, 200, page(request, query, "incoming_phone_numbers", matching, paging,
        Math.min(paging.page() * paging.pageSize(), matching.size())));
  }

  /**
   * {@code POST .../IncomingPhoneNumbers/{Sid}.json} (UpdateIncomingPhoneNumber): sets the fields sent,
   * an empty value clearing one (how an application is taken off a number); a Voice application and
   * a trunk exclude each other. Methods must be GET or POST, an application SID {@code AP...}.
   */
  private void updateNumber(HttpServerRequest request, RecordedRequest recorded, String account, String sid) {
    Fault fault = numberFaults.poll();
    if (fault != null) {
      error(request, fault.status(), fault.code(), fault.message());
      return;
    }
    StoredNumber stored = numbers.get(sid);
    if (stored == null || !stored.account().equals(account)) {
      notFound(request);
      return;
    }
    for (String name : NUMBER_METHODS) {
      String method = recorded.param(name);
      if (method != null && !method.equals("GET") && !method.equals("POST")) {
        error(request, 400, 20001, "Invalid " + name + ": " + method + " (GET or POST)");
        return;
      }
    }
    for (String name : List.of("VoiceApplicationSid", "SmsApplicationSid")) {
      String application = recorded.param(name);
      if (!blank(application) && !APPLICATION_SID.matcher(application).matches()) {
        error(request, 400, 22108, "Invalid " + name + ": " + application);
        return;
      }
    }
    JsonObject resource = stored.resource().copy();
    recorded.form().forEach((name, values) -> {
      String field = NUMBER_FIELDS.get(name);
      if (field != null && !values.isEmpty()) {
        resource.put(field, values.get(values.size() - 1));
      }
    });
    if (recorded.param("VoiceCallerIdLookup") != null) {
      resource.put("voice_caller_id_lookup", Boolean.parseBoolean(recorded.param("VoiceCallerIdLookup")));
    }
    if (!blank(recorded.param("VoiceApplicationSid"))) {
      resource.putNull("trunk_sid");
    }
    if (!blank(recorded.param("TrunkSid"))) {
      resource.put("voice_application_sid", "");
    }
    resource.put("date_updated", RFC_2822.format(recorded.receivedAt()));
    numbers.put(sid, new StoredNumber(resource, stored.sequence()));
    json(request, 200, resource);
  }

  private void deleteRecording(HttpServerRequest request, String account, String sid) {
    Fault fault = recordingFaults.poll();
    StoredRecording recording = recordings.get(sid);
    if (fault != null) {
      error(request, fault.status(), fault.code(), fault.message());
    } else if (recording != null && recording.account().equals(account) && recordings.remove(sid, recording)) {
      request.response().setStatusCode(204).putHeader("Twilio-Request-Id", "RQ" + hex(16)).end();
    } else {
      notFound(request);
    }
  }

  /** A recording's media: WAV without an extension or with {@code .wav}, MP3 with {@code .mp3}. */
  private void recordingMedia(HttpServerRequest request, String account, String sid, String extension) {
    StoredRecording recording = recordings.get(sid);
    if (recording == null || !recording.account().equals(account)) {
      notFound(request);
      return;
    }
    if (recording.failure() != null) {
      error(request, recording.failure().status(), recording.failure().code(), recording.failure().message());
      return;
    }
    String format = ".mp3".equals(extension) ? "mp3" : "wav";
    String redirect = redirectMedia;
    if (redirect != null) {
      String token = hex(16);
      mediaTokens.add(token);
      request.response().setStatusCode(302).putHeader("Location", redirect + "/media/" + sid + "." + format + "?Signature=" + token)
          .end();
      return;
    }
    media(request, recording.media(), format);
  }

  /** A short-lived media URL: no credentials, a token that works once. */
  private void signedMedia(HttpServerRequest request, String sid, String format) {
    StoredRecording recording = recordings.get(sid);
    String token = first(decode(request.query()), "Signature", "");
    if (recording == null || !mediaTokens.remove(token)) {
      request.response().setStatusCode(403).putHeader("Content-Type", "application/xml").end("<Error><Code>AccessDenied</Code></Error>");
      return;
    }
    media(request, recording.media(), format);
  }

  private void media(HttpServerRequest request, byte[] media, String format) {
    var response = request.response().setStatusCode(200).putHeader("Content-Type", format.equals("mp3") ? "audio/mpeg" : "audio/x-wav");
    io.vertx.core.Promise<Void> held = mediaHeld;
    if (held == null) {
      response.end(io.vertx.core.buffer.Buffer.buffer(media));
      return;
    }
    int half = media.length / 2;
    io.vertx.core.Context context = vertx.getOrCreateContext();
    response.setChunked(true).write(io.vertx.core.buffer.Buffer.buffer(java.util.Arrays.copyOf(media, half)));
    held.future().onComplete(v -> context.runOnContext(x ->
        response.end(io.vertx.core.buffer.Buffer.buffer(java.util.Arrays.copyOfRange(media, half, media.length)))));
  }

  /** Every POST to {@code .../Messages.json}, whatever it was answered. */
  public List<RecordedRequest> messageCreations() {
    return requests().stream().filter(TwilioStandIn::isMessageCreation).toList();
  }

  private JsonObject newCall(String accountSid, String to, String from, Instant created) {
    String sid = "CA" + hex(16);
    String date = RFC_2822.format(created);
    String uriBase = "/" + API_VERSION + "/Accounts/" + accountSid + "/Calls/" + sid;
    JsonObject subresources = new JsonObject();
    for (String entry : SUBRESOURCES) {
      String[] parts = entry.split(":");
      subresources.put(parts[0], uriBase + "/" + parts[1] + ".json");
    }
    return new JsonObject()
        .put("account_sid", accountSid)
        .putNull("answered_by")
        .put("api_version", API_VERSION)
        .putNull("caller_name")
        .put("date_created", date)
        .put("date_updated", date)
        .put("direction", "outbound-api")
        .putNull("duration")
        .putNull("end_time")
        .putNull("forwarded_from")
        .put("from", from)
        .put("from_formatted", formatted(from))
        .putNull("group_sid")
        .putNull("parent_call_sid")
        .put("phone_number_sid", from.startsWith("+") ? "PN" + digestHex(accountSid + from) : null)
        .putNull("price")
        .put("price_unit", "USD")
        .put("queue_time", "0")
        .put("sid", sid)
        .putNull("start_time")
        .put("status", "queued")
        .put("subresource_uris", subresources)
        .put("to", to)
        .put("to_formatted", formatted(to))
        .putNull("trunk_sid")
        .put("uri", uriBase + ".json");
  }

  private void list(HttpServerRequest request, String account) {
    Map<String, List<String>> query = decode(request.query());
    Paging paging = paging(request, query);
    if (paging == null) {
      return;
    }
    List<Predicate<StoredCall>> filters = new ArrayList<>();
    filters.add(c -> c.account().equals(account));
    exact(query, "To", "to", filters);
    exact(query, "From", "from", filters);
    exact(query, "Status", "status", filters);
    exact(query, "ParentCallSid", "parent_call_sid", filters);
    try {
      time(query, "StartTime", filters);
      time(query, "StartTime>", filters);
      time(query, "StartTime<", filters);
    } catch (DateTimeParseException e) {
      error(request, 400, 20001, "Invalid StartTime: " + e.getParsedString());
      return;
    }
    List<JsonObject> matching = calls.values().stream()
        .filter(c -> filters.stream().allMatch(f -> f.test(c)))
        .sorted(Comparator.comparing(StoredCall::created).reversed())
        .map(StoredCall::resource)
        .toList();
    json(request, 200, page(request, query, "calls", matching, paging, Math.min(paging.page() * paging.pageSize(), matching.size())));
  }

  /** {@code PageSize} (1 to 1000, 50 unless given) and {@code Page}; null once a 400 answered them. */
  private static Paging paging(HttpServerRequest request, Map<String, List<String>> query) {
    int pageSize;
    int page;
    try {
      pageSize = Integer.parseInt(first(query, "PageSize", "50"));
      page = Integer.parseInt(first(query, "Page", "0"));
    } catch (NumberFormatException e) {
      error(request, 400, 20001, "Invalid PageSize or Page");
      return null;
    }
    if (pageSize < 1 || pageSize > 1000 || page < 0) {
      error(request, 400, 20001, "PageSize must be between 1 and 1000 and Page at least 0");
      return null;
    }
    return new Paging(page, pageSize);
  }

  /** One page of a list from {@code start}, in Twilio's envelope, its URIs keeping the filters asked for. */
  private static JsonObject page(HttpServerRequest request, Map<String, List<String>> query, String key, List<JsonObject> matching,
                                 Paging paging, int start) {
    int pageSize = paging.pageSize();
    int page = paging.page();
    List<JsonObject> slice = matching.subList(start, Math.min(start + pageSize, matching.size()));
    boolean more = start + pageSize < matching.size();
    String filterQuery = query.entrySet().stream().filter(e -> !PAGING.contains(e.getKey()))
        .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
        .collect(Collectors.joining("&"));
    String base = request.path() + "?" + (filterQuery.isEmpty() ? "" : filterQuery + "&") + "PageSize=" + pageSize;
    return new JsonObject()
        .put(key, new JsonArray(new ArrayList<>(slice)))
        .put("end", slice.isEmpty() ? 0 : start + slice.size() - 1)
        .put("first_page_uri", base + "&Page=0")
        .put("next_page_uri", more ? base + "&Page=" + (page + 1) + "&PageToken=PA" + slice.get(slice.size() - 1).getString("sid") : null)
        .put("page", page)
        .put("page_size", pageSize)
        .put("previous_page_uri", page > 0 ? base + "&Page=" + (page - 1) : null)
        .put("start", start)
        .put("uri", base + "&Page=" + page);
  }

  private static void exact(Map<String, List<String>> query, String name, String field, List<Predicate<StoredCall>> filters) {
    String value = first(query, name, null);
    if (value != null) {
      filters.add(c -> value.equals(c.resource().getString(field)));
    }
  }

  /** {@code StartTime} on a date or at an instant, {@code StartTime>} on or after, {@code StartTime<} on or before. */
  private static void time(Map<String, List<String>> query, String name, List<Predicate<StoredCall>> filters) {
    String value = first(query, name, null);
    if (value == null) {
      return;
    }
    boolean dateOnly = value.matches("\\d{4}-\\d{2}-\\d{2}");
    Instant from = dateOnly ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : parseInstant(value);
    Instant to = dateOnly ? from.plus(Duration.ofDays(1)) : from;
    if (name.endsWith(">")) {
      filters.add(c -> !startTime(c).isBefore(from));
    } else if (name.endsWith("<")) {
      filters.add(c -> dateOnly ? startTime(c).isBefore(to) : !startTime(c).isAfter(to));
    } else {
      filters.add(c -> dateOnly ? !startTime(c).isBefore(from) && startTime(c).isBefore(to) : startTime(c).equals(from));
    }
  }

  /** Accepts what clients send: ISO with or without offset (UTC when none), RFC 2822, or {@code 2019-06-11 22:05:25.000} (UTC). */
  private static Instant parseInstant(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        try {
          return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e3) {
          return LocalDateTime.parse(value, SPACED).toInstant(ZoneOffset.UTC);
        }
      }
    }
  }

  private static Instant startTime(StoredCall call) {
    String start = call.resource().getString("start_time");
    return start == null ? call.created() : ZonedDateTime.parse(start, RFC_2822).toInstant();
  }

  private void notFound(HttpServerRequest request) {
    error(request, 404, 20404, "The requested resource " + request.path() + " was not found");
  }

  private static void error(HttpServerRequest request, int status, int code, String message) {
    json(request, status, new JsonObject()
        .put("code", code)
        .put("message", message)
        .put("more_info", "https://www.twilio.com/docs/errors/" + code)
        .put("status", status));
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Twilio-Request-Id", "RQ" + HexFormat.of().formatHex(digest(body.encode() + System.nanoTime()), 0, 16))
        .end(body.encode());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** application/x-www-form-urlencoded (or a raw query string): repeated names keep every value, in order. */
  static Map<String, List<String>> decode(String encoded) {
    Map<String, List<String>> decoded = new LinkedHashMap<>();
    if (encoded != null && !encoded.isEmpty()) {
      for (String pair : encoded.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        decoded.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
    }
    Map<String, List<String>> form = new LinkedHashMap<>();
    decoded.forEach((name, values) -> form.put(name, List.copyOf(values)));
    return Collections.unmodifiableMap(form);
  }

  private static String first(Map<String, List<String>> query, String name, String fallback) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? fallback : values.get(0);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  /** North American numbers as {@code (415) 867-5309}; everything else as given (E.164, sip:, client:). */
  static String formatted(String endpoint) {
    Matcher nanp = NANP.matcher(endpoint);
    return nanp.matches() ? "(" + nanp.group(1) + ") " + nanp.group(2) + "-" + nanp.group(3) : endpoint;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private String hex(int bytes) {
    byte[] id = new byte[bytes];
    random.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  private static String digestHex(String value) {
    return HexFormat.of().formatHex(digest(value), 0, 16);
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
