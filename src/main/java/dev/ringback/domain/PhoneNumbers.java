package dev.ringback.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Phone numbers in, E.164 out: one place decides what is a number we may store or dial. */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final int MAX_INPUT_LENGTH = 64;

  private final String defaultRegion;
  /** Numbers normalized lately (without a region), bounded: callers and lines come back. */
  private final ConcurrentHashMap<String, Optional<String>> recent = new ConcurrentHashMap<>();
  private static final int RECENT_MAX = 20_000;

  public PhoneNumbers(String defaultRegion) {
    this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
  }

  public static boolean isKnownRegion(String region) {
    return UTIL.getSupportedRegions().contains(region.toUpperCase(Locale.ROOT));
  }

  /** The E.164 form of a valid number, or empty for anything that is not one. */
  public Optional<String> normalize(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    // Every webhook names the line and the caller; parsing costs more than the rest of a status webhook.
    Optional<String> known = recent.get(raw);
    if (known != null) {
      return known;
    }
    Optional<String> normalized = normalize(raw, null);
    if (recent.size() >= RECENT_MAX) {
      recent.clear();
    }
    recent.put(raw, normalized);
    return normalized;
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

  /**
   * Whether an E.164 number can take texts by its numbering plan: a mobile number, or one its
   * country does not tell apart from a landline (the US and Canada). False for anything else.
   */
  public static boolean canTakeTexts(String e164) {
    try {
      PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(UTIL.parse(e164, null));
      return type == PhoneNumberUtil.PhoneNumberType.MOBILE || type == PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE;
    } catch (NumberParseException e) {
      return false;
    }
  }

  /** A number as people write it in texts: {@code +1 415-555-0100}, {@code +40 21 123 4567}. */
  public static String written(String e164) {
    try {
      return UTIL.format(UTIL.parse(e164, null), PhoneNumberFormat.INTERNATIONAL);
    } catch (NumberParseException e) {
      return e164;
    }
  }

  /**
   * Runs of text that may be a phone number: international ({@code +1 415 555 0123}, or
   * {@code %2B14155550123} in a URL), national with separators ({@code (415) 555-0123}) or bare
   * digits; not inside a word (a CallSid's hex), a decimal or a hyphenated id.
   */
  private static final Pattern NUMBER_IN_TEXT = Pattern.compile("(?<![\\w.%+\\-])(?:\\+|%2[Bb])?\\(?\\d[\\d ()\\-]*\\d(?!\\w|\\.\\d)");
  /** A date such as 2026-11-23 (then a time): not a phone number. */
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");

  /**
   * Free text (a log line, an exception message) with every phone number in it masked as
   * {@link #mask} does. International numbers need 7 digits, others 8 (shorter runs are ids,
   * ports and counts); dates are left alone.
   */
  public static String maskWithin(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = NUMBER_IN_TEXT.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      String run = m.group();
      boolean international = run.startsWith("+") || run.startsWith("%");
      long digits = (run.startsWith("%") ? run.substring(3) : run).chars().filter(Character::isDigit).count();
      if (digits > 15 || digits < (international ? 7 : 8) || (!international && DATE.matcher(run).matches())) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, last, m.start()).append(mask(run));
      last = m.end();
    }
    return out == null ? text : out.append(text, last, text.length()).toString();
  }

  /**
   * A number to be read out, digit by digit in the groups its country writes it in: "4 1 5, 5 5 5,
   * 0 1 2 3" for +14155550123 (the country code is left out: the caller dials from its country).
   * Spaces make any voice say each digit, not "four hundred fifteen"; commas are the pauses.
   */
  public static String spoken(String e164) {
    String grouped;
    try {
      grouped = UTIL.format(UTIL.parse(e164, "ZZ"), PhoneNumberFormat.NATIONAL);
    } catch (NumberParseException e) {
      grouped = e164;
    }
    List<String> groups = new ArrayList<>();
    for (String group : grouped.split("\\D+")) {
      if (!group.isEmpty()) {
        groups.add(String.join(" ", group.split("")));
      }
    }
    return String.join(", ", groups);
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
