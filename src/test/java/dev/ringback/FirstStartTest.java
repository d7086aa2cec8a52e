package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ringback.support.LogCapture;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a newcomer's first start shows: the admin token once it listens, why a start failed, the URL Twilio is given, /health as the README has it. */
class FirstStartTest {
  static final Pattern GENERATED = Pattern.compile("Generated the API token for /api/\\*, shown only this once: (\\S+) ");

  /** The test database, and no admin token of the operator's own: the first start generates one. */
  static Map<String, String> noToken(TestDatabase db) {
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, null));
    env.remove("RINGBACK_API_TOKEN");
    return env;
  }

  static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /** The token the log showed as generated; fails unless exactly one was. */
  static String generatedToken(LogCapture log) {
    List<String> shown = log.containing("Generated the API token");
    assertThat(shown).hasSize(1);
    Matcher m = GENERATED.matcher(shown.get(0));
    assertThat(m.find()).as(shown.get(0)).isTrue();
    return m.group(1);
  }

  static void assertAdminToken(RingbackServer server, String token) {
    HttpResponse<String> lines = server.request("GET", "/api/lines", null, null, "Bearer " + token);
    assertThat(lines.statusCode()).as(lines.body()).isEqualTo(200);
  }

  @Test
  void aFirstStartOnATakenPortNamesThePortAndTheStartThatListensShowsTheToken() throws Exception {
    TestDatabase db = TestDatabase.create();
    try (ServerSocket taken = new ServerSocket(0)) {
      Map<String, String> env = noToken(db);
      env.put("RINGBACK_HTTP_PORT", Integer.toString(taken.getLocalPort()));
      try (LogCapture log = LogCapture.start()) {
        Exception failure = assertThrows(Exception.class, () -> RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC()));
        assertThat(rootMessage(failure)).isEqualTo("port " + taken.getLocalPort() + " is in use");
        assertThat(log.containing("API token")).as("no token was made, none shown").isEmpty();
      }
    }
    try (LogCapture log = LogCapture.start();
         RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, noToken(db), Clock.systemUTC())) {
      assertThat(log.containing("the one generated at first start")).isEmpty();
      String token = generatedToken(log);
      assertThat(log.containing("Generated the API token").get(0)).startsWith("WARN ")
          .contains("the console takes an agent's token, which POST /api/agents answers with");
      assertAdminToken(server, token);
    }
  }

  @Test
  void aStartThatFailsAfterMakingTheTokenForgetsItAndTheNextStartShowsANewOne() {
    TestDatabase db = TestDatabase.create();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> withKey = new HashMap<>(RingbackServer.environment(db, null));
    withKey.put("RINGBACK_SECRET_KEY", Base64.getEncoder().encodeToString(key));
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, withKey, Clock.systemUTC())) {
      HttpResponse<String> created = server.api("POST", "/api/businesses", "application/json", """
          {"slug": "bravo", "name": "Bravo Plumbing",
           "twilio": {"account_sid": "%s", "auth_token": "%s"},
           "lines": [{"id": "main", "number": "+14155550300", "name": "Bravo"}]}
          """.formatted(RingbackServer.BRAVO_ACCOUNT_SID, RingbackServer.BRAVO_AUTH_TOKEN));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    // The configuration claims Bravo's number: start-up fails after the admin token was made and stored.
    Map<String, String> env = noToken(db);
    env.put("RINGBACK_SECRET_KEY", withKey.get("RINGBACK_SECRET_KEY"));
    String claimsBravosNumber = RingbackServer.LINES_YAML.replace("number: \"+14155550200\"", "number: \"+14155550300\"");
    try (LogCapture log = LogCapture.start()) {
      Exception failure = assertThrows(Exception.class, () -> RingbackServer.start(claimsBravosNumber, env, Clock.systemUTC()));
      assertThat(rootMessage(failure)).contains("claimed by two businesses");
      assertThat(log.containing("Generated the API token")).as("never shown, since that start failed").isEmpty();
    }

    try (LogCapture log = LogCapture.start();
         RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      assertThat(log.containing("the one generated at first start")).as("the failed start's token is gone").isEmpty();
      assertAdminToken(server, generatedToken(log));
    }
  }

  static String dialAction(RingbackServer server) {
    HttpResponse<String> voice = server.twilio("/twilio/voice", "AccountSid", RingbackServer.ACCOUNT_SID, "CallSid", "CApublic0001",
        "From", "+14155550177", "To", RingbackServer.LINE_NUMBER, "CallStatus", "ringing", "Direction", "inbound");
    assertThat(voice.statusCode()).as(voice.body()).isEqualTo(200);
    return Xml.child(Xml.parse(voice.body()), "Dial").getAttribute("action");
  }

  @Test
  void withoutAPublicUrlTwilioIsSentToThePortTheServerListensOn() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(RingbackServer.environment(TestDatabase.create(), null));
    env.remove("RINGBACK_PUBLIC_URL");
    env.put("RINGBACK_HTTP_PORT", Integer.toString(port));
    try (LogCapture log = LogCapture.start();
         RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      assertThat(dialAction(server)).isEqualTo("http://localhost:" + port + "/twilio/dial");
      assertThat(log.containing("listens on port " + port + " (public URL http://localhost:" + port + ")")).hasSize(1);
      assertThat(log.containing("cannot be this server's")).isEmpty();
    }

    // A free port picked at start (0) is known only then: the URL follows it.
    env.put("RINGBACK_HTTP_PORT", "0");
    env.put("RINGBACK_DATABASE_URL", TestDatabase.create().url());
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      assertThat(dialAction(server)).isEqualTo("http://localhost:" + server.ringback().port() + "/twilio/dial");
    }
  }

  @Test
  void aPublicUrlOnThisMachineWithAnotherPortIsWarnedAboutOnceAtStart() {
    Map<String, String> env = new HashMap<>(RingbackServer.environment(TestDatabase.create(), null));
    env.put("RINGBACK_PUBLIC_URL", "http://localhost:8080");
    try (LogCapture log = LogCapture.start();
         RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      int port = server.ringback().port();
      assertThat(log.containing("cannot be this server's")).containsExactly("WARN The public URL http://localhost:8080 cannot be"
          + " this server's: it names port 8080 on this machine, and this server listens on port " + port + ". Twilio and shops"
          + " are sent there; set RINGBACK_PUBLIC_URL (http.public-url) to the address they reach this server at, or leave it"
          + " empty for http://localhost:" + port);
      assertThat(dialAction(server)).as("what was set is used").isEqualTo("http://localhost:8080/twilio/dial");
    }
  }

  /** The README shows /health's details as a newcomer sees them: the shipped configuration, on the simulator. */
  @Test
  void theReadmesHealthDetailsAreWhatTheShippedConfigurationReportsOnTheSimulator() throws Exception {
    List<String> shown = Pattern.compile("\\{\"status\":\"up\",\"checks\":\\{[^}]*\\}\\}")
        .matcher(Files.readString(Path.of("README.md"))).results().map(MatchResult::group).toList();
    assertThat(shown).hasSizeGreaterThanOrEqualTo(2);
    String shipped = Files.readString(Path.of("config", "ringback.yaml"));
    try (RingbackServer server = RingbackServer.start(shipped, RingbackServer.environment(TestDatabase.create(), null),
        Clock.systemUTC())) {
      JsonObject actual = new JsonObject(server.healthDetails().body());
      for (String example : shown) {
        assertThat(new JsonObject(example)).isEqualTo(actual);
      }
    }
  }

  @Test
  void aWarmUpStepThatNeverFinishesDoesNotHoldTheStartBackPastItsBound() throws Exception {
    try (LogCapture log = LogCapture.start()) {
      long t0 = System.nanoTime();
      Ringback.warmedUp(List.of(Map.entry("done", io.vertx.core.Future.<Void>succeededFuture()),
          Map.entry("never done", io.vertx.core.Promise.<Void>promise().future())), 300);
      long waited = (System.nanoTime() - t0) / 1_000_000;
      assertThat(waited).isBetween(250L, 5_000L);
      assertThat(log.containing("never done was not done 300 ms into the warm-up")).hasSize(1);
      assertThat(log.containing("done was not done")).hasSize(1);
    }
  }
}
