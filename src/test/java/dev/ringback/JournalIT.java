package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * target/ringback.jar on its embedded PostgreSQL, under a steady stream of missed calls, while
 * the postmaster is killed with SIGKILL (the supervisor starts it again) and later every
 * PostgreSQL process is stopped with SIGSTOP for a while: every caller told "we will call you
 * back" has a callback in the end, and every webhook is answered within its deadline.
 */
class JournalIT {
  static final Duration DEADLINE = Duration.ofSeconds(90);
  static final int SENDERS = 4;
  /** Twilio waits 15 s; Ringback's deadlines keep every answer well under that. */
  static final long ANSWER_WITHIN_MILLIS = 3000;

  record Answered(String caller, int voice, int dial, long slowestMillis) {}

  @Test
  void everyAcknowledgedMissedCallIsCalledBackAfterThePostmasterIsKilledAndPostgresFrozen() throws Exception {
    Path dir = ProcessIT.workDir();
    ProcessIT.quickDialler(dir, "missed: 60 ", "missed: 3600 ");
    Path log = dir.resolve("ringback.log");
    int port = ProcessIT.freePort();
    String base = "http://127.0.0.1:" + port;
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      Process server = ProcessIT.startHealthy(dir, log, port, RingbackServer.API_TOKEN, "TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID,
          "TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN, "RINGBACK_TWILIO_API_URL", twilio.baseUrl(),
          "RINGBACK_PUBLIC_URL", RingbackServer.PUBLIC_URL);
      try {
        ConcurrentLinkedQueue<Answered> answered = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
          Thread sender = new Thread(() -> {
            while (System.nanoTime() < stopAt.get()) {
              int n = next.incrementAndGet();
              answered.add(missedCall(base, "CAjit" + String.format("%010d", n), "+1415557" + String.format("%04d", n)));
            }
          }, "caller-" + i);
          sender.setDaemon(true);
          sender.start();
          senders.add(sender);
        }
        RingbackServer.await("calls to flow", DEADLINE, () -> answered.size() >= 20);

        long postmaster = postmaster(dir);
        new ProcessBuilder("kill", "-9", Long.toString(postmaster)).start().waitFor();
        RingbackServer.await("the supervisor to start PostgreSQL again", DEADLINE, () -> {
          JsonObject health = health(base);
          return health.getJsonObject("checks").getString("database").equals("up");
        });
        int beforeFreeze = answered.size();
        RingbackServer.await("more calls after the restart", DEADLINE, () -> answered.size() >= beforeFreeze + 20);

        List<Long> frozen = postgresProcesses(dir);
        signal("STOP", frozen);
        int whileFrozen = answered.size();
        RingbackServer.await("calls answered while PostgreSQL is frozen", DEADLINE, () -> answered.size() >= whileFrozen + 10);
        signal("CONT", frozen);

        stopAt.set(System.nanoTime() + Duration.ofSeconds(2).toNanos());
        for (Thread sender : senders) {
          sender.join(30_000);
        }
        RingbackServer.await("the journal to be written to the database", DEADLINE, () -> {
          JsonObject health = health(base);
          return health.getJsonObject("checks").getString("journal").equals("empty")
              && health.getJsonObject("checks").getString("database").equals("up");
        });

        Set<String> promised = new HashSet<>();
        List<String> problems = new ArrayList<>();
        long slowest = 0;
        for (Answered a : answered) {
          slowest = Math.max(slowest, a.slowestMillis());
          if (a.voice() != 200 || a.dial() != 200 || a.slowestMillis() > ANSWER_WITHIN_MILLIS) {
            problems.add(a.toString());
          }
          if (a.dial() == 200) {
            promised.add(a.caller());
          }
        }
        Set<String> calledBack = callbackPhones(base);
        Set<String> forgotten = new HashSet<>(promised);
        forgotten.removeAll(calledBack);
        String output = Files.readString(log);
        System.out.printf("journal test: %d missed calls, %d promised a callback, %d forgotten, slowest answer %d ms, %d problems;"
                + " journal records kept %s%n", answered.size(), promised.size(), forgotten.size(), slowest, problems.size(),
            metric(base, "ringback_journal_kept_total"));
        assertThat(output).contains("keeping triggers in the journal").contains("The journal's records are all in the database");
        assertThat(forgotten).as("callers told they would be called back, without a callback").isEmpty();
        assertThat(problems).as("webhooks answered 200 within " + ANSWER_WITHIN_MILLIS + " ms").isEmpty();
        assertThat(server.isAlive()).isTrue();
      } finally {
        ProcessIT.stop(server);
      }
    }
  }

  /** A call that nobody answers: the greeting and ringing, then the {@code <Dial>} action that promises a callback. */
  static Answered missedCall(String base, String callSid, String caller) {
    long slowest = 0;
    int[] codes = new int[2];
    String[] paths = {"/twilio/voice", "/twilio/dial"};
    for (int i = 0; i < 2; i++) {
      List<Map.Entry<String, String>> params = i == 0
          ? RingbackServer.pairs("CallSid", callSid, "From", caller, "To", RingbackServer.LINE_NUMBER)
          : RingbackServer.pairs("CallSid", callSid, "From", caller, "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer",
              "CallStatus", "in-progress");
      String signature = TwilioSigner.sign(RingbackServer.AUTH_TOKEN, RingbackServer.PUBLIC_URL + paths[i], params);
      long start = System.nanoTime();
      try {
        codes[i] = RingbackServer.send(HttpRequest.newBuilder(URI.create(base + paths[i])).timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(RingbackServer.form(params))).build()).statusCode();
      } catch (RuntimeException e) {
        codes[i] = -1;
      }
      slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
    }
    return new Answered(caller, codes[0], codes[1], slowest);
  }

  static JsonObject health(String base) {
    try {
      return new JsonObject(RingbackServer.send(HttpRequest.newBuilder(URI.create(base + "/health"))
          .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).timeout(Duration.ofSeconds(5)).build()).body());
    } catch (RuntimeException e) {
      return new JsonObject().put("checks", new JsonObject().put("database", "unknown").put("journal", "unknown"));
    }
  }

  static String metric(String base, String name) {
    String body = RingbackServer.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build()).body();
    return body.lines().filter(l -> l.startsWith(name)).reduce((a, b) -> a + "; " + b).orElse("none");
  }

  /** Every number with a callback, through the API, a page at a time. */
  static Set<String> callbackPhones(String base) {
    Set<String> phones = new HashSet<>();
    String cursor = "";
    do {
      HttpResponse<String> page = RingbackServer.send(HttpRequest.newBuilder(URI.create(base + "/api/callbacks?limit=500" + cursor))
          .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).build());
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonObject body = new JsonObject(page.body());
      JsonArray items = body.getJsonArray("items");
      items.forEach(item -> phones.add(((JsonObject) item).getString("phone")));
      String nextCursor = body.getString("next_cursor");
      cursor = nextCursor == null ? null : "&cursor=" + nextCursor;
    } while (cursor != null);
    return phones;
  }

  static long postmaster(Path dir) throws Exception {
    return Long.parseLong(Files.readAllLines(dir.resolve("data/postgres/postmaster.pid")).get(0).trim());
  }

  /** The postmaster and every process it started. */
  static List<Long> postgresProcesses(Path dir) throws Exception {
    long postmaster = postmaster(dir);
    List<Long> pids = new ArrayList<>(List.of(postmaster));
    ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
    return pids;
  }

  static void signal(String name, List<Long> pids) throws Exception {
    List<String> command = new ArrayList<>(List.of("kill", "-" + name));
    pids.forEach(p -> command.add(Long.toString(p)));
    new ProcessBuilder(command).start().waitFor();
  }
}
