package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ringback.config.RingbackConfig;
import dev.ringback.support.RingbackServer;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database starts beside the rest; when it cannot, start-up fails with its reason and leaves nothing running. */
class StartupFailureTest {
  @Test
  void anUnreachableDatabaseFailsTheStartWithItsOwnErrorAndStopsVertx() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RingbackConfig config = RingbackConfig.parse("test.yaml", "http:\n  port: 0\n",
        Map.of("RINGBACK_DATABASE_URL", "postgresql://ringback:secret@127.0.0.1:" + closedPort + "/ringback"));
    long threadsBefore = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vert.x-")).count();
    Exception failure = assertThrows(Exception.class, () -> Ringback.start(config, Clock.systemUTC()));
    assertThat(failure).isNotInstanceOf(java.util.concurrent.ExecutionException.class);
    assertThat(failure.getMessage()).contains("127.0.0.1");
    // Vert.x was built while the database was tried: it is closed again (its threads end).
    RingbackServer.await("Vert.x threads to end", Duration.ofSeconds(10),
        () -> Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vert.x-") && t.isAlive()).count()
            <= threadsBefore);
  }
}
