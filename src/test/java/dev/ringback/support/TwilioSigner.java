package dev.ringback.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests the way Twilio documents it: HMAC-SHA1, keyed by the auth token, of
 * the full URL followed by every POST parameter name and value, sorted by name; Base64.
 * Written from the documentation, independently of twilio-java's validator.
 */
public final class TwilioSigner {
  private TwilioSigner() {}

  public static String sign(String authToken, String url, List<Map.Entry<String, String>> params) {
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    for (Map.Entry<String, String> p : params) {
      sorted.computeIfAbsent(p.getKey(), k -> new java.util.ArrayList<>()).add(p.getValue());
    }
    StringBuilder data = new StringBuilder(url);
    sorted.forEach((name, values) -> values.stream().sorted().forEach(v -> data.append(name).append(v)));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
