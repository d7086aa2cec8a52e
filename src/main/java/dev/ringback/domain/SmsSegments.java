package dev.ringback.domain;

/**
 * How many SMS a text is sent as. A text of only GSM-7 characters takes 160 per message, 153 per
 * part of a longer one (the extension characters count twice); any other character (Cyrillic,
 * Chinese, ș) makes it UCS-2: 70 characters, 67 per part.
 */
public final class SmsSegments {
  private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

  /**
   * Letters and marks outside GSM-7 that read the same without it: Romanian and Spanish accents,
   * typographic quotes and dashes. Twilio's "smart encoding" replaces the same on a Messaging Service.
   */
  private static final String[][] LOOKALIKES = {
      {"ă", "a"}, {"Ă", "A"}, {"â", "a"}, {"Â", "A"}, {"î", "i"}, {"Î", "I"}, {"ș", "s"}, {"ş", "s"}, {"Ș", "S"}, {"Ş", "S"},
      {"ț", "t"}, {"ţ", "t"}, {"Ț", "T"}, {"Ţ", "T"}, {"á", "a"}, {"Á", "A"}, {"í", "i"}, {"Í", "I"}, {"ó", "o"}, {"Ó", "O"},
      {"ú", "u"}, {"Ú", "U"}, {"“", "\""}, {"”", "\""}, {"„", "\""}, {"«", "\""}, {"»", "\""}, {"‘", "'"}, {"’", "'"},
      {"–", "-"}, {"—", "-"}, {"…", "..."}, {"\u00a0", " "}, {"\u202f", " "}};

  private SmsSegments() {}

  /**
   * The text in GSM-7 when lookalikes are all it takes (a Romanian "marți" is sent as "marti"):
   * 160 characters a message instead of 70. A text that needs more (Cyrillic, Chinese) is left as it is.
   */
  public static String gsmFriendly(String text) {
    String plain = text;
    for (String[] pair : LOOKALIKES) {
      plain = plain.replace(pair[0], pair[1]);
    }
    return isGsm(plain) ? plain : text;
  }

  private static boolean isGsm(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (GSM_BASIC.indexOf(c) < 0 && GSM_EXTENSION.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  public static int count(String text) {
    int septets = 0;
    boolean gsm = true;
    for (int i = 0; i < text.length() && gsm; i++) {
      char c = text.charAt(i);
      if (GSM_BASIC.indexOf(c) >= 0) {
        septets++;
      } else if (GSM_EXTENSION.indexOf(c) >= 0) {
        septets += 2;
      } else {
        gsm = false;
      }
    }
    if (gsm) {
      return septets <= 160 ? 1 : (septets + 152) / 153;
    }
    int units = text.length();
    return units <= 70 ? 1 : (units + 66) / 67;
  }
}
