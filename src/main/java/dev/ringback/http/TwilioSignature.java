package dev.ringback.http;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's {@code X-Twilio-Signature}: Base64 of HMAC-SHA1, keyed by the account's auth token, of
 * the full URL followed by every form parameter's name and value, sorted by name (and by value
 * for a repeated name). Like Twilio's own validator it accepts the URL with and without its port,
 * since Twilio signs the URL as it was written in the console; unlike it, a repeated parameter
 * counts with every value, and the HMAC engine is reused per thread (looking one up costs more
 * than the rest of a status webhook's verification).
 */
public final class TwilioSignature {
  private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA1");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
  });

  private TwilioSignature() {}

  /** True when {@code signature} signs {@code url} and {@code form} with {@code authToken}. */
  public static boolean valid(String authToken, String url, MultiMap form, String signature) {
    if (signature == null || authToken == null) {
      return false;
    }
    String data = parameters(form);
    if (matches(authToken, url + data, signature)) {
      return true;
    }
    String other = otherPortForm(url);
    return other != null && matches(authToken, other + data, signature);
  }

  /** The signature Twilio sends for {@code url} and {@code form}. */
  public static String sign(String authToken, String url, MultiMap form) {
    return hmac(authToken, url + parameters(form));
  }

  private static boolean matches(String authToken, String data, String signature) {
    return MessageDigest.isEqual(hmac(authToken, data).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.UTF_8));
  }

  private static String hmac(String authToken, String data) {
    Mac mac = HMAC_SHA1.get();
    try {
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot key HmacSHA1", e);
    }
    return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }

  private static String parameters(MultiMap form) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(form.entries());
    entries.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    StringBuilder data = new StringBuilder();
    for (Map.Entry<String, String> entry : entries) {
      data.append(entry.getKey()).append(entry.getValue());
    }
    return data.toString();
  }

  /** The URL with its port removed when it has one, else with the scheme's default port; null if it has no authority. */
  static String otherPortForm(String url) {
    int schemeEnd = url.indexOf("://");
    if (schemeEnd <= 0) {
      return null;
    }
    int hostStart = schemeEnd + 3;
    int authorityEnd = hostStart;
    while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
      authorityEnd++;
    }
    String authority = url.substring(hostStart, authorityEnd);
    int colon = authority.lastIndexOf(':');
    boolean hasPort = colon > authority.lastIndexOf(']') && colon > authority.lastIndexOf('@');
    String scheme = url.substring(0, schemeEnd);
    String otherAuthority = hasPort
        ? authority.substring(0, colon)
        : authority + ("https".equalsIgnoreCase(scheme) ? ":443" : ":80");
    return url.substring(0, hostStart) + otherAuthority + url.substring(authorityEnd);
  }
}
