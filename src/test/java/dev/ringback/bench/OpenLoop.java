package dev.ringback.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * An open-loop load generator: request n is due at start + n / rate, whatever happened to the
 * requests before it, and its latency is measured from that intended send time, so a server
 * that falls behind shows its queue (no coordinated omission). Requests are built before the
 * clock starts (signing included), so the generator spends its time sending.
 */
final class OpenLoop implements AutoCloseable {
  /** One request, ready to send. */
  record Request(HttpMethod method, String path, String contentType, String[] headers, Buffer body) {}

  /** What {@link Result#statuses()} holds for a request the client gave up on, at the timeout. */
  static final int TIMED_OUT = -1;
  /** What {@link Result#statuses()} holds for a request that failed without an HTTP answer (a connection error). */
  static final int NO_ANSWER = 0;

  /**
   * A step's outcome; latencies in microseconds, sorted: {@code micros} from each request's
   * intended send time, {@code sentMicros} from the moment it had a connection and was sent (what
   * the server took, without the generator's own wait for a free connection); each request's HTTP
   * status by its index (or {@link #TIMED_OUT}, {@link #NO_ANSWER}).
   */
  record Result(int rate, int seconds, long[] micros, int errors, double achieved, String firstError, java.time.Instant startWall,
                int[] statuses, long[] sentMicros) {
    double p(double percentile) {
      if (micros.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(micros.length * percentile / 100.0) - 1;
      return micros[Math.max(0, Math.min(micros.length - 1, index))] / 1000.0;
    }

    double max() {
      return micros.length == 0 ? Double.NaN : micros[micros.length - 1] / 1000.0;
    }

    /** Sustained: every request answered 2xx, at least 95% of the offered rate, p99 under the bound. */
    boolean sustained(double p99BoundMs) {
      return errors == 0 && achieved >= rate * 0.95 && p(99) < p99BoundMs;
    }

    String summary() {
      return String.format("rate=%d/s achieved=%.0f/s errors=%d p50=%.1fms p99=%.1fms max=%.1fms", rate, achieved, errors, p(50), p(99),
          max());
    }
  }

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final long timeoutMillis;

  OpenLoop(String host, int port, int connections) {
    this(host, port, connections, 0);
  }

  /** @param timeoutMillis a request without an answer this long after it was sent is given up ({@link #TIMED_OUT}); 0: never */
  OpenLoop(String host, int port, int connections, long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
    this.vertx = Vertx.vertx();
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setKeepAlive(true)
            // Connections stay open between steps: evicting the idle ones after Vert.x's default 60 s
            // closes and reopens most of the pool at once, which stalled a step by 300-600 ms.
            .setKeepAliveTimeout(0),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  /** {@code rate} requests a second for {@code seconds}; request n is {@code requests.apply(n)}. */
  Result run(int rate, int seconds, IntFunction<Request> requests) throws InterruptedException {
    int total = rate * seconds;
    Request[] prepared = new Request[total];
    for (int i = 0; i < total; i++) {
      prepared[i] = requests.apply(i);
    }
    long[] micros = new long[total];
    int[] statuses = new int[total];
    long[] sentNanos = new long[total];
    long[] sentMicros = new long[total];
    AtomicInteger errors = new AtomicInteger();
    AtomicLong lastAnswer = new AtomicLong();
    String[] firstError = new String[1];
    CountDownLatch done = new CountDownLatch(total);
    AtomicInteger issued = new AtomicInteger();
    long start = System.nanoTime();
    java.time.Instant startWall = java.time.Instant.now();
    vertx.setPeriodic(1, id -> {
      long elapsed = System.nanoTime() - start;
      int due = (int) Math.min(total, elapsed * rate / 1_000_000_000L + 1);
      while (issued.get() < due) {
        int n = issued.getAndIncrement();
        long intended = start + n * 1_000_000_000L / rate;
        send(prepared[n], sent -> sentNanos[n] = sent).onComplete(ar -> {
          long now = System.nanoTime();
          micros[n] = (now - intended) / 1000;
          sentMicros[n] = sentNanos[n] == 0 ? micros[n] : (now - sentNanos[n]) / 1000;
          statuses[n] = ar.succeeded() ? ar.result() : ar.cause() instanceof java.util.concurrent.TimeoutException ? TIMED_OUT : NO_ANSWER;
          lastAnswer.accumulateAndGet(now, Math::max);
          if (ar.failed() || ar.result() / 100 != 2) {
            if (errors.getAndIncrement() == 0) {
              firstError[0] = ar.failed() ? ar.cause().toString() : "HTTP " + ar.result();
            }
          }
          done.countDown();
        });
      }
      if (issued.get() >= total) {
        vertx.cancelTimer(id);
      }
    });
    if (!done.await(seconds + 120L, TimeUnit.SECONDS)) {
      throw new IllegalStateException("requests still unanswered two minutes after the run");
    }
    Arrays.sort(micros);
    Arrays.sort(sentMicros);
    double achieved = total * 1e9 / Math.max(1, lastAnswer.get() - start);
    return new Result(rate, seconds, micros, errors.get(), achieved, firstError[0], startWall, statuses, sentMicros);
  }

  /** The HTTP status, once the whole answer arrived. */
  Future<Integer> send(Request r) {
    return send(r, sent -> { });
  }

  /** @param sent told the time (System.nanoTime) the request got its connection and was sent */
  private Future<Integer> send(Request r, java.util.function.LongConsumer sent) {
    return client.request(r.method(), r.path()).compose(request -> {
      sent.accept(System.nanoTime());
      if (timeoutMillis > 0) {
        request.idleTimeout(timeoutMillis);
      }
      if (r.contentType() != null) {
        request.putHeader("Content-Type", r.contentType());
      }
      for (int i = 0; i + 1 < r.headers().length; i += 2) {
        request.putHeader(r.headers()[i], r.headers()[i + 1]);
      }
      return request.send(r.body()).compose(response -> response.body().map(b -> response.statusCode()));
    });
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
