package dev.ringback.http;

import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /api/callbacks: list with filters and paging, one with its events, cancel, schedule by hand. */
class CallbackApiTest {
  static final Instant NOW = Instant.parse("2026-11-23T14:05:00Z");
  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    server = RingbackServer.startAt(db, NOW);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static long missedCall(String callSid, String phone) {
    server.twilio("/twilio/voice", "CallSid", callSid, "From", phone, "To", LINE_NUMBER);
    server.twilio("/twilio/status", "CallSid", "CL" + callSid, "ParentCallSid", callSid, "CallStatus", "ringing");
    server.twilio("/twilio/dial", "CallSid", callSid, "From", phone, "To", LINE_NUMBER, "DialCallStatus", "no-answer");
    return (Long) db.query("SELECT id FROM callbacks WHERE customer_phone = ? AND state = 'scheduled'", phone).get(0).get("id");
  }

  static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  @Test
  void oneCallbackWithTheEventsOfItsCall() {
    long id = missedCall("CAapi00001", "+14155550110");
    HttpResponse<String> response = server.api("GET", "/api/callbacks/" + id, null, null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject callback = json(response);
    assertThat(callback.getString("line")).isEqualTo("main");
    assertThat(callback.getString("phone")).isEqualTo("+14155550110");
    assertThat(callback.getString("trigger")).isEqualTo("missed");
    assertThat(callback.getString("state")).isEqualTo("scheduled");
    assertThat(callback.getString("due_at")).isEqualTo(NOW.plusSeconds(60).toString());
    JsonArray events = callback.getJsonArray("call_events");
    assertThat(events).hasSize(1);
    assertThat(events.getJsonObject(0).getString("status")).isEqualTo("ringing");
    assertThat(events.getJsonObject(0).getString("parent_call_sid")).isEqualTo("CAapi00001");
  }

  @Test
  void listFiltersAndPages() {
    missedCall("CAapi00002", "+14155550111");
    missedCall("CAapi00003", "+14155550112");
    assertThat(server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"+14155550113\",\"line\":\"support\",\"due_at\":\"2027-01-01T00:00:00Z\"}")
        .statusCode()).isEqualTo(201);

    JsonArray byPhone = json(server.api("GET", "/api/callbacks?phone=(415)%20555-0111", null, null)).getJsonArray("items");
    assertThat(byPhone).hasSize(1);
    assertThat(byPhone.getJsonObject(0).getString("phone")).isEqualTo("+14155550111");

    JsonArray manual = json(server.api("GET", "/api/callbacks?trigger=manual&line=support&state=scheduled", null, null))
        .getJsonArray("items");
    assertThat(manual).hasSize(1);
    assertThat(manual.getJsonObject(0).getString("phone")).isEqualTo("+14155550113");

    List<Long> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = json(server.api("GET", "/api/callbacks?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null, null));
      page.getJsonArray("items").forEach(item -> ids.add(((JsonObject) item).getLong("id")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 50);
    assertThat(ids).doesNotHaveDuplicates().hasSize((int) db.count("SELECT count(*) FROM callbacks")).isSorted();

    // Newest first, paged the same way.
    List<Long> newest = new ArrayList<>();
    cursor = null;
    pages = 0;
    do {
      JsonObject page = json(server.api("GET", "/api/callbacks?order=newest&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null,
          null));
      page.getJsonArray("items").forEach(item -> newest.add(((JsonObject) item).getLong("id")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 50);
    List<Long> reversed = new ArrayList<>(ids);
    Collections.reverse(reversed);
    assertThat(newest).isEqualTo(reversed);
    assertThat(server.api("GET", "/api/callbacks?order=random", null, null).statusCode()).isEqualTo(422);

    String window = "from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z";
    assertThat(json(server.api("GET", "/api/callbacks?" + window, null, null)).getJsonArray("items")).isEmpty();
  }

  @Test
  void cancelOnceThenConflict() {
    long id = missedCall("CAapi00004", "+14155550114");
    double before = server.metric("ringback_callbacks_finished_total", "trigger=\"missed\"", "outcome=\"cancelled\"");
    HttpResponse<String> cancelled = server.api("POST", "/api/callbacks/" + id + "/cancel", null, null);
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(json(cancelled).getString("state")).isEqualTo("cancelled");
    assertThat(server.api("POST", "/api/callbacks/" + id + "/cancel", null, null).statusCode()).isEqualTo(409);
    assertThat(server.metric("ringback_callbacks_finished_total", "trigger=\"missed\"", "outcome=\"cancelled\""))
        .isEqualTo(before + 1);
    assertThat(server.api("POST", "/api/callbacks/999999/cancel", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void scheduleByHandForATimeAndOnTopOfAnOpenCallback() {
    HttpResponse<String> created = server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"+14155550115\",\"line\":\"main\",\"due_at\":\"2026-11-24T09:30:00+01:00\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(json(created).getString("trigger")).isEqualTo("manual");
    assertThat(json(created).getString("due_at")).isEqualTo("2026-11-24T08:30:00Z");
    assertThat(created.headers().firstValue("Location")).contains("/api/callbacks/" + json(created).getLong("id"));

    HttpResponse<String> again = server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"+14155550115\",\"line\":\"main\",\"due_at\":\"2027-01-01T00:00:00Z\"}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).getLong("id")).isEqualTo(json(created).getLong("id"));
    assertThat(json(again).getInteger("trigger_count")).isEqualTo(2);
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    long before = db.count("SELECT count(*) FROM callbacks");
    assertThat(server.api("GET", "/api/callbacks?state=sleeping", null, null).statusCode()).isEqualTo(422);
    assertThat(server.api("GET", "/api/callbacks?trigger=boredom", null, null).statusCode()).isEqualTo(422);
    assertThat(server.api("GET", "/api/callbacks?phone=12", null, null).statusCode()).isEqualTo(422);
    assertThat(server.api("GET", "/api/callbacks?line=nope", null, null).statusCode()).isEqualTo(422);
    assertThat(server.api("GET", "/api/callbacks?from=yesterday", null, null).statusCode()).isEqualTo(422);
    assertThat(server.api("GET", "/api/callbacks?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", null, null).statusCode())
        .isEqualTo(422);
    assertThat(server.api("GET", "/api/callbacks/abc", null, null).statusCode()).isEqualTo(404);
    assertThat(server.api("GET", "/api/callbacks/424242", null, null).statusCode()).isEqualTo(404);
    assertThat(server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"12\",\"line\":\"main\"}").statusCode())
        .isEqualTo(422);
    assertThat(json(server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"+14155550116\"}")).getString("error"))
        .startsWith("line:");
    assertThat(server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"+14155550116\",\"line\":\"main\",\"due_at\":\"2099-01-01T00:00:00Z\"}").statusCode()).isEqualTo(422);
    assertThat(server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"+14155550116\",\"line\":\"main\",\"x\":1}")
        .statusCode()).isEqualTo(422);
    assertThat(server.api("POST", "/api/callbacks", "application/json", "{oops").statusCode()).isEqualTo(400);
    assertThat(server.api("POST", "/api/callbacks", "text/plain", "{}").statusCode()).isEqualTo(415);
    assertThat(server.request("GET", "/api/callbacks", null, null, null).statusCode()).isEqualTo(401);
    assertThat(db.count("SELECT count(*) FROM callbacks")).isEqualTo(before);
  }
}
