package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only recordings on Twilio's REST API hosts, over https, are kept and fetched. */
class RecordingUrlsTest {
  static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
  static final String RECORDING = "RE0123456789abcdef0123456789abcdef";

  @Test
  void twiliosRecordingHostsAreTaken() {
    for (String url : new String[] {
        "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef",
        "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef.mp3",
        "https://API.Twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef",
        "https://api.twilio.com:443/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef",
        "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef",
        "https://api.sydney.au1.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef",
        "https://api.sao-paulo.br1.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef",
        "https://api.ie1.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef",
        "https://api.us1.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef"}) {
      assertThat(RecordingUrls.isTwilioMedia(url)).as(url).isTrue();
    }
    assertThat(RecordingUrls.parse("https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/%s/Recordings/%s".formatted(ACCOUNT, RECORDING)))
        .contains(new RecordingUrls.Recording("https://api.dublin.ie1.twilio.com", ACCOUNT, RECORDING));
  }

  @Test
  void anyOtherHostSchemeOrFormIsRefused() {
    for (String url : new String[] {
        null,
        "",
        "javascript:alert(1)",
        "http://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef",
        "ftp://api.twilio.com/Recordings/RE0123",
        "//api.twilio.com/Recordings/RE0123",
        "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef",
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
        "https://api.twilio.com/recordings/RE1",
        "https://api.twilio.com/2010-04-01/Accounts/%s/Recordings/%s?x=1".formatted(ACCOUNT, RECORDING),
        "https://api.twilio.com/2010-04-01/Accounts/%s/Calls/%s".formatted(ACCOUNT, RECORDING),
        "https://api.twilio.com/" + "a".repeat(600)}) {
      assertThat(RecordingUrls.isTwilioMedia(url)).as(String.valueOf(url)).isFalse();
    }
  }
}
