package dev.ringback.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the secrets Ringback keeps in the database (a business's Twilio auth token and API
 * secret, its shops' signing secrets) with AES-256-GCM under the key of {@code RINGBACK_SECRET_KEY}.
 * Each value gets a random 12-byte nonce; what it belongs to (business and secret name) is bound
 * in as associated data, so a sealed value copied to another row does not open. Layout: one
 * version byte, the nonce, then the ciphertext with its 16-byte tag.
 */
public final class SecretBox {
  /** The environment variable that holds the key, named in every error about it. */
  public static final String VARIABLE = "RINGBACK_SECRET_KEY";
  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** @param base64Key base64 of 32 random bytes ({@code openssl rand -base64 32}) */
  public static SecretBox of(String base64Key) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(VARIABLE + " is not base64", null);
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(VARIABLE + " must be 32 bytes (base64 of 32 random bytes), not " + key.length);
    }
    return new SecretBox(key);
  }

  /** A sealed value could not be opened: another key, or a value that was tampered with or moved. */
  public static final class Unreadable extends RuntimeException {
    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  /** @param context what the value belongs to, e.g. {@code business 7 twilio_auth_token} */
  public byte[] seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** @throws Unreadable when the value was sealed with another key or for another context, or was altered */
  public String open(byte[] sealed, String context) {
    if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new Unreadable("not a value sealed by this version of Ringback");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new Unreadable("does not open with " + VARIABLE + ": sealed with another key, or altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  @Override
  public String toString() {
    return "SecretBox[key masked]";
  }
}
