package dev.ringback.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a Twilio number sends its calls and texts to this server: each webhook it should have,
 * and what it has. A Voice or SMS application set on the number overrides its URLs, so Connect
 * clears it.
 *
 * @param voiceUrl the number's "A call comes in" URL as it should be
 * @param statusCallback its "Call status changes" URL
 * @param smsUrl its "A message comes in" URL
 */
public record NumberWiring(String voiceUrl, String statusCallback, String smsUrl) {

  /** One webhook of the number that is not as it should be. */
  public record Change(Field field, String now, String wanted) {}

  /** The number's settings Connect sets, by the names the API uses and as Twilio's console shows them. */
  public enum Field {
    VOICE_URL("voice_url", "\"A call comes in\" URL"),
    VOICE_METHOD("voice_method", "\"A call comes in\" method"),
    STATUS_CALLBACK("status_callback", "\"Call status changes\" URL"),
    STATUS_CALLBACK_METHOD("status_callback_method", "\"Call status changes\" method"),
    SMS_URL("sms_url", "\"A message comes in\" URL"),
    SMS_METHOD("sms_method", "\"A message comes in\" method"),
    VOICE_APPLICATION("voice_application_sid", "the Voice application (it overrides the URLs)"),
    SMS_APPLICATION("sms_application_sid", "the Messaging application (it overrides the URL)");

    private final String value;
    private final String label;

    Field(String value, String label) {
      this.value = value;
      this.label = label;
    }

    public String value() {
      return value;
    }

    /** The setting as Twilio's console names it, for an owner reading what was found. */
    public String label() {
      return label;
    }
  }

  /** A number's settings as Twilio keeps them; null or empty for what is not set. */
  public record Current(String voiceUrl, String voiceMethod, String statusCallback, String statusCallbackMethod, String smsUrl,
                        String smsMethod, String voiceApplicationSid, String smsApplicationSid) {}

  /** What Connect would change on a number with these settings; empty when it points here already. */
  public List<Change> changes(Current now) {
    List<Change> changes = new ArrayList<>();
    differs(changes, Field.VOICE_URL, now.voiceUrl(), voiceUrl);
    differs(changes, Field.VOICE_METHOD, now.voiceMethod(), "POST");
    differs(changes, Field.STATUS_CALLBACK, now.statusCallback(), statusCallback);
    differs(changes, Field.STATUS_CALLBACK_METHOD, now.statusCallbackMethod(), "POST");
    differs(changes, Field.SMS_URL, now.smsUrl(), smsUrl);
    differs(changes, Field.SMS_METHOD, now.smsMethod(), "POST");
    differs(changes, Field.VOICE_APPLICATION, now.voiceApplicationSid(), "");
    differs(changes, Field.SMS_APPLICATION, now.smsApplicationSid(), "");
    return changes;
  }

  private static void differs(List<Change> changes, Field field, String now, String wanted) {
    String current = now == null ? "" : now;
    boolean same = field.name().endsWith("METHOD") ? current.equalsIgnoreCase(wanted) : Objects.equals(current, wanted);
    if (!same) {
      changes.add(new Change(field, current, wanted));
    }
  }
}
