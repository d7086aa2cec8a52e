package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What Connect would change on a Twilio number, from what the number has now. */
class NumberWiringTest {
  static final NumberWiring HERE = new NumberWiring("https://rb.example.com/twilio/voice", "https://rb.example.com/twilio/status",
      "https://rb.example.com/twilio/sms");
  static final NumberWiring.Current WIRED = new NumberWiring.Current(HERE.voiceUrl(), "POST", HERE.statusCallback(), "POST",
      HERE.smsUrl(), "POST", null, null);

  @Test
  void aNumberPointingHereNeedsNothing() {
    assertThat(HERE.changes(WIRED)).isEmpty();
    assertThat(HERE.changes(new NumberWiring.Current(HERE.voiceUrl(), "post", HERE.statusCallback(), "post", HERE.smsUrl(), "post",
        "", ""))).as("methods in any case; an empty application is none").isEmpty();
  }

  @Test
  void aNewNumberNeedsEverything() {
    assertThat(HERE.changes(new NumberWiring.Current(null, null, null, null, null, null, null, null)).stream()
        .map(c -> c.field().value()))
        .containsExactly("voice_url", "voice_method", "status_callback", "status_callback_method", "sms_url", "sms_method");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
      "voice_url,              https://old.example.com/voice",
      "voice_method,           GET",
      "status_callback,        https://rb.example.com/twilio/status?x=1",
      "status_callback_method, GET",
      "sms_url,                https://demo.twilio.com/welcome/sms/reply",
      "sms_method,             GET",
      "voice_application_sid,  AP0123456789abcdef0123456789abcdef",
      "sms_application_sid,    AP0123456789abcdef0123456789abcdef",
  })
  void eachSettingThatDiffersIsOneChange(String field, String value) {
    NumberWiring.Current now = new NumberWiring.Current(
        field.equals("voice_url") ? value : WIRED.voiceUrl(), field.equals("voice_method") ? value : "POST",
        field.equals("status_callback") ? value : WIRED.statusCallback(), field.equals("status_callback_method") ? value : "POST",
        field.equals("sms_url") ? value : WIRED.smsUrl(), field.equals("sms_method") ? value : "POST",
        field.equals("voice_application_sid") ? value : null, field.equals("sms_application_sid") ? value : null);
    List<NumberWiring.Change> changes = HERE.changes(now);
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).field().value()).isEqualTo(field);
    assertThat(changes.get(0).now()).isEqualTo(value);
  }
}
