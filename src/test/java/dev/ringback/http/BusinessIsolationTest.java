package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each business's tokens reach its own data only: every /api/* route of the server (read from
 * its router, so a new route is tried too) is called with one business's admin and agent tokens
 * against the other business's customers, callbacks, agents, tasks and lines. Nothing of the
 * other business is shown, a record of it is a 404 (never a 403 that would tell it exists), and
 * its rows are unchanged afterwards. Both ways round.
 */
class BusinessIsolationTest {
  static final Instant NOW = Instant.parse("2026-11-23T18:05:00Z");
  static TestDatabase db;
  static RingbackServer server;

  /** One business's tokens and records. */
  record Side(String slug, long id, String adminToken, String agentToken, long agentId, String agentName, String agentContact,
              String customerPhone, String customerName, long callbackId, String taskPhone, long taskId, String callSid) {}

  static Side acme;
  static Side bravo;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    server = RingbackServer.start(RingbackServer.BUSINESSES_YAML, RingbackServer.environment(db, "http://127.0.0.1:9"),
        Clock.fixed(NOW, ZoneOffset.UTC));
    acme = seed("default", RingbackServer.API_TOKEN, "Ana Acme", "+14155550701", "+14155550711", "Alma Acme", "+14155550721");
    bravo = seed("bravo", RingbackServer.BRAVO_API_TOKEN, "Bea Bravo", "+14155550702", "+14155550712", "Bruno Bravo", "+14155550722");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject ok(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }

  static HttpResponse<String> call(String token, String method, String path, String contentType, String body) {
    return server.request(method, path, contentType, body, "Bearer " + token);
  }

  /** A customer, a waiting callback, an agent holding a task, the customer on the do-not-call list: all made with the business's tokens. */
  static Side seed(String slug, String admin, String agentName, String agentContact, String customerPhone, String customerName,
                   String taskPhone) {
    long id = (Long) db.query("SELECT id FROM businesses WHERE slug = ?", slug).get(0).get("id");
    ok(call(admin, "POST", "/api/customers", "application/json",
        "{\"phone\":\"" + customerPhone + "\",\"name\":\"" + customerName + "\",\"tier\":\"vip\"}"), 201);
    JsonObject agent = ok(call(admin, "POST", "/api/agents", "application/json",
        "{\"name\":\"" + agentName + "\",\"contact\":\"" + agentContact + "\",\"lines\":[\"main\"],\"role\":\"supervisor\"}"), 201);
    long callbackId = ok(call(admin, "POST", "/api/callbacks", "application/json",
        "{\"phone\":\"" + customerPhone + "\",\"line\":\"main\",\"due_at\":\"2026-12-01T10:00:00Z\"}"), 201).getLong("id");
    long taskId = ok(call(admin, "POST", "/api/tasks", "application/json", "{\"phone\":\"" + taskPhone + "\",\"line\":\"main\"}"), 201)
        .getLong("id");
    ok(call(agent.getString("token"), "POST", "/api/tasks/" + taskId + "/claim", null, null), 200);
    ok(call(admin, "PUT", "/api/lines/main/hours", "application/json", "{\"week\":{\"mon\":[\"09:00-17:00\"]}}"), 200);
    // A call of the customer's that left a voicemail, and the voicemail on the callback too.
    String callSid = "CAiso" + slug;
    String recording = "https://api.twilio.com/2010-04-01/Accounts/AC" + "0".repeat(32) + "/Recordings/RE" + "1".repeat(32);
    db.query("""
        INSERT INTO calls (business_id, line_id, call_sid, direction, from_number, to_number, caller_phone, arrived_at, recording_url)
        SELECT l.business_id, l.id, ?, 'inbound', ?, '+14155550100', ?, now(), ? FROM lines l WHERE l.business_id = ? AND l.slug = 'main'""",
        callSid, customerPhone, customerPhone, recording, id);
    db.query("UPDATE callbacks SET recording_url = ? WHERE id = ?", recording, callbackId);
    return new Side(slug, id, admin, agent.getString("token"), agent.getLong("id"), agentName, agentContact, customerPhone,
        customerName, callbackId, taskPhone, taskId, callSid);
  }

  /** Every row of the business, as text: what no other business's request may change. */
  static String rows(Side side) {
    List<String> out = new ArrayList<>();
    for (String sql : List.of(
        "SELECT * FROM businesses WHERE id = ?",
        "SELECT * FROM lines WHERE business_id = ? ORDER BY id",
        "SELECT * FROM customers WHERE business_id = ? ORDER BY id",
        "SELECT * FROM callbacks WHERE business_id = ? ORDER BY id",
        "SELECT a.* FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id WHERE c.business_id = ? ORDER BY a.id",
        "SELECT * FROM agents WHERE business_id = ? ORDER BY id",
        "SELECT al.* FROM agent_lines al JOIN agents a ON a.id = al.agent_id WHERE a.business_id = ? ORDER BY al.agent_id, al.line_id",
        "SELECT * FROM do_not_call WHERE business_id = ? ORDER BY phone",
        "SELECT * FROM customer_notes WHERE business_id = ? ORDER BY id",
        "SELECT * FROM orders WHERE business_id = ? ORDER BY id",
        "SELECT * FROM feedback WHERE business_id = ? ORDER BY id",
        "SELECT * FROM api_tokens WHERE business_id = ? ORDER BY id",
        "SELECT * FROM business_numbers WHERE business_id = ? ORDER BY number")) {
      List<String> rows = db.query(sql, side.id()).stream().map(row -> {
        StringBuilder text = new StringBuilder();
        row.forEach((column, value) -> text.append(column).append('=')
            .append(value instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : value).append(' '));
        return text.toString();
      }).toList();
      out.add(sql + " -> " + rows);
    }
    return String.join("\n", out);
  }

  /** Every /api/* route the server has, as "METHOD /path/:param". */
  static List<String> apiRoutes() {
    Router router = HttpVerticle.router(server.ringback().vertx(), server.ringback().services());
    TreeSet<String> routes = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.getPath().startsWith("/api/") && route.methods() != null) {
        route.methods().forEach(m -> routes.add(m.name() + " " + route.getPath()));
      }
    }
    return List.copyOf(routes);
  }

  /** The route's path with the victim's records in it. */
  static String path(String template, Side victim) {
    String path = template.replace(":phone", "%2B" + victim.customerPhone().substring(1)).replace(":slug", victim.slug());
    if (template.startsWith("/api/callbacks/")) {
      return path.replace(":id", Long.toString(victim.callbackId()));
    }
    if (template.startsWith("/api/agents/")) {
      return path.replace(":id", Long.toString(victim.agentId()));
    }
    if (template.startsWith("/api/tasks/")) {
      return path.replace(":id", Long.toString(victim.taskId()));
    }
    if (template.startsWith("/api/calls/")) {
      return path.replace(":callSid", victim.callSid());
    }
    if (template.startsWith("/api/lines/")) {
      // Both businesses have a line "main": a request reaches its own business's.
      return path.replace(":id", "main");
    }
    assertThat(path).as("a substitution for every path parameter of " + template).doesNotContain(":");
    return path;
  }

  /** A valid body for the route, naming the victim's phone, contact and line where it takes one. */
  static String[] body(String method, String template, Side victim) {
    String json = switch (method + " " + template) {
      case "POST /api/customers" -> "{\"phone\":\"" + victim.customerPhone() + "\",\"name\":\"Mallory\"}";
      case "PUT /api/customers/:phone" -> "{\"name\":\"Mallory\",\"tier\":\"standard\"}";
      case "PUT /api/customers/:phone/do-not-call" -> "{\"do_not_call\":true,\"reason\":\"forged\"}";
      case "POST /api/callbacks", "POST /api/tasks" -> "{\"phone\":\"" + victim.customerPhone() + "\",\"line\":\"main\"}";
      case "POST /api/agents", "PUT /api/agents/:id" -> "{\"name\":\"Mallory\",\"contact\":\"" + victim.agentContact() + "\"}";
      case "PUT /api/agents/:id/presence" -> "{\"presence\":\"offline\"}";
      case "POST /api/tasks/:id/complete" -> "{\"outcome\":\"reached\",\"note\":\"forged\"}";
      case "PUT /api/lines/:id/hours" -> "{\"closed\":[\"2026-11-23\"]}";
      case "POST /api/businesses", "PUT /api/businesses/:slug" -> "{\"slug\":\"" + victim.slug() + "\",\"name\":\"Mallory\"}";
      default -> null;
    };
    if (template.equals("/api/customers/import")) {
      return new String[] {"text/csv", "phone,name\n" + victim.customerPhone() + ",Mallory\n"};
    }
    return json == null ? new String[] {null, null} : new String[] {"application/json", json};
  }

  /** What of the victim a response must not show (its customer's phone too, unless the request named it). */
  static List<String> secrets(Side victim, String template) {
    List<String> secrets = new ArrayList<>(List.of(victim.customerName(), victim.agentName(), victim.taskPhone().substring(2),
        victim.agentContact().substring(2)));
    if (!template.contains(":phone")) {
      secrets.add(victim.customerPhone().substring(2));
    }
    return secrets;
  }

  void probe(Side attacker, Side victim) throws Exception {
    String before = rows(victim);
    List<String> routes = apiRoutes();
    assertThat(routes).contains("GET /api/customers/:phone", "POST /api/tasks/:id/complete", "GET /api/reports/agents",
        "PUT /api/lines/:id/hours", "DELETE /api/businesses/:slug");
    List<String> tried = new ArrayList<>();
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String template = route.substring(route.indexOf(' ') + 1);
      if (template.equals("/api/events")) {
        continue;
      }
      boolean businesses = template.startsWith("/api/businesses");
      if (businesses && attacker.slug().equals("default")) {
        // The default business's admin token is the server admin's: managing businesses is its job (BusinessApiTest).
        continue;
      }
      String path = path(template, victim);
      String[] body = body(method, template, victim);
      for (String token : List.of(attacker.adminToken(), attacker.agentToken())) {
        HttpResponse<String> response = call(token, method, path, body[0], body[1]);
        String what = (token.equals(attacker.adminToken()) ? "admin " : "agent ") + method + " " + path + " -> "
            + response.statusCode() + " " + response.body();
        tried.add(what);
        assertThat(response.statusCode()).as(what).isLessThan(500);
        for (String secret : secrets(victim, template)) {
          if (!(method.equals("PUT") || method.equals("POST"))) {
            assertThat(response.body()).as(what).doesNotContain(secret);
          }
        }
        if (businesses) {
          assertThat(response.statusCode()).as(what).isEqualTo(403);
        } else if (template.contains(":id") && !template.startsWith("/api/lines/")) {
          // A record of the other business does not exist for this one: never found, never changed.
          assertThat(response.statusCode()).as(what).isBetween(400, 499);
          if (method.equals("GET")) {
            assertThat(response.statusCode()).as(what).isEqualTo(404);
          }
          assertThat(response.body()).as(what).doesNotContain("not one of yours").doesNotContain("held by another");
        } else if (template.equals("/api/customers/:phone") && !method.equals("PUT")) {
          assertThat(response.statusCode()).as(what).isEqualTo(404);
        } else if (template.equals("/api/customers/:phone/timeline") || template.startsWith("/api/calls/")) {
          assertThat(response.statusCode()).as(what).isEqualTo(404);
        }
      }
    }
    // The queue pushed to the console is the attacker's own.
    for (String token : List.of(attacker.adminToken(), attacker.agentToken())) {
      String event = firstEvent(token);
      assertThat(event).contains("\"items\"");
      for (String secret : secrets(victim, "/api/events")) {
        assertThat(event).doesNotContain(secret);
      }
    }
    assertThat(tried).hasSizeGreaterThan(40);
    assertThat(rows(victim)).as("the other business's rows after " + tried.size() + " requests").isEqualTo(before);
  }

  static String firstEvent(String token) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/events"))
        .header("Authorization", "Bearer " + token).build();
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<Void> stream = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        .thenAccept(response -> response.body().filter(line -> line.startsWith("data:") && line.contains("\"items\"")).findFirst()
            .ifPresent(first::complete));
    try {
      return first.get(10, TimeUnit.SECONDS);
    } finally {
      stream.cancel(true);
    }
  }

  @Test
  void theDefaultBusinessesTokensReachNothingOfBravo() throws Exception {
    probe(acme, bravo);
  }

  @Test
  void bravosTokensReachNothingOfTheDefaultBusiness() throws Exception {
    probe(bravo, acme);
  }

  @Test
  void eachBusinessSeesItsOwnRecordsAndMetricsCarryItsName() {
    JsonObject mine = ok(call(bravo.adminToken(), "GET", "/api/customers/%2B" + bravo.customerPhone().substring(1), null, null), 200);
    assertThat(mine.getString("name")).isEqualTo(bravo.customerName());
    assertThat(ok(call(bravo.agentToken(), "GET", "/api/agents/me", null, null), 200).getString("name")).isEqualTo(bravo.agentName());
    assertThat(ok(call(bravo.adminToken(), "GET", "/api/tasks", null, null), 200).getJsonArray("items").encode())
        .contains(bravo.taskPhone()).doesNotContain(acme.taskPhone());
    assertThat(ok(call(bravo.adminToken(), "GET", "/api/lines", null, null), 200).getJsonArray("items").encode())
        .contains(RingbackServer.BRAVO_NUMBER).doesNotContain(RingbackServer.LINE_NUMBER);
    assertThat(server.metric("ringback_callbacks_scheduled_total", "business=\"bravo\"", "line=\"main\"", "trigger=\"manual\""))
        .isGreaterThanOrEqualTo(2);
    assertThat(server.metric("ringback_agents", "business=\"bravo\"")).isGreaterThanOrEqualTo(0);
    assertThat(server.get("/metrics").body()).contains("ringback_twilio_circuit_open{business=\"bravo\"}")
        .contains("ringback_calls_total{business=\"bravo\",direction=\"inbound\",line=\"main\",outcome=\"missed\"}");
  }
}
