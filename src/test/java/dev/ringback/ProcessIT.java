package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
  void aTakenPortStopsStartUpWithOneLineNamingItBeforeAnythingStarts() throws Exception {
    Path dir = workDir();
    try (ServerSocket taken = new ServerSocket(0)) {
      ProcessBuilder builder = ringback(dir).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("RINGBACK_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      Process process = builder.start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(1);
      assertThat(new String(process.getErrorStream().readAllBytes()).strip())
          .isEqualTo("ringback: could not start: port " + taken.getLocalPort() + " is in use");
      assertThat(Files.exists(dir.resolve("data"))).as("no database was made, no token generated").isFalse();
    }
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
      requireRunning(process, log);
      try {
        return RingbackServer.send(HttpRequest.newBuilder(health).build()).statusCode() == 200;
      } catch (RuntimeException e) {
        return false;
      }
    });
    return process;
  }

  /** Fails with the exit status and the end of the log when the server has exited: CI keeps the output, not the files. */
  static void requireRunning(Process process, Path log) {
    if (!process.isAlive()) {
      List<String> lines = readQuietly(log).lines().toList();
      throw new AssertionError("ringback exited early with status " + process.exitValue() + "; the end of " + log + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }
  }

  static String readQuietly(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
   * any time of day (dialling must not depend on when the test runs), and the customer called
   * first (the agent-first call has a test of its own); plus {@code more} replacements as (text,
   * replacement) pairs.
   */
  static void quickDialler(Path dir, String... more) throws Exception {
    Path config = dir.resolve("config/ringback.yaml");
    String yaml = Files.readString(config)
        .replace("  mode: auto ", "  mode: customer-first ")
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

  /**
   * A missed caller's text-back through a kill: its request to Twilio hangs (Twilio has the text,
   * Ringback never hears so), and the process is killed. The next start finds the text at Twilio
   * and does not send it again.
   */
  @Test
  void killedBetweenTheCallsEndAndItsTextTheTextIsSentOnce() throws Exception {
    Path dir = workDir();
    quickDialler(dir, "  text-back: false ", "  text-back: true ", "request-timeout-seconds: 10", "request-timeout-seconds: 60");
    Path log = dir.resolve("ringback.log");
    int port = freePort();
    String caller = "+14155554301";
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      String[] env = {"TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN,
          "RINGBACK_TWILIO_API_URL", twilio.baseUrl(), "RINGBACK_PUBLIC_URL", RingbackServer.PUBLIC_URL};
      twilio.hangNextMessage();
      Process first = startHealthy(dir, log, port, RingbackServer.API_TOKEN, env);
      twilio(port, RingbackServer.PUBLIC_URL + "/twilio/voice", "CallSid", "CAkilltext01", "From", caller, "To",
          RingbackServer.LINE_NUMBER, "AccountSid", RingbackServer.ACCOUNT_SID);
      twilio(port, RingbackServer.PUBLIC_URL + "/twilio/dial", "CallSid", "CAkilltext01", "From", caller, "To",
          RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer", "AccountSid", RingbackServer.ACCOUNT_SID);
      twilio.awaitMessageCreations(1, Duration.ofSeconds(20));
      new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start().waitFor();
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      twilio.dropHungRequests();

      Process second = startHealthy(dir, log, port, RingbackServer.API_TOKEN, env);
      try {
        RingbackServer.await("the text in doubt to be found at Twilio", Duration.ofSeconds(30),
            () -> logText(log).contains("was sent before its sender stopped"));
        assertThat(twilio.messages().stream().filter(m -> caller.equals(m.getString("to")))).hasSize(1);
        assertThat(twilio.messageCreations()).as("one request, never repeated").hasSize(1);
      } finally {
        stop(second);
      }
    }
  }

  /** A webhook to the process as Twilio sends it: signed for the public URL it was handed. */
  static HttpResponse<String> twilio(int port, String url, String... nameValues) {
    assertThat(url).startsWith(RingbackServer.PUBLIC_URL);
    String pathAndQuery = url.substring(RingbackServer.PUBLIC_URL.length());
    List<Map.Entry<String, String>> params = RingbackServer.pairs(nameValues);
    HttpResponse<String> response = RingbackServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .header("X-Twilio-Signature", TwilioSigner.sign(RingbackServer.AUTH_TOKEN, url, params))
        .POST(HttpRequest.BodyPublishers.ofString(RingbackServer.form(params))).build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  /**
   * An agent-first callback through two kills: while its request to call the agent hangs at
   * Twilio, and once the agent pressed 1 (between the agent's call and the customer's). Each
   * restart takes over; the agent is called once, and the customer dialled once.
   */
  @Test
  void killedAroundAnAgentFirstCallbackNobodyIsDialledTwice() throws Exception {
    Path dir = workDir();
    quickDialler(dir, "  mode: customer-first ", "  mode: agent-first ", "request-timeout-seconds: 10", "request-timeout-seconds: 60");
    Path log = dir.resolve("ringback.log");
    int port = freePort();
    String agent = RingbackServer.AGENT_NUMBER;
    String customer = "+14155554300";
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      String[] env = {"TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN,
          "RINGBACK_TWILIO_API_URL", twilio.baseUrl(), "RINGBACK_PUBLIC_URL", RingbackServer.PUBLIC_URL};
      twilio.hangNext();
      Process first = startHealthy(dir, log, port, RingbackServer.API_TOKEN, env);
      var created = RingbackServer.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/callbacks"))
          .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"phone\":\"" + customer + "\"}")).build());
      assertThat(created.statusCode()).isEqualTo(201);
      long id = new JsonObject(created.body()).getLong("id");
      // Killed while its request to call the agent waits for Twilio's answer: the call exists, unknown to Ringback.
      RingbackServer.await("the agent's call to be requested", Duration.ofSeconds(20), () -> twilio.callCreations().size() == 1);
      new ProcessBuilder("kill", "-9", Long.toString(first.pid())).start().waitFor();
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      twilio.dropHungRequests();
      TwilioStandIn.RecordedRequest call = twilio.callCreations().get(0);
      assertThat(call.param("To")).isEqualTo(agent);

      Process second = startHealthy(dir, log, port, RingbackServer.API_TOKEN, env);
      String agentSid;
      try {
        RingbackServer.await("the restarted server to find the agent's call at Twilio", Duration.ofSeconds(30),
            () -> logText(log).contains("the unanswered request did place call"));
        agentSid = twilio.calls().get(0).getString("sid");
        String whisper = twilio(port, call.param("Url"), "CallSid", agentSid, "From", RingbackServer.LINE_NUMBER, "To", agent,
            "CallStatus", "in-progress", "Direction", "outbound-api").body();
        String keyUrl = Xml.child(Xml.parse(whisper), "Gather").getAttribute("action");
        String dial = twilio(port, keyUrl, "CallSid", agentSid, "From", RingbackServer.LINE_NUMBER, "To", agent, "Digits", "1").body();
        assertThat(Xml.child(Xml.child(Xml.parse(dial), "Dial"), "Number").getTextContent()).isEqualTo(customer);
        // Killed once the agent pressed 1: Twilio is dialling the customer.
        new ProcessBuilder("kill", "-9", Long.toString(second.pid())).start().waitFor();
        assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
      } finally {
        second.destroyForcibly();
      }

      Process third = startHealthy(dir, log, port, RingbackServer.API_TOKEN, env);
      try {
        // The key again (Twilio's retry after the failed request, or the agent pressing again) dials nobody.
        String whisper = twilio(port, call.param("Url"), "CallSid", agentSid, "From", RingbackServer.LINE_NUMBER, "To", agent,
            "CallStatus", "in-progress", "Direction", "outbound-api").body();
        String keyUrl = Xml.child(Xml.parse(whisper), "Gather").getAttribute("action");
        String again = twilio(port, keyUrl, "CallSid", agentSid, "From", RingbackServer.LINE_NUMBER, "To", agent, "Digits", "1").body();
        assertThat(again).doesNotContain("<Dial");
        String status = RingbackServer.PUBLIC_URL + "/twilio/status?callback=" + id;
        for (String event : List.of("initiated", "ringing", "in-progress", "completed")) {
          twilio(port, status, "CallSid", "CAkillcustomer01", "ParentCallSid", agentSid, "CallStatus", event, "From", RingbackServer.LINE_NUMBER,
              "To", customer, "Direction", "outbound-dial");
        }
        twilio(port, call.param("StatusCallback"), "CallSid", agentSid, "CallStatus", "completed", "From", RingbackServer.LINE_NUMBER,
            "To", agent, "Direction", "outbound-api");
        JsonObject callback = new JsonObject(RingbackServer.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/callbacks/" + id))
            .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).build()).body());
        assertThat(callback.getString("state")).isEqualTo("done");
        assertThat(callback.getString("outcome")).isEqualTo("connected");
        assertThat(twilio.callCreations()).as("the agent called once; the customer only through the agent's 1").hasSize(1);
      } finally {
        stop(third);
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
      // /health answers once webhooks are served; the token is announced when the rest of the start is done.
      RingbackServer.await("the generated token to be announced", Duration.ofSeconds(30),
          () -> readQuietly(log).contains("Generated the API token"));

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
