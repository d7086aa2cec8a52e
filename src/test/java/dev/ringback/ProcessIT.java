package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
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

  @Test
  void startsOnTheEmbeddedDefaultsAndStopsCleanlyOnSigterm() throws Exception {
    Path dir = Files.createTempDirectory("ringback-run");
    Files.createDirectories(dir.resolve("config"));
    Files.copy(Path.of("config", "ringback.yaml"), dir.resolve("config/ringback.yaml"));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = dir.resolve("ringback.log");
    ProcessBuilder builder = ringback(dir).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("RINGBACK_HTTP_PORT", Integer.toString(port));
    Process process = builder.start();
    try {
      URI health = URI.create("http://127.0.0.1:" + port + "/health");
      RingbackServer.await("the server to become healthy", Duration.ofSeconds(60), () -> {
        try {
          return RingbackServer.send(HttpRequest.newBuilder(health).build()).statusCode() == 200;
        } catch (RuntimeException e) {
          return false;
        }
      });
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
