package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TwilioSigner;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * target/ringback.jar at {@code -Xmx256m}, as shipped, flooded by a stranger with stalled
 * uploads: 30 connections sending 10 MB CSV imports without a token, and 10 sending forged
 * webhooks, each held one byte short.
 * Throughout, /health and a signed /twilio/voice must answer within 2 s, and the process must
 * never run out of memory.
 */
class FloodIT {
  /** Each sends 10 MB imports without a token. */
  static final int ATTACKERS = 30;
  /** Each sends forged Twilio webhooks of 60 kB. */
  static final int FORGERS = 10;
  static final Duration FLOOD = Duration.ofSeconds(20);
  static final long ANSWER_WITHIN_MILLIS = 2000;

  @Test
  void stalledUploadsWithoutATokenCannotStopTheServer() throws Exception {
    Path dir = ProcessIT.workDir();
    Path log = dir.resolve("ringback.log");
    int port = ProcessIT.freePort();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-jar", new File(ProcessIT.JAR).getAbsolutePath()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("RINGBACK_") || k.startsWith("TWILIO_"));
    builder.environment().putAll(Map.of("RINGBACK_HTTP_PORT", Integer.toString(port), "RINGBACK_API_TOKEN", RingbackServer.API_TOKEN,
        "RINGBACK_PUBLIC_URL", RingbackServer.PUBLIC_URL, "TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN, "RINGBACK_TWILIO_API_URL", "http://127.0.0.1:9"));
    Process server = builder.start();
    try {
      RingbackServer.await("the server to become healthy", Duration.ofSeconds(60), () -> {
        ProcessIT.requireRunning(server, log);
        try {
          return health(port).statusCode() == 200;
        } catch (RuntimeException e) {
          return false;
        }
      });

      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      Duration cpuBefore = server.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
      long slowest = 0;
      AtomicLong uploaded = new AtomicLong();
      AtomicLong connections = new AtomicLong();
      long end = System.nanoTime() + FLOOD.toNanos();
      List<Thread> attackers = new ArrayList<>();
      for (int i = 0; i < ATTACKERS + FORGERS; i++) {
        String[] target = i < ATTACKERS ? new String[] {"/api/customers/import", "text/csv", "10485760", null}
            : new String[] {"/twilio/status", "application/x-www-form-urlencoded", "60000", "X-Twilio-Signature"};
        Thread attacker = new Thread(() -> attack(port, target, end, uploaded, connections), "attacker-" + i);
        attacker.setDaemon(true);
        attacker.start();
        attackers.add(attacker);
      }
      int probes = 0;
      while (System.nanoTime() < end) {
        long started = System.nanoTime();
        probe(problems, "/health", () -> health(port).statusCode(), started);
        long voiceStarted = System.nanoTime();
        probe(problems, "/twilio/voice", () -> voice(port, "CAflood" + voiceStarted).statusCode(), voiceStarted);
        slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
        probes++;
        Thread.sleep(250);
      }
      for (Thread attacker : attackers) {
        attacker.join(10_000);
      }
      String output = Files.readString(log);
      Duration cpu = server.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).minus(cpuBefore);
      System.out.printf("flood test: %d uploaders and %d forgers opened %d connections and wrote %d MB into them in %d s;"
          + " the server used %.1f s of CPU; %d probes (slowest pair %d ms), %d problems%n", ATTACKERS, FORGERS, connections.get(),
          uploaded.get() / (1024 * 1024), FLOOD.toSeconds(),
          cpu.toMillis() / 1000.0, probes, slowest, problems.size());
      assertThat(server.isAlive()).as("still running; see " + log).isTrue();
      assertThat(output).doesNotContain("OutOfMemoryError");
      assertThat(problems).as("/health and /twilio/voice answered within " + ANSWER_WITHIN_MILLIS + " ms throughout").isEmpty();
      assertThat(health(port).statusCode()).isEqualTo(200);
    } finally {
      ProcessIT.stop(server);
    }
  }

  interface Status {
    int get() throws Exception;
  }

  private static void probe(ConcurrentLinkedQueue<String> problems, String what, Status status, long startedNanos) {
    try {
      int code = status.get();
      long millis = (System.nanoTime() - startedNanos) / 1_000_000;
      if (code != 200 || millis > ANSWER_WITHIN_MILLIS) {
        problems.add(what + ": " + code + " after " + millis + " ms");
      }
    } catch (Exception e) {
      problems.add(what + ": " + e);
    }
  }

  private static java.net.http.HttpResponse<String> health(int port) {
    return RingbackServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofMillis(ANSWER_WITHIN_MILLIS)).build());
  }

  private static java.net.http.HttpResponse<String> voice(int port, String callSid) {
    List<Map.Entry<String, String>> params = RingbackServer.pairs("CallSid", callSid, "From", "+14155550177",
        "To", "+14155550100");
    String signature = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, RingbackServer.PUBLIC_URL + "/twilio/voice", params);
    return RingbackServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/twilio/voice"))
        .timeout(Duration.ofMillis(ANSWER_WITHIN_MILLIS))
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(RingbackServer.form(params))).build());
  }

  /**
   * Again and again until the flood ends: a request announcing a large body, sent as fast as the
   * server takes it up to one byte short, then held open until the server closes it.
   *
   * @param target path, content type, declared length, and a header to forge (or null)
   */
  private static void attack(int port, String[] target, long endNanos, AtomicLong uploaded, AtomicLong connections) {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'a');
    long length = Long.parseLong(target[2]);
    while (System.nanoTime() < endNanos) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        connections.incrementAndGet();
        socket.setSoTimeout(1000);
        OutputStream out = socket.getOutputStream();
        String head = "POST " + target[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + target[1]
            + "\r\nContent-Length: " + length + "\r\n" + (target[3] == null ? "" : target[3] + ": forged\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        long sent = 0;
        while (sent < length - 1 && System.nanoTime() < endNanos) {
          int n = (int) Math.min(chunk.length, length - 1 - sent);
          out.write(chunk, 0, n);
          sent += n;
          uploaded.addAndGet(n);
        }
        // Stalled one byte short: held until the server gives up on it or the flood ends.
        while (System.nanoTime() < endNanos) {
          try {
            if (socket.getInputStream().read() < 0) {
              break;
            }
          } catch (java.net.SocketTimeoutException e) {
            // still open
          }
        }
      } catch (IOException e) {
        // The server closed the connection on us: start again.
      }
    }
  }
}
