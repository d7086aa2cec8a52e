package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * A line that rings nobody (no registered agent available, and no numbers of its own in the
 * configuration) only promises callbacks: operators see it on /metrics and /health, and it clears
 * as soon as an agent of the line is available.
 */
class LinesRingingNobodyTest {
  static final Duration DEADLINE = Duration.ofSeconds(15);
  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    String yaml = """
        dialer:
          poll-millis: 100
        """ + RingbackServer.LINES_YAML;
    server = RingbackServer.start(yaml, RingbackServer.environment(db, "http://127.0.0.1:9"), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static boolean ringsNobody(String line) {
    return server.metric("ringback_line_rings_nobody", "business=\"default\"", "line=\"" + line + "\"") == 1;
  }

  static String linesCheck() {
    return new JsonObject(server.healthDetails().body()).getJsonObject("checks").getString("lines");
  }

  static List<String> rung(String callSid, String to) {
    var voice = server.twilio("/twilio/voice", "CallSid", callSid, "From", "+14155550166", "To", to);
    assertThat(voice.statusCode()).isEqualTo(200);
    Element twiml = Xml.parse(voice.body());
    return Xml.childNames(twiml).contains("Dial") ? Xml.children(Xml.child(twiml, "Dial")).stream().map(Element::getTextContent).toList()
        : List.of();
  }

  @Test
  void aFirstAgentRingsAtOnceAndAgentsAwayGiveWayToTheLinesOwnNumbers() {
    // main has numbers of its own; bravo-desk is an agent registered on main only.
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", "Bo").put("contact", "+14155550178").put("lines", List.of("main")).encode());
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).getString("presence")).as("a new agent takes calls at once").isEqualTo("available");
    assertThat(rung("CAnobody01", RingbackServer.LINE_NUMBER)).as("the first agent rings").containsExactly("+14155550178");

    long bo = new JsonObject(created.body()).getLong("id");
    assertThat(server.api("PUT", "/api/agents/" + bo + "/presence", "application/json", "{\"presence\":\"offline\"}").statusCode())
        .isEqualTo(200);
    assertThat(rung("CAnobody02", RingbackServer.LINE_NUMBER)).as("every agent away: the line's own numbers ring")
        .containsExactly(RingbackServer.AGENT_NUMBER, RingbackServer.AGENT_SIP);

    var away = server.api("POST", "/api/agents", "application/json", new JsonObject().put("name", "Cleo").put("contact", "+14155550179")
        .put("lines", List.of("main")).put("presence", "offline").encode());
    assertThat(new JsonObject(away.body()).getString("presence")).as("created away when asked").isEqualTo("offline");
  }

  @Test
  void aLineWithNobodyToRingIsReportedUntilOneOfItsAgentsIsAvailable() {
    // main rings its configured agents; support has none, and no agent is registered on it.
    RingbackServer.await("the lines' staffing read", DEADLINE, () -> server.registryHas("ringback_line_rings_nobody")
        && ringsNobody("support"));
    assertThat(ringsNobody("main")).isFalse();
    assertThat(linesCheck()).contains("default/support").doesNotContain("default/main");
    assertThat(server.healthDetails().statusCode()).as("still serving: the callers are promised callbacks").isEqualTo(200);

    var created = server.api("POST", "/api/agents", "application/json", new JsonObject().put("name", "Ana").put("contact", "+14155550177")
        .put("lines", List.of("support")).put("presence", "offline").encode());
    assertThat(created.statusCode()).isEqualTo(201);
    long ana = new JsonObject(created.body()).getLong("id");
    // Registered but away: the line still rings nobody.
    RingbackServer.await("a refresh after Ana was registered", DEADLINE,
        () -> db.count("SELECT count(*) FROM agent_lines al JOIN lines l ON l.id = al.line_id WHERE l.slug = 'support'") == 1
            && ringsNobody("support"));

    assertThat(server.api("PUT", "/api/agents/" + ana + "/presence", "application/json", "{\"presence\":\"available\"}").statusCode())
        .isEqualTo(200);
    RingbackServer.await("support rings Ana", DEADLINE, () -> !ringsNobody("support"));
    assertThat(linesCheck()).isEqualTo("every line rings somebody");
  }
}
