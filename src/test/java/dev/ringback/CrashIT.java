package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioSigner;
import dev.ringback.support.TwilioStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The jar under a steady stream of missed calls and orders, killed with SIGKILL at random
 * moments 20 times and restarted each time. At the end every acknowledged trigger has exactly
 * one callback, every callback was dialled exactly once (the Twilio stand-in's record is the
 * judge), and nothing a 2xx acknowledged is lost.
 */
class CrashIT {
  static final int KILLS = 20;
  static final String ORDER_SECRET = "crash-test-order-secret-0123456789";
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  /** What the stream sent and what Ringback acknowledged with a 2xx. */
  static final class Stream implements Runnable {
    final int port;
    final AtomicBoolean running = new AtomicBoolean(true);
    final Set<String> acknowledgedMissed = ConcurrentHashMap.newKeySet();
    final Set<String> acknowledgedOrders = ConcurrentHashMap.newKeySet();
    int sent;

    Stream(int port) {
      this.port = port;
    }

    int acknowledged() {
      return acknowledgedMissed.size() + acknowledgedOrders.size();
    }

    @Override
    public void run() {
      while (running.get()) {
        sent++;
        String phone = "+1415" + (5550000 + sent) % 10_000_000;
        try {
          if (sent % 2 == 0) {
            String body = "{\"order_id\":\"crash-" + sent + "\",\"phone\":\"" + phone + "\",\"name\":\"Buyer " + sent + "\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json").header("X-Ringback-Signature", ShopSigner.generic(ORDER_SECRET, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
            if (response != null && response.statusCode() / 100 == 2) {
              acknowledgedOrders.add(phone);
            }
          } else {
            String sid = "CAcrash" + sent;
            HttpResponse<String> voice = twilio("/twilio/voice", "CallSid", sid, "From", phone, "To", RingbackServer.LINE_NUMBER);
            HttpResponse<String> dial = voice == null || voice.statusCode() != 200 ? null
                : twilio("/twilio/dial", "CallSid", sid, "From", phone, "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer");
            if (dial != null && dial.statusCode() == 200) {
              acknowledgedMissed.add(phone);
            }
          }
          Thread.sleep(40);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> twilio(String path, String... nameValues) {
      var params = RingbackServer.pairs(nameValues);
      return send(HttpRequest.newBuilder(uri(path))
          .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
          .header("X-Twilio-Signature", TwilioSigner.sign(RingbackServer.AUTH_TOKEN, RingbackServer.PUBLIC_URL + path, params))
          .POST(HttpRequest.BodyPublishers.ofString(RingbackServer.form(params))));
    }

    /** Null when the server is down or died mid-request: not acknowledged. */
    static HttpResponse<String> send(HttpRequest.Builder request) {
      try {
        return HTTP.send(request.timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  @Test
  void killedTwentyTimesUnderLoadEveryTriggerIsCalledBackExactlyOnce() throws Exception {
    TestDatabase db = TestDatabase.create();
    Path dir = ProcessIT.workDir();
    ProcessIT.quickDialler(dir, "missed: 60 ", "missed: 0 ");
    Path log = dir.resolve("ringback.log");
    int port = ProcessIT.freePort();
    Random random = new Random(42);
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      String[] env = {"TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN,
          "RINGBACK_TWILIO_API_URL", twilio.baseUrl(), "RINGBACK_PUBLIC_URL", RingbackServer.PUBLIC_URL,
          "RINGBACK_DATABASE_URL", db.url(), "RINGBACK_ORDER_SECRET", ORDER_SECRET};
      Stream stream = new Stream(port);
      Thread generator = new Thread(stream, "crash-stream");
      Process process = ProcessIT.startHealthy(dir, log, port, RingbackServer.API_TOKEN, env);
      generator.start();
      try {
        for (int kill = 0; kill < KILLS; kill++) {
          // Killed under load: once this instance has acknowledged something, at a random moment after.
          int before = stream.acknowledged();
          RingbackServer.await("the restarted server to take webhooks", Duration.ofSeconds(30), () -> stream.acknowledged() > before);
          Thread.sleep(random.nextInt(800));
          new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
          assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
          process = ProcessIT.startHealthy(dir, log, port, RingbackServer.API_TOKEN, env);
        }
        stream.running.set(false);
        generator.join(10_000);

        // The last instance settles everything: due callbacks dialled, unanswered requests reconciled.
        RingbackServer.await("every callback to be placed", Duration.ofSeconds(90), () ->
            db.count("SELECT count(*) FROM callbacks WHERE state = 'scheduled' OR needs_reconcile OR lease_until IS NOT NULL") == 0);
      } finally {
        stream.running.set(false);
        ProcessIT.stop(process);
      }

      System.out.printf("crash test: %d kills, %d webhooks sent, %d missed calls and %d orders acknowledged, %d callbacks, %d dials%n",
          KILLS, stream.sent, stream.acknowledgedMissed.size(), stream.acknowledgedOrders.size(),
          db.count("SELECT count(*) FROM callbacks"), twilio.callCreationCount());
      assertThat(stream.acknowledged()).as("every instance took webhooks before it was killed").isGreaterThanOrEqualTo(KILLS);
      Map<String, Long> callbacksPerPhone = db.query("SELECT customer_phone, count(*) AS n FROM callbacks GROUP BY customer_phone")
          .stream().collect(Collectors.toMap(r -> (String) r.get("customer_phone"), r -> (Long) r.get("n")));
      for (String phone : stream.acknowledgedMissed) {
        assertThat(callbacksPerPhone.get(phone)).as("callbacks for acknowledged missed call " + phone).isEqualTo(1L);
      }
      for (String phone : stream.acknowledgedOrders) {
        assertThat(callbacksPerPhone.get(phone)).as("callbacks for acknowledged order " + phone).isEqualTo(1L);
        assertThat(db.count("SELECT count(*) FROM orders WHERE phone = ?", phone)).isEqualTo(1);
      }
      assertThat(callbacksPerPhone.values()).as("never two callbacks for one trigger").allMatch(n -> n == 1L);
      Map<String, Long> dialsPerPhone = twilio.callCreations().stream()
          .collect(Collectors.groupingBy(r -> r.param("To"), Collectors.counting()));
      assertThat(dialsPerPhone.keySet()).as("every callback dialled").containsExactlyInAnyOrderElementsOf(callbacksPerPhone.keySet());
      assertThat(dialsPerPhone.values()).as("nobody dialled twice").allMatch(n -> n == 1L);
      List<String> restarts = Files.readAllLines(log).stream().filter(l -> l.contains("Ringback listens")).toList();
      assertThat(restarts).hasSize(KILLS + 1);
    }
  }

  /** Two instances on one database; the one holding leased work is killed mid-dispatch. */
  @Test
  void theOtherInstanceTakesOverWithinTheLeaseWithoutRedialling() throws Exception {
    TestDatabase db = TestDatabase.create();
    Path dir = ProcessIT.workDir();
    ProcessIT.quickDialler(dir, "request-timeout-seconds: 10", "request-timeout-seconds: 60");
    int first = ProcessIT.freePort();
    int second = ProcessIT.freePort();
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      String[] env = {"TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID, "TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN,
          "RINGBACK_TWILIO_API_URL", twilio.baseUrl(), "RINGBACK_PUBLIC_URL", RingbackServer.PUBLIC_URL,
          "RINGBACK_DATABASE_URL", db.url()};
      Process a = ProcessIT.startHealthy(dir, dir.resolve("a.log"), first, RingbackServer.API_TOKEN, env);
      Process b = null;
      try {
        // Only A runs while the work is claimed, so A holds every lease; its requests hang at Twilio.
        int count = 4;
        for (int i = 0; i < count; i++) {
          twilio.hangNext();
          var response = Stream.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first + "/api/callbacks"))
              .header("Authorization", "Bearer " + RingbackServer.API_TOKEN).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"phone\":\"+1415555" + (4200 + i) + "\"}")));
          assertThat(response.statusCode()).isEqualTo(201);
        }
        RingbackServer.await("A to send every request", Duration.ofSeconds(20), () -> twilio.callCreationCount() >= count);
        // Two instances in one directory: each needs a journal of its own.
        String[] envB = java.util.stream.Stream.concat(java.util.Arrays.stream(env),
            java.util.stream.Stream.of("RINGBACK_JOURNAL_DIR", dir.resolve("data/journal-b").toString())).toArray(String[]::new);
        b = ProcessIT.startHealthy(dir, dir.resolve("b.log"), second, RingbackServer.API_TOKEN, envB);
        new ProcessBuilder("kill", "-9", Long.toString(a.pid())).start().waitFor();
        assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();
        twilio.dropHungRequests();
        long killed = System.nanoTime();

        RingbackServer.await("B to settle A's work", Duration.ofSeconds(30), () ->
            db.count("SELECT count(*) FROM callbacks WHERE state = 'dialing' AND lease_until IS NULL AND NOT needs_reconcile") == count);
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf("takeover: B settled A's %d callbacks %d ms after the kill (lease 5 s)%n", count, takeover.toMillis());
        assertThat(takeover).as("within the lease and a few polls").isLessThan(Duration.ofSeconds(15));
        Map<String, Long> dials = twilio.callCreations().stream().collect(Collectors.groupingBy(r -> r.param("To"), Collectors.counting()));
        assertThat(dials).hasSize(count);
        assertThat(dials.values()).as("B found A's calls at Twilio and did not redial them").allMatch(n -> n == 1L);
      } finally {
        a.destroyForcibly();
        if (b != null) {
          ProcessIT.stop(b);
        }
      }
    }
  }
}
