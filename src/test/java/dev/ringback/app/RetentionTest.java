package dev.ringback.app;

import static dev.ringback.support.RingbackServer.ACCOUNT_SID;
import static dev.ringback.support.RingbackServer.AUTH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * retention.call-events-days, retention.recordings-days and retention.texts-days: the daily job,
 * run by a timer shortly after start, deletes call events, recordings (at Twilio, and the
 * references in calls and callbacks) and texts older than the limits and nothing younger (nor a
 * text still to be sent, nor a STOP), a bounded batch at a time;
 * instances sharing the database do not both do the run, and running it again changes nothing.
 */
class RetentionTest {
  static final Duration DEADLINE = Duration.ofSeconds(45);
  static final String YAML = "retention:\n  call-events-days: 30\n  recordings-days: 60\n  texts-days: 45\n" + RingbackServer.LINES_YAML;
  static final String OLD_RECORDING = "RE" + "0a".repeat(16);
  static final String YOUNG_RECORDING = "RE" + "0b".repeat(16);
  static final String CALLBACK_RECORDING = "RE" + "0c".repeat(16);

  static String url(String sid) {
    return "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + sid;
  }

  static RingbackServer start(TestDatabase db, TwilioStandIn twilio) {
    return RingbackServer.start(YAML, RingbackServer.environment(db, twilio.baseUrl()), Clock.systemUTC());
  }

  /**
   * Call events, recordings and texts on either side of the limits; the events older than 30 days
   * are more than a batch. An old text still waiting to be sent, and an old STOP, are there too.
   */
  static void seed(TestDatabase db, TwilioStandIn twilio, int oldEvents) {
    db.query("INSERT INTO call_events (business_id, call_sid, call_status, received_at, from_number, to_number) "
        + "SELECT (SELECT id FROM businesses WHERE slug = 'default'), 'CAold' || n, 'completed', now() - interval '31 days', "
        + "'+14155550811', '+14155550100' FROM generate_series(1, ?) n", oldEvents);
    db.query("INSERT INTO call_events (business_id, call_sid, call_status, received_at, from_number, to_number) "
        + "SELECT (SELECT id FROM businesses WHERE slug = 'default'), 'CAyoung' || n, 'completed', now() - interval '29 days', "
        + "'+14155550812', '+14155550100' FROM generate_series(1, 3) n");
    insertCall(db, "CAoldcall", "+14155550821", "61 days", url(OLD_RECORDING));
    insertCall(db, "CAyoungcall", "+14155550822", "59 days", url(YOUNG_RECORDING));
    insertCall(db, "CAplaincall", "+14155550823", "90 days", null);
    // The old call's voicemail is on its caller's callback too, triggered again since; another callback's
    // voicemail has no call kept; a young callback keeps its own.
    insertCallback(db, "+14155550821", "10 days", url(OLD_RECORDING));
    insertCallback(db, "+14155550824", "61 days", url(CALLBACK_RECORDING));
    insertCallback(db, "+14155550822", "59 days", url(YOUNG_RECORDING));
    for (String sid : List.of(OLD_RECORDING, YOUNG_RECORDING, CALLBACK_RECORDING)) {
      twilio.addRecording(ACCOUNT_SID, sid);
    }
    insertText(db, "+14155550831", "46 days", "done", "delivered");
    insertText(db, "+14155550832", "46 days", "sent", "sent");
    insertText(db, "+14155550833", "44 days", "done", "delivered");
    insertText(db, "+14155550834", "46 days", "queued", null);
    insertReply(db, "+14155550831", "46 days", "SMold");
    insertReply(db, "+14155550833", "44 days", "SMyoung");
    db.query("INSERT INTO text_numbers (business_id, phone, opted_out_at, opted_out_word) "
        + "SELECT id, '+14155550835', now() - interval '400 days', 'STOP' FROM businesses WHERE slug = 'default' RETURNING phone");
  }

  /** A text-back written {@code age} ago; one still queued is due tomorrow, so the outbox leaves it alone here. */
  static void insertText(TestDatabase db, String phone, String age, String state, String result) {
    db.query("INSERT INTO texts (business_id, line_id, customer_phone, kind, body, sender, state, result, due_at, created_at) "
        + "SELECT l.business_id, l.id, ?, 'text_back', 'Sorry we missed your call to Acme.', l.number, ?, ?, "
        + "now() + interval '1 day', now() - ?::interval FROM lines l WHERE l.slug = 'main' RETURNING id", phone, state, result, age);
  }

  static void insertReply(TestDatabase db, String phone, String age, String messageSid) {
    db.query("INSERT INTO text_replies (business_id, line_id, customer_phone, message_sid, body, kind, received_at) "
        + "SELECT l.business_id, l.id, ?, ?, 'Please call after 5', 'other', now() - ?::interval FROM lines l WHERE l.slug = 'main' "
        + "RETURNING id", phone, messageSid, age);
  }

  static void insertCall(TestDatabase db, String sid, String caller, String age, String recordingUrl) {
    db.query("INSERT INTO calls (business_id, line_id, call_sid, direction, from_number, caller_phone, to_number, arrived_at, ended_at, "
        + "recording_url) SELECT l.business_id, l.id, ?, 'inbound', ?, ?, l.number, now() - ?::interval, now() - ?::interval, ? "
        + "FROM lines l WHERE l.slug = 'main' RETURNING id", sid, caller, caller, age, age, recordingUrl);
  }

  static void insertCallback(TestDatabase db, String phone, String age, String recordingUrl) {
    db.query("INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, last_triggered_at, due_at, state, "
        + "recording_url) SELECT l.business_id, l.id, ?, 'missed', now() - interval '70 days', now() - ?::interval, "
        + "now() - ?::interval, 'done', ? FROM lines l WHERE l.slug = 'main' RETURNING id", phone, age, age, recordingUrl);
  }

  static boolean join(io.vertx.core.Future<Boolean> ran) {
    return ran.toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void theDailyJobDeletesOnlyWhatIsOlderThanTheLimitsShortlyAfterStart() {
    TestDatabase db = TestDatabase.create();
    try (TwilioStandIn twilio = TwilioStandIn.start(ACCOUNT_SID, AUTH_TOKEN)) {
      // The schema exists once an instance has started; the data is older than this start.
      start(db, twilio).close();
      seed(db, twilio, 2_500);
      try (RingbackServer server = start(db, twilio)) {
        RingbackServer.await("the first run after start", DEADLINE,
            () -> db.count("SELECT count(*) FROM call_events") == 3 && !twilio.hasRecording(ACCOUNT_SID, CALLBACK_RECORDING)
                && !twilio.hasRecording(ACCOUNT_SID, OLD_RECORDING)
                && db.count("SELECT count(*) FROM retention_run WHERE last_run_at IS NOT NULL") == 1);
        assertThat(db.count("SELECT count(*) FROM call_events WHERE call_sid LIKE 'CAyoung%'")).isEqualTo(3);
        assertThat(db.query("SELECT call_sid, recording_url FROM calls ORDER BY call_sid")).extracting(r -> r.get("recording_url"))
            .containsExactly(null, null, url(YOUNG_RECORDING));
        assertThat(db.query("SELECT customer_phone, recording_url FROM callbacks ORDER BY customer_phone"))
            .extracting(r -> r.get("recording_url")).containsExactly(null, url(YOUNG_RECORDING), null);
        assertThat(twilio.hasRecording(ACCOUNT_SID, YOUNG_RECORDING)).isTrue();
        assertThat(twilio.recordingDeletions()).extracting(TwilioStandIn.RecordedRequest::path).containsExactlyInAnyOrder(
            "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + OLD_RECORDING + ".json",
            "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + CALLBACK_RECORDING + ".json");
        RingbackServer.await("the queue to empty", DEADLINE, () -> db.count("SELECT count(*) FROM recording_deletions") == 0);
        var run = db.query("SELECT next_run_at, last_run_at, owner FROM retention_run").get(0);
        assertThat(run.get("owner")).isNull();
        assertThat(Duration.between(((java.sql.Timestamp) run.get("last_run_at")).toInstant(),
            ((java.sql.Timestamp) run.get("next_run_at")).toInstant())).isEqualTo(Duration.ofDays(1));
        assertThat(db.query("SELECT customer_phone FROM texts ORDER BY customer_phone")).extracting(r -> r.get("customer_phone"))
            .as("the young text, and the old one still to be sent").containsExactly("+14155550833", "+14155550834");
        assertThat(db.query("SELECT message_sid FROM text_replies")).extracting(r -> r.get("message_sid")).containsExactly("SMyoung");
        assertThat(db.count("SELECT count(*) FROM text_numbers WHERE opted_out_at IS NOT NULL")).as("a STOP is kept").isEqualTo(1);
        assertThat(join(server.ringback().privacy().runIfDue())).as("not again the same day").isFalse();
      }
    }
  }

  @Test
  void instancesSharingTheDatabaseDoTheRunOnceAndASecondRunChangesNothing() {
    TestDatabase db = TestDatabase.create();
    try (TwilioStandIn twilio = TwilioStandIn.start(ACCOUNT_SID, AUTH_TOKEN);
         RingbackServer one = start(db, twilio);
         RingbackServer two = start(db, twilio)) {
      db.query("UPDATE retention_run SET next_run_at = 'infinity' RETURNING id");
      seed(db, twilio, 1_500);
      db.query("UPDATE retention_run SET next_run_at = '-infinity' RETURNING id");
      CompletableFuture<Boolean> first = one.ringback().privacy().runIfDue().toCompletionStage().toCompletableFuture();
      CompletableFuture<Boolean> second = two.ringback().privacy().runIfDue().toCompletionStage().toCompletableFuture();
      // Either instance may win (or a timer of theirs); never both.
      assertThat(List.of(first.join(), second.join()).stream().filter(ran -> ran).count()).isLessThanOrEqualTo(1);
      RingbackServer.await("the run to be done", DEADLINE, finished(db));
      assertThat(db.count("SELECT count(*) FROM call_events")).isEqualTo(3);
      join(one.ringback().privacy().tick());
      join(two.ringback().privacy().tick());
      assertThat(twilio.recordingDeletions()).hasSize(2);

      // Run again at once: nothing more is deleted, Twilio is asked nothing more.
      db.query("UPDATE retention_run SET next_run_at = '-infinity' RETURNING id");
      assertThat(List.of(join(two.ringback().privacy().tick()), join(one.ringback().privacy().tick())).stream().filter(ran -> ran)
          .count()).isLessThanOrEqualTo(1);
      RingbackServer.await("the second run", DEADLINE, RetentionTest.finished(db));
      assertThat(db.count("SELECT count(*) FROM call_events")).isEqualTo(3);
      assertThat(twilio.recordingDeletions()).hasSize(2);

      // An instance that died holding the run keeps it until its lease runs out; then another takes over.
      db.query("UPDATE retention_run SET next_run_at = '-infinity', owner = 'ringback-gone', lease_until = ? RETURNING id",
          OffsetDateTime.now().plusMinutes(1));
      assertThat(join(one.ringback().privacy().runIfDue())).isFalse();
      assertThat(join(two.ringback().privacy().runIfDue())).isFalse();
      db.query("UPDATE retention_run SET lease_until = ? RETURNING id", OffsetDateTime.now().minusSeconds(1));
      join(one.ringback().privacy().runIfDue());
      RingbackServer.await("another instance to take over", DEADLINE, RetentionTest.finished(db));
    }
  }

  /** The run is done and not due again before tomorrow. */
  static java.util.function.BooleanSupplier finished(TestDatabase db) {
    return () -> db.count("SELECT count(*) FROM retention_run WHERE owner IS NULL AND next_run_at > now() + interval '23 hours'") == 1;
  }

  @Test
  void zeroKeepsForever() {
    TestDatabase db = TestDatabase.create();
    try (TwilioStandIn twilio = TwilioStandIn.start(ACCOUNT_SID, AUTH_TOKEN)) {
      String yaml = "retention:\n  call-events-days: 0\n  recordings-days: 0\n  texts-days: 0\n" + RingbackServer.LINES_YAML;
      try (RingbackServer server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), Clock.systemUTC())) {
        db.query("UPDATE retention_run SET next_run_at = 'infinity' RETURNING id");
        seed(db, twilio, 10);
        db.query("UPDATE retention_run SET next_run_at = '-infinity' RETURNING id");
        RingbackServer.await("a run", DEADLINE, () -> join(server.ringback().privacy().runIfDue())
            || db.count("SELECT count(*) FROM retention_run WHERE last_run_at IS NOT NULL") == 1);
        assertThat(db.count("SELECT count(*) FROM call_events")).isEqualTo(13);
        assertThat(db.count("SELECT count(*) FROM calls WHERE recording_url IS NOT NULL")).isEqualTo(2);
        assertThat(twilio.recordingDeletions()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM texts")).isEqualTo(4);
        assertThat(db.count("SELECT count(*) FROM text_replies")).isEqualTo(2);
      }
    }
  }
}
