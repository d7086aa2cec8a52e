package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/customers?q=}: a customer found by part of their name or number, by the admin
 * and by an agent, each within their own business only.
 */
class CustomerSearchTest {
  static RingbackServer server;
  static String agentToken;

  @BeforeAll
  static void start() {
    TestDatabase db = TestDatabase.create();
    server = RingbackServer.start(RingbackServer.BUSINESSES_YAML, RingbackServer.environment(db, "http://127.0.0.1:9"), Clock.systemUTC());
    customer(RingbackServer.API_TOKEN, "+14155550801", "Nikolay Petrov");
    customer(RingbackServer.API_TOKEN, "+14155550802", "Olga Petrova");
    customer(RingbackServer.API_TOKEN, "+442079460803", "Ana 100% Lima");
    customer(RingbackServer.API_TOKEN, "+14155550804", "Ana_Lima");
    customer(RingbackServer.API_TOKEN, "+14155550805", null);
    // Another business's customer of the same name is never found from this one.
    customer(RingbackServer.BRAVO_API_TOKEN, "+14155550806", "Pyotr Petrov");
    var agent = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", "Ana").put("contact", "+14155550809").encode());
    assertThat(agent.statusCode()).isEqualTo(201);
    agentToken = new JsonObject(agent.body()).getString("token");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void customer(String token, String phone, String name) {
    JsonObject body = new JsonObject();
    if (name != null) {
      body.put("name", name);
    }
    var saved = server.request("PUT", "/api/customers/" + phone.replace("+", "%2B"), "application/json", body.encode(), "Bearer " + token);
    assertThat(saved.statusCode()).isEqualTo(201);
  }

  static List<String> found(String token, String query) {
    var response = server.request("GET", "/api/customers?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8), null, null,
        "Bearer " + token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> phones = new ArrayList<>();
    new JsonObject(response.body()).getJsonArray("items").forEach(c -> phones.add(((JsonObject) c).getString("phone")));
    return phones;
  }

  @Test
  void byPartOfTheNameInAnyCaseOrByDigitsOfTheNumberWithinTheBusiness() {
    Map<String, List<String>> expected = Map.of(
        "petrov", List.of("+14155550801", "+14155550802"),
        "OLGA", List.of("+14155550802"),
        "(415) 555-080", List.of("+14155550801", "+14155550802", "+14155550804", "+14155550805"),
        "0805", List.of("+14155550805"),
        "+44 20", List.of("+442079460803"),
        // % and _ are what was typed, not wildcards.
        "100% L", List.of("+442079460803"),
        "Ana%Lima", List.of(),
        "a_", List.of("+14155550804"),
        "Pyotr", List.of());
    for (String token : List.of(RingbackServer.API_TOKEN, agentToken)) {
      expected.forEach((query, phones) -> assertThat(found(token, query)).as("'%s'", query).isEqualTo(phones));
    }
    assertThat(found(RingbackServer.BRAVO_API_TOKEN, "petrov")).containsExactly("+14155550806");
  }

  @Test
  void aSearchPagesLikeTheList() {
    var first = new JsonObject(server.api("GET", "/api/customers?q=555&limit=2", null, null).body());
    assertThat(first.getJsonArray("items")).hasSize(2);
    String cursor = first.getString("next_cursor");
    assertThat(cursor).isNotNull();
    var second = new JsonObject(server.api("GET", "/api/customers?q=555&limit=2&cursor=" + cursor, null, null).body());
    assertThat(second.getJsonArray("items").stream().map(c -> ((JsonObject) c).getString("phone")))
        .containsExactly("+14155550804", "+14155550805");
    assertThat(second.getString("next_cursor")).isNull();
  }

  @Test
  void anEmptyQueryListsEveryoneAndAnOverlongOneIs400() {
    assertThat(found(RingbackServer.API_TOKEN, "  ")).hasSize(5);
    var overlong = server.api("GET", "/api/customers?q=" + "a".repeat(101), null, null);
    assertThat(overlong.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(overlong.body()).getString("error")).startsWith("q:");
  }
}
