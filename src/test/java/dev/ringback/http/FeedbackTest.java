package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The question after a call, over signed Twilio webhooks: by voice when the agent hangs up on a
 * callback, by SMS after an inbound call; a poor score becomes the supervisor's task.
 */
class FeedbackTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final Duration DEADLINE = Duration.ofSeconds(15);
  static final String MAIN = "+14155550100";
  static final String SHOP = "+14155550300";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;
  static long ana;
  static String anaToken;
  static String samToken;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    String yaml = """
        callbacks:
          mode: customer-first
        dialer:
          calls-per-second: 0
          poll-millis: 100
        feedback:
          after-inbound: true
        lines:
          - id: main
            number: "+14155550100"
            name: Acme
            agents: ["+14155550101"]
            feedback-question: "How did Acme do? Press 1 to 5."
          - id: shop
            number: "+14155550300"
            name: Acme Shop
            agents: ["+14155550301"]
            feedback-channel: sms
        """;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
    JsonObject created = agent("{\"name\":\"Ana Ruiz\",\"contact\":\"+14155550101\",\"lines\":[\"main\"]}");
    ana = created.getLong("id");
    anaToken = created.getString("token");
    assertThat(server.api("PUT", "/api/agents/" + ana + "/presence", "application/json", "{\"presence\":\"available\"}").statusCode())
        .isEqualTo(200);
    JsonObject sam = agent("{\"name\":\"Sam Lee\",\"contact\":\"+14155550109\",\"lines\":[\"main\"],\"role\":\"supervisor\"}");
    assertThat(sam.getString("role")).isEqualTo("supervisor");
    samToken = sam.getString("token");
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static JsonObject agent(String json) {
    HttpResponse<String> response = server.api("POST", "/api/agents", "application/json", json);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body());
  }

  static HttpResponse<String> as(String token, String method, String path) {
    return server.request(method, path, null, null, "Bearer " + token);
  }

  static String placedSid(long callbackId) {
    RingbackServer.await("the callback to be placed", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", callbackId) == 1);
    return (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", callbackId).get(0).get("call_sid");
  }

  static void agentLegAnswered(String legSid, String parentSid, String agentContact) {
    assertThat(server.twilio("/twilio/status", "CallSid", legSid, "ParentCallSid", parentSid, "CallStatus", "in-progress",
        "To", agentContact, "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant())).statusCode()).isEqualTo(200);
  }

  static Map<String, Object> feedbackOf(String callSid) {
    return db.query("SELECT * FROM feedback WHERE call_sid = ?", callSid).get(0);
  }

  @Test
  void aConnectedCallbackAsksByVoiceAndAPoorScoreGoesToTheSupervisor() {
    String phone = "+14155550150";
    server.api("PUT", "/api/customers/%2B14155550150", "application/json", "{\"name\":\"Vera Lang\"}");
    double scores = server.metric("ringback_feedback_score_count");
    double feedbackTasks = server.metric("ringback_callbacks_scheduled_total", "trigger=\"feedback\"");
    var created = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long callbackId = new JsonObject(created.body()).getLong("id");
    String sid = placedSid(callbackId);

    Element greeting = Xml.parse(server.twilio("/twilio/callback?callback=" + callbackId, "CallSid", sid, "From", MAIN, "To", phone,
        "CallStatus", "in-progress", "AnsweredBy", "human").body());
    assertThat(Xml.childNames(greeting)).containsExactly("Gather", "Dial");
    agentLegAnswered("CAfbagentleg01", sid, "+14155550101");

    // Ana hangs up; Vera is still on the line and hears the line's question.
    var afterDial = server.twilio("/twilio/dial?callback=" + callbackId, "CallSid", sid, "From", MAIN, "To", phone,
        "CallStatus", "in-progress", "DialCallStatus", "completed", "DialCallSid", "CAfbagentleg01", "DialCallDuration", "95");
    Element ask = Xml.parse(afterDial.body());
    assertThat(Xml.childNames(ask)).containsExactly("Gather", "Say", "Hangup");
    Element gather = Xml.child(ask, "Gather");
    assertThat(gather.getAttribute("action")).isEqualTo(RingbackServer.PUBLIC_URL + "/twilio/feedback");
    assertThat(gather.getAttribute("numDigits")).isEqualTo("1");
    assertThat(Xml.child(gather, "Say").getTextContent()).isEqualTo("How did Acme do? Press 1 to 5.");
    assertThat(feedbackOf(sid)).containsEntry("channel", "voice").containsEntry("state", "asked")
        .containsEntry("agent_contact", "+14155550101").containsEntry("callback_id", callbackId);

    // 7 is no score: asked once more, and nothing stored.
    Element again = Xml.parse(server.twilio("/twilio/feedback", "CallSid", sid, "From", MAIN, "To", phone, "Digits", "7").body());
    assertThat(Xml.child(again, "Gather").getTextContent()).startsWith("Sorry, that is not one of the choices.");
    assertThat(feedbackOf(sid)).containsEntry("score", null).containsEntry("reasked", true);

    Element thanks = Xml.parse(server.twilio("/twilio/feedback", "CallSid", sid, "From", MAIN, "To", phone, "Digits", "2").body());
    assertThat(Xml.childNames(thanks)).containsExactly("Say", "Hangup");
    assertThat(Xml.child(thanks, "Say").getTextContent()).contains("Someone will call you about it");
    Map<String, Object> stored = feedbackOf(sid);
    assertThat(stored).containsEntry("score", 2).containsEntry("state", "answered");
    assertThat(server.metric("ringback_feedback_score_count")).isEqualTo(scores + 1);
    assertThat(server.metric("ringback_callbacks_scheduled_total", "trigger=\"feedback\"")).isEqualTo(feedbackTasks + 1);

    // The same key again (Twilio retries a webhook) changes nothing.
    server.twilio("/twilio/feedback", "CallSid", sid, "From", MAIN, "To", phone, "Digits", "1");
    assertThat(feedbackOf(sid)).containsEntry("score", 2);
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = ? AND trigger = 'feedback'", phone)).isEqualTo(1);

    // The supervisor sees the recovery task first, with the whole context; the agent does not.
    long recovery = (Long) stored.get("recovery_callback_id");
    JsonArray samTasks = new JsonObject(as(samToken, "GET", "/api/tasks").body()).getJsonArray("items");
    JsonObject task = samTasks.getJsonObject(0);
    assertThat(task.getLong("id")).isEqualTo(recovery);
    assertThat(task.getString("reason")).isEqualTo("service_recovery");
    assertThat(task.getString("for_role")).isEqualTo("supervisor");
    assertThat(task.getString("customer_name")).isEqualTo("Vera Lang");
    assertThat(task.getJsonObject("feedback").getInteger("score")).isEqualTo(2);
    assertThat(task.getJsonObject("feedback").getString("agent")).isEqualTo("Ana Ruiz");
    assertThat(task.getJsonObject("feedback").getLong("callback_id")).isEqualTo(callbackId);
    JsonArray anaTasks = new JsonObject(as(anaToken, "GET", "/api/tasks").body()).getJsonArray("items");
    assertThat(anaTasks.stream().map(t -> ((JsonObject) t).getLong("id"))).doesNotContain(recovery);
    assertThat(as(anaToken, "POST", "/api/tasks/" + recovery + "/claim").statusCode()).isEqualTo(403);
    assertThat(as(samToken, "POST", "/api/tasks/" + recovery + "/claim").statusCode()).isEqualTo(200);

    // The customer's file has the score next to the call it is about.
    JsonArray items = new JsonObject(server.api("GET", "/api/customers/%2B14155550150/timeline", null, null).body()).getJsonArray("items");
    JsonObject scored = items.stream().map(JsonObject.class::cast).filter(i -> i.getString("kind").equals("feedback")).findFirst()
        .orElseThrow();
    assertThat(scored.getJsonObject("detail").getInteger("score")).isEqualTo(2);
    assertThat(scored.getJsonObject("detail").getString("agent")).isEqualTo("Ana Ruiz");
    assertThat(scored.getJsonObject("detail").getLong("recovery_task")).isEqualTo(recovery);
  }

  @Test
  void aCustomerWhoHungUpIsNotAskedByVoice() {
    String phone = "+14155550151";
    var created = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    long callbackId = new JsonObject(created.body()).getLong("id");
    String sid = placedSid(callbackId);
    var afterDial = server.twilio("/twilio/dial?callback=" + callbackId, "CallSid", sid, "From", MAIN, "To", phone,
        "CallStatus", "completed", "DialCallStatus", "completed", "DialCallSid", "CAfbagentleg02");
    assertThat(Xml.childNames(Xml.parse(afterDial.body()))).containsExactly("Hangup");
    assertThat(db.count("SELECT count(*) FROM feedback WHERE call_sid = ?", sid)).isZero();
  }

  @Test
  void afterAnInboundCallTheCustomerIsAskedBySmsAndOnlyAScoreCounts() {
    String caller = "+14155550160";
    answeredInboundCall("CAfbinbound01", caller);
    TwilioStandIn.RecordedRequest sms = twilio.awaitRequests(
        r -> r.path().endsWith("/Messages.json") && caller.equals(r.param("To")), 1, DEADLINE);
    assertThat(sms.param("From")).isEqualTo(SHOP);
    assertThat(sms.param("Body")).startsWith("Thank you for talking to Acme Shop.");
    assertThat(sms.param("StatusCallback")).contains("/twilio/text-status?text=");
    assertThat(feedbackOf("CAfbinbound01")).containsEntry("channel", "sms").containsEntry("agent_contact", "+14155550301");

    // No score twice: asked again once, then let go; nothing is stored as a score.
    sms("great", caller);
    assertThat(textTo(caller, 2)).startsWith("Sorry, we did not understand.");
    sms("10", caller);
    assertThat(feedbackOf("CAfbinbound01")).containsEntry("state", "ignored").containsEntry("score", null);

    // The next call's question is answered.
    answeredInboundCall("CAfbinbound02", caller);
    textTo(caller, 3);
    sms(" 5 thanks!", caller);
    // The "10" that let the first question go got no answer: the next text is the thanks.
    assertThat(textTo(caller, 4)).isEqualTo("Thank you for your answer!");
    assertThat(feedbackOf("CAfbinbound02")).containsEntry("score", 5).containsEntry("state", "answered");
    assertThat(feedbackOf("CAfbinbound01")).containsEntry("score", null);

    // A text from someone we did not ask is no score: nothing is stored as feedback.
    sms("1", "+14155550169");
    textTo("+14155550169", 1);
    assertThat(db.count("SELECT count(*) FROM feedback WHERE customer_phone = '+14155550169'")).isZero();
  }

  static void answeredInboundCall(String callSid, String caller) {
    Element dial = Xml.parse(server.twilio("/twilio/voice", "CallSid", callSid, "From", caller, "To", SHOP).body());
    assertThat(Xml.childNames(dial)).contains("Dial");
    agentLegAnswered(callSid + "leg", callSid, "+14155550301");
    var afterDial = server.twilio("/twilio/dial", "CallSid", callSid, "From", caller, "To", SHOP, "CallStatus", "in-progress",
        "DialCallStatus", "completed", "DialCallSid", callSid + "leg");
    assertThat(Xml.childNames(Xml.parse(afterDial.body()))).containsExactly("Hangup");
  }

  /** A customer's text to the shop's line, answered with an empty document: answers go out as texts of their own. */
  static void sms(String body, String from) {
    HttpResponse<String> response = server.twilio("/twilio/sms", "MessageSid", "SM" + Long.toHexString(System.nanoTime()),
        "AccountSid", RingbackServer.ACCOUNT_SID, "From", from, "To", SHOP, "Body", body, "NumMedia", "0");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Xml.childNames(Xml.parse(response.body()))).isEmpty();
  }

  /** The {@code n}th text sent to {@code phone}, once it is sent. */
  static String textTo(String phone, int n) {
    return twilio.awaitRequests(r -> r.path().endsWith("/Messages.json") && phone.equals(r.param("To")), n, DEADLINE).param("Body");
  }
}
