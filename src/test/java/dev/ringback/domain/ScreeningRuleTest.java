package dev.ringback.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScreeningRuleTest {
  @ParameterizedTest(name = "{0} screens {1}: {2}")
  @CsvSource({
      "auto,   +14155550101,                 true",
      "auto,   sip:desk@acme.sip.twilio.com, false",
      "auto,   sips:desk@acme.example,       false",
      "always, +14155550101,                 true",
      "always, sip:desk@acme.sip.twilio.com, true",
      "never,  +14155550101,                 false",
      "never,  sip:desk@acme.sip.twilio.com, false",
  })
  void phonesAreScreenedAndSoftphonesOnlyWhenTheLineSaysAlways(String setting, String contact, boolean screened) {
    assertEquals(screened, Screening.parse(setting).orElseThrow().screens(contact));
  }

  @ParameterizedTest
  @CsvSource({"Auto", "yes", "''"})
  void onlyTheConfigurationsWordsAreScreeningSettings(String word) {
    assertEquals(Optional.empty(), Screening.parse(word));
  }
}
