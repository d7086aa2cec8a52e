package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Twilio's CallStatus values: which one is the answer, which end the call. */
class CallStatusTest {

  @ParameterizedTest(name = "{0}: answer {1}, final {2}")
  @CsvSource({
      "queued,      false, false",
      "initiated,   false, false",
      "ringing,     false, false",
      "in-progress, true,  false",
      "completed,   false, true",
      "busy,        false, true",
      "failed,      false, true",
      "no-answer,   false, true",
      "canceled,    false, true",
  })
  void meaning(String value, boolean answer, boolean isFinal) {
    CallStatus status = CallStatus.parse(value).orElseThrow();
    assertThat(status.value()).isEqualTo(value);
    assertThat(status.isAnswer()).as("answer").isEqualTo(answer);
    assertThat(status.isFinal()).as("final").isEqualTo(isFinal);
  }

  @Test
  void theTableAboveNamesEveryStatus() {
    assertThat(Arrays.stream(CallStatus.values()).map(CallStatus::value))
        .containsExactlyInAnyOrder("queued", "initiated", "ringing", "in-progress", "completed", "busy", "failed", "no-answer",
            "canceled");
  }

  @ParameterizedTest(name = "''{0}'' is not a status")
  @CsvSource(nullValues = "null", value = {"in_progress", "IN_PROGRESS", "answered", "''", "null"})
  void unknownValuesAreNotParsed(String value) {
    assertThat(CallStatus.parse(value)).isEmpty();
  }
}
