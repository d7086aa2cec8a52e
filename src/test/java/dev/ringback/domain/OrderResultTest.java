package dev.ringback.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderResultTest {
  @ParameterizedTest(name = "due {0}, orders called back from {1}: {2}")
  @CsvSource({
      "2026-11-23T12:00:00Z,        2026-11-23T12:00:00Z, called",
      "2026-11-23T11:58:00Z,        2026-11-23T12:00:00Z, called",
      "2026-11-23T12:00:00.000001Z, 2026-11-23T12:00:00Z, scheduled",
      "2026-11-24T09:30:00Z,        2026-11-23T12:00:00Z, scheduled",
  })
  void aCallbackDueLaterThanOrdersAreCalledBackIsScheduled(String due, String atOnce, String result) {
    assertEquals(result, Order.callbackResult(Instant.parse(due), Instant.parse(atOnce)));
  }
}
