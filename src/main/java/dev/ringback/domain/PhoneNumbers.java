package dev.ringback.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Optional;

/** Phone numbers in, E.164 out: one place decides what is a number we may store or dial. */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final int MAX_INPUT_LENGTH = 64;

  private final String defaultRegion;

  public PhoneNumbers(String defaultRegion) {
    this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
  }

  public static boolean isKnownRegion(String region) {
    return UTIL.getSupportedRegions().contains(region.toUpperCase(Locale.ROOT));
  }

  /** The E.164 form of a valid number, or empty for anything that is not one. */
  public Optional<String> normalize(String raw) {
    return normalize(raw, null);
  }

  /**
   * As {@link #normalize(String)}, reading a number written without {@code +country} as one of
   * {@code region} (e.g. the country of the address it came with) instead of the default region.
   */
  public Optional<String> normalize(String raw, String region) {
    if (raw == null || raw.isBlank() || raw.length() > MAX_INPUT_LENGTH) {
      return Optional.empty();
    }
    String home = region != null && isKnownRegion(region) ? region.toUpperCase(Locale.ROOT) : defaultRegion;
    try {
      PhoneNumber number = UTIL.parse(raw.trim(), home);
      if (!UTIL.isValidNumber(number)) {
        return Optional.empty();
      }
      return Optional.of(UTIL.format(number, PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /** A number as it may appear in logs: only the last four digits are shown. */
  public static String mask(String number) {
    if (number == null || number.isEmpty()) {
      return "-";
    }
    int keep = Math.min(4, number.length());
    return "*".repeat(number.length() - keep) + number.substring(number.length() - keep);
  }
}
