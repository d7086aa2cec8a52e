package dev.ringback.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TcpProxy;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The database goes away (cut, then frozen as by SIGSTOP): every webhook that may lead to a
 * callback is answered within its deadline from the journal, and once the database is back
 * every one of them has its effect, written in order, with nothing left in the journal.
 */
class JournalledTriggersTest {
  static final Duration DEADLINE = Duration.ofSeconds(30);
  static final String SHOP_SECRET = "journal-shop-secret-0123456789";
  static final String YAML = """
      dialer:
        calls-per-second: 0
        poll-millis: 200
      callbacks:
        delay-seconds: {missed: 3600, abandoned: 3600, dropped: 3600, order: 3600}
      orders:
        generic:
          secret: journal-shop-secret-0123456789
      """ + RingbackServer.LINES_YAML;

  /** A webhook answered, and how long it took. */
  record Timed(HttpResponse<String> response, long millis) {}

  static Timed timed(Supplier<HttpResponse<String>> request) {
    long start = System.nanoTime();
    HttpResponse<String> response = request.get();
    return new Timed(response, (System.nanoTime() - start) / 1_000_000);
  }

  static HttpResponse<String> order(RingbackServer server, String id, String phone) {
    byte[] body = ("{\"order_id\": \"" + id + "\", \"phone\": \"" + phone + "\", \"name\": \"Anna Smith\"}").getBytes(StandardCharsets.UTF_8);
    return server.post("/orders", Map.of("Content-Type", "application/json", "X-Ringback-Signature", ShopSigner.generic(SHOP_SECRET, body)),
        body);
  }

  /** A missed call from {@code caller}: it arrives, the agents do not answer, the caller leaves a voicemail and hangs up. */
  static List<Timed> missedCall(RingbackServer server, String callSid, String caller) {
    return List.of(
        timed(() -> server.twilio("/twilio/voice", "CallSid", callSid, "From", caller, "To", RingbackServer.LINE_NUMBER)),
        timed(() -> server.twilio("/twilio/dial", "CallSid", callSid, "From", caller, "To", RingbackServer.LINE_NUMBER,
            "DialCallStatus", "no-answer", "CallStatus", "in-progress")),
        timed(() -> server.twilio("/twilio/recording", "CallSid", callSid, "RecordingUrl",
            "https://api.twilio.com/2010-04-01/Accounts/" + RingbackServer.ACCOUNT_SID + "/Recordings/RE"
                + "0".repeat(26) + caller.substring(caller.length() - 6), "RecordingDuration", "7")),
        timed(() -> server.twilio("/twilio/status", "CallSid", callSid, "CallStatus", "completed", "Direction", "inbound",
            "From", caller, "To", RingbackServer.LINE_NUMBER, "CallDuration", "40")));
  }

  static JsonObject health(RingbackServer server) {
    return new JsonObject(server.healthDetails().body());
  }

  static long segments(Path journal) throws Exception {
    try (var files = Files.list(journal)) {
      return files.filter(f -> f.getFileName().toString().startsWith("journal-")).count();
    }
  }

  /** Starts a server whose database is reached through {@code proxy}, with its journal in {@code journal}. */
  static RingbackServer start(TestDatabase db, TcpProxy proxy, Path journal, String twilioApiUrl) {
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, twilioApiUrl));
    env.put("RINGBACK_DATABASE_URL", db.url().replace(":" + db.port() + "/", ":" + proxy.port() + "/"));
    env.put("RINGBACK_JOURNAL_DIR", journal.toString());
    return RingbackServer.start(YAML, env, Clock.systemUTC());
  }

  static void assertAnsweredInTime(List<Timed> answered) {
    for (Timed t : answered) {
      assertThat(t.response().statusCode()).as(t.response().uri() + " " + t.response().body()).isBetween(200, 299);
      assertThat(t.millis()).as(t.response().uri() + " answered within 2 s").isLessThan(2000);
    }
  }

  /** Each caller's missed call has its callback, with the voicemail, and each buyer's order its callback. */
  static void assertEveryTriggerWritten(TestDatabase db, List<String> callers, List<String> buyers) {
    for (String caller : callers) {
      List<Map<String, Object>> callbacks = db.query("SELECT trigger, recording_url FROM callbacks WHERE customer_phone = ?", caller);
      assertThat(callbacks).as("the missed call of " + caller + " has its callback").hasSize(1);
      assertThat(callbacks.get(0)).containsEntry("trigger", "missed");
      assertThat((String) callbacks.get(0).get("recording_url")).as("and its voicemail").startsWith("https://api.twilio.com/");
      assertThat(db.query("SELECT dial_status, outcome FROM calls WHERE caller_phone = ?", caller).get(0))
          .containsEntry("dial_status", "no-answer").containsEntry("outcome", "missed");
    }
    for (String buyer : buyers) {
      assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = ? AND trigger = 'order'", buyer)).isEqualTo(1);
    }
  }

  @Test
  void triggersWhileTheDatabaseIsUnreachableAreAnsweredFromTheJournalAndWrittenWhenItIsBack() throws Exception {
    TestDatabase db = TestDatabase.create();
    Path journal = Files.createTempDirectory("ringback-journal");
    try (TcpProxy proxy = TcpProxy.to(db.port());
         TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
         RingbackServer server = start(db, proxy, journal, twilio.baseUrl())) {
      proxy.cut();
      List<Timed> answered = new java.util.ArrayList<>();
      answered.addAll(missedCall(server, "CAjournal000001", "+14155550601"));
      answered.addAll(missedCall(server, "CAjournal000002", "+14155550602"));
      Timed shop = timed(() -> order(server, "J-1001", "+14155550603"));
      answered.add(shop);
      assertAnsweredInTime(answered);
      assertThat(shop.response().statusCode()).isEqualTo(202);
      assertThat(new JsonObject(shop.response().body()).getString("result")).isEqualTo("accepted");
      // The callers heard the promise of a callback and were offered a voicemail.
      assertThat(answered.get(1).response().body()).contains("<Record");
      // Only kept, not a trigger: refused at once.
      assertThat(server.twilio("/twilio/status", "CallSid", "CAjournal000003", "CallStatus", "ringing", "Direction", "inbound",
          "From", "+14155550604", "To", RingbackServer.LINE_NUMBER).statusCode()).isEqualTo(503);
      assertThat(health(server).getJsonObject("checks").getString("journal")).isEqualTo("9 trigger(s) waiting to be written to the database");
      assertThat(server.metric("ringback_journal_records")).isEqualTo(9.0);
      assertThat(segments(journal)).isEqualTo(1);

      proxy.restore();
      RingbackServer.await("the journal to be written to the database", DEADLINE,
          () -> health(server).getJsonObject("checks").getString("journal").equals("empty"));
      assertEveryTriggerWritten(db, List.of("+14155550601", "+14155550602"), List.of("+14155550603"));
      assertThat(server.metric("ringback_journal_written_total")).isEqualTo(9.0);
      assertThat(segments(journal)).as("a journal written out keeps no file").isZero();
      assertThat(health(server).getString("status")).isEqualTo("up");

      // Straight to the database again.
      assertThat(server.twilio("/twilio/voice", "CallSid", "CAjournal000009", "From", "+14155550609", "To", RingbackServer.LINE_NUMBER)
          .statusCode()).isEqualTo(200);
      assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAjournal000009'")).isEqualTo(1);
    }
  }

  @Test
  void triggersWhileTheDatabaseIsFrozenAreAnsweredWithinTheDeadlineAndWrittenWhenItThaws() throws Exception {
    TestDatabase db = TestDatabase.create();
    Path journal = Files.createTempDirectory("ringback-journal");
    try (TcpProxy proxy = TcpProxy.to(db.port());
         TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
         RingbackServer server = start(db, proxy, journal, twilio.baseUrl())) {
      server.api("PUT", "/api/customers/%2B14155550605", "application/json", "{\"name\":\"Nikolay Petrov\"}");
      proxy.freeze();
      List<Timed> answered = new java.util.ArrayList<>(missedCall(server, "CAjournal000005", "+14155550605"));
      answered.add(timed(() -> order(server, "J-1002", "+14155550606")));
      assertAnsweredInTime(answered);
      assertThat(answered.get(0).response().body()).as("greeted without the name the frozen database holds")
          .contains("Thank you for calling Acme.");
      assertThat(server.metric("ringback_journal_records")).isEqualTo(5.0);
      // Not a trigger: the pool's wait for a free connection runs out, and that is "busy", not an error of ours.
      Timed list = timed(() -> server.api("GET", "/api/customers", null, null));
      assertThat(list.response().statusCode()).isEqualTo(503);
      assertThat(new JsonObject(list.response().body()).getString("error")).contains("busy");
      assertThat(list.millis()).isLessThan(5000);

      proxy.thaw();
      RingbackServer.await("the journal to be written to the database", DEADLINE, () -> server.metric("ringback_journal_records") == 0);
      assertEveryTriggerWritten(db, List.of("+14155550605"), List.of("+14155550606"));
      assertThat(db.query("SELECT c.name FROM calls k JOIN customers c ON c.id = k.customer_id WHERE k.call_sid = 'CAjournal000005'"))
          .as("the call is the known customer's").hasSize(1);
    }
  }

  @Test
  void aConnectionResetWhileATriggerIsWrittenSendsItToTheJournal() throws Exception {
    TestDatabase db = TestDatabase.create();
    Path journal = Files.createTempDirectory("ringback-journal");
    try (TcpProxy proxy = TcpProxy.to(db.port());
         RingbackServer server = start(db, proxy, journal, "http://127.0.0.1:9")) {
      // PostgreSQL's backend dies with the <Dial> action's statement unread: the client reads a reset, not a close.
      proxy.resetWhenSent("+14155550641");
      Timed dial = timed(() -> server.twilio("/twilio/dial", "CallSid", "CAjournal000041", "From", "+14155550641",
          "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer"));
      assertThat(proxy.resets()).as("the write met the reset").isEqualTo(1);
      assertAnsweredInTime(List.of(dial));
      assertThat(dial.response().body()).contains("<Record");
      RingbackServer.await("the journal to be written", DEADLINE, () -> server.metric("ringback_journal_records") == 0);
      assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = '+14155550641'")).isEqualTo(1);
    }
  }

  @Test
  void aReplayThatWaitsTooLongForAConnectionTriesAgainAndSetsNothingAside() throws Exception {
    TestDatabase db = TestDatabase.create();
    Path journal = Files.createTempDirectory("ringback-journal");
    try (TcpProxy proxy = TcpProxy.to(db.port())) {
      Map<String, String> env = new HashMap<>(RingbackServer.environment(db, "http://127.0.0.1:9"));
      env.put("RINGBACK_DATABASE_URL", db.url().replace(":" + db.port() + "/", ":" + proxy.port() + "/"));
      env.put("RINGBACK_JOURNAL_DIR", journal.toString());
      // A <Dial> action is written in a transaction: a connection is taken from the pool first, and that wait runs out.
      String yaml = "database:\n  pool-size: 2\n  wait-timeout-millis: 300\n  write-deadline-millis: 200\n" + YAML;
      try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC())) {
        proxy.freeze();
        var dial = server.twilio("/twilio/dial", "CallSid", "CAjournal000031", "From", "+14155550631", "To", RingbackServer.LINE_NUMBER,
            "DialCallStatus", "no-answer");
        assertThat(dial.statusCode()).isEqualTo(200);
        // The replay tries while every connection is held by the frozen database, and its wait runs out, again and
        // again: more often than a record failing for an unknown reason is tried before it is set aside.
        RingbackServer.await("the replay to try five times, or to set the record aside", DEADLINE,
            () -> Files.exists(journal.resolve("set-aside.log")) || server.registryHas("ringback_journal_write_failures_total")
                && server.metric("ringback_journal_write_failures_total") >= 5);
        assertThat(journal.resolve("set-aside.log")).as("a wait for a connection is no fault of the record").doesNotExist();
        proxy.thaw();
        RingbackServer.await("the journal to be written", DEADLINE, () -> server.metric("ringback_journal_records") == 0);
        assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = '+14155550631'")).isEqualTo(1);
      }
    }
  }

  @Test
  void whenNeitherTheDatabaseNorTheJournalCanTakeATriggerNothingPromisesItsCallback() throws Exception {
    TestDatabase db = TestDatabase.create();
    Path journal = Files.createTempDirectory("ringback-journal");
    try (TcpProxy proxy = TcpProxy.to(db.port());
         RingbackServer server = start(db, proxy, journal, "http://127.0.0.1:9")) {
      // The journal's directory is gone (a full or broken disk): its next file cannot be made.
      try (var files = Files.list(journal)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(journal);
      proxy.cut();
      HttpResponse<String> shop = order(server, "J-2001", "+14155550621");
      assertThat(shop.statusCode()).as("the shop retries a 503").isEqualTo(503);
      HttpResponse<String> dial = server.twilio("/twilio/dial", "CallSid", "CAjournal000021", "From", "+14155550622",
          "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer");
      assertThat(dial.statusCode()).isEqualTo(503);
      assertThat(dial.body()).as("no promise of a callback").doesNotContain("call you back");
      Files.createDirectories(journal);
      proxy.restore();
      RingbackServer.await("orders to be taken again", DEADLINE, () -> order(server, "J-2001", "+14155550621").statusCode() == 200);
    }
  }

  @Test
  void aRequestTheFrozenDatabaseHoldsIsAnswered503WithinTheResponseTimeout() throws Exception {
    TestDatabase db = TestDatabase.create();
    try (TcpProxy proxy = TcpProxy.to(db.port())) {
      Map<String, String> env = new HashMap<>(RingbackServer.environment(db, "http://127.0.0.1:9"));
      env.put("RINGBACK_DATABASE_URL", db.url().replace(":" + db.port() + "/", ":" + proxy.port() + "/"));
      String yaml = "http:\n  response-timeout-seconds: 1\ndatabase:\n  wait-timeout-millis: 10000\n" + RingbackServer.LINES_YAML;
      try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC())) {
        proxy.freeze();
        Timed list = timed(() -> server.api("GET", "/api/customers", null, null));
        assertThat(list.response().statusCode()).isEqualTo(503);
        assertThat(new JsonObject(list.response().body()).getString("error")).isNotBlank();
        assertThat(list.millis()).isBetween(900L, 3000L);
        proxy.thaw();
        RingbackServer.await("the API to answer again", DEADLINE, () -> server.api("GET", "/api/customers", null, null).statusCode() == 200);
      }
    }
  }

  @Test
  void whatTheJournalHeldWhenTheServerStoppedIsWrittenAtTheNextStart() throws Exception {
    TestDatabase db = TestDatabase.create();
    Path journal = Files.createTempDirectory("ringback-journal");
    try (TcpProxy proxy = TcpProxy.to(db.port())) {
      try (RingbackServer server = start(db, proxy, journal, "http://127.0.0.1:9")) {
        proxy.cut();
        missedCall(server, "CAjournal000011", "+14155550611").forEach(t -> assertThat(t.response().statusCode()).isEqualTo(200));
      }
      assertThat(segments(journal)).isEqualTo(1);
      proxy.restore();
      try (RingbackServer again = start(db, proxy, journal, "http://127.0.0.1:9")) {
        RingbackServer.await("the journal to be empty", DEADLINE, () -> again.metric("ringback_journal_records") == 0);
        assertEveryTriggerWritten(db, List.of("+14155550611"), List.of());
      }
    }
  }
}
