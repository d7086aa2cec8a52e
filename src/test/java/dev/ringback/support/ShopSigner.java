package dev.ringback.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs order webhooks the way each platform does: HMAC-SHA256 of the raw body. */
public final class ShopSigner {
  private ShopSigner() {}

  /** Shopify's {@code X-Shopify-Hmac-Sha256} and WooCommerce's {@code X-WC-Webhook-Signature}: base64. */
  public static String base64(String secret, byte[] body) {
    return Base64.getEncoder().encodeToString(hmac(secret, body));
  }

  /** Ringback's own {@code X-Ringback-Signature}: {@code sha256=<hex>}. */
  public static String generic(String secret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(hmac(secret, body));
  }

  /** A fixture of src/test/resources/orders, byte for byte. */
  public static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(Path.of("src", "test", "resources", "orders", name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
