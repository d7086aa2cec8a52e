package dev.ringback.http;

import static dev.ringback.support.RingbackServer.AGENT_NUMBER;
import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.Xml;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /twilio/status: every event stored once, in any order, and ring-to-answer measured from
 * the call's arrival to Twilio's Timestamp on the agent leg's answer.
 */
class CallEventsTest {
  static final String CALLER = "+14155550123";
  static final Instant ARRIVAL = Instant.parse("2026-11-23T14:05:00Z");
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    // A fixed clock: the call "arrives" at 14:05:00 whatever the time the test runs.
    server = RingbackServer.startAt(db, ARRIVAL);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void incoming(String callSid) {
    assertThat(server.twilio("/twilio/voice", "CallSid", callSid, "From", CALLER, "To", LINE_NUMBER,
        "CallStatus", "ringing", "Direction", "inbound").statusCode()).isEqualTo(200);
  }

  static HttpResponse<String> legEvent(String parent, String leg, String status, int secondsAfterArrival, int sequence) {
    return server.twilio("/twilio/status", "CallSid", leg, "ParentCallSid", parent, "CallStatus", status,
        "Timestamp", TWILIO.format(ARRIVAL.plusSeconds(secondsAfterArrival)), "SequenceNumber", Integer.toString(sequence),
        "Direction", "outbound-dial", "From", CALLER, "To", AGENT_NUMBER);
  }

  static HttpResponse<String> parentEvent(String callSid, String status, int secondsAfterArrival, int duration) {
    return server.twilio("/twilio/status", "CallSid", callSid, "CallStatus", status,
        "Timestamp", TWILIO.format(ARRIVAL.plusSeconds(secondsAfterArrival)), "SequenceNumber", "0",
        "Direction", "inbound", "From", CALLER, "To", LINE_NUMBER, "CallDuration", Integer.toString(duration));
  }

  static double answeredInbound() {
    return server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"answered\"");
  }

  static double ringCount() {
    return server.metric("ringback_ring_to_answer_seconds_count", "direction=\"inbound\"");
  }

  @Test
  void eachEventIsStoredOnceWithEveryField() {
    incoming("CAparent01");
    HttpResponse<String> first = legEvent("CAparent01", "CAleg000001", "ringing", 1, 1);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(Xml.parse(first.body()).getTagName()).isEqualTo("Response");
    legEvent("CAparent01", "CAleg000001", "ringing", 1, 1);
    legEvent("CAparent01", "CAleg000001", "ringing", 1, 1);

    var rows = db.query("SELECT * FROM call_events WHERE call_sid = 'CAleg000001'");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0))
        .containsEntry("parent_call_sid", "CAparent01")
        .containsEntry("call_status", "ringing")
        .containsEntry("sequence_number", 1)
        .containsEntry("direction", "outbound-dial")
        .containsEntry("from_number", CALLER)
        .containsEntry("to_number", AGENT_NUMBER);
    assertThat(((java.sql.Timestamp) rows.get(0).get("twilio_timestamp")).toInstant()).isEqualTo(ARRIVAL.plusSeconds(1));
  }

  @Test
  void ringToAnswerComesFromTwilioTimestampsEvenOutOfOrderAndTwice() {
    double answeredBefore = answeredInbound();
    double countBefore = ringCount();
    double sumBefore = server.metric("ringback_ring_to_answer_seconds_sum", "direction=\"inbound\"");
    double within18Before = server.metric("ringback_ring_to_answer_seconds_bucket", "direction=\"inbound\"", "le=\"18.0\"");
    double within12Before = server.metric("ringback_ring_to_answer_seconds_bucket", "direction=\"inbound\"", "le=\"12.0\"");
    double withinTargetBefore = server.metric("ringback_calls_answered_within_target_total", "direction=\"inbound\"", "line=\"main\"");
    incoming("CAparent02");

    // Answered arrives first, then ringing and initiated, each twice.
    legEvent("CAparent02", "CAleg000002", "in-progress", 14, 2);
    legEvent("CAparent02", "CAleg000002", "ringing", 1, 1);
    legEvent("CAparent02", "CAleg000002", "in-progress", 14, 2);
    legEvent("CAparent02", "CAleg000002", "initiated", 0, 0);
    legEvent("CAparent02", "CAleg000002", "ringing", 1, 1);

    assertThat(ringCount()).isEqualTo(countBefore + 1);
    assertThat(server.metric("ringback_ring_to_answer_seconds_sum", "direction=\"inbound\"")).isEqualTo(sumBefore + 14.0);
    assertThat(server.metric("ringback_ring_to_answer_seconds_bucket", "direction=\"inbound\"", "le=\"18.0\""))
        .isEqualTo(within18Before + 1);
    assertThat(server.metric("ringback_ring_to_answer_seconds_bucket", "direction=\"inbound\"", "le=\"12.0\""))
        .isEqualTo(within12Before);
    assertThat(server.metric("ringback_calls_answered_within_target_total", "direction=\"inbound\"", "line=\"main\""))
        .as("14 s is within 3 rings of 6 s").isEqualTo(withinTargetBefore + 1);

    parentEvent("CAparent02", "completed", 95, 95);
    parentEvent("CAparent02", "completed", 95, 95);
    assertThat(answeredInbound()).isEqualTo(answeredBefore + 1);
    var call = db.query("SELECT answered_leg_sid, outcome, answered_at, ended_at FROM calls WHERE call_sid = 'CAparent02'").get(0);
    assertThat(call).containsEntry("answered_leg_sid", "CAleg000002").containsEntry("outcome", "answered");
    assertThat(((java.sql.Timestamp) call.get("answered_at")).toInstant()).isEqualTo(ARRIVAL.plusSeconds(14));
    assertThat(db.count("SELECT count(*) FROM call_events WHERE call_sid = 'CAleg000002'")).isEqualTo(3);
  }

  @Test
  void callCompletedBeforeTheLegsAnswerArrivesIsStillAnsweredOnce() {
    double answeredBefore = answeredInbound();
    double countBefore = ringCount();
    incoming("CAparent03");
    server.twilio("/twilio/dial", "CallSid", "CAparent03", "From", CALLER, "To", LINE_NUMBER, "DialCallStatus", "completed",
        "DialCallSid", "CAleg000003", "DialCallDuration", "40");
    parentEvent("CAparent03", "completed", 60, 60);
    legEvent("CAparent03", "CAleg000003", "in-progress", 7, 2);

    assertThat(answeredInbound()).isEqualTo(answeredBefore + 1);
    assertThat(ringCount()).isEqualTo(countBefore + 1);
  }

  @Test
  void unansweredDialIsMissedAndHangingUpFirstIsAbandoned() {
    double missedBefore = server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"missed\"");
    double abandonedBefore = server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"abandoned\"");

    incoming("CAparent04");
    legEvent("CAparent04", "CAleg000004", "no-answer", 20, 2);
    server.twilio("/twilio/dial", "CallSid", "CAparent04", "From", CALLER, "To", LINE_NUMBER, "DialCallStatus", "no-answer");
    parentEvent("CAparent04", "completed", 30, 30);

    incoming("CAparent05");
    legEvent("CAparent05", "CAleg000005", "ringing", 1, 1);
    parentEvent("CAparent05", "completed", 8, 8);

    assertThat(server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"missed\"")).isEqualTo(missedBefore + 1);
    assertThat(server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"abandoned\"")).isEqualTo(abandonedBefore + 1);
  }

  @Test
  void eventForACallWeNeverSawIsStoredAndHarmless() {
    assertThat(parentEvent("CAstranger1", "completed", 10, 10).statusCode()).isEqualTo(200);
    assertThat(db.count("SELECT count(*) FROM call_events WHERE call_sid = 'CAstranger1'")).isEqualTo(1);
  }

  @Test
  void aBurstOfEventsSentTwiceIsStoredOnceEachWithItsOwnFields() throws Exception {
    // Events that arrive while others are being written go in one statement with them: each must
    // still get its own row, once, whichever of its two copies comes first.
    String[] statuses = {"initiated", "ringing", "in-progress"};
    List<Callable<Integer>> sends = new ArrayList<>();
    for (int copy = 0; copy < 2; copy++) {
      for (int call = 0; call < 40; call++) {
        for (int s = 0; s < statuses.length; s++) {
          String sid = String.format("CAburst%05d", call);
          String status = statuses[s];
          String sequence = Integer.toString(s);
          String from = String.format("+1415555%04d", call);
          sends.add(() -> server.twilio("/twilio/status", "CallSid", sid, "CallStatus", status, "SequenceNumber", sequence,
              "Timestamp", TWILIO.format(ARRIVAL.plusSeconds(Integer.parseInt(sequence))), "Direction", "inbound",
              "From", from, "To", LINE_NUMBER).statusCode());
        }
      }
    }
    Collections.shuffle(sends, new java.util.Random(7));
    ExecutorService senders = Executors.newFixedThreadPool(16);
    try {
      for (Future<Integer> answer : senders.invokeAll(sends)) {
        assertThat(answer.get()).isEqualTo(200);
      }
    } finally {
      senders.shutdownNow();
    }

    assertThat(db.count("SELECT count(*) FROM call_events WHERE call_sid LIKE 'CAburst%'")).isEqualTo(120);
    var rows = db.query("SELECT call_sid, call_status, sequence_number, from_number, EXTRACT(EPOCH FROM twilio_timestamp)::bigint AS epoch "
        + "FROM call_events "
        + "WHERE call_sid LIKE 'CAburst%'");
    for (var row : rows) {
      int call = Integer.parseInt(((String) row.get("call_sid")).substring(7));
      int sequence = java.util.Arrays.asList(statuses).indexOf(row.get("call_status"));
      assertThat(row).containsEntry("sequence_number", sequence)
          .containsEntry("from_number", String.format("+1415555%04d", call))
          .containsEntry("epoch", ARRIVAL.getEpochSecond() + sequence);
    }
    // Rows written by one statement share its transaction's time: fewer times than rows means groups formed.
    assertThat(db.count("SELECT count(DISTINCT received_at) FROM call_events WHERE call_sid LIKE 'CAburst%'")).isLessThan(120);
  }

  @Test
  void badStatusEventsAre400AndStoreNothing() {
    assertThat(server.twilio("/twilio/status", "CallSid", "CAbad00001", "CallStatus", "exploded").statusCode()).isEqualTo(400);
    assertThat(server.twilio("/twilio/status", "CallStatus", "ringing").statusCode()).isEqualTo(400);
    assertThat(server.twilio("/twilio/status", "CallSid", "CAbad00001", "CallStatus", "ringing", "Timestamp", "yesterday")
        .statusCode()).isEqualTo(400);
    assertThat(server.twilio("/twilio/status", "CallSid", "CAbad00001", "CallStatus", "ringing", "SequenceNumber", "x")
        .statusCode()).isEqualTo(400);
    assertThat(db.count("SELECT count(*) FROM call_events WHERE call_sid = 'CAbad00001'")).isZero();
  }
}
