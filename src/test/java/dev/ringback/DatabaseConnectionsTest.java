package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TcpProxy;
import dev.ringback.support.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pool's connections are open once the server has started: signing in to PostgreSQL (SCRAM's
 * key derivation) and starting a server process for each would otherwise fall on the first
 * webhooks, which then wait for it.
 */
class DatabaseConnectionsTest {
  @Test
  void theWholePoolIsOpenBeforeTheFirstWebhook() {
    TestDatabase db = TestDatabase.create();
    try (RingbackServer server = RingbackServer.start(db, "http://127.0.0.1:9")) {
      // Besides the pool, the dialler's connection that listens for new work.
      assertThat(db.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
          + "AND backend_type = 'client backend'")).isGreaterThanOrEqualTo(server.ringback().services().config().database().poolSize());
      assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }
  }

  /**
   * A query waits at most wait-timeout-millis for a connection; the start waits longer for a
   * database slower than that to let a new connection in (a loaded server starting its process)
   * rather than stop with "Timeout waiting for connection" while the connections are coming.
   */
  @Test
  void aDatabaseSlowerToLetAConnectionInThanARequestWaitsStillStarts() {
    TestDatabase db = TestDatabase.create();
    try (TcpProxy slow = TcpProxy.to(db.port())) {
      slow.delayNewConnections(Duration.ofMillis(1500));
      Map<String, String> env = new HashMap<>(RingbackServer.environment(db, "http://127.0.0.1:9"));
      env.put("RINGBACK_DATABASE_URL", db.url().replace(":" + db.port() + "/", ":" + slow.port() + "/"));
      String yaml = """
          database:
            wait-timeout-millis: 300
          """ + RingbackServer.LINES_YAML;
      try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC())) {
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
        var voice = server.twilio("/twilio/voice", "CallSid", "CAslowdb01", "From", "+14155550232", "To", RingbackServer.LINE_NUMBER);
        assertThat(voice.statusCode()).isEqualTo(200);
        assertThat(voice.body()).contains("<Dial");
      }
    }
  }
}
