package dev.ringback.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a process of its own ({@code java -jar target/ringback.jar}, or any main class),
 * so its heap and RSS are its own and the load generator's CPU is not charged to it.
 * Samples its resident set (from /proc) and heap in use (from its /metrics) while it runs.
 */
final class ServerProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$", Pattern.MULTILINE);

  final Process process;
  final int port;
  final long startedNanos;
  final Path log;
  final List<String> command;
  long healthyNanos;
  private volatile boolean sampling;
  private volatile long maxRssKb;
  private volatile double maxHeapBytes;
  private Thread sampler;

  private ServerProcess(Process process, int port, long startedNanos, Path log, List<String> command) {
    this.process = process;
    this.port = port;
    this.startedNanos = startedNanos;
    this.log = log;
    this.command = command;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java <jvmArgs> <mainArgs>} with the environment given; port is passed as RINGBACK_HTTP_PORT. */
  static ServerProcess start(List<String> jvmArgs, List<String> mainArgs, Map<String, String> env, Path log, int port) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(mainArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("RINGBACK_") || k.startsWith("TWILIO_"));
    builder.environment().putAll(env);
    builder.environment().put("RINGBACK_HTTP_PORT", Integer.toString(port));
    try {
      Files.createDirectories(log.getParent());
      long started = System.nanoTime();
      return new ServerProcess(builder.start(), port, started, log, command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Polls GET /health every 10 ms; returns the milliseconds from process start to the first 200. */
  double awaitHealthy(Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          healthyNanos = System.nanoTime();
          return (healthyNanos - startedNanos) / 1e6;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(10);
    }
    throw new IllegalStateException("not healthy within " + deadline.toSeconds() + " s; see " + log);
  }

  long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  /** Heap in use, the sum of the heap pools on the server's own /metrics. */
  double heapBytes() {
    try {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = HEAP.matcher(body);
      double sum = 0;
      while (m.find()) {
        sum += Double.parseDouble(m.group(1));
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** Starts recording the highest RSS and heap in use, sampled every 500 ms. */
  void startSampling() {
    maxRssKb = 0;
    maxHeapBytes = 0;
    sampling = true;
    sampler = new Thread(() -> {
      while (sampling) {
        maxRssKb = Math.max(maxRssKb, rssKb());
        maxHeapBytes = Math.max(maxHeapBytes, heapBytes());
        sleep(500);
      }
    }, "sampler-" + port);
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Stops sampling; returns {max RSS MiB, max heap in use MiB}. */
  double[] stopSampling() {
    sampling = false;
    try {
      sampler.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new double[] {maxRssKb / 1024.0, maxHeapBytes / (1024.0 * 1024.0)};
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
