package dev.ringback.bench;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Order webhook to dial: signed generic orders are sent open-loop at a fixed rate (latency is
 * measured from each request's scheduled send time, so a stalled server cannot hide its
 * queue), the CPS limit is lifted, and the Twilio stand-in records when each Calls.json
 * request arrives. Then a rate ladder finds the highest webhook rate answered with p99 under
 * 50 ms. Not a test: run with bench/run-orders.sh.
 */
public final class OrderBenchmark {
  static final String SECRET = "bench-order-secret-0123456789";
  static final AtomicInteger PHONES = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<Integer> ladder = new ArrayList<>();
    for (String rate : (args.length > 1 ? args[1] : "250,500,1000,1500,2000").split(",")) {
      ladder.add(Integer.parseInt(rate.trim()));
    }
    TestDatabase db = TestDatabase.create();
    Vertx load = Vertx.vertx();
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      Map<String, String> env = new HashMap<>(RingbackServer.environment(db, twilio.baseUrl()));
      env.put("RINGBACK_ORDER_SECRET", SECRET);
      // -Dbench.cps=N limits the dialler, to measure the webhook without the dialling beside it.
      String yaml = "twilio:\n  worker-threads: 16\ndialer:\n  calls-per-second: " + Integer.getInteger("bench.cps", 0)
          + "\n  batch-size: 64\n" + RingbackServer.LINES_YAML;
      try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC())) {
        int port = Integer.parseInt(server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1));
        HttpClientAgent client = load.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
            new PoolOptions().setHttp1MaxSize(256));

        run(load, client, 300, 10); // warm-up: JIT, connections
        twilio.reset();

        boolean dialling = Integer.getInteger("bench.cps", 0) == 0;
        if (dialling) {
          Run steady = run(load, client, 50, seconds);
          RingbackServer.await("every order dialled", Duration.ofMinutes(2), () -> twilio.callCreationCount() >= steady.sent.size());
          List<Long> toDial = new ArrayList<>();
          for (var request : twilio.callCreations()) {
            Instant sent = steady.sent.get(request.param("To"));
            if (sent != null) {
              toDial.add(Duration.between(sent, request.receivedAt()).toMillis());
            }
          }
          System.out.printf("steady rate=50/s orders=%d errors=%d webhook_p50_ms=%.1f webhook_p99_ms=%.1f webhook_max_ms=%.1f "
                  + "order_to_dial_p50_ms=%d order_to_dial_p99_ms=%d order_to_dial_max_ms=%d%n",
              steady.sent.size(), steady.errors.get(), pct(steady.latencies, 50), pct(steady.latencies, 99), pct(steady.latencies, 100),
              (long) pctL(toDial, 50), (long) pctL(toDial, 99), (long) pctL(toDial, 100));
        }
        for (int rate : ladder) {
          Run r = run(load, client, rate, 10);
          System.out.printf("ladder rate=%d/s achieved=%.0f/s errors=%d webhook_p50_ms=%.1f webhook_p99_ms=%.1f webhook_max_ms=%.1f%n",
              rate, r.achieved(), r.errors.get(), pct(r.latencies, 50), pct(r.latencies, 99), pct(r.latencies, 100));
          if (dialling) {
            RingbackServer.await("the dialler to catch up", Duration.ofMinutes(5),
                () -> db.count("SELECT count(*) FROM callbacks WHERE state = 'scheduled'") == 0);
          }
        }
      }
    } finally {
      load.close();
    }
    System.exit(0);
  }

  /** What one run sent: each order's phone and intended send time, and each answer's latency. */
  record Run(Map<String, Instant> sent, List<Double> latencies, AtomicInteger errors, long[] window) {
    /** Answers per second, from the first send to the last answer. */
    double achieved() {
      return latencies.size() * 1e9 / Math.max(1, window[1] - window[0]);
    }
  }

  /** Open loop: {@code rate} orders a second for {@code seconds}, each timed from when it was due to be sent. */
  static Run run(Vertx load, HttpClientAgent client, int rate, int seconds) throws InterruptedException {
    int total = rate * seconds;
    long start = System.nanoTime();
    Run run = new Run(new ConcurrentHashMap<>(), Collections.synchronizedList(new ArrayList<>()), new AtomicInteger(),
        new long[] {start, start});
    CountDownLatch done = new CountDownLatch(total);
    AtomicInteger issued = new AtomicInteger();
    load.setPeriodic(1, id -> {
      long elapsed = System.nanoTime() - start;
      int due = (int) Math.min(total, elapsed * rate / 1_000_000_000L + 1);
      while (issued.get() < due) {
        int n = issued.getAndIncrement();
        long intended = start + n * 1_000_000_000L / rate;
        send(client, run, intended).onComplete(v -> {
          run.window[1] = Math.max(run.window[1], System.nanoTime());
          done.countDown();
        });
      }
      if (issued.get() >= total) {
        load.cancelTimer(id);
      }
    });
    if (!done.await(seconds + 120L, TimeUnit.SECONDS)) {
      throw new IllegalStateException("orders still unanswered after the run");
    }
    return run;
  }

  static Future<Void> send(HttpClientAgent client, Run run, long intendedNanos) {
    int i = PHONES.getAndIncrement();
    String phone = "+1415" + (200 + (i / 10000) % 700) + String.format("%04d", i % 10000);
    byte[] body = ("{\"order_id\":\"bench-" + i + "\",\"phone\":\"" + phone + "\",\"name\":\"Bench Buyer\",\"total\":42.5,"
        + "\"currency\":\"USD\",\"items\":1}").getBytes(StandardCharsets.UTF_8);
    String signature = ShopSigner.generic(SECRET, body);
    Instant wallIntended = Instant.now().minusNanos(System.nanoTime() - intendedNanos);
    run.sent.put(phone, wallIntended);
    return client.request(HttpMethod.POST, "/orders")
        .compose(request -> request.putHeader("Content-Type", "application/json").putHeader("X-Ringback-Signature", signature)
            .send(Buffer.buffer(body)))
        .compose(response -> response.body().map(b -> response.statusCode()))
        .map(status -> {
          run.latencies.add((System.nanoTime() - intendedNanos) / 1e6);
          if (status != 200) {
            run.errors.incrementAndGet();
          }
          return (Void) null;
        })
        .recover(e -> {
          run.errors.incrementAndGet();
          return Future.succeededFuture();
        });
  }

  static double pct(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
  }

  static double pctL(List<Long> values, int p) {
    return pct(values.stream().map(Long::doubleValue).toList(), p);
  }
}
