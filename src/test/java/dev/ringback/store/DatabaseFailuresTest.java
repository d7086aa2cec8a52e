package dev.ringback.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures are the pool's wait for a connection: only those the start asks again. */
class DatabaseFailuresTest {
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new VertxException("Timeout waiting for connection", true), true, true),
        Arguments.of(new VertxException("Timeout", true), true, true),
        Arguments.of(new VertxException("Connection refused"), false, false),
        Arguments.of(new PgException("sorry, too many clients already", "FATAL", "53300", null), false, true),
        Arguments.of(new PgException("canceling statement due to statement timeout", "ERROR", "57014", null), false, true),
        Arguments.of(new IllegalStateException("Timeout waiting for connection"), false, false));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void theWaitForAConnectionIsToldFromOtherFailures(Throwable failure, boolean waited, boolean busy) {
    assertThat(DatabaseFailures.waitedForAConnection(failure)).isEqualTo(waited);
    assertThat(DatabaseFailures.isBusy(failure)).isEqualTo(busy);
  }
}
