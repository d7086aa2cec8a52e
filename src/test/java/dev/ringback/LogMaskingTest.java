package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What Ringback writes to its log, through the layout logback.xml configures: phone numbers only
 * by their last four digits, one line per message, and never a token.
 */
class LogMaskingTest {
  /** A caller whose number must not appear in the log; "0199" may. */
  static final String PHONE = "+14155550199";
  static final String HIDDEN = "4155550";
  static final String SECRET = "log-masking-secret-0123";

  static Layout<ILoggingEvent> configuredLayout() {
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    return ((PatternLayoutEncoder) ((ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT")).getEncoder()).getLayout();
  }

  @Test
  void theConfiguredLayoutMasksNumbersInMessagesAndStackTracesAndKeepsOneLine() {
    Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.ringback.test");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, ch.qos.logback.classic.Level.ERROR,
        "voice From={} failed\nINFO forged line", new IllegalStateException("duplicate key (1, +14155550199)"), new Object[] {PHONE});
    String line = configuredLayout().doLayout(event);
    assertThat(line).doesNotContain(HIDDEN).contains("********0199").contains("voice From=********0199 failed\\nINFO forged line");
    assertThat(line.lines().filter(l -> l.contains("forged line")).toList()).hasSize(1);
    assertThat(line.lines().filter(l -> l.contains("INFO forged"))).allMatch(l -> l.contains(" - voice From="));
  }

  @Test
  void aDayOfWebhooksAndApiCallsLogsNoFullNumberAndNoToken() {
    Layout<ILoggingEvent> layout = configuredLayout();
    List<String> written = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        written.add(layout.doLayout(event));
      }
    };
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    capture.setContext(root.getLoggerContext());
    capture.start();
    root.addAppender(capture);
    Map<String, String> env = new HashMap<>(RingbackServer.environment(TestDatabase.create(), "http://127.0.0.1:9"));
    env.put("RINGBACK_ORDER_SECRET", SECRET);
    List<String> tokens = new java.util.ArrayList<>(List.of(RingbackServer.API_TOKEN));
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      server.twilio("/twilio/voice", "CallSid", "CAlog00001", "From", PHONE, "To", RingbackServer.LINE_NUMBER);
      server.twilio("/twilio/status", "CallSid", "CAlogleg01", "ParentCallSid", "CAlog00001", "CallStatus", "no-answer",
          "From", PHONE, "To", RingbackServer.AGENT_NUMBER);
      server.twilio("/twilio/dial", "CallSid", "CAlog00001", "From", PHONE, "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer");
      server.twilio("/twilio/voice", "CallSid", "CAlog00002", "From", PHONE, "To", "+14155550198");
      server.twilio("/twilio/status", "CallSid", "CAlog00003", "CallStatus", "sideways", "From", PHONE);
      // An unsigned request: its URL, with the number in the query, is logged.
      server.twilioSigned("/twilio/voice?From=%2B14155550199", null, RingbackServer.pairs("CallSid", "CAlog00004", "From", PHONE));
      byte[] order = ("{\"order_id\":\"log-1\",\"phone\":\"" + PHONE + "\",\"name\":\"Ann\"}").getBytes(StandardCharsets.UTF_8);
      server.post("/orders", Map.of("Content-Type", "application/json", "X-Ringback-Signature", ShopSigner.generic(SECRET, order)), order);
      server.api("PUT", "/api/customers/%2B14155550199", "application/json", "{\"name\":\"Ann\"}");
      server.api("PUT", "/api/customers/%2B14155550199/do-not-call", "application/json", "{\"do_not_call\":true}");
      server.api("GET", "/api/customers/(415)%20555-0199/timeline", null, null);

      var created = new JsonObject(server.api("POST", "/api/agents", "application/json",
          "{\"name\":\"Lia\",\"contact\":\"+14155550198\",\"lines\":[\"main\"]}").body());
      tokens.add(created.getString("token"));
      tokens.add(new JsonObject(server.api("POST", "/api/agents/" + created.getLong("id") + "/token", null, null).body()).getString("token"));
      server.request("GET", "/api/agents/me", null, null, "Bearer " + tokens.get(2));
      server.request("GET", "/api/agents/me", null, null, "Bearer " + tokens.get(1));
      server.request("GET", "/api/agents/me", null, null, "Bearer not-a-token-" + RingbackServer.API_TOKEN);
    } finally {
      root.detachAppender(capture);
    }
    String log = String.join("", written);
    assertThat(written).isNotEmpty();
    assertThat(log).contains("0199").doesNotContain(HIDDEN).doesNotContain("555-0199");
    for (String token : tokens) {
      assertThat(log).doesNotContain(token);
    }
  }
}
