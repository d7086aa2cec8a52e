package dev.ringback.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An outage is reported once when it begins and once when it ends. */
class OutageLogTest {

  @Test
  void onlyTheFirstFailureAndTheFirstSuccessAfterItCount() {
    OutageLog outage = new OutageLog();
    assertThat(outage.succeeded()).as("no outage to end").isFalse();
    assertThat(outage.failed()).as("the outage begins").isTrue();
    assertThat(outage.failed()).as("the same outage").isFalse();
    assertThat(outage.succeeded()).as("the outage ends").isTrue();
    assertThat(outage.succeeded()).isFalse();
    assertThat(outage.failed()).as("a new outage").isTrue();
  }
}
