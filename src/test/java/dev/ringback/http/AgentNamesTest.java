package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The customer's file names the agent who took a call: by the name they were registered with,
 * whichever way the network wrote their address (a SIP URI with its parameters), in
 * {@code agent_name}; a phone that is no registered agent's has no name, only its number.
 */
class AgentNamesTest {

  static JsonObject call(RingbackServer server, String phone) {
    var file = server.api("GET", "/api/customers/" + phone.replace("+", "%2B") + "/timeline", null, null);
    assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
    return new JsonObject(file.body()).getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("kind").equals("call")).findFirst().orElseThrow().getJsonObject("detail");
  }

  static void answered(RingbackServer server, String callSid, String caller, String leg, String to) {
    assertThat(server.twilio("/twilio/voice", "CallSid", callSid, "From", caller, "To", RingbackServer.LINE_NUMBER).statusCode())
        .isEqualTo(200);
    for (String status : List.of("in-progress", "completed")) {
      server.twilio("/twilio/status", "CallSid", leg, "ParentCallSid", callSid, "CallStatus", status, "To", to,
          "Direction", "outbound-dial");
    }
  }

  @Test
  void theAgentWhoTookACallIsNamedHoweverTheirAddressWasWritten() {
    TestDatabase db = TestDatabase.create();
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, RingbackServer.environment(db, "http://127.0.0.1:9"),
        Clock.systemUTC())) {
      var omar = server.api("POST", "/api/agents", "application/json",
          new JsonObject().put("name", "Omar").put("contact", "sip:omar@acme.sip.twilio.com").put("lines", List.of("main")).encode());
      assertThat(omar.statusCode()).isEqualTo(201);

      answered(server, "CAnames01", "+14155550931", "CAnamesleg01", "sip:omar@acme.sip.twilio.com;transport=tls");
      JsonObject bySip = call(server, "+14155550931");
      assertThat(bySip.getString("agent_name")).isEqualTo("Omar");
      assertThat(bySip.getString("answered_by_agent")).isEqualTo("Omar");

      // The line's own number, which no registered agent has: no name.
      answered(server, "CAnames02", "+14155550932", "CAnamesleg02", RingbackServer.AGENT_NUMBER);
      JsonObject byLinePhone = call(server, "+14155550932");
      assertThat(byLinePhone.containsKey("agent_name")).isTrue();
      assertThat(byLinePhone.getString("agent_name")).isNull();
      assertThat(byLinePhone.getString("answered_by_agent")).isEqualTo(RingbackServer.AGENT_NUMBER);
    }
  }
}
