package dev.ringback.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which voicemail URLs Ringback keeps: only Twilio's own recordings, which live on its REST API
 * hosts, over https. An agent's browser loads what is kept, so a URL naming any other host (a
 * tracker, a look-alike domain) is never stored.
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

  private RecordingUrls() {}

  /** Whether {@code url} is a recording on one of Twilio's media hosts, over https, on the default port, with no user part. */
  public static boolean isTwilioMedia(String url) {
    if (url == null || url.length() > MAX_LENGTH) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return false;
    }
    return "https".equals(uri.getScheme()) && uri.getRawUserInfo() == null && uri.getHost() != null
        && (uri.getPort() == -1 || uri.getPort() == 443)
        && TWILIO_API_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches();
  }
}
