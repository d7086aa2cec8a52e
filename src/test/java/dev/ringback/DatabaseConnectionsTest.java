package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
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
}
