package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TcpProxy;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * PostgreSQL becomes unreachable (every connection dropped, new ones refused) and comes back:
 * /health says 503 meanwhile, callers still hear TwiML that rings the agents, the API answers
 * 503, and afterwards the same server, not restarted, serves and dials again with nothing lost.
 */
class DatabaseOutageTest {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void callersAreStillAnsweredAndTheServerRecoversWithoutARestart() {
    TestDatabase db = TestDatabase.create();
    String caller = "+14155550231";
    try (TcpProxy proxy = TcpProxy.to(db.port());
         TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      Map<String, String> env = new java.util.HashMap<>(RingbackServer.environment(db, twilio.baseUrl()));
      env.put("RINGBACK_DATABASE_URL", db.url().replace(":" + db.port() + "/", ":" + proxy.port() + "/"));
      String yaml = """
          dialer:
            calls-per-second: 0
            poll-millis: 100
          """ + RingbackServer.LINES_YAML;
      try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC())) {
        server.api("PUT", "/api/customers/%2B14155550231", "application/json", "{\"name\":\"Nikolay Petrov\"}");
        server.twilio("/twilio/voice", "CallSid", "CAoutage01", "From", caller, "To", RingbackServer.LINE_NUMBER);

        proxy.cut();
        RingbackServer.await("/health to report the database down", DEADLINE, () -> server.get("/health").statusCode() == 503);
        assertThat(new JsonObject(server.healthDetails().body()).getJsonObject("checks").getString("database")).startsWith("down");
        // Alive all the same: a container's probes keep the instance listed and running, so the journal takes the webhooks.
        var live = server.get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(live.body()).getString("status")).isEqualTo("alive");

        var during = server.twilio("/twilio/voice", "CallSid", "CAoutage02", "From", caller, "To", RingbackServer.LINE_NUMBER);
        assertThat(during.statusCode()).isEqualTo(200);
        Element twiml = Xml.parse(during.body());
        assertThat(Xml.childNames(twiml)).containsExactly("Say", "Dial");
        assertThat(Xml.child(twiml, "Say").getTextContent()).as("no name: the customer file is out of reach")
            .isEqualTo("Thank you for calling Acme.");
        var api = server.api("GET", "/api/customers", null, null);
        assertThat(api.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(api.body()).getString("error")).isNotBlank();

        proxy.restore();
        RingbackServer.await("/health to be up again without a restart", DEADLINE, () -> server.get("/health").statusCode() == 200);
        assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid = 'CAoutage01'")).as("stored before: kept").isEqualTo(1);
        Element after = Xml.parse(server.twilio("/twilio/voice", "CallSid", "CAoutage03", "From", caller,
            "To", RingbackServer.LINE_NUMBER).body());
        assertThat(Xml.child(after, "Say").getTextContent()).startsWith("Hello Nikolay");
        var callback = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + caller + "\",\"line\":\"main\"}");
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(201);
        twilio.awaitRequests(r -> caller.equals(r.param("To")), 1, DEADLINE);
      }
    }
  }
}
