package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only recordings on Twilio's REST API hosts, over https, are kept. */
class RecordingUrlsTest {

  @Test
  void twiliosRecordingHostsAreTaken() {
    for (String url : new String[] {
        "https://api.twilio.com/2010-04-01/Accounts/AC0123/Recordings/RE0123",
        "https://api.twilio.com/2010-04-01/Accounts/AC0123/Recordings/RE0123.mp3",
        "https://API.Twilio.com/2010-04-01/Accounts/AC0123/Recordings/RE0123",
        "https://api.twilio.com:443/2010-04-01/Accounts/AC0123/Recordings/RE0123",
        "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC0123/Recordings/RE0123",
        "https://api.sydney.au1.twilio.com/2010-04-01/Accounts/AC0123/Recordings/RE0123",
        "https://api.sao-paulo.br1.twilio.com/2010-04-01/Accounts/AC0123/Recordings/RE0123",
        "https://api.ie1.twilio.com/2010-04-01/Accounts/AC0123/Recordings/RE0123",
        "https://api.us1.twilio.com/2010-04-01/Accounts/AC0123/Recordings/RE0123"}) {
      assertThat(RecordingUrls.isTwilioMedia(url)).as(url).isTrue();
    }
  }

  @Test
  void anyOtherHostSchemeOrFormIsRefused() {
    for (String url : new String[] {
        null,
        "",
        "javascript:alert(1)",
        "http://api.twilio.com/2010-04-01/Accounts/AC0123/Recordings/RE0123",
        "ftp://api.twilio.com/Recordings/RE0123",
        "//api.twilio.com/Recordings/RE0123",
        "/2010-04-01/Accounts/AC0123/Recordings/RE0123",
        "https://attacker.example.com/Recordings/RE0123",
        "https://twilio.com/Recordings/RE0123",
        "https://media.twilio.com/Recordings/RE0123",
        "https://api.twilio.com.attacker.example.com/Recordings/RE0123",
        "https://api.twilio.com./Recordings/RE0123",
        "https://api.twilio.com@attacker.example.com/Recordings/RE0123",
        "https://user:pass@api.twilio.com/Recordings/RE0123",
        "https://api.twilio.com:8443/Recordings/RE0123",
        "https://apitwilio.com/Recordings/RE0123",
        "https://evil-twilio.com/Recordings/RE0123",
        "https://api.evil.com/x.twilio.com/Recordings/RE0123",
        "https://api.twilio.com/Recordings/RE0123 with space",
        "https://api.twilio.com/" + "a".repeat(600)}) {
      assertThat(RecordingUrls.isTwilioMedia(url)).as(String.valueOf(url)).isFalse();
    }
  }
}
