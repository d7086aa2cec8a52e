package dev.ringback.http;

import static dev.ringback.support.RingbackServer.ACCOUNT_SID;
import static dev.ringback.support.RingbackServer.AGENT_NUMBER;
import static dev.ringback.support.RingbackServer.AUTH_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_ACCOUNT_SID;
import static dev.ringback.support.RingbackServer.BRAVO_API_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_AUTH_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_NUMBER;
import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.SUPPORT_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /api/customers/{phone}?erase=true}: afterwards no row of any table names the
 * number (however it was written), its recordings are deleted at Twilio with the business's own
 * credentials, an anonymous count is all that is left, a do-not-call request and a STOP to texts
 * still hold, and another business's data about the same number is untouched. Acme's main line
 * texts the callers it missed.
 */
class ErasureTest {
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final Duration DEADLINE = Duration.ofSeconds(15);
  static TestDatabase db;
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;
  static long acmeId;
  static long bravoId;
  static String agentToken;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(ACCOUNT_SID, AUTH_TOKEN).addAccount(BRAVO_ACCOUNT_SID, BRAVO_AUTH_TOKEN);
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    String yaml = "dialer:\n  calls-per-second: 0\n  poll-millis: 100\n"
        + RingbackServer.BUSINESSES_YAML.replace("    ring-timeout-seconds: 20\n", "    ring-timeout-seconds: 20\n    text-back: true\n");
    server = RingbackServer.start(yaml, RingbackServer.environment(db, twilio.baseUrl()), clock);
    acmeId = (Long) db.query("SELECT id FROM businesses WHERE slug = 'default'").get(0).get("id");
    bravoId = (Long) db.query("SELECT id FROM businesses WHERE slug = 'bravo'").get(0).get("id");
    // An agent of the main line (offline, so a voicemail there becomes a task for a person).
    var agent = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", "Ada").put("contact", "+14155550151").put("lines", List.of("main")).encode());
    assertThat(agent.statusCode()).isEqualTo(201);
    agentToken = new JsonObject(agent.body()).getString("token");
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  /** A pattern for the number's ten digits however they are written: +14155550777, (415) 555-0777, 415.555.0777. */
  static String writtenAnyWay(String e164) {
    String digits = e164.substring(2);
    return digits.substring(0, 3) + "\\D{0,3}" + digits.substring(3, 6) + "\\D{0,3}" + digits.substring(6);
  }

  /** Every row of every table whose text (all its columns, JSON included) names the number, as "table {row}". */
  static List<String> rowsNaming(String e164) {
    List<String> found = new ArrayList<>();
    for (Map<String, Object> table : db.query("SELECT table_name FROM information_schema.tables "
        + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")) {
      String name = (String) table.get("table_name");
      for (Map<String, Object> row : db.query("SELECT to_jsonb(t)::text AS row FROM " + name + " t WHERE t::text ~ ?",
          writtenAnyWay(e164))) {
        found.add(name + " " + row.get("row"));
      }
    }
    return found;
  }

  static boolean bravos(String row) {
    JsonObject json = new JsonObject(row.substring(row.indexOf(' ') + 1));
    return Long.valueOf(bravoId).equals(json.getLong("business_id"))
        || row.startsWith("call_events ") && json.getString("call_sid").startsWith("CAbravo");
  }

  static String recordingUrl(String account, String sid) {
    return "https://api.twilio.com/2010-04-01/Accounts/" + account + "/Recordings/" + sid;
  }

  static String at() {
    return TWILIO.format(clock.instant());
  }

  /** An inbound call to the main line that nobody answered, with a voicemail; its agent leg reports with the caller's number as dialled. */
  static void missedCallWithVoicemail(String callSid, String from, String recordingSid) {
    assertThat(server.twilio("/twilio/voice", "CallSid", callSid, "From", from, "To", LINE_NUMBER, "Direction", "inbound")
        .statusCode()).isEqualTo(200);
    server.twilio("/twilio/status", "CallSid", callSid + "leg", "ParentCallSid", callSid, "CallStatus", "no-answer",
        "From", from.substring(2), "To", AGENT_NUMBER, "Direction", "outbound-dial", "Timestamp", at());
    server.twilio("/twilio/dial", "CallSid", callSid, "From", from, "To", LINE_NUMBER, "DialCallStatus", "no-answer");
    server.twilio("/twilio/recording", "CallSid", callSid, "RecordingUrl", recordingUrl(ACCOUNT_SID, recordingSid),
        "RecordingStatus", "completed");
    server.twilio("/twilio/status", "CallSid", callSid, "CallStatus", "completed", "From", from, "To", LINE_NUMBER,
        "Direction", "inbound", "Timestamp", at());
    twilio.addRecording(ACCOUNT_SID, recordingSid);
  }

  /** A call to the main line that nobody answered, and that is over. */
  static void missedCall(String callSid, String from) {
    server.twilio("/twilio/voice", "CallSid", callSid, "From", from, "To", LINE_NUMBER, "Direction", "inbound");
    server.twilio("/twilio/dial", "CallSid", callSid, "From", from, "To", LINE_NUMBER, "DialCallStatus", "no-answer");
    server.twilio("/twilio/status", "CallSid", callSid, "CallStatus", "completed", "From", from, "To", LINE_NUMBER,
        "Direction", "inbound", "Timestamp", at());
  }

  /** A text from the number to the main line. */
  static void textFrom(String number, String messageSid, String body) {
    assertThat(server.twilio("/twilio/sms", "MessageSid", messageSid, "AccountSid", ACCOUNT_SID, "From", number, "To", LINE_NUMBER,
        "Body", body).statusCode()).isEqualTo(200);
  }

  /** The texts Twilio was asked to send to the number. */
  static long textedTo(String number) {
    return twilio.messageCreations().stream().filter(r -> number.equals(r.param("To"))).count();
  }

  /** The number's newest text-back, once it has a result (sent, or why not). */
  static String textBackResult(String number) {
    RingbackServer.await("a text-back to " + number + " with a result", DEADLINE, () -> db.count("SELECT count(*) FROM texts "
        + "WHERE customer_phone = ? AND kind = 'text_back' AND result IS NOT NULL AND state <> 'sending'", number) > 0);
    return (String) db.query("SELECT result FROM texts WHERE customer_phone = ? AND kind = 'text_back' ORDER BY id DESC LIMIT 1", number)
        .get(0).get("result");
  }

  static long dialledByAcme(String number) {
    return twilio.callCreations().stream().filter(r -> number.equals(r.param("To")) && ACCOUNT_SID.equals(r.accountSid())).count();
  }

  static HttpResponse<String> erase(String phone, String token) {
    return server.request("DELETE", "/api/customers/" + phone.replace("+", "%2B") + "?erase=true", null, null, "Bearer " + token);
  }

  @Test
  void erasureLeavesNoRowNamingTheNumberAndTouchesNoOtherBusiness() {
    String number = "+14155550777";
    String recording = "RE" + "a0".repeat(16);
    String bravoRecording = "RE" + "b0".repeat(16);

    // Acme knows the number from every side: its record, a missed call with a voicemail (a task on the staffed
    // line) and the text about it, the customer's STOP, a callback call that was not answered, an order, a feedback
    // score, an agent's note, the do-not-call list.
    assertThat(server.api("PUT", "/api/customers/%2B14155550777", "application/json",
        "{\"name\":\"Erin Example\",\"notes\":\"mobile (415) 555-0777, mornings\"}").statusCode()).isEqualTo(201);
    missedCallWithVoicemail("CAerase0001", number, recording);
    assertThat(textBackResult(number)).isEqualTo("sent");
    textFrom(number, "SMerase0001", "STOP");
    long task = (Long) db.query("SELECT id FROM callbacks WHERE customer_phone = ? AND state = 'agent_queue'", number).get(0).get("id");
    assertThat(server.request("POST", "/api/tasks/" + task + "/claim", null, null, "Bearer " + agentToken).statusCode()).isEqualTo(200);
    assertThat(server.request("POST", "/api/tasks/" + task + "/complete", "application/json",
        "{\"outcome\":\"no_answer\",\"note\":\"Rang 415-555-0777, voicemail full\"}", "Bearer " + agentToken).statusCode())
        .isEqualTo(200);
    var created = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + number + "\",\"line\":\"support\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long callback = new JsonObject(created.body()).getLong("id");
    RingbackServer.await("the callback to be placed", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", callback) == 1);
    String attemptSid = (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", callback).get(0).get("call_sid");
    server.twilio("/twilio/status?callback=" + callback, "CallSid", attemptSid, "CallStatus", "no-answer", "From", SUPPORT_NUMBER,
        "To", number, "Direction", "outbound-api", "Timestamp", at());
    db.query("INSERT INTO orders (business_id, source, order_id, display_number, phone, name, total, currency, item_count, result, "
        + "received_at) VALUES (?, 'generic', 'erase-1', '#1001', ?, 'Erin Example', 12.5, 'USD', 1, 'called', now()) RETURNING id",
        acmeId, number);
    db.query("INSERT INTO feedback (business_id, line_id, customer_phone, call_sid, callback_id, channel, asked_at, state, score, "
        + "answered_at) SELECT ?, line_id, ?, ?, id, 'voice', now(), 'answered', 2, now() FROM callbacks WHERE id = ? RETURNING id",
        acmeId, number, attemptSid, callback);
    assertThat(server.api("PUT", "/api/customers/%2B14155550777/do-not-call", "application/json",
        "{\"do_not_call\":true,\"reason\":\"asked on the phone\"}").statusCode()).isEqualTo(200);

    // Bravo knows the same number: its record and a call with a voicemail, in Bravo's Twilio account.
    assertThat(server.request("PUT", "/api/customers/%2B14155550777", "application/json", "{\"name\":\"Erin at Bravo\"}",
        "Bearer " + BRAVO_API_TOKEN).statusCode()).isEqualTo(201);
    server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/voice", "AccountSid", BRAVO_ACCOUNT_SID, "CallSid", "CAbravo0001", "From", number,
        "To", BRAVO_NUMBER, "Direction", "inbound");
    server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/dial?business=bravo", "AccountSid", BRAVO_ACCOUNT_SID, "CallSid", "CAbravo0001",
        "From", number, "To", BRAVO_NUMBER, "DialCallStatus", "no-answer");
    server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/recording?business=bravo", "AccountSid", BRAVO_ACCOUNT_SID, "CallSid", "CAbravo0001",
        "RecordingUrl", recordingUrl(BRAVO_ACCOUNT_SID, bravoRecording), "RecordingStatus", "completed");
    server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/status", "AccountSid", BRAVO_ACCOUNT_SID, "CallSid", "CAbravo0001",
        "CallStatus", "completed", "From", number, "To", BRAVO_NUMBER, "Direction", "inbound", "Timestamp", at());
    twilio.addRecording(BRAVO_ACCOUNT_SID, bravoRecording);

    List<String> before = rowsNaming(number);
    List<String> acmes = before.stream().filter(row -> !bravos(row)).toList();
    List<String> bravos = before.stream().filter(ErasureTest::bravos).toList();
    assertThat(acmes.stream().map(row -> row.substring(0, row.indexOf(' '))).distinct())
        .as("the fixture reaches every table that can name a number: %s", acmes)
        .contains("customers", "calls", "call_events", "callbacks", "orders", "feedback", "customer_notes", "do_not_call", "texts",
            "text_replies", "text_numbers");
    assertThat(bravos.stream().map(row -> row.substring(0, row.indexOf(' '))).distinct())
        .contains("customers", "calls", "call_events", "callbacks");
    assertThat(db.count("SELECT count(*) FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id "
        + "WHERE cb.business_id = ?", acmeId)).isEqualTo(1);

    assertThat(erase(number, agentToken).statusCode()).as("agents may not erase").isEqualTo(403);
    // The other tests erase numbers too, in any order: this erasure is one more on the count.
    java.sql.Date today = java.sql.Date.valueOf(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    String counted = "SELECT COALESCE(sum(count), 0) FROM erasures WHERE business_id = ? AND day = ?";
    long erasedBefore = db.count(counted, acmeId, today);
    HttpResponse<String> erased = erase(number, RingbackServer.API_TOKEN);
    assertThat(erased.statusCode()).as(erased.body()).isEqualTo(204);

    assertThat(rowsNaming(number)).as("every row still naming the number is Bravo's, as it was")
        .containsExactlyInAnyOrderElementsOf(bravos);
    assertThat(db.count("SELECT count(*) FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id "
        + "WHERE cb.business_id = ?", acmeId)).isZero();
    assertThat(db.count("SELECT count(*) FROM call_events WHERE call_sid IN (?, ?, ?)", "CAerase0001", "CAerase0001leg", attemptSid))
        .isZero();
    assertThat(db.count("SELECT count(*) FROM text_opt_outs_erased WHERE business_id = ?", acmeId)).as("the STOP, as a hash")
        .isEqualTo(1);
    assertThat(db.query("SELECT * FROM erasures")).allSatisfy(row -> assertThat(row).containsOnlyKeys("business_id", "day", "count")
        .containsEntry("business_id", acmeId));
    assertThat(db.count(counted, acmeId, today)).isEqualTo(erasedBefore + 1);

    RingbackServer.await("the voicemail to be deleted at Twilio", DEADLINE, () -> !twilio.hasRecording(ACCOUNT_SID, recording));
    List<TwilioStandIn.RecordedRequest> deletions = twilio.recordingDeletions();
    assertThat(deletions).hasSize(1);
    assertThat(deletions.get(0).path()).isEqualTo("/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + recording + ".json");
    assertThat(deletions.get(0).basicUser()).isEqualTo(ACCOUNT_SID);
    assertThat(deletions.get(0).basicPassword()).isEqualTo(AUTH_TOKEN);
    assertThat(twilio.hasRecording(BRAVO_ACCOUNT_SID, bravoRecording)).as("Bravo's voicemail of the same number").isTrue();
    RingbackServer.await("the deletion to leave the queue", DEADLINE, () -> db.count("SELECT count(*) FROM recording_deletions") == 0);

    assertThat(erase(number, RingbackServer.API_TOKEN).statusCode()).as("nothing is known any more").isEqualTo(404);
    assertThat(db.count(counted, acmeId, today)).isEqualTo(erasedBefore + 1);

    // The number had asked not to be called: when it calls again and is missed, it is still not called back.
    long dialledBefore = dialledByAcme(number);
    server.twilio("/twilio/voice", "CallSid", "CAerase0002", "From", number, "To", LINE_NUMBER, "Direction", "inbound");
    server.twilio("/twilio/dial", "CallSid", "CAerase0002", "From", number, "To", LINE_NUMBER, "DialCallStatus", "no-answer");
    server.twilio("/twilio/status", "CallSid", "CAerase0002", "CallStatus", "completed", "From", number, "To", LINE_NUMBER,
        "Direction", "inbound", "Timestamp", at());
    clock.advance(Duration.ofMinutes(5));
    RingbackServer.await("the new callback to be cancelled", DEADLINE, () -> db.count("SELECT count(*) FROM callbacks "
        + "WHERE customer_phone = ? AND business_id = ? AND state = 'cancelled' AND waiting_for = 'do_not_call'", number, acmeId) == 1);
    assertThat(dialledByAcme(number)).as("Bravo may call it; Acme does not").isEqualTo(dialledBefore);
    var file = new JsonObject(server.api("GET", "/api/customers/%2B14155550777/timeline", null, null).body());
    assertThat(file.getBoolean("do_not_call")).isTrue();
    assertThat(server.api("PUT", "/api/customers/%2B14155550777/do-not-call", "application/json", "{\"do_not_call\":false}")
        .statusCode()).isEqualTo(200);
    file = new JsonObject(server.api("GET", "/api/customers/%2B14155550777/timeline", null, null).body());
    assertThat(file.getBoolean("do_not_call")).as("the listing kept as a hash can be lifted").isFalse();
  }

  @Test
  void aStopSurvivesErasureAndStillStopsTextsUntilTheNumberSaysStart() {
    String number = "+14155550783";
    missedCall("CAerase0501", number);
    assertThat(textBackResult(number)).isEqualTo("sent");
    textFrom(number, "SMerase0501", "STOP");
    assertThat(db.count("SELECT count(*) FROM text_numbers WHERE phone = ? AND opted_out_at IS NOT NULL", number)).isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM text_replies WHERE customer_phone = ?", number)).isEqualTo(1);
    long hashes = db.count("SELECT count(*) FROM text_opt_outs_erased");

    assertThat(erase(number, RingbackServer.API_TOKEN).statusCode()).isEqualTo(204);
    assertThat(rowsNaming(number)).isEmpty();
    assertThat(db.count("SELECT count(*) FROM text_opt_outs_erased")).isEqualTo(hashes + 1);

    // Missed again: the new callback's text-back is written as not to be sent, as before the erasure...
    long texted = textedTo(number);
    missedCall("CAerase0502", number);
    assertThat(textBackResult(number)).isEqualTo("opted_out");
    assertThat(db.count("SELECT count(*) FROM texts WHERE customer_phone = ? AND claimed_at IS NULL", number))
        .as("decided when it was written").isEqualTo(1);
    // ...and a text written before the opt-out was known is stopped when it is claimed.
    var due = clock.instant().atOffset(ZoneOffset.UTC);
    long written = (Long) db.query("INSERT INTO texts (business_id, line_id, customer_phone, kind, body, sender, due_at, created_at) "
        + "SELECT business_id, id, ?, 'last_attempt', 'We tried to call you.', number, ?, ? FROM lines WHERE business_id = ? "
        + "AND slug = 'main' RETURNING id", number, due, due, acmeId).get(0).get("id");
    RingbackServer.await("the written text to be claimed, with a result", DEADLINE,
        () -> db.count("SELECT count(*) FROM texts WHERE id = ? AND result IS NOT NULL AND state <> 'sending'", written) == 1);
    assertThat(db.query("SELECT result, claimed_at IS NOT NULL AS claimed FROM texts WHERE id = ?", written).get(0))
        .containsEntry("result", "opted_out").containsEntry("claimed", true);
    assertThat(textedTo(number)).as("nothing was sent to the number").isEqualTo(texted);

    // START lifts the opt-out kept as a hash.
    textFrom(number, "SMerase0502", "START");
    assertThat(db.count("SELECT count(*) FROM text_opt_outs_erased")).isEqualTo(hashes);
    db.query("UPDATE callbacks SET state = 'done' WHERE customer_phone = ? RETURNING id", number);
    missedCall("CAerase0503", number);
    assertThat(twilio.awaitRequests(r -> r.path().endsWith("/Messages.json") && number.equals(r.param("To")), (int) texted + 1, DEADLINE)
        .param("Body")).startsWith("Sorry we missed your call");
  }

  @Test
  void aNumberThatTextsCouldNotReachIsForgottenNotKept() {
    String number = "+14155550784";
    db.query("INSERT INTO text_numbers (business_id, phone, unable_at, unable_code) VALUES (?, ?, now(), 30006) RETURNING phone",
        acmeId, number);
    long hashes = db.count("SELECT count(*) FROM text_opt_outs_erased");
    assertThat(erase(number, RingbackServer.API_TOKEN).statusCode()).isEqualTo(204);
    assertThat(rowsNaming(number)).isEmpty();
    assertThat(db.count("SELECT count(*) FROM text_opt_outs_erased")).isEqualTo(hashes);
    missedCall("CAerase0601", number);
    assertThat(textBackResult(number)).as("the mark went with the number").isEqualTo("sent");
  }

  @Test
  void aCallStillGoingOnIsNotErasedUnderIt() {
    String number = "+14155550778";
    server.twilio("/twilio/voice", "CallSid", "CAerase0101", "From", number, "To", LINE_NUMBER, "Direction", "inbound");
    HttpResponse<String> refused = erase(number, RingbackServer.API_TOKEN);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAerase0101'")).isEqualTo(1);
    server.twilio("/twilio/status", "CallSid", "CAerase0101", "CallStatus", "completed", "From", number, "To", LINE_NUMBER,
        "Direction", "inbound", "Timestamp", at());
    assertThat(erase(number, RingbackServer.API_TOKEN).statusCode()).isEqualTo(204);
    assertThat(rowsNaming(number)).isEmpty();
  }

  @Test
  void aNumberNobodyKnowsIsNotFoundAndAPlainDeleteKeepsTheHistory() {
    assertThat(erase("+14155550779", RingbackServer.API_TOKEN).statusCode()).isEqualTo(404);
    assertThat(server.request("DELETE", "/api/customers/%2B14155550779?erase=yes", null, null, "Bearer " + RingbackServer.API_TOKEN)
        .statusCode()).isEqualTo(400);
    String number = "+14155550780";
    server.api("PUT", "/api/customers/%2B14155550780", "application/json", "{\"name\":\"Kept History\"}");
    server.twilio("/twilio/voice", "CallSid", "CAerase0201", "From", number, "To", LINE_NUMBER, "Direction", "inbound");
    server.twilio("/twilio/status", "CallSid", "CAerase0201", "CallStatus", "completed", "From", number, "To", LINE_NUMBER,
        "Direction", "inbound", "Timestamp", at());
    assertThat(server.api("DELETE", "/api/customers/%2B14155550780", null, null).statusCode()).isEqualTo(204);
    assertThat(db.count("SELECT count(*) FROM calls WHERE caller_phone = ?", number)).isEqualTo(1);
  }

  @Test
  void aDeletionTwilioRefusesStaysQueuedWithoutTheNumberAndTheRetentionJobRetriesIt() {
    String number = "+14155550781";
    String recording = "RE" + "c0".repeat(16);
    missedCallWithVoicemail("CAerase0301", number, recording);
    twilio.failNextRecordingDeletion(503, 20503, "Service Unavailable");
    int tried = twilio.recordingDeletions().size();
    assertThat(erase(number, RingbackServer.API_TOKEN).statusCode()).isEqualTo(204);
    RingbackServer.await("Twilio to be asked", DEADLINE, () -> twilio.recordingDeletions().size() == tried + 1);
    RingbackServer.await("the failure to be noted", DEADLINE,
        () -> db.count("SELECT count(*) FROM recording_deletions WHERE recording_sid = ? AND last_error IS NOT NULL", recording) == 1);
    assertThat(twilio.hasRecording(ACCOUNT_SID, recording)).isTrue();
    assertThat(rowsNaming(number)).as("the queue holds the Recording SID, not the number").isEmpty();

    // The next tick leaves it alone while another instance might still be asking; after the lease it asks again.
    server.ringback().privacy().tick().toCompletionStage().toCompletableFuture().join();
    assertThat(twilio.recordingDeletions()).hasSize(tried + 1);
    clock.advance(Duration.ofMinutes(6));
    server.ringback().privacy().tick().toCompletionStage().toCompletableFuture().join();
    assertThat(twilio.hasRecording(ACCOUNT_SID, recording)).isFalse();
    assertThat(db.count("SELECT count(*) FROM recording_deletions")).isZero();
  }

  @Test
  void theAgentsConsolesDropTheErasedNumbersTask() throws Exception {
    String number = "+14155550782";
    missedCallWithVoicemail("CAerase0401", number, "RE" + "d0".repeat(16));
    long task = (Long) db.query("SELECT id FROM callbacks WHERE customer_phone = ? AND state = 'agent_queue'", number).get(0).get("id");
    java.util.regex.Pattern holdsTask = java.util.regex.Pattern.compile("\"id\":" + task + "[,}]");
    java.util.concurrent.BlockingQueue<String> queues = new java.util.concurrent.LinkedBlockingQueue<>();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/events"))
        .header("Authorization", "Bearer " + agentToken).build();
    var stream = java.net.http.HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        .thenAccept(response -> response.body().filter(line -> line.startsWith("data:") && line.contains("\"items\""))
            .forEach(queues::add));
    try {
      String first = queues.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(first).as("the console's first queue").isNotNull().containsPattern(holdsTask);
      assertThat(erase(number, RingbackServer.API_TOKEN).statusCode()).isEqualTo(204);
      String next = queues.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(next).as("a queue sent after the erasure").isNotNull().doesNotContainPattern(holdsTask);
    } finally {
      stream.cancel(true);
    }
  }
}
