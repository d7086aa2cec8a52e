package dev.ringback.telephony;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the few parts of a TwiML document the simulator acts on, as Twilio would: only documents
 * Ringback itself wrote, so a pattern per element is enough.
 */
public final class TwimlText {
  private TwimlText() {}

  /** An attribute of the first element of that name. */
  public static Optional<String> attribute(String twiml, String element, String name) {
    Matcher m = Pattern.compile("<" + element + "\\b[^>]*\\s" + name + "=\"([^\"]*)\"").matcher(twiml);
    return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
  }

  /** The text of the first element of that name. */
  public static Optional<String> element(String twiml, String element) {
    Matcher m = Pattern.compile("<" + element + "\\b[^>]*>([^<]*)</" + element + ">").matcher(twiml);
    return m.find() ? Optional.of(unescape(m.group(1)).trim()) : Optional.empty();
  }

  private static String unescape(String xml) {
    return xml.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
