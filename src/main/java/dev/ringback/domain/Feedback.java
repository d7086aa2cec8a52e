package dev.ringback.domain;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The customer's 1-5 score after a call, and what a poor one sets in motion. */
public final class Feedback {
  public static final String VOICE = "voice";
  public static final String SMS = "sms";
  public static final String NONE = "none";
  public static final List<String> CHANNELS = List.of(VOICE, SMS, NONE);
  public static final int LOWEST = 1;
  public static final int HIGHEST = 5;
  /** Scores at or below this one create a service-recovery task for the line's supervisor. */
  public static final int POOR = 2;
  /** Why a task is in the queue when a customer scored a call poorly. */
  public static final String RECOVERY_REASON = "service_recovery";
  /** Service recovery comes before every other task. */
  public static final int RECOVERY_PRIORITY = 300;

  /** "5", "5!", "4 thanks", " 3 ": a reply that starts with one digit 1-5 and no other digit. */
  private static final Pattern SMS_SCORE = Pattern.compile("\\s*([1-5])(?![0-9])[^0-9]*");

  private Feedback() {}

  /** One key pressed, 1 to 5. */
  public static OptionalInt keyed(String digits) {
    return digits != null && digits.matches("[1-5]") ? OptionalInt.of(Integer.parseInt(digits)) : OptionalInt.empty();
  }

  /** An SMS reply that is a score; anything else ("ok", "10", "3 or 4") is not. */
  public static OptionalInt texted(String body) {
    if (body == null || body.length() > 160) {
      return OptionalInt.empty();
    }
    Matcher matcher = SMS_SCORE.matcher(body);
    return matcher.matches() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
  }

  public static boolean isPoor(int score) {
    return score <= POOR;
  }
}
