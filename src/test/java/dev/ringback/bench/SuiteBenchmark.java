package dev.ringback.bench;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The whole benchmark suite in one run (bench/run-all.sh): webhooks, order to dial, missed call
 * to dial, the dispatcher with one and two instances, start-up, webhooks past capacity, the HTTP
 * and database ceilings, db-scheduler as a peer, and the key figures again over a million
 * callbacks of history.
 * Ringback runs as {@code java -Xmx256m -jar target/ringback.jar}, in processes of its own; this
 * JVM holds the load generator and the Twilio REST stand-in. Writes target/bench-report.md.
 */
public final class SuiteBenchmark {
  static final String ORDER_SECRET = "bench-order-secret-0123456789";
  static final String LINE = RingbackServer.LINE_NUMBER;
  static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final int MISSED_DELAY_SECONDS = 2;

  final Path out = Path.of("target", "bench");
  final Path jar = Path.of(System.getProperty("bench.jar", "target/ringback.jar"));
  final Report report = new Report();
  final Map<String, Double> figures = new LinkedHashMap<>();
  final int seconds = Integer.getInteger("bench.seconds", 10);
  /**
   * -Dbench.parts=startup,webhooks,orders,lateness,dispatch,overload,ceilings,peer,scale (the default), also history-ab and
   * businesses (long: left out of the default).
   */
  final List<String> parts = List.of(System.getProperty("bench.parts",
      "startup,webhooks,orders,lateness,dispatch,overload,ceilings,peer,scale").split(","));
  final int dispatchCount = Integer.getInteger("bench.callbacks", 5000);
  /** CPU µs per callback of each dispatcher figure, "dispatcher / PostgreSQL / stand-in", for the peer's table. */
  final Map<String, String> cpuSplit = new HashMap<>();
  /** Callbacks placed, unmeasured, before each dispatcher figure (Ringback's and the peer's alike): JIT warm-up. */
  final int dispatchWarmup = Integer.getInteger("bench.dispatchWarmup", 5000);
  /** Seconds of webhook load before any webhook figure is taken: on 2 cores the JIT needs about a minute of traffic. */
  final int warmup = Integer.getInteger("bench.warmup", 40);
  final int workerThreads = Integer.getInteger("bench.workerThreads", 16);
  final int batchSize = Integer.getInteger("bench.batchSize", 64);
  final int cores = Runtime.getRuntime().availableProcessors();
  final List<Integer> ladder = parse(System.getProperty("bench.ladder", "750,1000,1500,2000,3000,4000,5000,7500,10000"));
  BenchDatabase db;
  TwilioStandIn twilio;
  int sequence;

  public static void main(String[] args) throws Exception {
    new SuiteBenchmark().run();
    System.exit(0);
  }

  void run() throws Exception {
    long began = System.nanoTime();
    Files.createDirectories(out);
    db = BenchDatabase.start();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    try {
      machine();
      if (parts.contains("startup")) {
        startup();
      }
      String url = db.create("bench_main");
      try (ServerProcess server = ringback(url, "main", List.of())) {
        server.awaitHealthy(Duration.ofSeconds(60));
        if (parts.contains("webhooks")) {
          webhooks(server, "", true);
        }
        if (parts.contains("orders")) {
          orders(server, "");
        }
        if (parts.contains("lateness")) {
          lateness(server, "");
        }
        if (parts.contains("dispatch")) {
          dispatch(server, url, "", true);
        }
      }
      if (parts.contains("overload")) {
        overload();
      }
      if (parts.contains("ceilings")) {
        ceilings();
      }
      if (parts.contains("peer")) {
        peer();
      }
      if (parts.contains("dispatch") || parts.contains("peer")) {
        dialCeiling();
      }
      if (parts.contains("scale")) {
        scale();
      }
      if (parts.contains("history-ab")) {
        historyAb();
      }
      if (parts.contains("businesses")) {
        new BusinessesPart(this).run();
      }
    } finally {
      twilio.close();
      db.close();
    }
    report.line("");
    report.line(String.format("Whole suite: %.0f s.", (System.nanoTime() - began) / 1e9));
    report.write(Path.of("target", "bench-report.md"));
    System.out.println("Report: target/bench-report.md");
  }

  // ---------------------------------------------------------------------------------------------

  void machine() throws Exception {
    report.line("# Ringback benchmark report");
    report.line("");
    report.line("Run at " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " by `bench/run-all.sh` ("
        + "`dev.ringback.bench.SuiteBenchmark`).");
    report.line("");
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
    String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
    report.table("Machine and versions", List.of("what", "value"),
        List.of(List.of("CPU", Runtime.getRuntime().availableProcessors() + " × " + cpu),
            List.of("memory", mem),
            List.of("load average at start", Files.readString(Path.of("/proc/loadavg")).trim()),
            List.of("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")),
            List.of("PostgreSQL", db.value(db.adminDatabase(), "SELECT version()")),
            List.of("database", db.embedded() ? "embedded PostgreSQL (zonky), started by the suite, reached by URL, with the "
                + "settings Ringback's embedded database ships with (`Database.EMBEDDED_SETTINGS`): fsync, synchronous_commit and "
                + "full_page_writes on, so every commit is on disk before it is acknowledged"
                : "RINGBACK_DATABASE_URL (host " + db.host + "; its settings are the operator's, below)"),
            List.of("PostgreSQL settings", settings()),
            List.of("parts, step length", String.join(",", parts) + "; ladder steps of " + seconds + " s"),
            List.of("Ringback", "`java -Xmx256m -jar target/ringback.jar`, twilio.worker-threads " + workerThreads + ", dialer.calls-per-second 0 "
                + "(no limit), dialer.batch-size " + batchSize + ", database.pool-size 8, allowed-hours all day, status-check-seconds 86400 (the stand-in never ends its calls); callbacks.delay-seconds.missed "
                + MISSED_DELAY_SECONDS),
            List.of("load generator", "open loop, Vert.x HTTP client, 256 connections, latency from each request's intended send "
                + "time; in the suite's JVM with the Twilio stand-in (`" + String.join(" ", ManagementFactory.getRuntimeMXBean()
                .getInputArguments()) + "`)")));
  }

  String settings() {
    List<String> out = new ArrayList<>();
    for (String name : List.of("shared_buffers", "max_connections", "fsync", "synchronous_commit", "full_page_writes", "wal_level")) {
      out.add(name + "=" + db.value(db.adminDatabase(), "SHOW " + name));
    }
    return String.join(", ", out);
  }

  String config(int missedDelay) throws IOException {
    String yaml = "twilio:\n  worker-threads: " + workerThreads + "\n"
        // The stand-in never ends a call and forgets its calls at each reset: left at 120 s, the watchdog
        // would find thousands of calls unknown, fail them and redial them in the middle of later figures.
        + "dialer:\n  calls-per-second: 0\n  batch-size: " + batchSize + "\n  allowed-hours: \"00:00-24:00\"\n  status-check-seconds: 86400\n"
        + "callbacks:\n  delay-seconds:\n    missed: " + missedDelay + "\n"
        + RingbackServer.LINES_YAML;
    Path file = out.resolve("ringback-bench.yaml");
    Files.writeString(file, yaml);
    return file.toString();
  }

  /** @param name the server's name: its journal is target/bench/journal-NAME, one directory per server, as Ringback needs */
  Map<String, String> env(String databaseUrl, String name) {
    Map<String, String> env = new HashMap<>();
    env.put("RINGBACK_JOURNAL_DIR", out.resolve("journal-" + name).toAbsolutePath().toString());
    if (databaseUrl != null) {
      env.put("RINGBACK_DATABASE_URL", databaseUrl);
    }
    env.put("RINGBACK_PUBLIC_URL", RingbackServer.PUBLIC_URL);
    env.put("RINGBACK_API_TOKEN", RingbackServer.API_TOKEN);
    env.put("TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID);
    env.put("TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN);
    env.put("RINGBACK_TWILIO_API_URL", twilio.baseUrl());
    env.put("RINGBACK_ORDER_SECRET", ORDER_SECRET);
    return env;
  }

  ServerProcess ringback(String databaseUrl, String name, List<String> extraJvm) throws IOException {
    return ringback(databaseUrl, name, extraJvm, MISSED_DELAY_SECONDS);
  }

  ServerProcess ringback(String databaseUrl, String name, List<String> extraJvm, int missedDelay) throws IOException {
    List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
    jvm.addAll(extraJvm);
    String extra = System.getProperty("bench.serverJvm", "");
    if (!extra.isBlank()) {
      // {name} tells the servers apart, e.g. one flight recording per server.
      jvm.addAll(List.of(extra.replace("{name}", name).trim().split("\\s+")));
    }
    return ServerProcess.start(jvm, List.of("-jar", jar.toString(), "--config", config(missedDelay)), env(databaseUrl, name),
        out.resolve("ringback-" + name + ".log"), ServerProcess.freePort());
  }

  // ---------------------------------------------------------------------------------------------
  // Start-up

  void startup() throws Exception {
    List<List<String>> rows = new ArrayList<>();
    Path data = out.resolve("startup-data");
    deleteTree(data);
    // One start is one sample of a noisy machine: the start with data kept is made three times.
    List<Double> kept = new ArrayList<>();
    for (String run : List.of("first start (initdb, migrations)", "start 2 (data kept)", "start 3 (data kept)", "start 4 (data kept)")) {
      Path yaml = out.resolve("ringback-embedded.yaml");
      Files.writeString(yaml, "database:\n  embedded-data-dir: " + data.toAbsolutePath() + "\n" + RingbackServer.LINES_YAML);
      Map<String, String> env = env(null, "startup-embedded");
      try (ServerProcess server = ServerProcess.start(List.of("-Xmx256m"), List.of("-jar", jar.toString(), "--config", yaml.toString()),
          env, out.resolve("ringback-startup-embedded.log"), ServerProcess.freePort())) {
        double ms = server.awaitHealthy(Duration.ofSeconds(120));
        rows.add(List.of("embedded database", run, ms(ms)));
        if (run.contains("data kept")) {
          kept.add(ms);
        }
      }
    }
    Collections.sort(kept);
    rows.add(List.of("embedded database", "**data kept: median of the three**", "**" + ms(kept.get(1)) + "**"));
    figures.put("startup.embedded.kept", kept.get(1));
    // The same start with a class-data archive (AppCDS) of the classes a start loads, written by one training start.
    Path archive = out.resolve("ringback.jsa");
    Files.deleteIfExists(archive);
    try (ServerProcess training = ServerProcess.start(List.of("-Xmx256m", "-XX:ArchiveClassesAtExit=" + archive),
        List.of("-jar", jar.toString(), "--config", out.resolve("ringback-embedded.yaml").toString()), env(null, "startup-embedded"),
        out.resolve("ringback-startup-training.log"), ServerProcess.freePort())) {
      training.awaitHealthy(Duration.ofSeconds(120));
    }
    if (Files.exists(archive)) {
      for (int i = 1; i <= 2; i++) {
        try (ServerProcess server = ServerProcess.start(List.of("-Xmx256m", "-XX:SharedArchiveFile=" + archive),
            List.of("-jar", jar.toString(), "--config", out.resolve("ringback-embedded.yaml").toString()), env(null, "startup-embedded"),
            out.resolve("ringback-startup-cds.log"), ServerProcess.freePort())) {
          double ms = server.awaitHealthy(Duration.ofSeconds(120));
          rows.add(List.of("embedded database, class-data archive", "start " + i + " (data kept)", ms(ms)));
          figures.put("startup.cds." + i, ms);
        }
      }
    }
    String url = db.create("bench_startup");
    for (String run : List.of("first start (migrations)", "second start")) {
      try (ServerProcess server = ServerProcess.start(List.of("-Xmx256m"), List.of("-jar", jar.toString(), "--config",
          config(MISSED_DELAY_SECONDS)), env(url, "startup-external"), out.resolve("ringback-startup-external.log"),
          ServerProcess.freePort())) {
        double ms = server.awaitHealthy(Duration.ofSeconds(120));
        rows.add(List.of("external database", run, ms(ms)));
      }
    }
    report.table("Start-up: process start to the first 200 from GET /health", List.of("database", "run", "time"), rows);
    report.line("`java -Xmx256m -jar target/ringback.jar`; /health polled every 10 ms. The embedded run keeps its data in a new "
        + "directory; the external run uses a new database on the suite's PostgreSQL. The class-data archive rows add "
        + "`-XX:SharedArchiveFile=ringback.jsa`, written once by a start with `-XX:ArchiveClassesAtExit=ringback.jsa` "
        + "that was stopped when healthy.");
    deleteTree(data);
  }

  // ---------------------------------------------------------------------------------------------
  // Webhooks

  /** Status callbacks as Twilio sends them for one call: initiated, ringing, in-progress, completed. */
  IntFunction<OpenLoop.Request> statusRequests() {
    int run = ++sequence;
    String[] statuses = {"initiated", "ringing", "in-progress", "completed"};
    Instant base = Instant.now();
    return n -> {
      int call = n / 4;
      String sid = String.format("CA%08d%024d", run, call);
      String status = statuses[n % 4];
      List<Map.Entry<String, String>> params = new ArrayList<>(List.of(
          Map.entry("AccountSid", RingbackServer.ACCOUNT_SID), Map.entry("ApiVersion", "2010-04-01"),
          Map.entry("CallSid", sid), Map.entry("CallStatus", status), Map.entry("Direction", "inbound"),
          Map.entry("From", phone(415, call)), Map.entry("To", LINE), Map.entry("SequenceNumber", Integer.toString(n % 4)),
          Map.entry("Timestamp", RFC_1123.format(base.plusSeconds(n % 4 * 5L)))));
      if (status.equals("completed")) {
        params.add(Map.entry("CallDuration", "42"));
      }
      return twilioRequest("/twilio/status", params);
    };
  }

  /** A call comes in from a caller (a known customer in the seeded database). */
  IntFunction<OpenLoop.Request> voiceRequests() {
    int run = ++sequence;
    return n -> twilioRequest("/twilio/voice", List.of(
        Map.entry("AccountSid", RingbackServer.ACCOUNT_SID), Map.entry("ApiVersion", "2010-04-01"),
        Map.entry("CallSid", String.format("CA%08d%024d", run, n)), Map.entry("CallStatus", "ringing"),
        Map.entry("Direction", "inbound"), Map.entry("From", phone(415, n % 100000)), Map.entry("To", LINE)));
  }

  static OpenLoop.Request twilioRequest(String path, List<Map.Entry<String, String>> params) {
    String signature = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, RingbackServer.PUBLIC_URL + path, params);
    return new OpenLoop.Request(HttpMethod.POST, path, "application/x-www-form-urlencoded; charset=utf-8",
        new String[] {"X-Twilio-Signature", signature, "User-Agent", "TwilioProxy/1.1"},
        Buffer.buffer(RingbackServer.form(params)));
  }

  /** +1 (area) (200 + n / 10000) (n % 10000): valid North American numbers, distinct for n below 7,000,000. */
  static String phone(int area, int n) {
    return "+1" + area + (200 + (n / 10000) % 700) + String.format("%04d", n % 10000);
  }

  void webhooks(ServerProcess server, String label, boolean withLadder) throws Exception {
    try (OpenLoop load = new OpenLoop("127.0.0.1", server.port, 256)) {
      warmUpWebhooks(load, warmup);
      List<List<String>> rows = new ArrayList<>();
      for (String path : List.of("/twilio/status", "/twilio/voice")) {
        server.startSampling();
        OpenLoop.Result fixed = load.run(500, 10, path.equals("/twilio/status") ? statusRequests() : voiceRequests());
        double[] memory = server.stopSampling();
        rows.add(row(path, "fixed 500/s, 10 s", fixed, memory));
        figures.put(label + path + ".500.p50", fixed.p(50));
        figures.put(label + path + ".500.p99", fixed.p(99));
        figures.put(label + path + ".500.max", fixed.max());
        System.out.println(label + path + " " + fixed.summary());
        if (withLadder) {
          int best = fixed.sustained(50) ? 500 : 0;
          server.startSampling();
          for (int rate : ladder) {
            long[] cpuBefore = cpuNow(server.process.toHandle());
            OpenLoop.Result step = load.run(rate, seconds, path.equals("/twilio/status") ? statusRequests() : voiceRequests());
            stepCpu(label + path, rate, step, cpuBefore, server.process.toHandle());
            System.out.println(label + path + " " + step.summary() + (step.firstError() == null ? "" : " " + step.firstError()));
            rows.add(row(path, "ladder " + rate + "/s, " + seconds + " s" + (step.sustained(50) ? "" : " (not sustained)"), step,
                null));
            if (!step.sustained(50)) {
              break;
            }
            best = rate;
          }
          double[] ladderMemory = server.stopSampling();
          rows.add(List.of(path, "**highest sustained rate (p99 < 50 ms, no errors)**", "**" + best + "/s**", "", "", "", "",
              String.format("%.0f MiB / %.0f MiB", ladderMemory[0], ladderMemory[1])));
          figures.put(label + path + ".sustained", (double) best);
        }
      }
      if (withLadder) {
        double[] w = wrk(server.process.toHandle(), server.port, "/twilio/status", 10, "ringback" + label);
        if (w != null) {
          figures.put(label + "/twilio/status.wrk", w[0]);
          cpuFigures(label + "/twilio/status.wrk", w);
          rows.add(List.of("/twilio/status", "wrk, closed loop, 64 connections, 10 s (max throughput; its latencies are not "
              + "open-loop); CPU µs per request in the last column: server / PostgreSQL / wrk", String.format("%.0f", w[0]),
              String.format("%.0f", w[1]), "", "", "", String.format("%.0f / %.0f / %.0f", w[2], w[3], w[4])));
        }
      }
      report.table("Webhooks" + (label.isEmpty() ? "" : " (" + label + ")")
              + ": signed as Twilio signs them, open loop, latency from the intended send time",
          List.of("path", "run", "answered/s", "errors", "p50", "p99", "max", "server RSS / heap in use (max)"), rows);
      report.line("`/twilio/status`: each call sends initiated, ringing, in-progress and completed (Twilio's own Timestamp), "
          + "every event a new row; `/twilio/voice`: a caller on the main line (greeting, agents rung, the call recorded). "
          + "A rate is *sustained* when every request got a 2xx, at least 95% of the offered rate was answered and p99 < 50 ms; "
          + "the ladder stops at the first rate that is not. Measured after " + warmup + " s of unmeasured warm-up load "
          + "(status webhooks at 600/s, then calls at 300/s) on the same server, since on 2 cores the JIT compiler needs about a "
          + "minute of traffic before a new JVM answers at full speed.");
    }
  }

  /** Unmeasured webhook load (JIT, connections): a server answers webhooks for days after its first minute. */
  void warmUpWebhooks(OpenLoop load, int seconds) throws InterruptedException {
    load.run(600, seconds * 2 / 3, statusRequests());
    load.run(300, seconds / 3, voiceRequests());
  }

  static List<String> row(String path, String run, OpenLoop.Result r, double[] memory) {
    return List.of(path, run, String.format("%.0f", r.achieved()), Integer.toString(r.errors()), ms(r.p(50)), ms(r.p(99)), ms(r.max()),
        memory == null ? "" : String.format("%.0f MiB / %.0f MiB", memory[0], memory[1]));
  }

  // ---------------------------------------------------------------------------------------------
  // Orders

  /** Order n of a run: a new buyer, signed as the shop signs it. */
  static OpenLoop.Request orderRequest(int run, int n) {
    String phone = phone(628, run * 10000 + n);
    byte[] body = ("{\"order_id\":\"bench-" + run + "-" + n + "\",\"phone\":\"" + phone + "\",\"name\":\"Bench Buyer\","
        + "\"total\":42.5,\"currency\":\"USD\",\"items\":1}").getBytes(StandardCharsets.UTF_8);
    return new OpenLoop.Request(HttpMethod.POST, "/orders", "application/json",
        new String[] {"X-Ringback-Signature", ShopSigner.generic(ORDER_SECRET, body)}, Buffer.buffer(body));
  }

  void orders(ServerProcess server, String label) throws Exception {
    settle(server, "orders");
    dispatchRun(dbName(server), 200, 6_000_000 + sequence * 1000); // warm-up of the dialler (twilio-java's first calls are slow)
    int rate = 50;
    int secs = 20;
    try (OpenLoop load = new OpenLoop("127.0.0.1", server.port, 64)) {
      // Warm-up of the order path itself (JSON, the shop signature, the customer and order rows), not measured.
      int warmupRun = ++sequence;
      load.run(rate, 10, n -> orderRequest(warmupRun, n));
      RingbackServer.await("the warm-up orders dialled", Duration.ofMinutes(2), () -> twilio.callCreationCount() >= rate * 10);
      Orders orders = ordersRun(load, rate, secs);
      OpenLoop.Result result = orders.webhook();
      List<Double> toDial = orders.toDial();
      figures.put(label + "order.p50", pct(toDial, 50));
      figures.put(label + "order.p99", pct(toDial, 99));
      report.table("Order webhook to `Calls.json`" + (label.isEmpty() ? "" : " (" + label + ")"),
          List.of("run", "orders", "webhook p50", "webhook p99", "order to Calls.json p50", "p99", "max"),
          List.of(List.of("50 orders/s, 20 s, CPS limit lifted", Integer.toString(toDial.size()), ms(result.p(50)), ms(result.p(99)),
              ms(pct(toDial, 50)), ms(pct(toDial, 99)), ms(pct(toDial, 100)))));
      report.line("Signed `POST /orders` (X-Ringback-Signature), a new buyer each; from each order's intended send time to the "
          + "arrival of that buyer's `Calls.json` request at the stand-in. 10 s of orders at the same rate warm the order path "
          + "up first (not measured).");
      System.out.println(label + "orders " + result.summary() + " to-dial p50=" + pct(toDial, 50) + " p99=" + pct(toDial, 99));
    }
  }

  /** One measured order run: the webhooks' own latencies, and each order's time to its dial (sorted, ms). */
  record Orders(OpenLoop.Result webhook, List<Double> toDial) {}

  Orders ordersRun(OpenLoop load, int rate, int secs) throws Exception {
    twilio.reset();
    int run = ++sequence;
    Map<String, Integer> index = new HashMap<>();
    OpenLoop.Result result = load.run(rate, secs, n -> {
      String phone = phone(628, run * 10000 + n);
      synchronized (index) {
        index.put(phone, n);
      }
      return orderRequest(run, n);
    });
    // Counted by buyer: a warm-up order's late dial must not stand in for a measured one.
    RingbackServer.await("every order dialled", Duration.ofMinutes(2),
        () -> twilio.callCreations().stream().filter(r -> index.containsKey(r.param("To"))).count() >= rate * secs);
    List<Double> toDial = new ArrayList<>();
    for (var request : twilio.callCreations()) {
      Integer n = index.get(request.param("To"));
      if (n != null) {
        Instant intended = result.startWall().plusNanos(n * 1_000_000_000L / rate);
        toDial.add(Duration.between(intended, request.receivedAt()).toNanos() / 1e6);
      }
    }
    Collections.sort(toDial);
    return new Orders(result, toDial);
  }

  // ---------------------------------------------------------------------------------------------
  // Missed call to dial

  void lateness(ServerProcess server, String label) throws Exception {
    settle(server, "lateness");
    Lateness result = latenessRun(server, label);
    List<Double> late = result.late();
    figures.put(label + "lateness.p50", pct(late, 50));
    figures.put(label + "lateness.p99", pct(late, 99));
    report.table("Missed call to callback dial: lateness against the configured delay" + (label.isEmpty() ? "" : " (" + label + ")"),
        List.of("run", "callbacks", "webhook errors", "lateness p50", "p99", "max"),
        List.of(List.of(LATENESS_RATE + " missed calls/s for " + LATENESS_SECONDS + " s, delay " + MISSED_DELAY_SECONDS + " s",
            Integer.toString(late.size()), Integer.toString(result.errors()), ms(pct(late, 50)), ms(pct(late, 99)),
            ms(pct(late, 100)))));
    report.line("Each missed call: `/twilio/voice` (all the calls first, faster and unmeasured), then `/twilio/dial` with "
        + "DialCallStatus=no-answer (signed, " + LATENESS_RATE + "/s); the callback's `due_at` (trigger + " + MISSED_DELAY_SECONDS + " s, as stored) against the arrival of "
        + "its `Calls.json` request.");
    System.out.println(label + "lateness n=" + late.size() + " p50=" + pct(late, 50) + " p99=" + pct(late, 99) + " max=" + pct(late, 100));
  }

  static final int LATENESS_RATE = 20;
  static final int LATENESS_SECONDS = 10;

  /** One lateness run's samples (sorted, ms) and the errors its webhooks got. */
  record Lateness(List<Double> late, int errors) {}

  /** Missed calls at {@value #LATENESS_RATE}/s for {@value #LATENESS_SECONDS} s; each callback's dial against its due time. */
  Lateness latenessRun(ServerProcess server, String label) throws Exception {
    dispatchRun(dbName(server), 200, 5_000_000 + sequence * 1000); // warm-up of the dialler (twilio-java's first calls are slow)
    twilio.reset();
    int run = ++sequence;
    int calls = LATENESS_RATE * LATENESS_SECONDS;
    try (OpenLoop load = new OpenLoop("127.0.0.1", server.port, 64)) {
      // Each missed call is two webhooks: the call comes in, then (here a run later, as Twilio sends it once the agents
      // have rung out) the <Dial> to the agents ends unanswered, which schedules the callback. The calls coming in are
      // not measured: they are sent faster.
      IntFunction<String> sid = call -> String.format("CA%08d%024d", run, call);
      IntFunction<String> from = call -> phone(510, run * 10000 + call);
      load.run(calls / 2, 2, call -> twilioRequest("/twilio/voice", List.of(Map.entry("CallSid", sid.apply(call)),
          Map.entry("From", from.apply(call)), Map.entry("To", LINE), Map.entry("CallStatus", "ringing"),
          Map.entry("Direction", "inbound"))));
      OpenLoop.Result result = load.run(LATENESS_RATE, LATENESS_SECONDS, call -> twilioRequest("/twilio/dial",
          List.of(Map.entry("CallSid", sid.apply(call)), Map.entry("From", from.apply(call)), Map.entry("To", LINE),
              Map.entry("CallStatus", "in-progress"), Map.entry("DialCallStatus", "no-answer"))));
      RingbackServer.await("every missed call dialled back", Duration.ofMinutes(2), () -> twilio.callCreationCount() >= calls);
      java.util.Set<String> callers = new java.util.HashSet<>();
      for (int call = 0; call < calls; call++) {
        callers.add(from.apply(call));
      }
      Map<String, Instant> due = new HashMap<>();
      try (Connection c = db.connect(dbName(server)); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT customer_phone, due_at FROM callbacks WHERE trigger = 'missed' AND customer_phone LIKE '+1510%'")) {
        while (rs.next()) {
          if (callers.contains(rs.getString(1))) { // this run's callers only
            due.put(rs.getString(1), rs.getTimestamp(2).toInstant());
          }
        }
      }
      List<Double> late = new ArrayList<>();
      StringBuilder raw = new StringBuilder("due_at\tarrived_at\tlateness_ms\n");
      for (var request : twilio.callCreations()) {
        Instant d = due.get(request.param("To"));
        if (d != null) {
          late.add(Duration.between(d, request.receivedAt()).toNanos() / 1e6);
          raw.append(d).append('\t').append(request.receivedAt()).append('\t').append(late.get(late.size() - 1)).append('\n');
        }
      }
      Files.writeString(out.resolve("lateness" + label + ".tsv"), raw);
      Collections.sort(late);
      return new Lateness(late, result.errors());
    }
  }

  /**
   * The latency figures on an empty database and on one with the history, side by side: two
   * servers started together, warmed up alike, measured in turns (the order alternating), so
   * the machine's minute-to-minute changes fall on both. Not in the default parts (about 7 minutes).
   */
  void historyAb() throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 3);
    List<String> names = List.of("empty", "history");
    try (ServerProcess empty = ringback(db.create("bench_ab_empty"), "ab-empty", List.of());
         ServerProcess history = ringback(db.create("bench_ab_history"), "ab-history", List.of())) {
      Map<String, ServerProcess> servers = Map.of("empty", empty, "history", history);
      databases.put(empty.port, "bench_ab_empty");
      databases.put(history.port, "bench_ab_history");
      empty.awaitHealthy(Duration.ofSeconds(60));
      history.awaitHealthy(Duration.ofSeconds(60));
      seed("bench_ab_history");
      for (String name : names) { // unmeasured: the same start for both
        abTurn(servers.get(name), warmup / 2, "-ab-warmup-" + name);
      }
      Map<String, Map<String, List<Double>>> pooled = new HashMap<>();
      List<List<String>> rows = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        List<String> order = round % 2 == 1 ? names : List.of(names.get(1), names.get(0));
        Map<String, Map<String, List<Double>>> turns = new HashMap<>();
        for (String name : order) {
          turns.put(name, abTurn(servers.get(name), 0, "-ab-" + name + "-" + round));
          turns.get(name).forEach((figure, ms) -> pooled.computeIfAbsent(name, k -> new LinkedHashMap<>())
              .computeIfAbsent(figure, k -> new ArrayList<>()).addAll(ms));
        }
        for (String figure : turns.get("empty").keySet()) {
          rows.add(List.of(Integer.toString(round), String.join(", ", order), figure, p50p99(turns.get("empty").get(figure)),
              p50p99(turns.get("history").get(figure)), ""));
        }
        System.out.println("history A/B round " + round + " done");
      }
      for (String figure : pooled.get("empty").keySet()) {
        List<Double> e = pooled.get("empty").get(figure);
        List<Double> h = pooled.get("history").get(figure);
        Collections.sort(e);
        Collections.sort(h);
        figures.put("ab." + figure + ".empty.p50", pct(e, 50));
        figures.put("ab." + figure + ".empty.p99", pct(e, 99));
        figures.put("ab." + figure + ".history.p50", pct(h, 50));
        figures.put("ab." + figure + ".history.p99", pct(h, 99));
        rows.add(List.of("**all " + rounds + "**", e.size() + " / " + h.size() + " samples", "**" + figure + "**",
            "**" + p50p99(e) + "**", "**" + p50p99(h) + "**", String.format("%+.0f%% / %+.0f%%",
                (pct(h, 50) / pct(e, 50) - 1) * 100, (pct(h, 99) / pct(e, 99) - 1) * 100)));
        System.out.println("history A/B " + figure + ": empty " + p50p99(e) + ", history " + p50p99(h));
      }
      report.table("Empty database against a million rows of history, measured in turns",
          List.of("round", "order", "figure", "empty: p50 / p99", "history: p50 / p99", "change p50 / p99"), rows);
      report.line("Two servers started together, one on an empty database and one on `bench/seed.sql`'s history; each warmed up "
          + "alike (" + warmup / 2 + " s of webhooks, then one unmeasured turn), then " + rounds + " rounds, the order alternating. "
          + "A turn: `/twilio/status` and `/twilio/voice` at 500/s for 10 s each, orders at 50/s for 10 s (webhook to "
          + "`Calls.json`), " + LATENESS_RATE * LATENESS_SECONDS + " missed calls (dial lateness). The last rows pool every "
          + "round's samples.");
    }
  }

  /** One turn of the side-by-side measurement on one server; each figure's samples in ms. */
  Map<String, List<Double>> abTurn(ServerProcess server, int warmupSeconds, String label) throws Exception {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    try (OpenLoop load = new OpenLoop("127.0.0.1", server.port, 256)) {
      if (warmupSeconds > 0) {
        warmUpWebhooks(load, warmupSeconds);
      }
      out.put("/twilio/status at 500/s", millis(load.run(500, 10, statusRequests())));
      out.put("/twilio/voice at 500/s", millis(load.run(500, 10, voiceRequests())));
      out.put("order to Calls.json", ordersRun(load, 50, 10).toDial());
    }
    out.put("missed-call dial lateness", latenessRun(server, label).late());
    return out;
  }

  static List<Double> millis(OpenLoop.Result result) {
    List<Double> out = new ArrayList<>(result.micros().length);
    for (long micros : result.micros()) {
      out.add(micros / 1000.0);
    }
    return out;
  }

  static String p50p99(List<Double> samples) {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return ms(pct(sorted, 50)) + " / " + ms(pct(sorted, 99));
  }

  final Map<Integer, String> databases = new HashMap<>();

  String dbName(ServerProcess server) {
    return databases.getOrDefault(server.port, "bench_main");
  }

  // ---------------------------------------------------------------------------------------------
  // Dispatcher

  void dispatch(ServerProcess server, String url, String label, boolean twoInstances) throws Exception {
    settle(server, "dispatch");
    String name = dbName(server);
    List<List<String>> rows = new ArrayList<>();
    dispatchRun(name, dispatchWarmup, 1_000_000); // warm-up
    quiesce(name);
    double[] one = dispatchRun(name, dispatchCount, 2_000_000, List.of(server.process.toHandle()));
    rows.add(dispatchRow("1 instance", one));
    figures.put(label + "dispatch.1", one[0]);
    cpuSplit.put(label + "dispatch.1", String.format("%.0f / %.0f / %.0f", one[5], one[6], one[7]));
    if (twoInstances) {
      try (ServerProcess second = ringback(url, "second", List.of())) {
        second.awaitHealthy(Duration.ofSeconds(60));
        dispatchRun(name, dispatchWarmup, 3_000_000);
        quiesce(name);
        double[] two = dispatchRun(name, dispatchCount, 4_000_000, List.of(server.process.toHandle(), second.process.toHandle()));
        rows.add(dispatchRow("2 instances, one database", two));
        figures.put(label + "dispatch.2", two[0]);
      }
    }
    report.table("Dispatcher: callbacks placed per second" + (label.isEmpty() ? "" : " (" + label + ")"),
        List.of("run", "callbacks", "rate (callbacks/s)", "due to Calls.json p50", "p99", "max",
            "CPU µs per callback: Ringback / PostgreSQL / stand-in"), rows);
    report.line(dispatchCount + " callbacks made due at one instant by one INSERT; the rate is their number over the time from "
        + "that instant to the last `Calls.json` request at the stand-in (claim with FOR UPDATE SKIP LOCKED, twilio-java request, "
        + "outcome recorded). " + dispatchWarmup + " callbacks warm up first; then `VACUUM ANALYZE` and `CHECKPOINT` on the database, "
        + "as before the peer's figure, so background work left by the earlier parts is not counted. CPU time per callback from /proc during the run: the Ringback "
        + "process(es), PostgreSQL (postmaster and backends), and the Twilio stand-in (its threads in the suite's JVM).");
  }

  static List<String> dispatchRow(String run, double[] r) {
    return List.of(run, String.format("%.0f", r[4]), String.format("%.0f", r[0]), ms(r[1]), ms(r[2]), ms(r[3]),
        r.length > 5 ? String.format("%.0f / %.0f / %.0f", r[5], r[6], r[7]) : "");
  }

  /**
   * Before a dispatcher figure (Ringback's and the peer's alike): the vacuum, statistics and
   * checkpoint that the earlier parts' writes have made due are done now, not in the middle of
   * the measurement, where PostgreSQL's background work would count as the dispatcher's cost.
   */
  void quiesce(String database) {
    for (String sql : List.of("VACUUM ANALYZE", "CHECKPOINT")) {
      try {
        db.exec(database, sql);
      } catch (IllegalStateException e) {
        System.out.println("Not quiesced: " + sql + " failed (" + e.getMessage() + "); CHECKPOINT needs a superuser or pg_checkpoint");
      }
    }
  }

  double[] dispatchRun(String database, int count, int offset) throws Exception {
    return dispatchRun(database, count, offset, List.of());
  }

  /** @return {rate, p50, p99, max, count, then CPU µs per callback of the servers, PostgreSQL and the Twilio stand-in} */
  double[] dispatchRun(String database, int count, int offset, List<ProcessHandle> servers) throws Exception {
    return dispatchRun(database, count, offset, servers, false);
  }

  /** @param everyLine the callbacks spread evenly over every line of every business, not all on the default business's main line */
  double[] dispatchRun(String database, int count, int offset, List<ProcessHandle> servers, boolean everyLine) throws Exception {
    twilio.reset();
    java.util.Optional<ProcessHandle> postgres = postmaster();
    long serversBefore = servers.stream().mapToLong(SuiteBenchmark::cpuNanos).sum();
    long postgresBefore = postgres.map(SuiteBenchmark::postgresCpuNanos).orElse(0L);
    long standInBefore = standInCpuNanos();
    Instant due = Instant.now();
    // Over every line, callback g goes to the (1 + g mod n)-th line: read from an array, not a join of every callback with every line.
    try (Connection c = db.connect(database); var s = c.prepareStatement(everyLine
        ? "INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, last_triggered_at, due_at) "
            + "SELECT l.businesses[1 + g % l.n], l.ids[1 + g % l.n], '+1' || (2000000000 + g + ?)::text, 'manual', ?, ?, ? "
            + "FROM generate_series(1, ?) g, (SELECT array_agg(id ORDER BY id) AS ids, array_agg(business_id ORDER BY id) AS businesses, "
            + "count(*)::int AS n FROM lines) l"
        : "INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, last_triggered_at, due_at) "
            + "SELECT l.business_id, l.id, '+1' || (2000000000 + g + ?)::text, 'manual', ?, ?, ? "
            + "FROM lines l, generate_series(1, ?) g WHERE l.slug = 'main'")) {
      java.sql.Timestamp at = java.sql.Timestamp.from(due);
      s.setInt(1, offset);
      s.setTimestamp(2, at);
      s.setTimestamp(3, at);
      s.setTimestamp(4, at);
      s.setInt(5, count);
      s.execute();
    }
    RingbackServer.await(count + " dials", Duration.ofMinutes(5), () -> twilio.callCreationCount() >= count);
    double serversCpu = (servers.stream().mapToLong(SuiteBenchmark::cpuNanos).sum() - serversBefore) / 1e3 / count;
    double postgresCpu = postgres.isPresent() ? (postgresCpuNanos(postgres.get()) - postgresBefore) / 1e3 / count : Double.NaN;
    double standInCpu = (standInCpuNanos() - standInBefore) / 1e3 / count;
    List<Double> delays = new ArrayList<>();
    for (var request : twilio.callCreations()) {
      delays.add(Duration.between(due, request.receivedAt()).toNanos() / 1e6);
    }
    Collections.sort(delays);
    double last = delays.get(delays.size() - 1);
    System.out.printf("dispatch %d: %.0f/s p50=%.0f p99=%.0f%n", count, count * 1000.0 / last, pct(delays, 50), pct(delays, 99));
    return new double[] {count * 1000.0 / last, pct(delays, 50), pct(delays, 99), last, count, serversCpu, postgresCpu, standInCpu};
  }

  // ---------------------------------------------------------------------------------------------
  // Overload

  /** http.response-timeout-seconds' default (the suite's config leaves it): no webhook may wait longer. */
  static final long OVERLOAD_DEADLINE_MS = 10_000;
  /** Answers slower than this are counted too: /twilio/voice promises 2 s when the database is slow. */
  static final long OVERLOAD_SLOW_MS = 2_000;
  /** Twilio gives up on a webhook after 15 s; so does the load generator here. */
  static final long TWILIO_TIMEOUT_MS = 15_000;
  /** How long the suite waits for the journal to be written to the database once a step's load ends. */
  static final Duration JOURNAL_DRAIN_DEADLINE = Duration.ofSeconds(300);
  /**
   * The overload generator's connections. Twilio opens as many as its webhooks need; a server may
   * hold a trigger up to database.write-deadline-millis (1 s) before journalling it, so with too few
   * connections the requests would queue in the generator, where the server cannot shed them.
   */
  final int overloadConnections = Integer.getInteger("bench.overloadConnections", 8192);
  /** callbacks.delay-seconds.missed for the overload server: the dialler places none of the part's callbacks while it runs. */
  static final int OVERLOAD_MISSED_DELAY_SECONDS = 3600;
  static final String OVERLOAD_AREA_CODE = "312";

  /**
   * Missed calls past capacity: each call is a signed /twilio/voice, a /twilio/status ringing (an
   * event that is only kept), the /twilio/dial action with DialCallStatus=no-answer (a trigger:
   * its 200 promises a callback) and a /twilio/status completed (a trigger that ends the call),
   * at 1.5 and 3 times the rate /twilio/status sustained, on a server of its own. A step passes
   * when no request waited past the deadline, none got a 500, and every missed call whose dial
   * was answered 200 has its callback once the journal is written out.
   */
  void overload() throws Exception {
    Double sustained = figures.get("/twilio/status.sustained");
    boolean measured = sustained != null && sustained > 0;
    int base = measured ? sustained.intValue() : Integer.getInteger("bench.overloadBase", 3000);
    String baseSource = measured ? "the highest rate the webhooks part sustained for /twilio/status"
        : "-Dbench.overloadBase (the webhooks part " + (sustained == null ? "did not run" : "sustained no rate") + ")";
    String name = "bench_overload";
    String url = db.create(name);
    List<List<String>> rows = new ArrayList<>();
    List<String> verdicts = new ArrayList<>();
    try (ServerProcess server = ringback(url, "overload", List.of(), OVERLOAD_MISSED_DELAY_SECONDS);
         OpenLoop load = new OpenLoop("127.0.0.1", server.port, overloadConnections, TWILIO_TIMEOUT_MS)) {
      databases.put(server.port, name);
      server.awaitHealthy(Duration.ofSeconds(60));
      warmUpWebhooks(load, warmup);
      int step = 0;
      for (double times : List.of(1.5, 3.0)) {
        int rate = (int) Math.round(base * times) / 4 * 4; // whole calls of four webhooks a second
        server.startSampling();
        Overload o = overloadStep(server, load, rate, step++);
        double[] memory = server.stopSampling();
        String label = String.format(Locale.ROOT, "%.1f× (%d/s)", times, rate);
        long[] sent = o.result().sentMicros();
        rows.add(List.of(label, Integer.toString(rate), String.format("%.0f", o.answeredPerSecond()), ms(o.result().p(50)),
            ms(o.result().p(99)), ms(o.result().max()), o.slower(OVERLOAD_SLOW_MS) + " / " + o.slower(OVERLOAD_DEADLINE_MS),
            ms(sent[Math.max(0, (int) Math.ceil(sent.length * 0.99) - 1)] / 1000.0) + " / " + ms(sent[sent.length - 1] / 1000.0),
            o.count(200) + " / " + o.count(202) + " / " + o.count(503) + " / " + o.count(500) + " / " + o.other(),
            o.count(OpenLoop.TIMED_OUT) + " / " + o.count(OpenLoop.NO_ANSWER),
            count(o.journalKept()) + " / " + count(o.journalAtEnd()) + " / " + (o.drainSeconds() < 0 ? "not within "
                + JOURNAL_DRAIN_DEADLINE.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", o.drainSeconds())) + " / "
                + count(o.setAside()),
            o.acknowledged() + " / " + (o.acknowledged() - o.missing().size()),
            String.format("%.0f MiB / %.0f MiB", memory[0], memory[1]),
            String.format(Locale.ROOT, "%.1f / %.1f / %.1f", o.cpuSeconds()[0], o.cpuSeconds()[1], o.cpuSeconds()[2]),
            o.failures().isEmpty() ? "**PASS**" : "**FAIL**"));
        verdicts.add(label + ": " + (o.failures().isEmpty() ? "PASS" : "FAIL: " + String.join("; ", o.failures())));
        figures.put("overload." + times + ".pass", o.failures().isEmpty() ? 1.0 : 0.0);
        System.out.println("overload " + label + " " + o.result().summary() + " -> " + verdicts.get(verdicts.size() - 1));
      }
    } finally {
      twilio.reset();
    }
    report.table("Overload: missed calls at 1.5 and 3 times the sustained rate",
        List.of("step", "offered/s", "answered/s", "p50", "p99", "max", "> 2 s / > 10 s", "once sent: p99 / max",
            "200 / 202 / 503 / 500 / other", "timeouts / no answer", "journal: kept / left at the end / written out in / set aside",
            "dials answered 200 / stored with a callback", "server RSS / heap in use (max)", "CPU s: server / PostgreSQL / suite",
            "result"), rows);
    report.line("Base rate " + base + "/s: " + baseSource + ". One server of its own (`java -Xmx256m -jar target/ringback.jar`, "
        + "a new database, callbacks.delay-seconds.missed " + OVERLOAD_MISSED_DELAY_SECONDS + " so that the dialler places none "
        + "of the part's callbacks while it runs: the steps measure the webhooks alone), warmed up as the webhooks part's server ("
        + warmup + " s), then each step for " + seconds + " s. Each missed call is four signed webhooks, sent one after the "
        + "other: `/twilio/voice`, `/twilio/status` ringing (only kept: 503 when the database cannot take it in time), "
        + "`/twilio/dial` with DialCallStatus=no-answer (a trigger: its 200 promises a callback) and `/twilio/status` completed "
        + "(a trigger); a new caller each. Latency from each request's intended send time; *once sent*: from the moment the "
        + "request had one of the generator's " + overloadConnections + " connections (what the server took, without the "
        + "generator's own queue); the generator gives up after " + TWILIO_TIMEOUT_MS / 1000 + " s, as Twilio does. *kept*: "
        + "triggers the server put in its journal during the step (`ringback_journal_kept_total`); *left at the end*: its "
        + "backlog right after the step (`/health` checks.journal, with the admin token); *set aside*: records the server moved "
        + "to its set-aside.log instead of the database (`ringback_journal_set_aside_total`); CPU time during the step of the "
        + "server process, PostgreSQL and the suite's JVM (the load generator and the idle stand-in). Then the suite waits "
        + "until the journal is empty (*written out in*, at most " + JOURNAL_DRAIN_DEADLINE.toSeconds() + " s) before it "
        + "counts in the database the missed calls whose `/twilio/dial` got 200 that have both the dial's status on their call "
        + "row and a callback. A step **passes** when no request waited more than " + OVERLOAD_DEADLINE_MS / 1000 + " s "
        + "(http.response-timeout-seconds) or went unanswered, no answer was a 500 (or anything but 200, 202 or 503), and every "
        + "acknowledged dial is stored with its callback once the journal is written out (within "
        + JOURNAL_DRAIN_DEADLINE.toSeconds() + " s), none set aside. Each step starts with an empty journal.");
    report.line("");
    for (String verdict : verdicts) {
      report.line("- " + verdict);
    }
    report.line("");
  }

  /** One overload step's outcome. */
  record Overload(OpenLoop.Result result, long journalKept, long journalAtEnd, double drainSeconds, long setAside, int acknowledged,
                  List<String> missing, double[] cpuSeconds, List<String> failures) {
    long count(int status) {
      return java.util.Arrays.stream(result.statuses()).filter(s -> s == status).count();
    }

    long other() {
      return java.util.Arrays.stream(result.statuses())
          .filter(s -> s > 0 && s != 200 && s != 202 && s != 500 && s != 503).count();
    }

    /** Requests answered (or given up) later than this after their intended send time. */
    long slower(long millis) {
      return java.util.Arrays.stream(result.micros()).filter(us -> us > millis * 1000).count();
    }

    double answeredPerSecond() {
      long answered = java.util.Arrays.stream(result.statuses()).filter(s -> s > 0).count();
      return result.achieved() * answered / Math.max(1, result.statuses().length);
    }
  }

  Overload overloadStep(ServerProcess server, OpenLoop load, int rate, int step) throws Exception {
    int run = ++sequence;
    Instant base = Instant.now();
    IntFunction<String> sid = call -> String.format("CA%08d%024d", run, call);
    IntFunction<String> caller = call -> phone(Integer.parseInt(OVERLOAD_AREA_CODE), step * 1_000_000 + call);
    IntFunction<OpenLoop.Request> requests = n -> {
      int call = n / 4;
      List<Map.Entry<String, String>> common = List.of(Map.entry("AccountSid", RingbackServer.ACCOUNT_SID),
          Map.entry("ApiVersion", "2010-04-01"), Map.entry("CallSid", sid.apply(call)), Map.entry("From", caller.apply(call)),
          Map.entry("To", LINE), Map.entry("Direction", "inbound"));
      List<Map.Entry<String, String>> params = new ArrayList<>(common);
      String path = switch (n % 4) {
        case 0 -> {
          params.add(Map.entry("CallStatus", "ringing"));
          yield "/twilio/voice";
        }
        case 1 -> {
          params.addAll(List.of(Map.entry("CallStatus", "ringing"), Map.entry("SequenceNumber", "0"),
              Map.entry("Timestamp", RFC_1123.format(base))));
          yield "/twilio/status";
        }
        case 2 -> {
          params.addAll(List.of(Map.entry("CallStatus", "in-progress"), Map.entry("DialCallStatus", "no-answer")));
          yield "/twilio/dial";
        }
        default -> {
          params.addAll(List.of(Map.entry("CallStatus", "completed"), Map.entry("SequenceNumber", "1"),
              Map.entry("Timestamp", RFC_1123.format(base.plusSeconds(25))), Map.entry("CallDuration", "25")));
          yield "/twilio/status";
        }
      };
      return twilioRequest(path, params);
    };
    // Each step starts with an empty journal: while it holds records, every trigger goes behind them.
    boolean emptyBefore = awaitJournalEmpty(server) >= 0;
    long keptBefore = metricTotal(server, "ringback_journal_kept_total");
    long setAsideBefore = metricTotal(server, "ringback_journal_set_aside_total");
    long[] cpuBefore = cpuNow(server.process.toHandle());
    OpenLoop.Result result = load.run(rate, seconds, requests);
    long[] cpuAfter = cpuNow(server.process.toHandle());
    double[] cpu = new double[3];
    for (int i = 0; i < 3; i++) {
      cpu[i] = (cpuAfter[i] - cpuBefore[i]) / 1e9;
    }
    long keptAfter = metricTotal(server, "ringback_journal_kept_total");
    long kept = keptBefore < 0 || keptAfter < 0 ? -1 : keptAfter - keptBefore;
    long atEnd = journalBacklog(server);
    double drain = awaitJournalEmpty(server);
    List<Integer> acknowledged = new ArrayList<>();
    for (int n = 2; n < result.statuses().length; n += 4) {
      if (result.statuses()[n] == 200) {
        acknowledged.add(n / 4);
      }
    }
    // The dial itself must be stored (its status on the call), not only some callback for the caller: the call's
    // completed status event could have made one on its own.
    java.util.Set<String> dialsStored = new java.util.HashSet<>();
    java.util.Set<String> phonesCalledBack = new java.util.HashSet<>();
    try (Connection c = db.connect(dbName(server));
         var dials = c.prepareStatement("SELECT call_sid FROM calls WHERE call_sid LIKE ? AND dial_status = 'no-answer'");
         var callbacks = c.prepareStatement("SELECT DISTINCT customer_phone FROM callbacks WHERE customer_phone LIKE ?")) {
      dials.setString(1, String.format("CA%08d%%", run));
      try (ResultSet rs = dials.executeQuery()) {
        while (rs.next()) {
          dialsStored.add(rs.getString(1));
        }
      }
      callbacks.setString(1, "+1" + OVERLOAD_AREA_CODE + "%");
      try (ResultSet rs = callbacks.executeQuery()) {
        while (rs.next()) {
          phonesCalledBack.add(rs.getString(1));
        }
      }
    }
    List<String> missing = acknowledged.stream()
        .filter(call -> !dialsStored.contains(sid.apply(call)) || !phonesCalledBack.contains(caller.apply(call)))
        .map(call -> sid.apply(call) + " from " + caller.apply(call)).toList();
    long setAsideAfter = metricTotal(server, "ringback_journal_set_aside_total");
    long setAside = setAsideBefore < 0 || setAsideAfter < 0 ? -1 : setAsideAfter - setAsideBefore;
    Overload o = new Overload(result, kept, atEnd, drain, setAside, acknowledged.size(), missing, cpu, new ArrayList<>());
    if (!emptyBefore) {
      o.failures().add("the journal was not empty before the step (" + JOURNAL_DRAIN_DEADLINE.toSeconds() + " s after the warm-up "
          + "or the step before)");
    }
    long late = o.slower(OVERLOAD_DEADLINE_MS);
    if (late > 0) {
      o.failures().add(late + " request(s) waited more than " + OVERLOAD_DEADLINE_MS / 1000 + " s (max " + ms(result.max()) + ")");
    }
    long unanswered = o.count(OpenLoop.TIMED_OUT) + o.count(OpenLoop.NO_ANSWER);
    if (unanswered > 0) {
      o.failures().add(unanswered + " request(s) unanswered (" + o.count(OpenLoop.TIMED_OUT) + " given up after "
          + TWILIO_TIMEOUT_MS / 1000 + " s; first error: " + result.firstError() + ")");
    }
    if (o.count(500) > 0) {
      o.failures().add(o.count(500) + " answer(s) 500");
    }
    if (o.other() > 0) {
      o.failures().add(o.other() + " answer(s) other than 200, 202, 503 or 500 (first error: " + result.firstError() + ")");
    }
    if (drain < 0) {
      long backlog = journalBacklog(server);
      o.failures().add("the journal " + (backlog < 0 ? "backlog could not be read" : "still held " + backlog + " trigger(s)") + " "
          + JOURNAL_DRAIN_DEADLINE.toSeconds() + " s after the step, so what it holds is not counted as stored");
    }
    if (!missing.isEmpty()) {
      o.failures().add(missing.size() + " missed call(s) whose dial was answered 200 lack the dial's status or a callback in the "
          + "database (e.g. "
          + String.join(", ", missing.subList(0, Math.min(3, missing.size()))) + ")");
    }
    if (setAside > 0) {
      o.failures().add(setAside + " journal record(s) set aside by the server instead of written to the database (see "
          + out.resolve("journal-overload").resolve("set-aside.log") + " and " + server.log + ")");
    }
    return o;
  }

  /**
   * Before a part measures a server that an earlier part took past capacity: the triggers its
   * journal kept are written out first, so that they do not delay this part's own (the rates of a
   * ladder's last step are beyond what the database takes, and the journal keeps the rest).
   */
  static void settle(ServerProcess server, String part) {
    double seconds = awaitJournalEmpty(server);
    if (seconds < 0 || seconds > 0.5) {
      System.out.printf("%s: waited %s for the journal left by the part before to be written out%n", part,
          seconds < 0 ? "in vain" : String.format(Locale.ROOT, "%.1f s", seconds));
    }
  }

  /** Seconds until the server's journal was empty, or -1 if it was not within {@link #JOURNAL_DRAIN_DEADLINE}. */
  static double awaitJournalEmpty(ServerProcess server) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < JOURNAL_DRAIN_DEADLINE.toNanos()) {
      if (journalBacklog(server) == 0) {
        return (System.nanoTime() - start) / 1e9;
      }
      ServerProcess.sleep(100);
    }
    return -1;
  }

  static String count(long n) {
    return n < 0 ? "?" : Long.toString(n);
  }

  static final java.net.http.HttpClient MANAGEMENT = java.net.http.HttpClient.newBuilder()
      .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  /** A counter of the server's /metrics, all its series together (0 before its first count); -1 when /metrics does not answer. */
  static long metricTotal(ServerProcess server, String name) throws InterruptedException {
    String body;
    try {
      body = MANAGEMENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.io.IOException e) {
      return -1;
    }
    double total = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(total);
  }

  /** Triggers waiting in the server's journal, from its detailed /health (checks.journal); -1 when it does not answer. */
  static long journalBacklog(ServerProcess server) {
    try {
      String body = MANAGEMENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/health"))
          .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).timeout(Duration.ofSeconds(5)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      String journal = new io.vertx.core.json.JsonObject(body).getJsonObject("checks").getString("journal");
      return journal.equals("empty") ? 0 : Long.parseLong(journal.split(" ", 2)[0]);
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Ceilings and the peer

  void ceilings() throws Exception {
    List<List<String>> rows = new ArrayList<>();
    int port = ServerProcess.freePort();
    List<String> jvm = List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"));
    int best = 0;
    try (ServerProcess bare = ServerProcess.start(jvm, List.of(BareHttpServer.class.getName(), Integer.toString(port)), Map.of(),
        out.resolve("bare-http.log"), port); OpenLoop load = new OpenLoop("127.0.0.1", port, 256)) {
      bare.awaitHealthy(Duration.ofSeconds(30));
      load.run(1000, 5, statusRequests());
      OpenLoop.Result fixed = load.run(500, 10, statusRequests());
      rows.add(row("bare route", "fixed 500/s, 10 s", fixed, null));
      best = fixed.sustained(50) ? 500 : 0;
      // A ceiling sustains at least what Ringback sustained: its ladder starts there (the suite stays within 10 minutes).
      int from = figures.getOrDefault("/twilio/status.sustained", 0.0).intValue();
      for (int rate : ladder.stream().filter(r -> r >= from).toList()) {
        long[] cpuBefore = cpuNow(bare.process.toHandle());
        OpenLoop.Result step = load.run(rate, seconds, statusRequests());
        stepCpu("ceiling.http", rate, step, cpuBefore, bare.process.toHandle());
        System.out.println("bare " + step.summary());
        rows.add(row("bare route", "ladder " + rate + "/s, " + seconds + " s" + (step.sustained(50) ? "" : " (not sustained)"), step,
            null));
        if (!step.sustained(50)) {
          break;
        }
        best = rate;
      }
    }
    figures.put("ceiling.http", (double) best);
    try (ServerProcess bare = ServerProcess.start(jvm, List.of(BareHttpServer.class.getName(), Integer.toString(port)), Map.of(),
        out.resolve("bare-http.log"), port)) {
      bare.awaitHealthy(Duration.ofSeconds(30));
      double[] w = wrk(bare.process.toHandle(), port, "/twilio/status", 10, "bare");
      if (w != null) {
        figures.put("ceiling.http.wrk", w[0]);
        cpuFigures("ceiling.http.wrk", w);
        rows.add(List.of("bare route", "wrk, closed loop, 64 connections, 10 s (max throughput; its latencies are not "
            + "open-loop)", String.format("**%.0f**", w[0]), String.format("%.0f", w[1]), "", "", "", ""));
      }
    }
    rows.add(List.of("bare route", "**highest sustained rate**", "**" + best + "/s**", "", "", "", "", ""));
    report.table("HTTP ceiling: a bare Vert.x route answering 200, same load generator and requests as /twilio/status",
        List.of("server", "run", "answered/s", "errors", "p50", "p99", "max", ""), rows);
    report.line("`java -Xmx256m -cp … dev.ringback.bench.BareHttpServer PORT`: vertx-web router, body handler, the same number of "
        + "event-loop verticles as Ringback; nothing is verified or stored.");

    String pgdb = "bench_pgbench";
    db.create(pgdb);
    db.exec(pgdb, "CREATE TABLE events (id BIGSERIAL PRIMARY KEY, call_sid TEXT NOT NULL, status TEXT NOT NULL, "
        + "at TIMESTAMPTZ NOT NULL, received_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    Path script = out.resolve("pgbench-insert.sql");
    Files.writeString(script, "\\set id random(1, 1000000000)\n"
        + "INSERT INTO events (call_sid, status, at) VALUES ('CA' || :id, 'ringing', now());\n");
    List<List<String>> pg = new ArrayList<>();
    for (int clients : List.of(8, 32)) {
      List<String> command = List.of("pgbench", "-n", "-h", db.host, "-p", Integer.toString(db.port), "-U", db.user, "-c",
          Integer.toString(clients), "-j", "2", "-T", "10", "-M", "prepared", "-f", script.toString(), pgdb);
      double tps = pgbench(command);
      figures.put("ceiling.pg." + clients, tps);
      pg.add(List.of(clients + " clients", String.format("%.0f", tps), "`" + String.join(" ", command).replace(out.toString(), "target/bench") + "`"));
    }
    report.table("Database ceiling: pgbench, one single-row INSERT per transaction (autocommit)",
        List.of("clients", "transactions/s", "command"), pg);
    List<List<String>> side = new ArrayList<>();
    fraction(side, "/twilio/status highest sustained rate (open loop, p99 < 50 ms)", "/twilio/status.sustained",
        "bare route, same test", "ceiling.http");
    fraction(side, "/twilio/status, wrk max throughput", "/twilio/status.wrk", "bare route, wrk", "ceiling.http.wrk");
    fraction(side, "/twilio/status highest sustained rate", "/twilio/status.sustained", "pgbench inserts/s, 8 clients",
        "ceiling.pg.8");
    fraction(side, "/twilio/status, wrk max throughput", "/twilio/status.wrk", "pgbench inserts/s, 8 clients", "ceiling.pg.8");
    fraction(side, "/twilio/status, wrk max throughput", "/twilio/status.wrk", "pgbench inserts/s, 32 clients", "ceiling.pg.32");
    report.table("Side by side: Ringback's rates as fractions of the ceilings", List.of("ours", "per s", "ceiling", "per s",
        "fraction"), side);
    report.line("Ringback's pool has 8 connections. Of a call's four status webhooks, three are one INSERT each (autocommit, as "
        + "pgbench's); the last is a transaction (BEGIN, the event INSERT, the call's UPDATE, COMMIT).");
    List<List<String>> cpu = new ArrayList<>();
    for (String[] run : List.of(new String[] {"bare route (HTTP ceiling), wrk", "ceiling.http.wrk"},
        new String[] {"Ringback /twilio/status, wrk", "/twilio/status.wrk"}, new String[] {"Ringback /twilio/status, with history, wrk",
            "history/twilio/status.wrk"}, new String[] {"bare route, open loop, highest step", "ceiling.http.open"},
        new String[] {"Ringback /twilio/status, open loop, highest step", "/twilio/status.open"})) {
      Double offered = figures.get(run[1] + ".rate");
      if (offered != null) {
        run[0] = run[0] + String.format(" (%.0f/s offered)", offered);
      }
      Double rate = figures.get(run[1]);
      Double server = figures.get(run[1] + ".cpu.server");
      if (rate == null || server == null) {
        continue;
      }
      double postgres = figures.get(run[1] + ".cpu.postgres");
      double generator = figures.get(run[1] + ".cpu.generator");
      double total = server + (Double.isNaN(postgres) ? 0 : postgres) + (Double.isNaN(generator) ? 0 : generator);
      cpu.add(List.of(run[0], String.format("%.0f", rate), String.format("%.0f", server), Double.isNaN(postgres) ? "-"
          : String.format("%.0f", postgres), Double.isNaN(generator) ? "-" : String.format("%.0f", generator),
          String.format("%.0f", total), String.format("%.0f", cores * 1e6 / total)));
    }
    if (!cpu.isEmpty()) {
      report.table("CPU time per request (the physical budget)", List.of("run", "requests/s", "server µs",
          "PostgreSQL µs", "load generator µs", "total µs", "most requests/s " + cores + " cores allow"), cpu);
      report.line("CPU time (user + system) each process spent during the 10 s wrk run or the highest open-loop ladder step, "
          + "divided by the requests answered: the server process (all threads), PostgreSQL (the postmaster and its backends, read "
          + "from /proc), and the load generator: wrk (bash's `time`) or the suite's JVM that runs `OpenLoop` (its own threads, "
          + "the idle stand-in's included). The last column is the machine's cores × 1 s over that total: no request rate above "
          + "it fits on this machine with that load generator, whatever the server does.");
    }
  }

  /**
   * CPU time of a process and all its descendants, in nanoseconds (PostgreSQL: the postmaster and
   * its backends; a backend that has exited is no longer counted, so runs keep their connections).
   */
  /** CPU time of this JVM's Twilio stand-in: its Vert.x event-loop threads (nothing else here runs on Vert.x during a dispatch run). */
  static long standInCpuNanos() {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("vert.x-eventloop-thread-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  static long cpuNanos(ProcessHandle root) {
    long total = root.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    for (ProcessHandle child : root.descendants().toList()) {
      total += child.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
    return total;
  }

  /**
   * PostgreSQL's CPU time: the postmaster and its living backends, plus the backends that have
   * exited (the postmaster's reaped children, from /proc), so a pool closed before the second
   * reading still counts.
   */
  static long postgresCpuNanos(ProcessHandle postmaster) {
    long total = cpuNanos(postmaster);
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(postmaster.pid()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 16 and 17 of proc(5) (cutime, cstime), counted from field 3 after the command name; in clock ticks of 10 ms.
      total += (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      // Not Linux: exited backends are not counted.
    }
    return total;
  }

  /** The local PostgreSQL server's postmaster, from the pid file in its data directory; empty for a remote database. */
  java.util.Optional<ProcessHandle> postmaster() {
    try {
      Path pidFile = Path.of(db.value("postgres", "SELECT setting FROM pg_settings WHERE name = 'data_directory'"), "postmaster.pid");
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      java.util.Optional<ProcessHandle> found = ProcessHandle.of(pid);
      if (found.isEmpty()) {
        System.out.println("PostgreSQL's CPU time is not measured: no process " + pid + " here");
      }
      return found;
    } catch (IOException | RuntimeException e) {
      System.out.println("PostgreSQL's CPU time is not measured: " + e.getMessage());
      return java.util.Optional.empty();
    }
  }

  /** CPU time so far of the server, of PostgreSQL (0 when not local) and of this JVM (the load generator), in nanoseconds. */
  long[] cpuNow(ProcessHandle server) {
    // This JVM's own time only: the servers and the embedded PostgreSQL are its child processes.
    long self = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    return new long[] {cpuNanos(server), postmaster().map(SuiteBenchmark::postgresCpuNanos).orElse(0L), self};
  }

  /**
   * Keeps, for the highest ladder step run so far under {@code key}, its rate and the CPU time per
   * answered request of the server, PostgreSQL and the load generator (this JVM).
   */
  void stepCpu(String key, int rate, OpenLoop.Result step, long[] before, ProcessHandle server) {
    long[] after = cpuNow(server);
    double answered = Math.max(1, step.micros().length);
    figures.put(key + ".open.rate", (double) rate);
    figures.put(key + ".open", step.achieved());
    figures.put(key + ".open.cpu.server", (after[0] - before[0]) / 1e3 / answered);
    figures.put(key + ".open.cpu.postgres", before[1] == 0 ? Double.NaN : (after[1] - before[1]) / 1e3 / answered);
    figures.put(key + ".open.cpu.generator", (after[2] - before[2]) / 1e3 / answered);
  }

  void cpuFigures(String key, double[] w) {
    figures.put(key + ".cpu.server", w[2]);
    figures.put(key + ".cpu.postgres", w[3]);
    figures.put(key + ".cpu.generator", w[4]);
  }

  /**
   * wrk (a C load generator, 1 thread, 64 connections, closed loop) over a pool of pre-signed
   * status webhooks against {@code path}; returns {requests/s, non-2xx, then the CPU time per request in microseconds of the
   * server process, of PostgreSQL (NaN if not local) and of wrk itself}, or null without wrk.
   */
  double[] wrk(ProcessHandle server, int port, String path, int seconds, String name) throws Exception {
    Path pool = out.resolve("wrk-pool-" + name + ".txt");
    IntFunction<OpenLoop.Request> requests = statusRequests();
    StringBuilder lines = new StringBuilder();
    for (int n = 0; n < 80_000; n++) {
      OpenLoop.Request r = requests.apply(n);
      lines.append(r.headers()[1]).append('\t').append(r.body().toString()).append('\n');
    }
    Files.writeString(pool, lines);
    List<String> command = List.of("wrk", "-t1", "-c64", "-d" + seconds + "s", "-s", "bench/signed-pool.lua",
        "http://127.0.0.1:" + port + path, "--", pool.toString());
    try {
      new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor();
    } catch (IOException e) {
      System.out.println("wrk not found: " + e.getMessage());
      return null;
    }
    java.util.Optional<ProcessHandle> postgres = postmaster();
    long serverBefore = cpuNanos(server);
    long postgresBefore = postgres.map(SuiteBenchmark::postgresCpuNanos).orElse(0L);
    // bash's time reports wrk's own CPU (user and system seconds) on the last line.
    Process p = new ProcessBuilder("bash", "-c", "TIMEFORMAT='cpu %3U %3S'; time " + String.join(" ", command))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    double serverCpu = (cpuNanos(server) - serverBefore) / 1e3;
    double postgresCpu = postgres.isPresent() ? (postgresCpuNanos(postgres.get()) - postgresBefore) / 1e3 : Double.NaN;
    double wrkCpu = Double.NaN;
    Files.writeString(out.resolve("wrk-" + name + ".log"), String.join(" ", command) + "\n" + output);
    double rps = Double.NaN;
    double non2xx = 0;
    for (String line : output.split("\n")) {
      if (line.startsWith("Requests/sec:")) {
        rps = Double.parseDouble(line.substring(13).trim());
      } else if (line.contains("Non-2xx or 3xx responses:")) {
        non2xx = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      } else if (line.startsWith("cpu ")) {
        String[] f = line.split(" ");
        wrkCpu = (Double.parseDouble(f[1]) + Double.parseDouble(f[2])) * 1e6;
      }
    }
    double answered = rps * seconds;
    System.out.printf("wrk %s: %.0f req/s, non-2xx %.0f, CPU per request: server %.0f us, postgres %.0f us, wrk %.0f us%n", name, rps,
        non2xx, serverCpu / answered, postgresCpu / answered, wrkCpu / answered);
    return new double[] {rps, non2xx, serverCpu / answered, postgresCpu / answered, wrkCpu / answered};
  }

  void fraction(List<List<String>> rows, String ours, String oursKey, String ceiling, String ceilingKey) {
    Double a = figures.get(oursKey);
    Double b = figures.get(ceilingKey);
    if (a != null && b != null && b > 0) {
      rows.add(List.of(ours, String.format("%.0f", a), ceiling, String.format("%.0f", b), String.format("%.0f%%", 100 * a / b)));
    }
  }

  double pgbench(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", db.password);
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      System.out.println("pgbench not found: " + e.getMessage());
      return Double.NaN;
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Files.writeString(out.resolve("pgbench.log"), output, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    for (String line : output.split("\n")) {
      if (line.startsWith("tps = ")) {
        return Double.parseDouble(line.substring(6).split(" ")[0]);
      }
    }
    return Double.NaN;
  }

  void peer() throws Exception {
    Class<?> peer;
    try {
      peer = Class.forName("dev.ringback.telephony.DbSchedulerPeer");
    } catch (ClassNotFoundException e) {
      report.line("");
      report.line("## Peer: db-scheduler\n\nNot run: the `bench` Maven profile (which brings db-scheduler) was not active.");
      return;
    }
    String name = "bench_peer";
    db.create(name);
    var method = peer.getMethod("run", String.class, String.class, String.class, String.class, String.class, String.class,
        int.class, int.class, java.util.function.IntSupplier.class);
    String jdbc = "jdbc:postgresql://" + db.host + ":" + db.port + "/" + name;
    List<List<String>> rows = new ArrayList<>();
    java.util.Optional<ProcessHandle> postgres = postmaster();
    for (boolean measured : List.of(false, true)) {
      int count = measured ? dispatchCount : dispatchWarmup;
      if (measured) {
        quiesce(name);
      }
      twilio.reset();
      long postgresBefore = postgres.map(SuiteBenchmark::postgresCpuNanos).orElse(0L);
      long suiteBefore = cpuNanos(ProcessHandle.current());
      long standInBefore = standInCpuNanos();
      Instant due = (Instant) method.invoke(null, jdbc, db.user, db.password, twilio.baseUrl(), RingbackServer.ACCOUNT_SID,
          RingbackServer.AUTH_TOKEN, count, 16, (java.util.function.IntSupplier) twilio::callCreationCount);
      double standInCpu = (standInCpuNanos() - standInBefore) / 1e3 / count;
      // The peer runs in this JVM: its share is the JVM's CPU time less the stand-in's threads.
      double peerCpu = (cpuNanos(ProcessHandle.current()) - suiteBefore) / 1e3 / count - standInCpu;
      double postgresCpu = postgres.isPresent() ? (postgresCpuNanos(postgres.get()) - postgresBefore) / 1e3 / count : Double.NaN;
      List<Double> delays = new ArrayList<>();
      for (var request : twilio.callCreations()) {
        delays.add(Duration.between(due, request.receivedAt()).toNanos() / 1e6);
      }
      Collections.sort(delays);
      double last = delays.get(delays.size() - 1);
      double rate = count * 1000.0 / last;
      System.out.printf("peer %d: %.0f/s%n", count, rate);
      if (measured) {
        figures.put("peer.dispatch", rate);
        rows.add(List.of("db-scheduler, 1 instance", Integer.toString(count), String.format("%.0f", rate), ms(pct(delays, 50)),
            ms(pct(delays, 99)), ms(last), String.format("%.0f / %.0f / %.0f", peerCpu, postgresCpu, standInCpu)));
        Double ours = figures.get("dispatch.1");
        if (ours != null) {
          rows.add(List.of("Ringback, 1 instance (above)", Integer.toString(count), String.format("%.0f", ours), "", "", "",
              cpuSplit.getOrDefault("dispatch.1", "")));
          rows.add(List.of("**ratio Ringback / db-scheduler**", "", String.format("**%.2f**", ours / rate), "", "", "", ""));
        }
      }
    }
    report.table("Peer: the same due-callback workload run by db-scheduler on the same PostgreSQL",
        List.of("run", "callbacks", "rate (callbacks/s)", "due to Calls.json p50", "p99", "max",
            "CPU µs per callback: dispatcher / PostgreSQL / stand-in"), rows);
    report.line("db-scheduler " + peer.getMethod("version").invoke(null) + " (bench profile only): one one-time task per callback, "
        + "16 executor threads (Ringback's twilio.worker-threads), lock-and-fetch polling (SELECT … FOR UPDATE SKIP LOCKED) every "
        + "100 ms, HikariCP with 18 connections. Each execution reads its callback row, places the call with twilio-java through the "
        + "same HTTP client class Ringback uses, and records the CallSid and outcome on the row; db-scheduler then deletes the "
        + "execution. " + dispatchWarmup + " callbacks warm up first, as for Ringback. CPU time from /proc and per thread: the peer "
        + "runs in the suite's JVM, so its figure is that JVM's CPU time less the stand-in's threads (its garbage collection and "
        + "JIT compilation included); Ringback's is its whole server process.");
  }

  /**
   * The dialling ceiling: twilio-java's Calls.json request alone, from the dispatcher's 16
   * threads, against the same stand-in, without any database: no dispatcher can beat it here.
   */
  void dialCeiling() throws Exception {
    Class<?> ceiling;
    try {
      ceiling = Class.forName("dev.ringback.telephony.DialCeiling");
    } catch (ClassNotFoundException e) {
      return;
    }
    var method = ceiling.getMethod("run", String.class, String.class, String.class, int.class, int.class);
    method.invoke(null, twilio.baseUrl(), RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN, 2000, 16); // warm-up
    twilio.reset();
    long suiteBefore = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    double rate = (double) method.invoke(null, twilio.baseUrl(), RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN,
        dispatchCount, 16);
    double perCall = (ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L) - suiteBefore) / 1e3
        / dispatchCount;
    twilio.reset();
    figures.put("dial.ceiling", rate);
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("twilio-java alone, 16 threads, no database", Integer.toString(dispatchCount), String.format("%.0f", rate),
        String.format("CPU %.0f µs per call (client and stand-in): at most %.0f calls/s on %d cores", perCall, cores * 1e6 / perCall,
            cores)));
    Double ours = figures.get("dispatch.1");
    if (ours != null) {
      rows.add(List.of("Ringback's dispatcher, 1 instance (above)", Integer.toString(dispatchCount), String.format("%.0f", ours),
          String.format("%.0f%%", 100 * ours / rate)));
    }
    Double peer = figures.get("peer.dispatch");
    if (peer != null) {
      rows.add(List.of("db-scheduler (above)", Integer.toString(dispatchCount), String.format("%.0f", peer),
          String.format("%.0f%%", 100 * peer / rate)));
    }
    report.table("Dialling ceiling: twilio-java's Calls.json request alone, as fast as the stand-in answers",
        List.of("run", "calls", "calls/s", "fraction of the ceiling; its CPU cost"), rows);
    report.line("`dev.ringback.telephony.DialCeiling` (bench profile): the dispatcher's request (same parameters, same HTTP client "
        + "class, 16 threads) in a loop in the suite's JVM, beside the stand-in that answers it, after 2,000 calls of warm-up. "
        + "Every placed callback costs at least this much CPU on the machine, so it bounds any dispatcher that dials through "
        + "twilio-java here.");
  }

  // ---------------------------------------------------------------------------------------------
  // Scale

  void scale() throws Exception {
    String name = "bench_scale";
    String url = db.create(name);
    String label = "history";
    try (ServerProcess server = ringback(url, "scale", List.of())) {
      databases.put(server.port, name);
      server.awaitHealthy(Duration.ofSeconds(60));
      long t0 = System.nanoTime();
      seed(name);
      double seedSeconds = (System.nanoTime() - t0) / 1e9;
      String size = db.value(name, "SELECT pg_size_pretty(pg_database_size(current_database()))");
      long callbacks = db.count(name, "SELECT count(*) FROM callbacks");
      long customers = db.count(name, "SELECT count(*) FROM customers");
      webhooks(server, label, false);
      orders(server, label);
      lateness(server, label);
      dispatch(server, url, label, false);
      List<List<String>> rows = new ArrayList<>();
      for (String key : List.of("/twilio/status.500.p50", "/twilio/status.500.p99", "/twilio/voice.500.p50", "/twilio/voice.500.p99",
          "order.p50", "order.p99", "lateness.p50", "lateness.p99", "dispatch.1")) {
        Double before = figures.get(key);
        Double after = figures.get(label + key);
        if (before != null && after != null) {
          rows.add(List.of(key.replace(".500.", " at 500/s ").replace("dispatch.1", "dispatcher callbacks/s (1 instance)")
                  .replace("order.", "order to Calls.json ").replace("lateness.", "missed-call dial lateness "),
              String.format("%.1f", before), String.format("%.1f", after), String.format("%+.0f%%", (after / before - 1) * 100)));
        }
      }
      report.table("Scale: the key figures again with " + callbacks + " callbacks and " + customers + " customers in the database",
          List.of("figure (ms unless stated)", "empty database", "with history", "change"), rows);
      report.line(String.format("Seeded by `bench/seed.sql` in %.0f s (database size %s). Latency percentiles of a few "
          + "milliseconds move by a millisecond or two between runs on this machine, so a change in per cent of such a figure "
          + "is noise unless it is also large in milliseconds; compare against the run-to-run ranges in docs/BENCHMARKS.md.",
          seedSeconds, size));
      explain(name);
    }
  }

  void seed(String name) throws Exception {
    String script = Files.readString(Path.of("bench", "seed.sql"));
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.startsWith("\\") && !line.startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    try (Connection c = db.connect(name); Statement s = c.createStatement()) {
      for (String statement : sql.toString().split(";\\s*\n")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }

  /** The plans of the queries the hot paths run, with a million rows of history. */
  void explain(String name) throws Exception {
    StringBuilder text = new StringBuilder();
    try (Connection c = db.connect(name); Statement s = c.createStatement()) {
      for (String q : List.of(
          "SELECT id FROM callbacks c WHERE state = 'scheduled' AND due_at <= now() AND NOT EXISTS (SELECT 1 FROM do_not_call d "
              + "WHERE d.business_id = c.business_id AND d.phone = c.customer_phone) ORDER BY priority DESC, due_at, id LIMIT 64",
          "SELECT * FROM customers WHERE business_id = 1 AND phone = '+14152051234'",
          // the queue gauges' query (DialStore.QUEUE), every few seconds on every instance
          "SELECT state, count(*) AS n, count(*) FILTER (WHERE state = 'scheduled' AND due_at <= now()) AS due, "
              + "min(due_at) FILTER (WHERE state = 'scheduled' AND due_at <= now()) AS oldest_due "
              + "FROM callbacks WHERE state IN ('scheduled', 'dialing', 'agent_queue') GROUP BY state")) {
        text.append("    ").append(q).append('\n');
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + q)) {
          while (rs.next()) {
            text.append("      ").append(rs.getString(1)).append('\n');
          }
        }
      }
    }
    report.line("");
    report.line("Plans with the history in place (EXPLAIN ANALYZE):");
    report.line("");
    report.line(text.toString());
  }

  // ---------------------------------------------------------------------------------------------

  static String ms(double v) {
    return Double.isNaN(v) ? "" : v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%.1f ms", v);
  }

  static double pct(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(sorted.size() * p / 100.0) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  static List<Integer> parse(String csv) {
    List<Integer> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      out.add(Integer.parseInt(s.trim()));
    }
    return out;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** The Markdown report, also echoed to standard output. */
  static final class Report {
    private final StringBuilder text = new StringBuilder();

    void line(String line) {
      text.append(line).append('\n');
    }

    void table(String title, List<String> header, List<List<String>> rows) {
      line("");
      line("## " + title);
      line("");
      line("Load average when this table was written (1, 5, 15 min; other processes of the machine included): "
          + loadAverage() + ".");
      line("");
      line("| " + String.join(" | ", header) + " |");
      line("|" + " --- |".repeat(header.size()));
      for (List<String> row : rows) {
        line("| " + String.join(" | ", row) + " |");
      }
      line("");
      System.out.println(text.substring(text.lastIndexOf("## ")));
    }

    void write(Path file) throws IOException {
      Files.writeString(file, text.toString());
    }
  }
}
