package dev.ringback.http;

import static dev.ringback.support.RingbackServer.ACCOUNT_SID;
import static dev.ringback.support.RingbackServer.AUTH_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_ACCOUNT_SID;
import static dev.ringback.support.RingbackServer.BRAVO_AGENT;
import static dev.ringback.support.RingbackServer.BRAVO_AUTH_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_NUMBER;
import static dev.ringback.support.RingbackServer.BRAVO_SHOP_SECRET;
import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.PUBLIC_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.Xml;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Two businesses on one server, each with its own Twilio account: every webhook finds its
 * business by the line, Ringback's own URL or the account, and is checked with that business's
 * auth token only; order webhooks by path or shop address, with that business's secret.
 */
class BusinessWebhooksTest {
  static final Instant NOW = Instant.parse("2026-11-23T18:05:00Z");
  static final String CALLER = "+14155550177";
  static final String DEFAULT_SECRET = "default-shop-secret-0123456789";
  static TestDatabase db;
  static RingbackServer server;
  static long defaultId;
  static long bravoId;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, "http://127.0.0.1:9"));
    env.put("RINGBACK_SHOPIFY_SECRET", DEFAULT_SECRET);
    env.put("RINGBACK_ORDER_SECRET", DEFAULT_SECRET);
    server = RingbackServer.start(RingbackServer.BUSINESSES_YAML, env, Clock.fixed(NOW, ZoneOffset.UTC));
    defaultId = (Long) db.query("SELECT id FROM businesses WHERE slug = 'default'").get(0).get("id");
    bravoId = (Long) db.query("SELECT id FROM businesses WHERE slug = 'bravo'").get(0).get("id");
    // The same person is a customer of both, under another name in each.
    db.query("INSERT INTO customers (business_id, phone, name) VALUES (?, ?, 'Anna Default'), (?, ?, 'Berta Bravo')",
        defaultId, CALLER, bravoId, CALLER);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> voiceAs(String token, String callSid, String accountSid, String to) {
    return server.twilioAs(token, "/twilio/voice", "AccountSid", accountSid, "CallSid", callSid, "From", CALLER, "To", to,
        "CallStatus", "ringing", "Direction", "inbound");
  }

  @Test
  void aCallToALineIsAnsweredForItsBusinessWithItsCustomersAndURLs() {
    HttpResponse<String> bravo = voiceAs(BRAVO_AUTH_TOKEN, "CAbiz00001", BRAVO_ACCOUNT_SID, BRAVO_NUMBER);
    assertThat(bravo.statusCode()).isEqualTo(200);
    Element twiml = Xml.parse(bravo.body());
    assertThat(Xml.child(twiml, "Say").getTextContent()).isEqualTo("Hello Berta, Bravo here.");
    Element dial = Xml.child(twiml, "Dial");
    assertThat(dial.getAttribute("action")).isEqualTo(PUBLIC_URL + "/twilio/dial?business=bravo");
    assertThat(Xml.child(dial, "Number").getTextContent()).isEqualTo(BRAVO_AGENT);
    assertThat(Xml.child(dial, "Number").getAttribute("statusCallback")).isEqualTo(PUBLIC_URL + "/twilio/status?business=bravo&screened=1");
    assertThat(Xml.child(dial, "Number").getAttribute("url")).isEqualTo(PUBLIC_URL + "/twilio/screen?call=CAbiz00001&line=main&business=bravo");
    assertThat(db.query("SELECT business_id FROM calls WHERE call_sid = 'CAbiz00001'").get(0)).containsEntry("business_id", bravoId);

    HttpResponse<String> acme = voiceAs(AUTH_TOKEN, "CAbiz00002", ACCOUNT_SID, LINE_NUMBER);
    assertThat(Xml.child(Xml.parse(acme.body()), "Say").getTextContent()).startsWith("Hello Anna");
    assertThat(Xml.child(Xml.child(Xml.parse(acme.body()), "Dial"), "Number").getAttribute("statusCallback"))
        .isEqualTo(PUBLIC_URL + "/twilio/status?screened=1");
    assertThat(db.query("SELECT business_id FROM calls WHERE call_sid = 'CAbiz00002'").get(0)).containsEntry("business_id", defaultId);
  }

  @Test
  void aWebhookSignedWithTheOtherBusinessesTokenIsRefusedAndStoresNothing() {
    HttpResponse<String> forged = voiceAs(AUTH_TOKEN, "CAbiz00010", ACCOUNT_SID, BRAVO_NUMBER);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(Xml.childNames(Xml.parse(forged.body()))).contains("Hangup");
    assertThat(voiceAs(BRAVO_AUTH_TOKEN, "CAbiz00011", BRAVO_ACCOUNT_SID, LINE_NUMBER).statusCode()).isEqualTo(403);
    // Naming the other business in the URL does not help: its token is the one checked.
    assertThat(server.twilioAs(AUTH_TOKEN, "/twilio/voice?business=bravo", "CallSid", "CAbiz00012", "From", CALLER,
        "To", BRAVO_NUMBER).statusCode()).isEqualTo(403);
    assertThat(server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/status?business=default", "CallSid", "CAbiz00013",
        "CallStatus", "completed").statusCode()).isEqualTo(403);
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid LIKE 'CAbiz0001%'")).isZero();
    assertThat(db.count("SELECT count(*) FROM call_events WHERE call_sid = 'CAbiz00013'")).isZero();
  }

  @Test
  void anUnknownBusinessGetsPoliteTwiml() {
    HttpResponse<String> named = server.twilioAs(AUTH_TOKEN, "/twilio/voice?business=nope", "CallSid", "CAbiz00020", "From", CALLER,
        "To", LINE_NUMBER);
    assertThat(named.statusCode()).isEqualTo(404);
    assertThat(Xml.child(Xml.parse(named.body()), "Say").getTextContent()).contains("not in service");
    HttpResponse<String> account = server.twilioAs("some-other-token", "/twilio/voice", "AccountSid", "ACzzzz", "CallSid", "CAbiz00021",
        "From", CALLER, "To", "+14155550999");
    assertThat(account.statusCode()).isEqualTo(404);
    Xml.parse(account.body());
    assertThat(db.count("SELECT count(*) FROM calls WHERE call_sid IN ('CAbiz00020', 'CAbiz00021')")).isZero();
  }

  @Test
  void anAgentLegIsFoundByItsAccountAndAMissedCallIsCalledBackByItsBusiness() {
    String caller = "+14155550178";
    server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/voice", "AccountSid", BRAVO_ACCOUNT_SID, "CallSid", "CAbiz00030", "From", caller,
        "To", BRAVO_NUMBER, "Direction", "inbound");
    // The agent leg's events name neither line: From is the caller, To the agent.
    HttpResponse<String> leg = server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/status", "AccountSid", BRAVO_ACCOUNT_SID,
        "CallSid", "CAbizleg30", "ParentCallSid", "CAbiz00030", "CallStatus", "ringing", "From", caller, "To", BRAVO_AGENT,
        "Direction", "outbound-dial");
    assertThat(leg.statusCode()).isEqualTo(200);
    assertThat(server.twilioAs(AUTH_TOKEN, "/twilio/status", "AccountSid", BRAVO_ACCOUNT_SID, "CallSid", "CAbizleg30",
        "ParentCallSid", "CAbiz00030", "CallStatus", "no-answer", "From", caller, "To", BRAVO_AGENT).statusCode()).isEqualTo(403);
    HttpResponse<String> dial = server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/dial?business=bravo", "AccountSid", BRAVO_ACCOUNT_SID,
        "CallSid", "CAbiz00030", "From", caller, "To", BRAVO_NUMBER, "DialCallStatus", "no-answer", "Direction", "inbound");
    assertThat(dial.statusCode()).isEqualTo(200);
    Element twiml = Xml.parse(dial.body());
    var callbacks = db.query("SELECT id, business_id, trigger FROM callbacks WHERE trigger_call_sid = 'CAbiz00030'");
    assertThat(callbacks).hasSize(1);
    assertThat(callbacks.get(0)).containsEntry("business_id", bravoId).containsEntry("trigger", "missed");
    assertThat(Xml.child(twiml, "Record").getAttribute("action"))
        .isEqualTo(PUBLIC_URL + "/twilio/recording?callback=" + callbacks.get(0).get("id") + "&business=bravo");
  }

  @Test
  void aCallbackOfAnotherBusinessIsNotFoundThroughThisOne() {
    long acmeCallback = (Long) db.query("INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, "
        + "last_triggered_at, due_at, state) SELECT ?, id, '+14155550188', 'manual', now(), now(), now() + interval '1 day', 'dialing' "
        + "FROM lines WHERE business_id = ? AND slug = 'main' RETURNING id", defaultId, defaultId).get(0).get("id");
    HttpResponse<String> answer = server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/callback?callback=" + acmeCallback + "&business=bravo",
        "CallSid", "CAbiz00040", "From", BRAVO_NUMBER, "To", "+14155550188", "Direction", "outbound-api");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(Xml.childNames(Xml.parse(answer.body()))).contains("Hangup").doesNotContain("Dial");
    server.twilioAs(BRAVO_AUTH_TOKEN, "/twilio/gather?callback=" + acmeCallback + "&business=bravo", "CallSid", "CAbiz00040",
        "From", BRAVO_NUMBER, "To", "+14155550188", "Digits", "1", "Direction", "outbound-api");
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", acmeCallback).get(0)).containsEntry("state", "dialing");
  }

  static HttpResponse<String> shopify(String path, String secret, String domain, String orderId) {
    byte[] body = ("{\"id\":" + orderId + ",\"name\":\"#" + orderId + "\",\"phone\":\"+1415555" + orderId + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    return server.post(path, Map.of("Content-Type", "application/json", "X-Shopify-Topic", "orders/create",
        "X-Shopify-Hmac-Sha256", ShopSigner.base64(secret, body), "X-Shopify-Shop-Domain", domain), body);
  }

  static Long orderBusiness(String orderId) {
    var rows = db.query("SELECT business_id FROM orders WHERE source = 'shopify' AND order_id = ?", orderId);
    return rows.isEmpty() ? null : (Long) rows.get(0).get("business_id");
  }

  @Test
  void ordersFindTheirBusinessByPathOrShopDomainAndAreCheckedWithItsSecret() {
    assertThat(shopify("/orders/shopify/bravo", BRAVO_SHOP_SECRET, "elsewhere.myshopify.com", "9001").statusCode()).isEqualTo(200);
    assertThat(orderBusiness("9001")).isEqualTo(bravoId);
    assertThat(shopify("/orders/shopify", BRAVO_SHOP_SECRET, "Bravo-Goods.myshopify.com", "9002").statusCode()).isEqualTo(200);
    assertThat(orderBusiness("9002")).isEqualTo(bravoId);
    assertThat(shopify("/orders/shopify", DEFAULT_SECRET, "acme.myshopify.com", "9003").statusCode()).isEqualTo(200);
    assertThat(orderBusiness("9003")).isEqualTo(defaultId);
    assertThat(db.query("SELECT business_id FROM callbacks WHERE customer_phone = '+14155559001'").get(0))
        .containsEntry("business_id", bravoId);

    // The other business's secret does not open it; an unknown business is a 404.
    assertThat(shopify("/orders/shopify/bravo", DEFAULT_SECRET, "acme.myshopify.com", "9004").statusCode()).isEqualTo(401);
    assertThat(shopify("/orders/shopify", DEFAULT_SECRET, "bravo-goods.myshopify.com", "9005").statusCode()).isEqualTo(401);
    assertThat(shopify("/orders/shopify/default", BRAVO_SHOP_SECRET, "acme.myshopify.com", "9006").statusCode()).isEqualTo(401);
    HttpResponse<String> unknown = shopify("/orders/shopify/nope", BRAVO_SHOP_SECRET, "x.myshopify.com", "9007");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"error\"");
    assertThat(db.count("SELECT count(*) FROM orders WHERE order_id IN ('9004', '9005', '9006', '9007')")).isZero();

    byte[] generic = ("{\"order_id\":\"G-1\",\"phone\":\"" + CALLER + "\"}").getBytes(StandardCharsets.UTF_8);
    assertThat(server.post("/orders/generic/bravo", Map.of("Content-Type", "application/json",
        "X-Ringback-Signature", ShopSigner.generic(BRAVO_SHOP_SECRET, generic)), generic).statusCode()).isEqualTo(200);
    assertThat(db.query("SELECT business_id FROM orders WHERE order_id = 'G-1'").get(0)).containsEntry("business_id", bravoId);
  }
}
