package dev.ringback.domain;

import java.util.Locale;
import java.util.Map;

/** Language codes as Twilio's {@code <Say>} takes them, and the locale whose CLDR data says how each writes times and numbers. */
public final class Languages {
  /**
   * Codes that name the same language: Twilio's basic voices say Mandarin as zh-CN, Amazon Polly
   * and Google as cmn-CN. A catalog of one serves the other.
   */
  private static final Map<String, String> SAME = Map.of("zh-cn", "cmn-cn", "cmn-cn", "zh-cn");
  /** Language subtags CLDR files under another: Mandarin is Chinese, Cantonese traditional Chinese. */
  private static final Map<String, String> LOCALE_LANGUAGE = Map.of("cmn", "zh", "yue", "zh-Hant");

  private Languages() {}

  /** The other code of the same language, if it has one. */
  public static String alias(String language) {
    return SAME.getOrDefault(language.toLowerCase(Locale.ROOT), "");
  }

  /** The language subtag: "ru" of "ru-RU". */
  public static String base(String language) {
    int dash = language.indexOf('-');
    return (dash < 0 ? language : language.substring(0, dash)).toLowerCase(Locale.ROOT);
  }

  /** The BCP 47 tag of the locale whose formats a language uses: zh-CN for cmn-CN. */
  public static String localeTag(String language) {
    String base = base(language);
    String mapped = LOCALE_LANGUAGE.get(base);
    return mapped == null ? language : mapped + language.substring(base.length());
  }
}
