package dev.ringback.http;

import static dev.ringback.support.LosAngeles.la;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A texted customer answers: with a time in their language, which moves their callback under the
 * time picker's rules (the line's hours, their calling hours) and is read back to them; with
 * "now"; with STOP or START; or with words a person must read. The clock stands on Wednesday
 * 2 December 2026, 14:05 in Los Angeles; the line is open 09:00-17:00 on weekdays, until 22:00 on
 * Thursday, and closed on Friday 4 December; customers may be called 08:00-21:00.
 */
class TextRepliesTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  static final String MAIN = "+14155550100";
  static final AtomicInteger CALLERS = new AtomicInteger(300);
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(la("2026-12-02T14:05"));
    String yaml = """
        callbacks:
          mode: customer-first
        dialer:
          calls-per-second: 0
          poll-millis: 100
          allowed-hours: "08:00-21:00"
        texts:
          text-back: true
        lines:
          - id: main
            number: "%s"
            name: Acme
            time-zone: America/Los_Angeles
            agents: ["+14155550101"]
            hours:
              mon: ["09:00-17:00"]
              tue: ["09:00-17:00"]
              wed: ["09:00-17:00"]
              thu: ["09:00-22:00"]
              fri: ["09:00-17:00"]
            closed: ["2026-12-04"]
        """.formatted(MAIN);
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  @BeforeEach
  void afternoon() {
    clock.set(la("2026-12-02T14:05"));
  }

  /** A caller in this language we missed, and texted: their number. */
  static String missedCaller(String language) {
    String caller = "+1415555" + String.format("%04d", CALLERS.incrementAndGet());
    if (language != null) {
      var put = server.api("PUT", "/api/customers/" + caller.replace("+", "%2B"), "application/json",
          new JsonObject().put("name", "Ana Pop").put("language", language).encode());
      assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    }
    String sid = "CAreply" + caller.substring(1);
    server.missedCall(sid, caller, MAIN);
    textTo(caller, 1);
    return caller;
  }

  static String textTo(String phone, int n) {
    return twilio.awaitRequests(r -> r.path().endsWith("/Messages.json") && phone.equals(r.param("To")), n, DEADLINE).param("Body");
  }

  static void reply(String from, String body) {
    var response = server.twilio("/twilio/sms", "MessageSid", "SM" + Long.toHexString(System.nanoTime()), "AccountSid",
        RingbackServer.ACCOUNT_SID, "From", from, "To", MAIN, "Body", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  static Map<String, Object> callback(String phone) {
    return db.query("SELECT * FROM callbacks WHERE customer_phone = ? ORDER BY id DESC LIMIT 1", phone).get(0);
  }

  static Instant due(String phone) {
    return ((Timestamp) callback(phone).get("due_at")).toInstant();
  }

  @ParameterizedTest(name = "{0}: \"{1}\"")
  @CsvSource(delimiter = '|', textBlock = """
      en-US | tomorrow 10:30         | 2026-12-03T10:30 | Thank you. We will call you back tomorrow at 10:30 AM.
      en-US | Call me in 2 hours     | 2026-12-02T16:05 | Thank you. We will call you back today at 4:05 PM.
      en-US | after 4pm please       | 2026-12-02T16:00 | Thank you. We will call you back today at 4:00 PM.
      en-US | tomorrow               | 2026-12-03T09:00 | Thank you. We will call you back tomorrow at 9:00 AM.
      en-GB | tomorrow at 3pm        | 2026-12-03T15:00 | 15:00
      ro-RO | mâine la 10:30         | 2026-12-03T10:30 | 10:30
      ru-RU | завтра в 10:30         | 2026-12-03T10:30 | 10:30
      es-MX | mañana a las 10:30     | 2026-12-03T10:30 | 10:30
      es-ES | pasado mañana a las 11 | 2026-12-04T11:00 | CLOSED
      cmn-CN | 明天10:30              | 2026-12-03T10:30 | 10:30
      cmn-CN | 明天下午3点             | 2026-12-03T15:00 | 15:00
      en-US | tomorrow 21:30         | 2026-12-03T21:30 | Sorry, we do not call at that hour. Please reply with another time.
      en-US | today at 9:00          |                  | Sorry, that time has passed. Please reply with another time.
      en-US | day after tomorrow 10am |                 | Sorry, we are closed then. Please reply with a time when we are open.
      """)
  void aTimeInTheCustomersLanguageMovesTheirCallbackAndIsReadBack(String language, String text, String local, String answer) {
    String caller = missedCaller(language);
    Instant before = due(caller);
    reply(caller, text);
    String confirmation = textTo(caller, 2);
    boolean refused = answer.startsWith("Sorry") || answer.equals("CLOSED");
    if (refused) {
      if (answer.startsWith("Sorry")) {
        assertThat(confirmation).isEqualTo(answer);
      }
      assertThat(due(caller)).as("a time refused moves nothing").isEqualTo(before);
      assertThat(callback(caller)).containsEntry("trigger", "missed");
      return;
    }
    assertThat(due(caller)).isEqualTo(la(local));
    assertThat(callback(caller)).containsEntry("trigger", "scheduled").containsEntry("state", "scheduled");
    if (answer.startsWith("Thank you")) {
      assertThat(confirmation).isEqualTo(answer);
    } else {
      assertThat(confirmation).as("read back in " + language).contains(answer);
    }
  }

  @Test
  void callMeNowMakesTheCallbackDueAtOnce() {
    String caller = missedCaller(null);
    assertThat(due(caller)).isAfter(clock.instant());
    reply(caller, "Call me now please!");
    assertThat(textTo(caller, 2)).isEqualTo("Thank you. We will call you back in a moment.");
    assertThat(due(caller)).isEqualTo(clock.instant());
  }

  @Test
  void wordsForAPersonMakeTheCallbackATaskWithTheTextAttached() {
    String caller = missedCaller(null);
    reply(caller, "Please call my husband instead, on his mobile");
    assertThat(textTo(caller, 2)).isEqualTo("Thank you. Someone from Acme will read your message and get back to you.");
    assertThat(callback(caller)).containsEntry("state", "agent_queue").containsEntry("task_reason", "text_reply");
    JsonArray tasks = new JsonObject(server.api("GET", "/api/tasks", null, null).body()).getJsonArray("items");
    JsonObject task = tasks.stream().map(JsonObject.class::cast).filter(t -> caller.equals(t.getString("phone"))).findFirst().orElseThrow();
    assertThat(task.getString("reason")).isEqualTo("text_reply");
    assertThat(task.getJsonObject("text").getString("body")).isEqualTo("Please call my husband instead, on his mobile");
    String file = server.api("GET", "/api/customers/" + caller.replace("+", "%2B") + "/timeline", null, null).body();
    assertThat(file).contains("\"kind\":\"text_reply\"").contains("\"read_as\":\"other\"").contains("call my husband instead");
  }

  @Test
  void aStrangersTextIsATaskOfItsOwn() {
    String stranger = "+14155559901";
    reply(stranger, "Do you deliver on Sundays?");
    textTo(stranger, 1);
    assertThat(callback(stranger)).containsEntry("trigger", "text").containsEntry("task_reason", "text_reply");
  }

  @Test
  void stopInTheCustomersLanguageIsConfirmedOnceAndTwilioKeywordsAreLeftToTwilio() {
    String caller = missedCaller("ru-RU");
    reply(caller, "Стоп");
    assertThat(textTo(caller, 2)).contains("Acme").contains("START");
    reply(caller, "стоп");
    assertThat(db.query("SELECT opted_out_word FROM text_numbers WHERE phone = ?", caller).get(0)).containsEntry("opted_out_word", "стоп");
    JsonObject file = new JsonObject(server.api("GET", "/api/customers/" + caller.replace("+", "%2B") + "/timeline", null, null).body());
    assertThat(file.getJsonObject("texts").getBoolean("opted_out")).isTrue();
    assertThat(file.getBoolean("do_not_call")).as("no texts is not no calls").isFalse();
    reply(caller, "START");
    assertThat(db.query("SELECT opted_out_at FROM text_numbers WHERE phone = ?", caller).get(0)).containsEntry("opted_out_at", null);

    String other = missedCaller(null);
    reply(other, "stop");
    RingbackServer.await("the opt-out to be kept", DEADLINE,
        () -> db.count("SELECT count(*) FROM text_numbers WHERE phone = ? AND opted_out_at IS NOT NULL", other) == 1);
    // Opted out: "now" still moves the callback, and is answered by no text (Twilio would refuse it).
    reply(other, "now");
    assertThat(due(other)).isEqualTo(clock.instant());
    RingbackServer.await("the answer to be held back", DEADLINE,
        () -> db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND kind = 'reply' AND result = 'opted_out'", other) == 1);
    assertThat(twilio.messageCreations().stream().filter(r -> other.equals(r.param("To")))).hasSize(1);
    assertThat(server.metric("ringback_text_replies_total", "kind=\"opt_out\"")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aTextTwilioPostsTwiceIsActedOnOnce() {
    String caller = missedCaller(null);
    for (int i = 0; i < 2; i++) {
      var response = server.twilio("/twilio/sms", "MessageSid", "SMtwice0000000001", "AccountSid", RingbackServer.ACCOUNT_SID,
          "From", caller, "To", MAIN, "Body", "tomorrow 10:30");
      assertThat(response.statusCode()).isEqualTo(200);
    }
    textTo(caller, 2);
    reply(caller, "now");
    assertThat(textTo(caller, 3)).as("the repeated text got no second answer").isEqualTo("Thank you. We will call you back in a moment.");
    assertThat(db.count("SELECT count(*) FROM text_replies WHERE message_sid = 'SMtwice0000000001'")).isEqualTo(1);
  }
}
