package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TwilioStandIn;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** target/ringback.jar run as an operator runs it: config errors, start-up, SIGTERM. */
class ProcessIT {
  static final String JAR = System.getProperty("ringback.jar", "target/ringback.jar");

  static ProcessBuilder ringback(Path workDir, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", new File(JAR).getAbsolutePath()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("RINGBACK_") || k.startsWith("TWILIO_"));
    return builder;
  }

  static String configError(String yaml, String... env) throws Exception {
    Path dir = Files.createTempDirectory("ringback-config");
    Files.writeString(dir.resolve("bad.yaml"), yaml);
    ProcessBuilder builder = ringback(dir, "--config", "bad.yaml");
    for (int i = 0; i < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(process.getErrorStream().readAllBytes()).strip();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr.lines().count()).as("one line, no stack trace: " + stderr).isEqualTo(1);
    assertThat(Files.exists(dir.resolve("data"))).as("nothing started").isFalse();
    return stderr;
  }

  @Test
  void badConfigurationStopsStartUpWithOneLineNamingTheKey() throws Exception {
    assertThat(configError("http:\n  port: 99999\n")).isEqualTo("ringback: configuration error: http.port: 99999 is out of range 0-65535");
    assertThat(configError("", "RINGBACK_PUBLIC_URL", "not a url"))
        .startsWith("ringback: configuration error: RINGBACK_PUBLIC_URL (http.public-url): ");
    assertThat(configError("lines:\n  - id: main\n    name: Acme\n"))
        .isEqualTo("ringback: configuration error: lines[0].number: missing; it is required");
    assertThat(configError("colour: blue\n")).isEqualTo("ringback: configuration error: colour: unknown key");
  }

  @Test
  void missingConfigFileIsOneLine() throws Exception {
    Path dir = Files.createTempDirectory("ringback-noconfig");
    Process process = ringback(dir, "--config", "nowhere.yaml").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(new String(process.getErrorStream().readAllBytes()).strip()).isEqualTo(
        "ringback: configuration error: nowhere.yaml: no such file (pass another with --config FILE)");
  }

  /** Starts the jar in {@code dir} with the shipped config on a free port and waits until it is healthy. */
  static Process startHealthy(Path dir, Path log, int port, String apiToken, String... env) throws Exception {
    ProcessBuilder builder = ringback(dir).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    for (int i = 0; i < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    builder.environment().put("RINGBACK_HTTP_PORT", Integer.toString(port));
    if (apiToken != null) {
      builder.environment().put("RINGBACK_API_TOKEN", apiToken);
    }
    Process process = builder.start();
    URI health = URI.create("http://127.0.0.1:" + port + "/health");
    RingbackServer.await("the server to become healthy", Duration.ofSeconds(60), () -> {
      assertThat(process.isAlive()).as("ringback exited early; see " + log).isTrue();
      try {
        return RingbackServer.send(HttpRequest.newBuilder(health).build()).statusCode() == 200;
      } catch (RuntimeException e) {
        return false;
      }
    });
    return process;
  }

  /** SIGTERM, then SIGKILL if it has not gone within 30 s. */
  static void stop(Process process) throws InterruptedException {
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
    process.destroyForcibly();
  }

  static String logText(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Path workDir() throws Exception {
    Path dir = Files.createTempDirectory("ringback-run");
    Files.createDirectories(dir.resolve("config"));
    Files.copy(Path.of("config", "ringback.yaml"), dir.resolve("config/ringback.yaml"));
    return dir;
  }

  /**
   * The shipped config, dialling at once: no calls-per-second limit, 5 s leases, 200 ms polls,
   * and any time of day (dialling must not depend on when the test runs); plus {@code more}
   * replacements as (text, replacement) pairs.
   */
  static void quickDialler(Path dir, String... more) throws Exception {
    Path config = dir.resolve("config/ringback.yaml");
    String yaml = Files.readString(config)
        .replace("calls-per-second: 1 ", "calls-per-second: 0 ")
        .replace("lease-seconds: 30", "lease-seconds: 5")
        .replace("poll-millis: 1000", "poll-millis: 200")
        .replace("allowed-hours: \"08:00-21:00\"", "allowed-hours: \"00:00-24:00\"");
    for (int i = 0; i + 1 < more.length; i += 2) {
      yaml = yaml.replace(more[i], more[i + 1]);
    }
    Files.writeString(config, yaml);
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void afterKill9TheNextStartTakesOverTheEmbeddedDataWithNothingLost() throws Exception {
    Path dir = workDir();
    Path log = dir.resolve("ringback.log");
    int port = freePort();
    Process first = startHealthy(dir, log, port, RingbackServer.API_TOKEN);
    String customers = "http://127.0.0.1:" + port + "/api/customers/%2B14155550196";
    var put = RingbackServer.send(HttpRequest.newBuilder(URI.create(customers))
        .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"Survivor\"}")).build());
    assertThat(put.statusCode()).isEqualTo(201);

    long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data/postgres/postmaster.pid")).get(0).trim());
    new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start().waitFor();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("the orphaned postmaster").contains(true);

    Process second = startHealthy(dir, log, port, RingbackServer.API_TOKEN);
    try {
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      var get = RingbackServer.send(HttpRequest.newBuilder(URI.create(customers))
          .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).build());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).contains("Survivor");
      assertThat(Files.readString(log)).contains("left running by an earlier Ringback");
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
      second.destroyForcibly();
    }
  }

  @Test
  void killedWhileDiallingTheRestartedServerDialsEachCallbackExactlyOnce() throws Exception {
    Path dir = workDir();
    quickDialler(dir, "request-timeout-seconds: 10", "request-timeout-seconds: 60");
    Path log = dir.resolve("ringback.log");
    int port = freePort();
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      String[] env = {"TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN,
          "RINGBACK_TWILIO_API_URL", twilio.baseUrl(), "RINGBACK_PUBLIC_URL", RingbackServer.PUBLIC_URL};
      int hung = 3;
      for (int i = 0; i < hung; i++) {
        twilio.hangNext();
      }
      Process first = startHealthy(dir, log, port, RingbackServer.API_TOKEN, env);
      int count = 6;
      for (int i = 0; i < count; i++) {
        var response = RingbackServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/callbacks"))
            .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"phone\":\"+1415555" + (4100 + i) + "\"}")).build());
        assertThat(response.statusCode()).isEqualTo(201);
      }
      // Killed with requests still waiting for Twilio's answer: those calls exist, their fate unknown to Ringback.
      RingbackServer.await("every callback to be requested", Duration.ofSeconds(20), () -> twilio.callCreations().size() >= count);
      new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start().waitFor();
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      twilio.dropHungRequests();

      Process second = startHealthy(dir, log, port, RingbackServer.API_TOKEN, env);
      try {
        RingbackServer.await("the hung requests to be settled", Duration.ofSeconds(30),
            () -> logText(log).split("did place call", -1).length - 1 >= hung);
        var perNumber = twilio.callCreations().stream()
            .collect(java.util.stream.Collectors.groupingBy(r -> r.param("To"), java.util.stream.Collectors.counting()));
        assertThat(perNumber).hasSize(count);
        assertThat(perNumber.values()).as("nobody is called twice").allMatch(n -> n == 1);
      } finally {
        stop(second);
      }
    }
  }

  @Test
  void startsOnTheEmbeddedDefaultsAndStopsCleanlyOnSigterm() throws Exception {
    Path dir = workDir();
    Path log = dir.resolve("ringback.log");
    Process process = startHealthy(dir, log, freePort(), null);
    try {
      assertThat(Files.exists(dir.resolve("data/postgres/postmaster.pid"))).isTrue();
      assertThat(Files.readString(log)).contains("Generated the API token");

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits within 30 s of SIGTERM").isTrue();
      String output = Files.readString(log);
      assertThat(output).contains("Stopped the embedded PostgreSQL").contains("Ringback stopped");
      assertThat(output).doesNotContain("Exception");
      assertThat(Files.exists(dir.resolve("data/postgres/postmaster.pid"))).as("postmaster stopped").isFalse();
    } finally {
      process.destroyForcibly();
    }
  }
}
