package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.LogCapture;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo drives the real webhooks with the simulator playing the callbacks: every kind of call
 * shows up in the metrics, screened agents press 1, agents called first take callbacks or not,
 * and missed callers are texted back, some of whom answer the text.
 */
class DemoTrafficTest {

  @Test
  void demoTrafficMovesCallsOrdersAndCallbacks() {
    TestDatabase db = TestDatabase.create();
    String yaml = """
        metrics:
          ring-seconds: 1
        callbacks:
          delay-seconds:
            missed: 0
            abandoned: 0
            dropped: 0
        dialer:
          calls-per-second: 0
        demo:
          enabled: true
          calls-per-minute: 600
          orders-per-minute: 120
        lines:
          - id: main
            number: "+14155550100"
            name: Acme
            agents: ["+14155550101"]
            ring-timeout-seconds: 5
        """;
    Map<String, String> env = RingbackServer.environment(db, null);
    try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC())) {
      assertThat(server.ringback().services().config().orders().shop("generic").orElseThrow().enabled())
          .as("the demo's orders get a secret of their own").isTrue();
      // Answered calls are measured when answered; their conversations last minutes, so their end is not awaited.
      RingbackServer.await("answered, missed, abandoned and dropped calls, orders, callbacks and scores", Duration.ofSeconds(90), () ->
          server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"dropped\"") > 0
              && server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"missed\"") > 0
              && server.metric("ringback_calls_total", "direction=\"inbound\"", "outcome=\"abandoned\"") > 0
              && server.metric("ringback_orders_total", "source=\"generic\"", "result=\"called\"") > 0
              && server.metric("ringback_callback_delay_seconds_count") > 0
              && server.metric("ringback_ring_to_answer_seconds_count", "direction=\"inbound\"") > 0
              && server.metric("ringback_feedback_score_count") > 0
              // The line's agent is a phone: screened on every call, and called first for every callback.
              && db.count("SELECT count(*) FROM screened_legs l JOIN calls c ON c.call_sid = l.parent_call_sid WHERE l.accepted") > 0
              && db.count("SELECT count(*) FROM screened_legs l JOIN calls c ON c.call_sid = l.parent_call_sid WHERE NOT l.accepted") > 0
              && db.count("SELECT count(*) FROM callback_attempts WHERE agent_accepted_at IS NOT NULL AND outcome = 'connected'") > 0
              && db.count("SELECT count(*) FROM callback_attempts WHERE outcome = 'agent_not_accepted'") > 0);
      assertThat(db.count("SELECT count(*) FROM customers WHERE notes = 'demo customer' AND tier = 'vip'")).isEqualTo(1);

      // Texted callers answer now and then: each text is kept, read, counted and answered.
      RingbackServer.await("text-backs delivered, and customers' texts read and answered", Duration.ofSeconds(60), () ->
          counted(server, "ringback_texts_total", "kind=\"text_back\"", "result=\"delivered\"")
              && counted(server, "ringback_text_replies_total")
              && db.count("SELECT count(*) FROM text_replies WHERE customer_phone LIKE '+1415555%'") > 0
              && counted(server, "ringback_texts_total", "kind=\"reply\"", "result=\"sent\""));
      assertThat(db.query("SELECT DISTINCT kind FROM text_replies")).extracting(row -> row.get("kind"))
          .as("a time, now, STOP, START or words for a person").isSubsetOf("time", "now", "opt_out", "opt_in", "other");
    }
  }

  /** Whether a counter that appears at its first count has counted yet. */
  static boolean counted(RingbackServer server, String name, String... labels) {
    try {
      return server.metric(name, labels) > 0;
    } catch (AssertionError none) {
      return false;
    }
  }

  static final String QUIET_DEMO = """
      demo:
        enabled: true
        calls-per-minute: 1
        orders-per-minute: 0
      """ + RingbackServer.LINES_YAML;

  /** The README's signed curl example, as a person runs it against the demo: signed with the secret its log showed. */
  @Test
  void theDemosOrderSecretIsShownOnceSoThatAPersonCanSignOrdersToo() {
    Map<String, String> env = RingbackServer.environment(TestDatabase.create(), null);
    try (LogCapture log = LogCapture.start(); RingbackServer server = RingbackServer.start(QUIET_DEMO, env, Clock.systemUTC())) {
      RingbackServer.await("the demo to start", Duration.ofSeconds(10), () -> !log.containing("Demo traffic").isEmpty());
      List<String> shown = log.containing("RINGBACK_ORDER_SECRET=");
      assertThat(shown).hasSize(1);
      Matcher secret = Pattern.compile("RINGBACK_ORDER_SECRET=(\\S+) ").matcher(shown.get(0));
      assertThat(secret.find()).isTrue();
      assertThat(secret.group(1)).isEqualTo(server.ringback().services().config().orders().shop("generic").orElseThrow().secret());

      byte[] body = "{\"order_id\":\"A-1001\",\"phone\":\"+14155550177\",\"name\":\"Anna Smith\"}".getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> order = server.post("/orders", Map.of("Content-Type", "application/json",
          "X-Ringback-Signature", ShopSigner.generic(secret.group(1), body)), body);
      assertThat(order.statusCode()).as(order.body()).isEqualTo(200);
      assertThat(new JsonObject(order.body()).getString("result")).isEqualTo("called");
    }
  }

  @Test
  void aConfiguredOrderSecretIsNeverLogged() {
    Map<String, String> env = new HashMap<>(RingbackServer.environment(TestDatabase.create(), null));
    env.put("RINGBACK_ORDER_SECRET", "the-shops-own-secret-0123");
    try (LogCapture log = LogCapture.start(); RingbackServer server = RingbackServer.start(QUIET_DEMO, env, Clock.systemUTC())) {
      RingbackServer.await("the demo to start", Duration.ofSeconds(10), () -> !log.containing("Demo traffic").isEmpty());
      assertThat(log.containing("RINGBACK_ORDER_SECRET=")).isEmpty();
      assertThat(log.lines()).noneMatch(line -> line.contains("the-shops-own-secret-0123"));
    }
  }
}
