package dev.ringback.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The encryption of the secrets kept in the database. */
class SecretBoxTest {
  static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @Test
  void aSealedValueOpensWithTheSameKeyAndContextOnly() {
    String key = newKey();
    SecretBox box = SecretBox.of(key);
    byte[] sealed = box.seal("twilio-auth-token-0123", "business 7 twilio_auth_token");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("twilio-auth-token");
    assertThat(box.open(sealed, "business 7 twilio_auth_token")).isEqualTo("twilio-auth-token-0123");
    assertThat(SecretBox.of(key).open(sealed, "business 7 twilio_auth_token")).isEqualTo("twilio-auth-token-0123");

    assertThatThrownBy(() -> box.open(sealed, "business 8 twilio_auth_token")).isInstanceOf(SecretBox.Unreadable.class);
    assertThatThrownBy(() -> box.open(sealed, "business 7 order_shopify")).isInstanceOf(SecretBox.Unreadable.class);
    assertThatThrownBy(() -> SecretBox.of(newKey()).open(sealed, "business 7 twilio_auth_token"))
        .isInstanceOf(SecretBox.Unreadable.class).hasMessageContaining("RINGBACK_SECRET_KEY");
  }

  @Test
  void everySealingUsesANewNonceAndTamperingIsDetected() {
    SecretBox box = SecretBox.of(newKey());
    byte[] first = box.seal("same", "c");
    byte[] second = box.seal("same", "c");
    assertThat(first).isNotEqualTo(second);
    assertThat(Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(Arrays.copyOfRange(second, 1, 13));
    byte[] tampered = first.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open(tampered, "c")).isInstanceOf(SecretBox.Unreadable.class);
    assertThatThrownBy(() -> box.open(new byte[] {1, 2, 3}, "c")).isInstanceOf(SecretBox.Unreadable.class);
    assertThat(box.open(box.seal("", "c"), "c")).isEmpty();
    assertThat(box.open(box.seal("ünïcødé ✓", "c"), "c")).isEqualTo("ünïcødé ✓");
  }

  @Test
  void aKeyMustBe32BytesOfBase64() {
    assertThatThrownBy(() -> SecretBox.of("not base64!")).hasMessageContaining("RINGBACK_SECRET_KEY");
    assertThatThrownBy(() -> SecretBox.of(Base64.getEncoder().encodeToString(new byte[16]))).hasMessageContaining("32 bytes");
    assertThat(SecretBox.of(newKey()).toString()).doesNotContain("=");
  }
}
