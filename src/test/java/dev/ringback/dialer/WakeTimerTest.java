package dev.ringback.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** When the one-shot wake-up for the next due callback is set, and for how long. */
class WakeTimerTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final long POLL = 1000;

  @Test
  void wakesJustAfterTheDueInstant() {
    assertThat(WakeTimer.delay(NOW, NOW.plusMillis(1500), POLL, null, null)).isEqualTo(OptionalLong.of(1501));
  }

  @Test
  void workAlreadyDueWakesAsSoonAsATimerCan() {
    assertThat(WakeTimer.delay(NOW, NOW.minusSeconds(5), POLL, null, null)).isEqualTo(OptionalLong.of(1));
  }

  @Test
  void nothingBeyondTwoPollsAhead() {
    assertThat(WakeTimer.delay(NOW, NOW.plusMillis(1999), POLL, null, null)).isEqualTo(OptionalLong.of(2000));
    assertThat(WakeTimer.delay(NOW, NOW.plusMillis(2000), POLL, null, null)).isEmpty();
  }

  @Test
  void anEarlierCallbackReplacesTheTimerAndALaterOneDoesNot() {
    Instant set = NOW.plusMillis(800);
    assertThat(WakeTimer.delay(NOW, NOW.plusMillis(300), POLL, set, null)).isEqualTo(OptionalLong.of(301));
    assertThat(WakeTimer.delay(NOW, set, POLL, set, null)).isEmpty();
    assertThat(WakeTimer.delay(NOW, NOW.plusMillis(900), POLL, set, null)).isEmpty();
  }

  @Test
  void aClockThatStandsStillDoesNotWakeTwiceForTheSameInstant() {
    Instant due = NOW.minusMillis(10);
    assertThat(WakeTimer.delay(NOW, due, POLL, null, due)).isEmpty();
    assertThat(WakeTimer.delay(NOW, due.plusMillis(1), POLL, null, due)).isEqualTo(OptionalLong.of(1));
  }
}
