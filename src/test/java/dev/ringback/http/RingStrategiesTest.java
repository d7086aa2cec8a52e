package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * A line's agents rung one after another: each for the line's ring-seconds, in the line's order
 * or the one available longest first, until the line's ring budget is spent; only then is the
 * call missed. Driven on the server's clock, as Twilio drives the {@code <Dial>} actions.
 */
class RingStrategiesTest {
  static final String SEQUENTIAL = "+14155550400";
  static final String LONGEST_IDLE = "+14155550410";
  static TestDatabase db;
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    String yaml = """
        lines:
          - id: seq
            number: "+14155550400"
            name: Acme
            agents: ["+14155550401", "+14155550402", "+14155550403"]
            ring-strategy: sequential
            ring-timeout-seconds: 40
            ring-seconds: 15
          - id: idle
            number: "+14155550410"
            name: Acme
            agents: []
            ring-strategy: longest-idle
            ring-timeout-seconds: 30
            ring-seconds: 10
        """;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, "http://127.0.0.1:9"), clock);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Element post(String pathAndQuery, String callSid, String to, String... more) {
    String[] form = new String[6 + more.length];
    System.arraycopy(new String[] {"CallSid", callSid, "From", "+14155550499", "To", to}, 0, form, 0, 6);
    System.arraycopy(more, 0, form, 6, more.length);
    var response = server.twilio(pathAndQuery, form);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Xml.parse(response.body());
  }

  /** The {@code <Dial>}'s numbers, its timeout, and its action as a path. */
  static List<String> dial(Element twiml) {
    Element dial = Xml.child(twiml, "Dial");
    List<String> rung = Xml.children(dial).stream().map(Element::getTextContent).toList();
    return List.of(String.join(" ", rung), dial.getAttribute("timeout"), dial.getAttribute("action").substring(RingbackServer.PUBLIC_URL.length()));
  }

  static Element noAnswer(String action, String callSid, String to) {
    return post(action, callSid, to, "CallStatus", "in-progress", "DialCallStatus", "no-answer");
  }

  @Test
  void sequentialRingsEachAgentInTurnUntilTheBudgetIsSpentThenTheCallIsMissed() {
    long started = clock.instant().toEpochMilli();
    List<String> first = dial(post("/twilio/voice", "CAseq01", SEQUENTIAL, "CallStatus", "ringing"));
    assertThat(first).containsExactly("+14155550401", "15", "/twilio/dial?ring=1&started=" + started);

    clock.advance(Duration.ofSeconds(15));
    List<String> second = dial(noAnswer(first.get(2), "CAseq01", SEQUENTIAL));
    assertThat(second).containsExactly("+14155550402", "15", "/twilio/dial?ring=2&started=" + started);
    assertThat(db.count("SELECT count(*) FROM callbacks")).as("no callback while agents are still rung").isZero();

    // 33 s into the call, 7 s of the 40 are left for the last agent.
    clock.advance(Duration.ofSeconds(18));
    List<String> third = dial(noAnswer(second.get(2), "CAseq01", SEQUENTIAL));
    assertThat(third).containsExactly("+14155550403", "7", "/twilio/dial");

    clock.advance(Duration.ofSeconds(7));
    Element missed = noAnswer(third.get(2), "CAseq01", SEQUENTIAL);
    assertThat(Xml.childNames(missed)).contains("Gather", "Record");
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE trigger = 'missed'")).isEqualTo(1);
  }

  @Test
  void aCallerWhoHungUpIsNotRungOnAndTheBudgetEndsTheRinging() {
    long started = clock.instant().toEpochMilli();
    List<String> first = dial(post("/twilio/voice", "CAseq02", SEQUENTIAL, "CallStatus", "ringing"));
    assertThat(first.get(2)).isEqualTo("/twilio/dial?ring=1&started=" + started);
    Element gone = post(first.get(2), "CAseq02", SEQUENTIAL, "CallStatus", "completed", "DialCallStatus", "no-answer");
    assertThat(Xml.childNames(gone)).doesNotContain("Dial");

    List<String> again = dial(post("/twilio/voice", "CAseq03", SEQUENTIAL, "CallStatus", "ringing"));
    clock.advance(Duration.ofSeconds(36));
    Element late = noAnswer(again.get(2), "CAseq03", SEQUENTIAL);
    assertThat(Xml.childNames(late)).as("4 s left is too little to ring anybody").doesNotContain("Dial").contains("Record");
  }

  @Test
  void longestIdleRingsTheAgentAvailableLongestFirst() {
    long ada = agent("Ada", "+14155550411");
    long bea = agent("Bea", "+14155550412");
    // Ada was on a call until just now; Bea has been free for longer.
    presence(bea, "offline");
    presence(bea, "available");
    presence(ada, "busy");
    presence(ada, "available");
    List<String> first = dial(post("/twilio/voice", "CAidle01", LONGEST_IDLE, "CallStatus", "ringing"));
    assertThat(first.subList(0, 2)).containsExactly("+14155550412", "10");
    List<String> second = dial(noAnswer(first.get(2), "CAidle01", LONGEST_IDLE));
    assertThat(second.subList(0, 2)).containsExactly("+14155550411", "10");
  }

  static long agent(String name, String contact) {
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", name).put("contact", contact).put("lines", List.of("idle")).encode());
    assertThat(created.statusCode()).isEqualTo(201);
    return new JsonObject(created.body()).getLong("id");
  }

  static void presence(long agent, String presence) {
    assertThat(server.api("PUT", "/api/agents/" + agent + "/presence", "application/json", "{\"presence\":\"" + presence + "\"}")
        .statusCode()).isEqualTo(200);
  }
}
