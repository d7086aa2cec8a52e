package dev.ringback.bench;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Dispatcher throughput and due-to-request delay: N callbacks become due at once, the CPS
 * limit is lifted, and the Twilio stand-in records when each Calls.json request arrives.
 * Not a test: run with bench/run-dispatch.sh.
 */
public final class DispatchBenchmark {
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    TestDatabase db = TestDatabase.create();
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      String yaml = "twilio:\n  worker-threads: " + workers + "\ndialer:\n  calls-per-second: 0\n  batch-size: " + (workers * 4)
          + "\n  poll-millis: 1000\n" + RingbackServer.LINES_YAML;
      try (RingbackServer server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), Clock.systemUTC())) {
        // Warm-up: JIT, connections.
        run(db, twilio, 200, 0);
        twilio.reset();
        Result result = run(db, twilio, count, 200);
        System.out.printf("callbacks=%d workers=%d elapsed_ms=%d rate_per_s=%.0f delay_p50_ms=%d delay_p99_ms=%d delay_max_ms=%d%n",
            count, workers, result.elapsed.toMillis(), count * 1000.0 / Math.max(1, result.elapsed.toMillis()),
            result.p50, result.p99, result.max);
      }
    }
    System.exit(0);
  }

  record Result(Duration elapsed, long p50, long p99, long max) {}

  static Result run(TestDatabase db, TwilioStandIn twilio, int count, int offset) {
    Instant due = Instant.now();
    db.query("INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, last_triggered_at, due_at) "
        + "SELECT 1, (SELECT id FROM lines WHERE slug = 'main'), '+1' || (2000000000 + g + ?)::text, 'manual', ?, ?, ? "
        + "FROM generate_series(1, ?) g", offset, java.sql.Timestamp.from(due), java.sql.Timestamp.from(due),
        java.sql.Timestamp.from(due), count);
    RingbackServer.await(count + " dials", Duration.ofMinutes(5), () -> twilio.callCreationCount() >= count);
    List<Long> delays = new ArrayList<>();
    Instant last = due;
    for (var request : twilio.callCreations()) {
      delays.add(Duration.between(due, request.receivedAt()).toMillis());
      if (request.receivedAt().isAfter(last)) {
        last = request.receivedAt();
      }
    }
    Collections.sort(delays);
    return new Result(Duration.between(due, last), delays.get(delays.size() / 2), delays.get((int) (delays.size() * 0.99)),
        delays.get(delays.size() - 1));
  }
}
