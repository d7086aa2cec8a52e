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

  private SmsSegments() {}

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
