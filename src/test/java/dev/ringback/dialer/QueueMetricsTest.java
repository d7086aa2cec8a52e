package dev.ringback.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The queue gauges, including the age of the oldest due callback, are read from the database. */
class QueueMetricsTest {

  @Test
  void theOldestDueCallbackIsMeasuredWhileTheDiallerIsHeldBack() {
    TestDatabase db = TestDatabase.create();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String yaml = "dialer:\n  calls-per-second: 1\n  batch-size: 1\n  poll-millis: 100\n" + RingbackServer.LINES_YAML;
    try (RingbackServer server = RingbackServer.start(yaml, RingbackServer.environment(db, "http://127.0.0.1:9"),
        Clock.fixed(now, ZoneOffset.UTC))) {
      // The deployment's next call slot is a day away: the dialler claims one callback and waits for it.
      db.query("UPDATE dial_pacing SET next_slot = ?", Timestamp.from(now.plus(Duration.ofDays(1))));
      for (int secondsAgo : new int[] {300, 200, 100}) {
        db.query("INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, last_triggered_at, due_at) "
                + "SELECT 1, id, ?, 'manual', ?, ?, ? FROM lines WHERE slug = 'main'", "+1415555" + (1000 + secondsAgo),
            Timestamp.from(now), Timestamp.from(now), Timestamp.from(now.minusSeconds(secondsAgo)));
      }
      RingbackServer.await("the gauges to show two due callbacks", Duration.ofSeconds(15),
          () -> server.metric("ringback_callback_queue", "state=\"due\"") == 2.0
              && server.metric("ringback_callback_queue", "state=\"dialing\"") == 1.0);
      assertThat(server.metric("ringback_callback_oldest_due_seconds")).as("the oldest left waiting was due 200 s ago").isEqualTo(200.0);
      assertThat(server.metric("ringback_callback_queue", "state=\"scheduled\"")).isEqualTo(2.0);
    }
  }
}
