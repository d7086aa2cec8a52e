package dev.ringback.bench;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TwilioSigner;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The suite's part {@code businesses}: one server carrying 1, 100 and 1,000 businesses of five
 * lines each, declared in the configuration file or created through {@code POST /api/businesses}.
 * For each count: start-up to healthy, the first webhook and order after it, memory, the size and
 * cost of /metrics (and a real Prometheus's scrape of it), webhooks, orders and the dispatcher
 * with the work spread over every line, and what adding and removing one business costs at run
 * time on this instance and a second one. The default business is one of the N: it has five lines
 * at the top level, the N - 1 others are under {@code businesses:} (or created through the API).
 */
final class BusinessesPart {
  static final int LINES = 5;
  static final String SECRET_KEY = Base64.getEncoder().encodeToString("bench-secret-key-0123456789abcde".getBytes(StandardCharsets.UTF_8));
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One business of the run: index 0 is the default business. */
  record Shop(int index, String slug, String accountSid, String authToken, String orderSecret, List<String> numbers) {
    boolean isDefault() {
      return index == 0;
    }

    String orderPath() {
      return isDefault() ? "/orders" : "/orders/generic/" + slug;
    }
  }

  final SuiteBenchmark suite;
  /** -Dbench.businesses=1,100,1000: the counts of businesses (each of five lines). */
  final List<Integer> counts = SuiteBenchmark.parse(System.getProperty("bench.businesses", "1,100,1000"));
  /** -Dbench.businessVariants=config,api: businesses from the configuration file, or created through the API. */
  final List<String> variants = List.of(System.getProperty("bench.businessVariants", "config,api").split(","));
  /** -Dbench.heaps: the -Xmx steps (MiB) tried in turn until the server starts and stays healthy; the first is Ringback's shipped 256. */
  final List<Integer> heaps = SuiteBenchmark.parse(System.getProperty("bench.heaps", "256,384,512,768,1024,1536,2048,3072"));
  final int rate = Integer.getInteger("bench.businessRate", 200);
  final int loadSeconds = Integer.getInteger("bench.businessSeconds", 10);
  final int warmupSeconds = Integer.getInteger("bench.businessWarmup", 20);
  final int orderRate = Integer.getInteger("bench.businessOrderRate", 20);
  final int startSeconds = Integer.getInteger("bench.businessStartSeconds", 300);
  final int createSeconds = Integer.getInteger("bench.businessCreateSeconds", 900);
  final int callbacks = Integer.getInteger("bench.businessCallbacks", 5000);
  /** -Dbench.businessDispatchWarmup: callbacks dialled before the measured run (each line's first callback registers its meters). */
  final int dispatchWarmup = Integer.getInteger("bench.businessDispatchWarmup", 2000);
  /**
   * -Dbench.businessProfile=profile (or a .jfc file): a flight recording of each measured dispatcher run with those settings,
   * target/bench/dispatch-{label}.jfr.
   */
  final String profile = System.getProperty("bench.businessProfile", "");

  final List<List<String>> startRows = new ArrayList<>();
  final List<List<String>> metricRows = new ArrayList<>();
  final List<List<String>> loadRows = new ArrayList<>();
  final List<List<String>> memoryRows = new ArrayList<>();
  final List<List<String>> changeRows = new ArrayList<>();
  final List<List<String>> createRows = new ArrayList<>();
  final List<List<String>> timeRows = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  /** The smallest heap (MiB) that carried each count of businesses in the config variant: the API variant starts there. */
  final Map<Integer, Integer> heapFor = new HashMap<>();

  BusinessesPart(SuiteBenchmark suite) {
    this.suite = suite;
  }

  void run() throws Exception {
    String loadBefore = SuiteBenchmark.loadAverage();
    for (int n : counts) {
      for (String variant : variants) {
        if (variant.equals("api") && n == 1) {
          continue; // one business is the default business alone: nothing to create
        }
        long began = System.nanoTime();
        try {
          measure(n, variant);
        } catch (Exception | Error e) {
          notes.add(n + " businesses (" + variant + "): stopped by " + e);
          System.out.println("businesses " + n + " " + variant + ": " + e);
          e.printStackTrace(System.out);
        }
        timeRows.add(List.of(Integer.toString(n), variant, String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - began) / 1e9)));
      }
    }
    write(loadBefore);
  }

  // ---------------------------------------------------------------------------------------------

  static List<Shop> shops(int n) {
    List<Shop> shops = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      List<String> numbers = new ArrayList<>();
      for (int j = 0; j < LINES; j++) {
        numbers.add(SuiteBenchmark.phone(646, k * LINES + j));
      }
      shops.add(k == 0 ? new Shop(0, "default", RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN, SuiteBenchmark.ORDER_SECRET, numbers)
          : new Shop(k, String.format("b%04d", k), "AC" + String.format("%032x", k), String.format("bench-auth-token-%016d", k),
              String.format("bench-order-secret-%08d", k), numbers));
    }
    return shops;
  }

  static String lineYaml(Shop shop, int j, String indent) {
    return indent + "- {id: l" + (j + 1) + ", number: \"" + shop.numbers().get(j) + "\", name: \"Shop " + shop.index() + " line " + (j + 1)
        + "\", time-zone: America/New_York, callback-mode: customer-first, agents: [\"" + SuiteBenchmark.phone(917, shop.index() * LINES + j)
        + "\"]}\n";
  }

  /** The configuration: the suite's settings, the default business's five lines, and (config variant) the others. */
  String yaml(List<Shop> shops, boolean others) throws IOException {
    StringBuilder yaml = new StringBuilder("twilio:\n  worker-threads: " + suite.workerThreads + "\n"
        + "dialer:\n  calls-per-second: 0\n  batch-size: " + suite.batchSize + "\n  allowed-hours: \"00:00-24:00\"\n  status-check-seconds: 86400\n"
        + "callbacks:\n  delay-seconds:\n    missed: " + SuiteBenchmark.MISSED_DELAY_SECONDS + "\n"
        + "lines:\n");
    for (int j = 0; j < LINES; j++) {
      yaml.append(lineYaml(shops.get(0), j, "  "));
    }
    if (others && shops.size() > 1) {
      yaml.append("businesses:\n");
      for (Shop shop : shops.subList(1, shops.size())) {
        yaml.append("  - slug: ").append(shop.slug()).append("\n    name: \"Shop ").append(shop.index()).append("\"\n")
            .append("    api-token: bench-business-token-").append(String.format("%08d", shop.index())).append('\n')
            .append("    calls-per-second: 0\n")
            .append("    twilio: {account-sid: ").append(shop.accountSid()).append(", auth-token: ").append(shop.authToken()).append("}\n")
            .append("    orders: {generic: {secret: ").append(shop.orderSecret()).append("}}\n")
            .append("    lines:\n");
        for (int j = 0; j < LINES; j++) {
          yaml.append(lineYaml(shop, j, "      "));
        }
      }
    }
    Path file = suite.out.resolve("ringback-businesses.yaml");
    Files.writeString(file, yaml);
    return file.toString();
  }

  /** A business as POST /api/businesses takes it. */
  static JsonObject body(Shop shop) {
    JsonArray lines = new JsonArray();
    for (int j = 0; j < LINES; j++) {
      lines.add(new JsonObject().put("id", "l" + (j + 1)).put("number", shop.numbers().get(j)).put("name", "Shop " + shop.index() + " line " + (j + 1))
          .put("time_zone", "America/New_York").put("callback_mode", "customer-first")
          .put("agents", new JsonArray().add(SuiteBenchmark.phone(917, shop.index() * LINES + j))));
    }
    return new JsonObject().put("slug", shop.slug()).put("name", "Shop " + shop.index()).put("calls_per_second", 0)
        .put("twilio", new JsonObject().put("account_sid", shop.accountSid()).put("auth_token", shop.authToken()))
        .put("orders", new JsonObject().put("generic", new JsonObject().put("secret", shop.orderSecret())))
        .put("lines", lines);
  }

  Map<String, String> env(String url, String name) {
    Map<String, String> env = suite.env(url, name);
    env.put("RINGBACK_SECRET_KEY", SECRET_KEY);
    return env;
  }

  ServerProcess start(String config, String url, String name, int heap) {
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap + "m", "-XX:+ExitOnOutOfMemoryError"));
    String extra = System.getProperty("bench.serverJvm", "");
    if (!extra.isBlank()) {
      jvm.addAll(List.of(extra.replace("{name}", name).trim().split("\\s+")));
    }
    return ServerProcess.start(jvm, List.of("-jar", suite.jar.toString(), "--config", config), env(url, name),
        suite.out.resolve("ringback-" + name + ".log"), ServerProcess.freePort());
  }

  // ---------------------------------------------------------------------------------------------

  void measure(int n, String variant) throws Exception {
    List<Shop> shops = shops(n);
    shops.forEach(s -> suite.twilio.addAccount(s.accountSid(), s.authToken()));
    String database = "bench_businesses_" + variant + "_" + n;
    String firstUrl = suite.db.create(database);
    String label = n + " (" + variant + ")";
    boolean api = variant.equals("api");
    String config = yaml(shops, !api);
    int firstHeap = api ? heapFor.getOrDefault(n, heaps.get(0)) : heaps.get(0);
    if (api) {
      create(n, shops, config, firstUrl, firstHeap);
    }
    List<String> failed = new ArrayList<>();
    for (int heap : heaps) {
      if (heap < firstHeap) {
        continue;
      }
      String name = "businesses-" + variant + "-" + n + "-" + heap + "m";
      // A larger heap after a run that ran out of memory starts from a new database, as the first did
      // (the businesses of the API variant are where they were created).
      String dbName = api || heap == firstHeap ? database : database + "_" + heap;
      String url = dbName.equals(database) ? firstUrl : suite.db.create(dbName);
      ServerProcess server = start(config, url, name, heap);
      long startedAt = System.nanoTime();
      double startMs;
      try {
        startMs = server.awaitHealthy(Duration.ofSeconds(startSeconds));
      } catch (IllegalStateException e) {
        String why = server.process.isAlive() ? "not healthy within " + startSeconds + " s" : "exited " + server.process.exitValue()
            + (logMentions(server.log, "OutOfMemoryError") ? " (OutOfMemoryError)" : "") + said(server.log)
            + String.format(Locale.ROOT, " after %.0f s", (System.nanoTime() - startedAt) / 1e9);
        server.close();
        failed.add("-Xmx" + heap + "m: " + why);
        startRows.add(List.of(label, "-Xmx" + heap + "m", "did not start: " + why, "", "", "", ""));
        System.out.println("businesses " + label + " -Xmx" + heap + "m: " + why);
        continue;
      }
      suite.databases.put(server.port, dbName);
      try (server) {
        measureRunning(n, label, shops, server, heap, startMs, url, config, dbName);
      } catch (Exception e) {
        if (server.process.isAlive() || !logMentions(server.log, "OutOfMemoryError")) {
          throw e;
        }
        // Started, then ran out of memory under the measurements: the next heap is tried.
        String why = String.format(Locale.ROOT, "healthy in %.0f ms, then OutOfMemoryError (%s)", startMs, e.getMessage());
        failed.add("-Xmx" + heap + "m: " + why);
        startRows.add(List.of(label, "-Xmx" + heap + "m", why, "", "", "", ""));
        System.out.println("businesses " + label + " -Xmx" + heap + "m: " + why);
        continue;
      }
      if (!api) {
        heapFor.put(n, heap);
      }
      return;
    }
    notes.add(label + ": no heap of " + heaps + " carried it (" + String.join("; ", failed) + ")");
  }

  /** What the server said when it refused to start ({@code ringback: could not start: ...}), if it did. */
  static String said(Path log) {
    try {
      return Files.readAllLines(log).stream().filter(l -> l.startsWith("ringback: ")).findFirst().map(l -> " (" + l + ")").orElse("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  boolean logMentions(Path log, String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** API variant: a server of the default business alone creates the N - 1 others, one POST after the other, then stops. */
  void create(int n, List<Shop> shops, String config, String url, int heap) throws Exception {
    List<Double> times = new ArrayList<>();
    long deadline = System.nanoTime() + createSeconds * 1_000_000_000L;
    String stopped = "";
    try (ServerProcess server = start(config, url, "businesses-create-" + n, heap)) {
      server.awaitHealthy(Duration.ofSeconds(startSeconds));
      for (Shop shop : shops.subList(1, shops.size())) {
        if (System.nanoTime() > deadline) {
          stopped = "stopped after " + createSeconds + " s";
          break;
        }
        long t0 = System.nanoTime();
        HttpResponse<String> response = send(server, "POST", "/api/businesses", body(shop).encode());
        times.add((System.nanoTime() - t0) / 1e6);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
          stopped = "POST " + shop.slug() + " answered " + response.statusCode() + ": " + response.body();
          break;
        }
      }
    }
    List<Double> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    double total = times.stream().mapToDouble(Double::doubleValue).sum();
    createRows.add(List.of(Integer.toString(n - 1), Integer.toString(times.size()), String.format(Locale.ROOT, "%.1f s", total / 1000),
        times.isEmpty() ? "" : SuiteBenchmark.ms(times.get(0)), SuiteBenchmark.ms(SuiteBenchmark.pct(sorted, 50)),
        times.isEmpty() ? "" : SuiteBenchmark.ms(average(times.subList(Math.max(0, times.size() - 10), times.size()))),
        SuiteBenchmark.ms(SuiteBenchmark.pct(sorted, 100)), "-Xmx" + heap + "m" + (stopped.isEmpty() ? "" : "; " + stopped)));
    if (!stopped.isEmpty()) {
      throw new IllegalStateException("creating businesses through the API: " + stopped);
    }
  }

  static double average(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  HttpResponse<String> send(ServerProcess server, String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + RingbackServer.API_TOKEN);
    if (json != null) {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---------------------------------------------------------------------------------------------

  void measureRunning(int n, String label, List<Shop> shops, ServerProcess server, int heap, double startMs, String url, String config,
                      String database) throws Exception {
    int lines = n * LINES;
    Shop last = shops.get(shops.size() - 1);
    // The first requests after start, each on a new connection, as Twilio and a shop send them.
    double firstVoice = firstRequest(voice(last, LINES - 1, "CA" + "f".repeat(32), SuiteBenchmark.phone(415, 9_999_000)), server);
    double firstOrder = firstRequest(order(last, 599, 9_999), server);
    long rssStart = server.rssKb();
    long[] heapStart = heap(server);
    startRows.add(List.of(label, "-Xmx" + heap + "m", SuiteBenchmark.ms(startMs), SuiteBenchmark.ms(firstVoice), SuiteBenchmark.ms(firstOrder),
        String.format(Locale.ROOT, "%.0f MiB", rssStart / 1024.0), mib(heapStart[0]) + " / " + mib(heapStart[1])));
    System.out.println("businesses " + label + " healthy in " + startMs + " ms; first voice " + firstVoice + " ms, order " + firstOrder + " ms");

    // /metrics
    List<Double> renders = new ArrayList<>();
    String body = "";
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      body = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).timeout(Duration.ofSeconds(120)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      renders.add((System.nanoTime() - t0) / 1e6);
    }
    long[] series = series(body);
    Collections.sort(renders);
    String[] scrape = prometheus(server);
    metricRows.add(List.of(label, Long.toString(series[0]), Long.toString(series[1]),
        String.format(Locale.ROOT, "%.1f", series[1] / (double) lines), Long.toString(series[2]),
        String.format(Locale.ROOT, "%.1f MiB", body.getBytes(StandardCharsets.UTF_8).length / 1048576.0),
        SuiteBenchmark.ms(renders.get(2)) + " / " + SuiteBenchmark.ms(renders.get(4)), scrape[0], scrape[1]));
    body = null;

    // Webhooks, orders and the dispatcher, spread over every line and business.
    String[] load = new String[7];
    try (OpenLoop loop = new OpenLoop("127.0.0.1", server.port, 256)) {
      loop.run(rate, warmupSeconds * 2 / 3, statusRequests(shops));
      loop.run(rate, warmupSeconds / 3, voiceRequests(shops));
      OpenLoop.Result status = loop.run(rate, loadSeconds, statusRequests(shops));
      OpenLoop.Result voice = loop.run(rate, loadSeconds, voiceRequests(shops));
      load[0] = SuiteBenchmark.ms(status.p(50)) + " / " + SuiteBenchmark.ms(status.p(99));
      load[1] = SuiteBenchmark.ms(voice.p(50)) + " / " + SuiteBenchmark.ms(voice.p(99));
      load[6] = status.errors() + " / " + voice.errors();
      System.out.println("businesses " + label + " status " + status.summary() + "; voice " + voice.summary());
    }
    SuiteBenchmark.settle(server, "businesses");
    try (OpenLoop loop = new OpenLoop("127.0.0.1", server.port, 64)) {
      ordersRun(loop, shops, 10); // warm-up, not measured
      Orders orders = ordersRun(loop, shops, loadSeconds);
      load[2] = SuiteBenchmark.ms(orders.webhook().p(50)) + " / " + SuiteBenchmark.ms(orders.webhook().p(99));
      load[3] = SuiteBenchmark.ms(SuiteBenchmark.pct(orders.toDial(), 50)) + " / " + SuiteBenchmark.ms(SuiteBenchmark.pct(orders.toDial(), 99));
      load[6] += " / " + orders.webhook().errors();
    }
    suite.dispatchRun(database, dispatchWarmup, 1_000_000, List.of(), true); // warm-up
    suite.quiesce(database);
    if (!profile.isEmpty()) {
      jcmd(server, "JFR.start name=dispatch settings=" + profile);
    }
    double[] dispatch = suite.dispatchRun(database, callbacks, 2_000_000, List.of(server.process.toHandle()), true);
    if (!profile.isEmpty()) {
      Path recording = suite.out.resolve("dispatch-" + label.replaceAll("[^a-z0-9]+", "-") + heap + ".jfr").toAbsolutePath();
      System.out.println("businesses " + label + " dispatcher's flight recording: " + recording + " "
          + jcmd(server, "JFR.stop name=dispatch filename=" + recording).trim());
    }
    load[4] = String.format(Locale.ROOT, "%.0f", dispatch[0]);
    load[5] = SuiteBenchmark.ms(dispatch[1]) + " / " + SuiteBenchmark.ms(dispatch[2]);
    loadRows.add(List.of(label, "-Xmx" + heap + "m", load[0], load[1], load[2], load[3], load[4], load[5],
        String.format(Locale.ROOT, "%.0f / %.0f / %.0f", dispatch[5], dispatch[6], dispatch[7]), load[6]));

    long rssAfter = server.rssKb();
    long[] heapAfter = heap(server);
    memoryRows.add(List.of(label, "-Xmx" + heap + "m", String.format(Locale.ROOT, "%.0f MiB", rssStart / 1024.0),
        String.format(Locale.ROOT, "%.0f MiB", rssAfter / 1024.0), mib(heapStart[1]), mib(heapAfter[0]) + " / " + mib(heapAfter[1]),
        perLine(heapStart[1], liveAtOne[0], lines), perLine(heapAfter[1], liveAtOne[1], lines)));
    if (n == 1) {
      liveAtOne[0] = heapStart[1];
      liveAtOne[1] = heapAfter[1];
    }

    change(label, server, url, config, heap);
  }

  /** Live heap after start and after traffic with one business, for the growth per line of the larger counts. */
  final long[] liveAtOne = {-1, -1};

  /** Live heap grown per line beyond the five of one business. */
  static String perLine(long live, long atOne, int lines) {
    return atOne < 0 || lines <= LINES ? "" : String.format(Locale.ROOT, "%.0f KiB", (live - atOne) / 1024.0 / (lines - LINES));
  }

  /** Adds one business through the API and removes it again, with a second instance watching. */
  void change(String label, ServerProcess server, String url, String config, int heap) throws Exception {
    Shop extra = new Shop(9_000, "bench-extra", "AC" + "e".repeat(32), "bench-extra-auth-token-0123", "bench-extra-order-secret-01",
        List.of(SuiteBenchmark.phone(347, 0), SuiteBenchmark.phone(347, 1), SuiteBenchmark.phone(347, 2), SuiteBenchmark.phone(347, 3),
            SuiteBenchmark.phone(347, 4)));
    suite.twilio.addAccount(extra.accountSid(), extra.authToken());
    try (ServerProcess second = start(config, url, "businesses-second", heap)) {
      second.awaitHealthy(Duration.ofSeconds(startSeconds));
      long[] before = series(metrics(server));
      long[] heapBefore = heap(server);
      long t0 = System.nanoTime();
      HttpResponse<String> created = send(server, "POST", "/api/businesses", body(extra).encode());
      double post = (System.nanoTime() - t0) / 1e6;
      String postAnswer = created.statusCode() / 100 == 2 ? "" : " (" + created.statusCode() + " " + created.body() + ")";
      // A POST that timed out may still have created the business: the second instance tells.
      double seen = until(t0, () -> send(second, "GET", "/api/businesses/" + extra.slug(), null).statusCode() == 200);
      if (Double.isNaN(seen)) {
        changeRows.add(List.of(label, SuiteBenchmark.ms(post) + postAnswer, "not within 120 s", "", "", "", "", ""));
        return;
      }
      long[] added = series(metrics(server));
      long[] heapAdded = heap(server);
      long t1 = System.nanoTime();
      int deleted = send(server, "DELETE", "/api/businesses/" + extra.slug(), null).statusCode();
      double delete = (System.nanoTime() - t1) / 1e6;
      double gone = until(t1, () -> send(second, "GET", "/api/businesses/" + extra.slug(), null).statusCode() == 404);
      long[] removed = series(metrics(server));
      changeRows.add(List.of(label, SuiteBenchmark.ms(post) + postAnswer, SuiteBenchmark.ms(seen), String.format("%+d", added[1] - before[1]),
          String.format(Locale.ROOT, "%+.0f KiB", (heapAdded[1] - heapBefore[1]) / 1024.0),
          SuiteBenchmark.ms(delete) + (deleted / 100 == 2 ? "" : " (" + deleted + ")"), SuiteBenchmark.ms(gone),
          String.format("%+d", removed[1] - before[1])));
    }
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Milliseconds from {@code since} until the check holds (polled every 10 ms, at most 120 s); NaN if it never did. */
  static double until(long since, Check check) throws Exception {
    while (System.nanoTime() - since < 120_000_000_000L) {
      if (check.holds()) {
        return (System.nanoTime() - since) / 1e6;
      }
      ServerProcess.sleep(10);
    }
    return Double.NaN;
  }

  /**
   * Milliseconds from sending to the answer of a request on a new connection, as the first request
   * after a start would come; the client and the signed request are made before the clock starts.
   */
  static double firstRequest(OpenLoop.Request r, ServerProcess server) throws Exception {
    HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.baseUrl() + r.path())).timeout(Duration.ofSeconds(60))
        .header("Content-Type", r.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(r.body().getBytes()));
    for (int i = 0; i + 1 < r.headers().length; i += 2) {
      if (!r.headers()[i].equalsIgnoreCase("User-Agent")) {
        builder.header(r.headers()[i], r.headers()[i + 1]);
      }
    }
    HttpRequest request = builder.build();
    long t0 = System.nanoTime();
    int status = fresh.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    double ms = (System.nanoTime() - t0) / 1e6;
    if (status / 100 != 2) {
      System.out.println("first request answered " + status);
    }
    return ms;
  }

  static String metrics(ServerProcess server) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).timeout(Duration.ofSeconds(120)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** {all series, ringback_* series, ringback_callback_delay_seconds_bucket series} of a /metrics body. */
  static long[] series(String body) {
    long all = 0;
    long ours = 0;
    long delayBuckets = 0;
    for (String line : body.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      all++;
      if (line.startsWith("ringback_")) {
        ours++;
        if (line.startsWith("ringback_callback_delay_seconds_bucket")) {
          delayBuckets++;
        }
      }
    }
    return new long[] {all, ours, delayBuckets};
  }

  /** {heap in use, heap live after a full collection} in bytes, from jcmd. */
  static long[] heap(ServerProcess server) throws Exception {
    long used = jcmdHeap(server);
    jcmd(server, "GC.run");
    return new long[] {used, jcmdHeap(server)};
  }

  static long jcmdHeap(ServerProcess server) throws Exception {
    Matcher m = HEAP_USED.matcher(jcmd(server, "GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  static String jcmd(ServerProcess server, String command) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(server.process.pid()),
        command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  static String mib(long bytes) {
    return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  // ---------------------------------------------------------------------------------------------

  static OpenLoop.Request signed(Shop shop, String path, List<Map.Entry<String, String>> params) {
    String signature = TwilioSigner.sign(shop.authToken(), RingbackServer.PUBLIC_URL + path, params);
    return new OpenLoop.Request(HttpMethod.POST, path, "application/x-www-form-urlencoded; charset=utf-8",
        new String[] {"X-Twilio-Signature", signature, "User-Agent", "TwilioProxy/1.1"}, Buffer.buffer(RingbackServer.form(params)));
  }

  static OpenLoop.Request voice(Shop shop, int line, String sid, String from) {
    return signed(shop, "/twilio/voice", List.of(Map.entry("AccountSid", shop.accountSid()), Map.entry("ApiVersion", "2010-04-01"),
        Map.entry("CallSid", sid), Map.entry("CallStatus", "ringing"), Map.entry("Direction", "inbound"), Map.entry("From", from),
        Map.entry("To", shop.numbers().get(line))));
  }

  /** Call c is on line c % (businesses × 5): every line gets its share. */
  IntFunction<OpenLoop.Request> voiceRequests(List<Shop> shops) {
    int run = ++suite.sequence;
    return n -> {
      int line = n % (shops.size() * LINES);
      return voice(shops.get(line / LINES), line % LINES, String.format("CA%08d%024d", run, n), SuiteBenchmark.phone(415, n % 100000));
    };
  }

  IntFunction<OpenLoop.Request> statusRequests(List<Shop> shops) {
    int run = ++suite.sequence;
    String[] statuses = {"initiated", "ringing", "in-progress", "completed"};
    Instant base = Instant.now();
    return n -> {
      int call = n / 4;
      int line = call % (shops.size() * LINES);
      Shop shop = shops.get(line / LINES);
      String status = statuses[n % 4];
      List<Map.Entry<String, String>> params = new ArrayList<>(List.of(
          Map.entry("AccountSid", shop.accountSid()), Map.entry("ApiVersion", "2010-04-01"),
          Map.entry("CallSid", String.format("CA%08d%024d", run, call)), Map.entry("CallStatus", status), Map.entry("Direction", "inbound"),
          Map.entry("From", SuiteBenchmark.phone(415, call)), Map.entry("To", shop.numbers().get(line % LINES)),
          Map.entry("SequenceNumber", Integer.toString(n % 4)),
          Map.entry("Timestamp", SuiteBenchmark.RFC_1123.format(base.plusSeconds(n % 4 * 5L)))));
      if (status.equals("completed")) {
        params.add(Map.entry("CallDuration", "42"));
      }
      return signed(shop, "/twilio/status", params);
    };
  }

  static OpenLoop.Request order(Shop shop, int run, int n) {
    byte[] body = ("{\"order_id\":\"bench-" + run + "-" + n + "\",\"phone\":\"" + SuiteBenchmark.phone(628, run * 10000 + n)
        + "\",\"name\":\"Bench Buyer\",\"total\":42.5,\"currency\":\"USD\",\"items\":1}").getBytes(StandardCharsets.UTF_8);
    return new OpenLoop.Request(HttpMethod.POST, shop.orderPath(), "application/json",
        new String[] {"X-Ringback-Signature", ShopSigner.generic(shop.orderSecret(), body)}, Buffer.buffer(body));
  }

  record Orders(OpenLoop.Result webhook, List<Double> toDial) {}

  /** Orders at {@link #orderRate}/s, order n to business n % N; each order's time to its buyer's Calls.json. */
  Orders ordersRun(OpenLoop loop, List<Shop> shops, int secs) throws Exception {
    suite.twilio.reset();
    int run = ++suite.sequence % 600;
    Map<String, Integer> index = new HashMap<>();
    OpenLoop.Result result = loop.run(orderRate, secs, n -> {
      synchronized (index) {
        index.put(SuiteBenchmark.phone(628, run * 10000 + n), n);
      }
      return order(shops.get(n % shops.size()), run, n);
    });
    int total = orderRate * secs;
    RingbackServer.await("every order dialled", Duration.ofMinutes(2),
        () -> suite.twilio.callCreations().stream().filter(r -> index.containsKey(r.param("To"))).count() >= total);
    List<Double> toDial = new ArrayList<>();
    for (var request : suite.twilio.callCreations()) {
      Integer n = index.get(request.param("To"));
      if (n != null) {
        Instant intended = result.startWall().plusNanos(n * 1_000_000_000L / orderRate);
        toDial.add(Duration.between(intended, request.receivedAt()).toNanos() / 1e6);
      }
    }
    Collections.sort(toDial);
    return new Orders(result, toDial);
  }

  // ---------------------------------------------------------------------------------------------

  /** A real Prometheus scraping the server for a while: {scrape_duration_seconds last / max, samples scraped}; empty without one. */
  String[] prometheus(ServerProcess server) throws Exception {
    if (!onPath("prometheus")) {
      return new String[] {"not run (no prometheus on the PATH)", ""};
    }
    Path dir = Files.createTempDirectory("bench-prometheus");
    int interval = Integer.getInteger("bench.scrapeSeconds", 10);
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: %ds
          scrape_timeout: %ds
        scrape_configs:
          - job_name: ringback
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """.formatted(interval, interval, server.port));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process p = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn").redirectErrorStream(true)
        .redirectOutput(suite.out.resolve("prometheus-businesses.log").toFile()).start();
    String base = "http://127.0.0.1:" + port;
    try {
      long t0 = System.nanoTime();
      // Three scrapes: the first of a new target may still be warming up.
      while (System.nanoTime() - t0 < (interval * 5L + 30) * 1_000_000_000L) {
        JsonArray result = query(base, "count_over_time(scrape_duration_seconds{job=\"ringback\"}[10m])");
        if (result != null && !result.isEmpty() && Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1)) >= 3) {
          String last = value(query(base, "scrape_duration_seconds{job=\"ringback\"}"));
          String max = value(query(base, "max_over_time(scrape_duration_seconds{job=\"ringback\"}[10m])"));
          String samples = value(query(base, "scrape_samples_scraped{job=\"ringback\"}"));
          String up = value(query(base, "min_over_time(up{job=\"ringback\"}[10m])"));
          return new String[] {seconds(last) + " / " + seconds(max) + ("1".equals(up) ? "" : " (some scrapes failed: up was 0)"), samples};
        }
        ServerProcess.sleep(500);
      }
      return new String[] {"fewer than 3 scrapes in " + (interval * 5 + 30) + " s", ""};
    } finally {
      p.destroy();
      p.waitFor();
      SuiteBenchmark.deleteTree(dir);
    }
  }

  static String seconds(String value) {
    return value == null ? "?" : String.format(Locale.ROOT, "%.0f ms", Double.parseDouble(value) * 1000);
  }

  static String value(JsonArray result) {
    return result == null || result.isEmpty() ? null : result.getJsonObject(0).getJsonArray("value").getString(1);
  }

  static JsonArray query(String base, String promql) {
    try {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return new JsonObject(body).getJsonObject("data").getJsonArray("result");
    } catch (Exception e) {
      return null;
    }
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------

  void write(String loadBefore) {
    SuiteBenchmark.Report report = suite.report;
    report.line("");
    report.line("# Businesses at scale: one server carrying N businesses of " + LINES + " lines each");
    report.line("");
    report.line("Each count of businesses N on a new database on the suite's PostgreSQL; the default business (five lines at the top "
        + "level) is one of the N, the others are under `businesses:` in the configuration file (*config*) or created through "
        + "`POST /api/businesses` by a server of the default business alone, which then stops (*api*). Every business has its own "
        + "Twilio account (the stand-in knows them all), auth token, generic order secret, calls-per-second 0 (no limit) and five "
        + "lines with one agent each, callback-mode customer-first. `java -Xmx…m -XX:+ExitOnOutOfMemoryError -jar target/ringback.jar` "
        + "with RINGBACK_SECRET_KEY; heaps tried in turn: " + heaps + " MiB. Load average when the part began: " + loadBefore + ".");
    report.table("Businesses: start-up and the first requests", List.of("businesses", "heap", "start to healthy", "first /twilio/voice",
        "first order", "RSS after start", "heap in use / live after a full GC"), startRows);
    report.line("Start to healthy: process start to the first 200 of GET /health (polled every 10 ms). The first requests right after "
        + "it, each on a new connection: a signed `/twilio/voice` on the last line of the last business, then a signed order to that "
        + "business's `/orders/generic/<slug>` (the default business's `/orders` at N = 1). Heap from `jcmd GC.heap_info`, live "
        + "after `jcmd GC.run`.");
    report.table("Businesses: /metrics", List.of("businesses", "series", "ringback_* series", "ringback_* per line",
        "ringback_callback_delay_seconds_bucket", "bytes", "render median / max of 5", "Prometheus scrape_duration_seconds last / max",
        "samples scraped"), metricRows);
    report.line("Right after start, before any traffic. Five GETs of /metrics in a row from the suite's JVM; a real Prometheus ("
        + "Debian's, scrape interval and timeout " + Integer.getInteger("bench.scrapeSeconds", 10) + " s) scraping the same server until "
        + "it has three scrapes.");
    report.table("Businesses: latency with the work spread over every line", List.of("businesses", "heap", "/twilio/status p50 / p99",
        "/twilio/voice p50 / p99", "order webhook p50 / p99", "order to Calls.json p50 / p99", "dispatcher callbacks/s",
        "due to Calls.json p50 / p99", "dispatcher CPU µs per callback: Ringback / PostgreSQL / Twilio stand-in",
        "errors status / voice / orders"), loadRows);
    report.line("Open loop. After " + warmupSeconds + " s of unmeasured webhooks (two thirds status, one third voice, at " + rate + "/s): "
        + "`/twilio/status` (a call's four events) and `/twilio/voice` at " + rate + "/s for " + loadSeconds + " s each, call c on line "
        + "c mod (5 N), signed with that business's token; orders at " + orderRate + "/s for " + loadSeconds + " s (after 10 s unmeasured), "
        + "order n to business n mod N; the dispatcher: " + callbacks + " callbacks made due at once, spread evenly over every line of "
        + "every business (after " + dispatchWarmup + " unmeasured, then VACUUM ANALYZE and CHECKPOINT); the three share the machine's cores.");
    report.table("Businesses: memory", List.of("businesses", "heap", "RSS after start", "RSS after traffic", "live heap after start",
        "heap in use / live after traffic", "live heap per added line, after start", "after traffic"), memoryRows);
    report.table("Businesses: one business added and removed through the API at run time", List.of("businesses", "POST answered in",
        "served by a second instance after", "ringback_* series added", "live heap added", "DELETE answered in",
        "gone from the second instance after", "ringback_* series left after DELETE"), changeRows);
    report.line("A second instance on the same database and configuration; after traffic, `POST /api/businesses` of one business of "
        + "five lines on the first, then GET /api/businesses/<slug> on the second polled every 10 ms until 200; then DELETE on the "
        + "first and the second polled until 404. Series counted on the first's /metrics.");
    if (!createRows.isEmpty()) {
      report.table("Businesses: creating them through the API, one POST after the other", List.of("to create", "created", "total",
          "first POST", "median", "mean of the last 10", "slowest", "server"), createRows);
    }
    report.table("Businesses: how long each piece of the part took", List.of("businesses", "variant", "time"), timeRows);
    report.line("Load average when the part ended: " + SuiteBenchmark.loadAverage() + ".");
    for (String note : notes) {
      report.line("");
      report.line("- " + note);
    }
  }
}
