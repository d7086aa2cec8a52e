package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whom an incoming call rings: the line's available registered agents, else its configured numbers. */
class RingingTest {

  /** A space-separated list; "-" is none. */
  static List<String> contacts(String text) {
    return text.equals("-") ? List.of() : Arrays.asList(text.split(" "));
  }

  @ParameterizedTest(name = "configured {0}, registered {1}, available {2}: rings {4}")
  @CsvSource({
      // configured,                  registered, available,                     registered?, rung
      "+14155550101 +14155550102,     false,      -,                             false,       +14155550101 +14155550102",
      "-,                             false,      -,                             false,       -",
      // Registered agents take over from the configuration, in the order the store gives them.
      "+14155550101,                  true,       sip:ann@example.com +14155550199, true,     sip:ann@example.com +14155550199",
      "-,                             true,       +14155550199,                  true,        +14155550199",
      // All registered agents busy or offline: the configured numbers ring, so agents never silence a line.
      "+14155550101,                  true,       -,                             true,        +14155550101",
      // ...and with none configured, nobody is rung: a person calls back.
      "-,                             true,       -,                             true,        -",
  })
  void forLine(String configured, boolean registered, String available, boolean staffed, String rung) {
    Ringing ringing = Ringing.forLine(contacts(configured), registered, contacts(available));
    assertThat(ringing.registered()).isEqualTo(staffed);
    assertThat(ringing.contacts()).containsExactlyElementsOf(contacts(rung));
  }

  @ParameterizedTest(name = "configured {0}, {1} registered, {2} available: rings nobody {3}")
  @CsvSource({
      "+14155550101, 0, 0, false",
      "-,            0, 0, true",
      "-,            2, 0, true",
      "-,            2, 1, false",
      "+14155550101, 2, 0, false",
  })
  void ringsNobody(String configured, long registered, long available, boolean nobody) {
    assertThat(Ringing.ringsNobody(contacts(configured), registered, available)).isEqualTo(nobody);
  }

  @ParameterizedTest(name = "presence unknown, configured {0}: rings {0}")
  @CsvSource({
      "+14155550101 +14155550102",
      "-",
  })
  void presenceUnknown(String configured) {
    Ringing ringing = Ringing.presenceUnknown(contacts(configured));
    assertThat(ringing.registered()).isFalse();
    assertThat(ringing.contacts()).containsExactlyElementsOf(contacts(configured));
  }
}
