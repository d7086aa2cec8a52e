package dev.ringback.http;

import static dev.ringback.support.LosAngeles.la;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller we missed hears from us by text within seconds, in their language, saying when we will
 * call; so does a buyer, on a line that wants it. Only numbers that can take texts, never one on
 * the do-not-call list, one that said STOP or one a text could never reach, and once per callback.
 * Twilio's reports on each text are kept. The clock stands on a Wednesday afternoon in Los Angeles.
 */
class TextBackTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  static final String MAIN = "+14155550100";
  static final String SHOP = "+14155550200";
  static final String SERVICE = "MG0123456789abcdef0123456789abcdef";
  static final String ORDER_SECRET = "text-back-order-secret-0123456789";
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
          delay-seconds: {missed: 60, abandoned: 60, dropped: 30, order: 600}
        dialer:
          calls-per-second: 0
          poll-millis: 100
        texts:
          text-back: true
        orders:
          generic:
            secret: "%s"
            line: shop
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
              thu: ["09:00-17:00"]
              fri: ["09:00-17:00"]
          - id: shop
            number: "%s"
            name: Acme Shop
            time-zone: America/Los_Angeles
            agents: ["+14155550201"]
            text-back: false
            text-back-orders: true
            messaging-service-sid: %s
            prompts:
              sms.text-back.order.known: "Thanks {first-name}! Order {order} is in. {business} will call you soon; reply with a time, or STOP."
        """.formatted(ORDER_SECRET, MAIN, SHOP, SERVICE);
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

  static void missed(String callSid, String caller) {
    server.missedCall(callSid, caller, MAIN);
  }

  static List<TwilioStandIn.RecordedRequest> textsTo(String phone) {
    return twilio.messageCreations().stream().filter(r -> phone.equals(r.param("To"))).toList();
  }

  static TwilioStandIn.RecordedRequest textTo(String phone, int n) {
    return twilio.awaitRequests(r -> r.path().endsWith("/Messages.json") && phone.equals(r.param("To")), n, DEADLINE);
  }

  /** The text's row, once it has a result: sent, or why not. */
  static Map<String, Object> textRow(String phone, String kind) {
    RingbackServer.await("a " + kind + " text to " + phone + " with a result", DEADLINE,
        () -> db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND kind = ? AND result IS NOT NULL", phone, kind) > 0);
    return db.query("SELECT * FROM texts WHERE customer_phone = ? AND kind = ? ORDER BY id DESC LIMIT 1", phone, kind).get(0);
  }

  /** The count so far; a counter appears at its first count. */
  static double texts(String kind, String result) {
    try {
      return server.metric("ringback_texts_total", "kind=\"" + kind + "\"", "result=\"" + result + "\"");
    } catch (AssertionError none) {
      return 0;
    }
  }

  /** Twilio's report on a text, posted to the StatusCallback the text carried. */
  static void report(TwilioStandIn.RecordedRequest text, String sid, String status, String errorCode) {
    String path = text.param("StatusCallback").substring(RingbackServer.PUBLIC_URL.length());
    var response = errorCode == null
        ? server.twilio(path, "MessageSid", sid, "MessageStatus", status, "AccountSid", RingbackServer.ACCOUNT_SID, "To", text.param("To"))
        : server.twilio(path, "MessageSid", sid, "MessageStatus", status, "ErrorCode", errorCode, "AccountSid",
            RingbackServer.ACCOUNT_SID, "To", text.param("To"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  static String sidOf(String phone) {
    RingbackServer.await("the text's SID to be kept", DEADLINE,
        () -> db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND message_sid IS NOT NULL", phone) > 0);
    return (String) db.query("SELECT message_sid FROM texts WHERE customer_phone = ? ORDER BY id DESC LIMIT 1", phone).get(0)
        .get("message_sid");
  }

  @Test
  void aMissedCallerIsTextedWithinSecondsSayingWhenWeWillCallAndTheDeliveryIsKept() {
    double sent = texts("text_back", "sent");
    double delivered = texts("text_back", "delivered");
    String caller = "+14155550161";
    missed("CAtext0001", caller);
    TwilioStandIn.RecordedRequest text = textTo(caller, 1);
    assertThat(text.param("From")).isEqualTo(MAIN);
    assertThat(text.param("Body")).isEqualTo("Sorry we missed your call to Acme. We will call you back within 5 minutes, or reply with"
        + " a time that suits you, e.g. \"tomorrow 10:30\". Reply STOP to opt out.");
    assertThat(text.param("StatusCallback")).startsWith(RingbackServer.PUBLIC_URL + "/twilio/text-status?text=");

    String sid = sidOf(caller);
    report(text, sid, "sent", null);
    report(text, sid, "delivered", null);
    report(text, sid, "delivered", null);
    Map<String, Object> row = textRow(caller, "text_back");
    assertThat(row).containsEntry("result", "delivered").containsEntry("status", "delivered").containsEntry("state", "done");
    // Other tests' texts may be sent meanwhile: at least this one is counted.
    assertThat(texts("text_back", "sent")).isGreaterThanOrEqualTo(sent + 1);
    assertThat(texts("text_back", "delivered")).as("a report sent twice is counted once").isEqualTo(delivered + 1);

    // The customer's file shows the text.
    var file = server.api("GET", "/api/customers/%2B14155550161/timeline", null, null);
    assertThat(file.body()).contains("\"kind\":\"text\"").contains("We will call you back within 5 minutes");
  }

  @Test
  void aKnownCustomerIsTextedByNameInTheirLanguage() {
    String caller = "+14155550162";
    var put = server.api("PUT", "/api/customers/%2B14155550162", "application/json", "{\"name\":\"Nikolay Petrov\",\"language\":\"ru-RU\"}");
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    missed("CAtext0002", caller);
    String body = textTo(caller, 1).param("Body");
    assertThat(body).contains("Nikolay").contains("Acme").contains("5 минут").contains("STOP");
  }

  @Test
  void anAbandonedCallIsTextedToo() {
    String caller = "+14155550163";
    server.twilio("/twilio/voice", "CallSid", "CAtext0003", "From", caller, "To", MAIN);
    server.twilio("/twilio/status", "CallSid", "CAtext0003", "CallStatus", "completed", "From", caller, "To", MAIN,
        "Direction", "inbound");
    assertThat(db.query("SELECT trigger FROM callbacks WHERE customer_phone = ?", caller).get(0)).containsEntry("trigger", "abandoned");
    assertThat(textTo(caller, 1).param("Body")).startsWith("Sorry we missed your call to Acme.");
  }

  @Test
  void anAfterHoursCallerIsToldTheDayAndTime() {
    clock.set(la("2026-12-02T22:00"));
    String caller = "+14155550164";
    server.twilio("/twilio/voice", "CallSid", "CAtext0004", "From", caller, "To", MAIN);
    assertThat(textTo(caller, 1).param("Body"))
        .startsWith("Sorry we missed your call to Acme. We will call you back Thursday, December 3 at 9:00 AM, or reply");
  }

  @Test
  void aBuyerIsTextedThroughTheLinesMessagingService() {
    String buyer = "+14155550165";
    String body = "{\"order_id\":\"ord-7001\",\"number\":\"7001\",\"phone\":\"" + buyer + "\",\"name\":\"Ana Pop\"}";
    var order = server.post("/orders", Map.of("Content-Type", "application/json", "X-Ringback-Signature",
        ShopSigner.generic(ORDER_SECRET, body.getBytes(StandardCharsets.UTF_8))), body.getBytes(StandardCharsets.UTF_8));
    assertThat(order.statusCode()).as(order.body()).isBetween(200, 202);
    TwilioStandIn.RecordedRequest text = textTo(buyer, 1);
    assertThat(text.param("MessagingServiceSid")).isEqualTo(SERVICE);
    assertThat(text.param("From")).isNull();
    // The line's own words for it.
    assertThat(text.param("Body")).isEqualTo("Thanks Ana! Order 7001 is in. Acme Shop will call you soon; reply with a time, or STOP.");
  }

  @Test
  void aLineThatDoesNotTextSendsNothing() {
    String caller = "+14155550166";
    server.twilio("/twilio/voice", "CallSid", "CAtext0006", "From", caller, "To", SHOP);
    server.twilio("/twilio/dial", "CallSid", "CAtext0006", "From", caller, "To", SHOP, "DialCallStatus", "no-answer");
    // The next caller on the texting line is texted: had the shop's been, it would have come first.
    missed("CAtext0016", "+14155550176");
    textTo("+14155550176", 1);
    assertThat(textsTo(caller)).isEmpty();
    assertThat(db.count("SELECT count(*) FROM texts WHERE customer_phone = ?", caller)).isZero();
  }

  @Test
  void aLandlineIsNotTexted() {
    double before = texts("text_back", "not_mobile");
    String landline = "+442079460958";
    missed("CAtext0007", landline);
    assertThat(textRow(landline, "text_back")).containsEntry("result", "not_mobile").containsEntry("state", "done");
    assertThat(textsTo(landline)).isEmpty();
    assertThat(texts("text_back", "not_mobile")).isEqualTo(before + 1);
  }

  @Test
  void aNumberOnTheDoNotCallListIsNotTexted() {
    String caller = "+14155550168";
    var dnc = server.api("PUT", "/api/customers/%2B14155550168/do-not-call", "application/json", "{\"do_not_call\":true}");
    assertThat(dnc.statusCode()).as(dnc.body()).isBetween(200, 204);
    server.twilio("/twilio/voice", "CallSid", "CAtext0008", "From", caller, "To", MAIN);
    server.twilio("/twilio/status", "CallSid", "CAtext0008", "CallStatus", "completed", "From", caller, "To", MAIN,
        "Direction", "inbound");
    RingbackServer.await("the call to end", DEADLINE,
        () -> db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAtext0008' AND ended_at IS NOT NULL") > 0);
    missed("CAtext0018", "+14155550178");
    textTo("+14155550178", 1);
    assertThat(textsTo(caller)).isEmpty();
  }

  @Test
  void oneTextPerOpenCallback() {
    String caller = "+14155550169";
    missed("CAtext0009", caller);
    textTo(caller, 1);
    missed("CAtext0019", caller);
    assertThat(db.query("SELECT trigger_count FROM callbacks WHERE customer_phone = ? AND state = 'scheduled'", caller).get(0))
        .containsEntry("trigger_count", 2);
    missed("CAtext0029", "+14155550179");
    textTo("+14155550179", 1);
    assertThat(textsTo(caller)).hasSize(1);
    assertThat(db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND kind = 'text_back'", caller)).isEqualTo(1);
  }

  @Test
  void aNumberThatSaidStopIsNotTextedUntilItSaysStart() {
    String caller = "+14155550170";
    var stop = server.twilio("/twilio/sms", "MessageSid", "SMtextstop0001", "AccountSid", RingbackServer.ACCOUNT_SID, "From", caller,
        "To", MAIN, "Body", "STOP");
    assertThat(stop.statusCode()).isEqualTo(200);
    missed("CAtext0010", caller);
    assertThat(textRow(caller, "text_back")).containsEntry("result", "opted_out");
    assertThat(textsTo(caller)).as("Twilio answers STOP itself; nothing else is sent").isEmpty();

    server.twilio("/twilio/sms", "MessageSid", "SMtextstart001", "AccountSid", RingbackServer.ACCOUNT_SID, "From", caller,
        "To", MAIN, "Body", "start");
    db.query("UPDATE callbacks SET state = 'done' WHERE customer_phone = ?", caller);
    missed("CAtext0020", caller);
    assertThat(textTo(caller, 1).param("Body")).startsWith("Sorry we missed your call");
  }

  @Test
  void aTextThatCouldNeverArriveMarksTheNumber() {
    String caller = "+14155550171";
    missed("CAtext0011", caller);
    TwilioStandIn.RecordedRequest text = textTo(caller, 1);
    report(text, sidOf(caller), "undelivered", "30006");
    Map<String, Object> row = textRow(caller, "text_back");
    assertThat(row).containsEntry("result", "undelivered").containsEntry("error_code", 30006);
    assertThat(db.query("SELECT unable_code FROM text_numbers WHERE phone = ?", caller).get(0)).containsEntry("unable_code", 30006);

    db.query("UPDATE callbacks SET state = 'done' WHERE customer_phone = ?", caller);
    missed("CAtext0021", caller);
    RingbackServer.await("the second text-back to be written", DEADLINE,
        () -> db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND result = 'unable'", caller) == 1);
    assertThat(textsTo(caller)).hasSize(1);
  }

  @Test
  void twilioRefusingAnUnsubscribedRecipientOptsTheNumberOut() {
    String caller = "+14155550172";
    twilio.failNextMessageTo(caller, 400, 21610, "Attempt to send to unsubscribed recipient");
    missed("CAtext0012", caller);
    assertThat(textRow(caller, "text_back")).containsEntry("result", "refused").containsEntry("error_code", 21610);
    assertThat(db.query("SELECT opted_out_word FROM text_numbers WHERE phone = ?", caller).get(0))
        .containsEntry("opted_out_word", "twilio:21610");
  }

  /**
   * An instance that wrote a missed call's callback and died before its text: the callback is
   * written here as that instance left it, and the next sweep of any instance texts the caller.
   */
  @Test
  void aCallbackWhoseTextWasNeverWrittenIsTextedByTheSafetyNet() {
    String caller = "+14155550173";
    db.query("INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, last_triggered_at, due_at)"
        + " SELECT l.business_id, l.id, ?, 'missed', now(), now(), now() + interval '1 minute' FROM lines l WHERE l.number = ?"
        + " RETURNING id", caller, MAIN);
    assertThat(textTo(caller, 1).param("Body")).startsWith("Sorry we missed your call to Acme.");
    assertThat(db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND kind = 'text_back'", caller)).isEqualTo(1);
  }
}
