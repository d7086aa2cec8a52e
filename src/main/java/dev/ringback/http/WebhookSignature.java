package dev.ringback.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 of a webhook's raw body, the signature every order webhook uses in some encoding. */
public final class WebhookSignature {
  private WebhookSignature() {}

  public static byte[] hmacSha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** The value of {@code X-Ringback-Signature}: {@code sha256=<hex>}. */
  public static String generic(String secret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(hmacSha256(secret, body));
  }
}
