package dev.ringback.telephony;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.RecordingUrls.Recording;
import dev.ringback.domain.RecordingUrls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Voicemail audio from Twilio, for playback through Ringback. Only a recording URL on Twilio's
 * API host, of the business's own account, is ever fetched; it is asked for as MP3, which
 * browsers play, with the business's credentials (its API key and secret when it has them, else
 * its account SID and auth token), so playback works with "HTTP auth on media URLs" on.
 * Redirects are followed only to Twilio's hosts, and credentials go only to the first one.
 */
public final class TwilioRecordings {
  /** Twilio's API, the default {@code twilio.api-url}: then each recording is fetched from its own host. */
  public static final String TWILIO_API = "https://api.twilio.com";
  /** Where Twilio may redirect a media request: its own and its CDN's hosts. */
  private static final Pattern MEDIA_HOST = Pattern.compile("([a-z0-9-]+\\.)*(twilio\\.com|twiliocdn\\.com)");
  private static final int MAX_REDIRECTS = 3;

  /**
   * A recording that could not be had. {@code missing}: there is none to play, because Twilio
   * has no such recording (deleted, or never there) or the stored URL is not one Ringback fetches;
   * otherwise Twilio failed or refused.
   */
  public static final class Unavailable extends RuntimeException {
    private final boolean missing;

    Unavailable(boolean missing, String message) {
      super(message, null, false, false);
      this.missing = missing;
    }

    public boolean missing() {
      return missing;
    }
  }

  private final HttpClient client;
  private final String apiUrl;
  private final long timeoutMillis;

  public TwilioRecordings(Vertx vertx, RingbackConfig.Twilio config) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true), new PoolOptions().setHttp1MaxSize(16));
    this.apiUrl = config.apiUrl();
    this.timeoutMillis = config.requestTimeoutSeconds() * 1000L;
  }

  /**
   * The recording's media as MP3: a response with status 200, paused, for the caller to pipe on
   * (and to reset when it gives up). Fails with {@link Unavailable} and nothing else.
   */
  public Future<HttpClientResponse> fetch(String recordingUrl, RingbackConfig.TwilioAccount account) {
    Optional<Recording> recording = RecordingUrls.parse(recordingUrl);
    if (recording.isEmpty()) {
      return Future.failedFuture(new Unavailable(true, "its stored URL is not a recording on Twilio's API host; not fetched"));
    }
    if (!account.configured()) {
      return Future.failedFuture(new Unavailable(false, "the business has no Twilio credentials to fetch its recording with"));
    }
    if (!recording.get().accountSid().equals(account.accountSid())) {
      return Future.failedFuture(new Unavailable(true, "its stored URL names another Twilio account's recording; not fetched"));
    }
    // With twilio.api-url pointing elsewhere (a proxy or a stand-in), recordings go there too, as REST requests do.
    URI first = URI.create((apiUrl.equals(TWILIO_API) ? recording.get().origin() : apiUrl) + recording.get().mp3Path());
    String user = account.usesApiKey() ? account.apiKey() : account.accountSid();
    String secret = account.usesApiKey() ? account.apiSecret() : account.authToken();
    String authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return get(first, first, authorization, 0);
  }

  private Future<HttpClientResponse> get(URI target, URI first, String authorization, int redirects) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(target.toString())
        .setSsl("https".equals(target.getScheme())).setFollowRedirects(false)
        .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis);
    if (sameOrigin(target, first)) {
      options.putHeader("Authorization", authorization);
    }
    return client.request(options).compose(HttpClientRequest::send)
        .recover(e -> Future.failedFuture(new Unavailable(false, "Twilio could not be reached for the recording: " + e.getMessage())))
        .compose(response -> {
          int status = response.statusCode();
          if (status == 200) {
            response.pause();
            return Future.succeededFuture(response);
          }
          if (status >= 300 && status < 400 && redirects < MAX_REDIRECTS) {
            URI next = location(target, response.getHeader("Location"));
            if (next != null && (sameOrigin(next, first) || isMediaHost(next))) {
              return get(next, first, authorization, redirects + 1);
            }
            return Future.failedFuture(new Unavailable(false, "Twilio redirected the recording to "
                + (next == null ? "an unreadable location" : next.getScheme() + "://" + next.getRawAuthority()) + "; not followed"));
          }
          if (status == 404) {
            return Future.failedFuture(new Unavailable(true, "Twilio has no such recording (it may have been deleted)"));
          }
          return Future.failedFuture(new Unavailable(false, "Twilio answered " + status + " for the recording"));
        });
  }

  private static URI location(URI base, String location) {
    try {
      return location == null ? null : base.resolve(new URI(location));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b) && a.getRawUserInfo() == null;
  }

  private static boolean isMediaHost(URI uri) {
    return "https".equalsIgnoreCase(uri.getScheme()) && uri.getRawUserInfo() == null && (uri.getPort() == -1 || uri.getPort() == 443)
        && uri.getHost() != null && MEDIA_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches();
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
