package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An agent's token that is replaced or revoked, or whose agent is deleted, ends their live queue
 * at once, on every instance: the other instance hears it from the database and closes the
 * agent's streams with a last {@code signed-out} event. The agent's other streams with a valid token, and other
 * agents', stay open.
 */
class AgentSignOutTest {
  static final Duration DEADLINE = Duration.ofSeconds(5);

  /** One open /api/events stream: the lines it received, and whether it has ended. */
  record Stream(List<String> lines, CompletableFuture<Void> ended) {
    static Stream open(RingbackServer server, String token) {
      List<String> lines = new CopyOnWriteArrayList<>();
      HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/events"))
          .header("Authorization", "Bearer " + token).build();
      CompletableFuture<Void> ended = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
          .thenAccept(response -> response.body().forEach(lines::add));
      Stream stream = new Stream(lines, ended);
      RingbackServer.await("the queue at once", DEADLINE, () -> lines.contains("event: queue"));
      return stream;
    }
  }

  static JsonObject agent(RingbackServer server, String name, String contact) {
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", name).put("contact", contact).encode());
    assertThat(created.statusCode()).isEqualTo(201);
    return new JsonObject(created.body());
  }

  @Test
  void aReplacedOrRevokedTokenOrADeletedAgentEndsTheirStreamsOnEveryInstance() {
    TestDatabase db = TestDatabase.create();
    var env = RingbackServer.environment(db, "http://127.0.0.1:9");
    try (RingbackServer first = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC());
         RingbackServer second = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      JsonObject ana = agent(first, "Ana", "+14155550861");
      JsonObject ben = agent(first, "Ben", "+14155550862");
      Stream anaOnSecond = Stream.open(second, ana.getString("token"));
      Stream anaOnFirst = Stream.open(first, ana.getString("token"));
      Stream benOnSecond = Stream.open(second, ben.getString("token"));

      var rotated = first.api("POST", "/api/agents/" + ana.getLong("id") + "/token", null, null);
      assertThat(rotated.statusCode()).isEqualTo(200);
      RingbackServer.await("Ana's streams to end on both instances", DEADLINE,
          () -> anaOnSecond.ended().isDone() && anaOnFirst.ended().isDone());
      assertThat(anaOnSecond.lines()).contains("event: signed-out");
      assertThat(anaOnFirst.lines()).contains("event: signed-out");

      // Her new token works, and its stream stays open; Ben's was never touched.
      Stream anaAgain = Stream.open(second, new JsonObject(rotated.body()).getString("token"));
      var deleted = first.api("DELETE", "/api/agents/" + ben.getLong("id"), null, null);
      assertThat(deleted.statusCode()).isEqualTo(204);
      RingbackServer.await("Ben's stream to end", DEADLINE, () -> benOnSecond.ended().isDone());
      assertThat(benOnSecond.lines()).contains("event: signed-out");
      assertThat(anaAgain.ended()).isNotDone();

      // Her token revoked: signed out again, everywhere, and no token is hers until a new one is made.
      assertThat(first.api("DELETE", "/api/agents/" + ana.getLong("id") + "/token", null, null).statusCode()).isEqualTo(204);
      RingbackServer.await("Ana's stream to end once her token is revoked", DEADLINE, () -> anaAgain.ended().isDone());
      assertThat(anaAgain.lines()).contains("event: signed-out");
    }
  }
}
