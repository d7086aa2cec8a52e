package dev.ringback.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which voicemail URLs Ringback keeps and fetches: only Twilio's own recordings, which live on
 * its REST API hosts, over https. A URL naming any other host (a tracker, a look-alike domain)
 * is never stored, and a stored one is never fetched.
 */
public final class RecordingUrls {
  /** Longest URL kept; Twilio's are about 120 characters. */
  static final int MAX_LENGTH = 512;
  /**
   * {@code api.twilio.com}; a processing region's {@code api.<edge>.<region>.twilio.com} (e.g.
   * {@code api.dublin.ie1.twilio.com}); and the older {@code api.<region>.twilio.com} (e.g.
   * {@code api.ie1.twilio.com}), as Twilio documents for its regional REST API.
   */
  private static final Pattern TWILIO_API_HOST =
      Pattern.compile("api\\.twilio\\.com|api(\\.[a-z]+(-[a-z]+)*)?\\.[a-z]{2}[0-9]\\.twilio\\.com");
  private static final Pattern RECORDING_PATH = Pattern.compile(
      "/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Recordings/(RE[0-9a-fA-F]{32})(\\.(mp3|wav|json))?");

  /** A recording at Twilio: the origin its URL names, its account and its SID. */
  public record Recording(String origin, String accountSid, String recordingSid) {
    public String mp3Path() {
      return "/2010-04-01/Accounts/" + accountSid + "/Recordings/" + recordingSid + ".mp3";
    }
  }

  private RecordingUrls() {}

  /**
   * The recording {@code url} names, when it is one of Twilio's: https on the default port, one of
   * Twilio's API hosts, no user part, query or fragment, and a recording's path.
   */
  public static Optional<Recording> parse(String url) {
    if (url == null || url.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getRawUserInfo() != null || (uri.getPort() != -1 && uri.getPort() != 443)
        || uri.getRawQuery() != null || uri.getRawFragment() != null || !TWILIO_API_HOST.matcher(host).matches()) {
      return Optional.empty();
    }
    Matcher path = RECORDING_PATH.matcher(uri.getRawPath() == null ? "" : uri.getRawPath());
    return path.matches() ? Optional.of(new Recording("https://" + host, path.group(1), path.group(2))) : Optional.empty();
  }

  /** Whether {@code url} is a recording on one of Twilio's media hosts. */
  public static boolean isTwilioMedia(String url) {
    return parse(url).isPresent();
  }
}
