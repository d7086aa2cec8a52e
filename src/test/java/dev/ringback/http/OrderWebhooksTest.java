package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Shops' order webhooks, signed as each platform signs them, through to the call at the Twilio stand-in. */
class OrderWebhooksTest {
  static final String SECRET = "ringback-test-secret";
  static final Duration DEADLINE = Duration.ofSeconds(15);
  static TestDatabase db;
  static TwilioStandIn twilio;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, twilio.baseUrl()));
    env.put("RINGBACK_SHOPIFY_SECRET", SECRET);
    env.put("RINGBACK_WOOCOMMERCE_SECRET", SECRET);
    env.put("RINGBACK_ORDER_SECRET", SECRET);
    String yaml = """
        dialer:
          calls-per-second: 0
          poll-millis: 100
        """ + RingbackServer.LINES_YAML;
    server = RingbackServer.start(yaml, env, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static HttpResponse<String> shopify(byte[] body, String topic) {
    return server.post("/orders/shopify", Map.of("Content-Type", "application/json", "X-Shopify-Topic", topic,
        "X-Shopify-Hmac-Sha256", ShopSigner.base64(SECRET, body), "X-Shopify-Shop-Domain", "harbor-goods.myshopify.com",
        "X-Shopify-API-Version", "2025-07", "X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"), body);
  }

  static HttpResponse<String> woocommerce(String pathAndQuery, byte[] body) {
    return server.post(pathAndQuery, Map.of("Content-Type", "application/json", "User-Agent", "WooCommerce/10.2.1 Hookshot (WordPress/6.8.3)",
        "X-WC-Webhook-Source", "https://shop.example.com/", "X-WC-Webhook-Topic", "order.created", "X-WC-Webhook-Resource", "order",
        "X-WC-Webhook-Event", "created", "X-WC-Webhook-Signature", ShopSigner.base64(SECRET, body), "X-WC-Webhook-ID", "7",
        "X-WC-Webhook-Delivery-ID", "4a8d4394fa7b1c883747ad86babf922b"), body);
  }

  static HttpResponse<String> generic(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return server.post("/orders", Map.of("Content-Type", "application/json", "X-Ringback-Signature", ShopSigner.generic(SECRET, body)), body);
  }

  static List<TwilioStandIn.RecordedRequest> dialsTo(String phone) {
    return twilio.callCreations().stream().filter(r -> phone.equals(r.param("To"))).toList();
  }

  static TwilioStandIn.RecordedRequest awaitDial(String phone) {
    RingbackServer.await("a call to " + phone, DEADLINE, () -> !dialsTo(phone).isEmpty());
    assertThat(dialsTo(phone)).hasSize(1);
    return dialsTo(phone).get(0);
  }

  static String placedSid(long callbackId) {
    RingbackServer.await("callback #" + callbackId + " to be placed", DEADLINE,
        () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", callbackId) == 1);
    return (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", callbackId).get(0).get("call_sid");
  }

  static Map<String, Object> order(String source, String orderId) {
    List<Map<String, Object>> rows = db.query("SELECT * FROM orders WHERE source = ? AND order_id = ?", source, orderId);
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  static double metric(String name, String... labels) {
    return server.metric(name, labels);
  }

  static int ordersStored() {
    return (int) db.count("SELECT count(*) FROM orders");
  }

  @Test
  void aShopifyBuyerIsCalledBackAtOnceAndThankedForTheOrder() {
    double called = metric("ringback_orders_total", "source=\"shopify\"", "result=\"called\"");
    double scheduled = metric("ringback_callbacks_scheduled_total", "trigger=\"order\"");
    double placed = metric("ringback_callback_delay_seconds_count", "trigger=\"order\"");
    byte[] body = ShopSigner.fixture("shopify-orders-create.json");
    assertThat(ShopSigner.base64(SECRET, body)).as("signed as the fixture notes, computed independently")
        .isEqualTo("XTjhIHhUAgJGA2L7hbViDMTxnaKzKtP7RfAlW6m+U6g=");

    HttpResponse<String> response = shopify(body, "orders/create");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(response.body());
    assertThat(answer.getString("result")).isEqualTo("called");
    long callbackId = answer.getLong("callback_id");
    TwilioStandIn.RecordedRequest dial = awaitDial("+12015550142");
    assertThat(dial.param("From")).isEqualTo(RingbackServer.LINE_NUMBER);
    assertThat(dial.param("Url")).isEqualTo(RingbackServer.PUBLIC_URL + "/twilio/callback?callback=" + callbackId);

    assertThat(order("shopify", "820982911946154508"))
        .containsEntry("display_number", "#1001").containsEntry("phone", "+12015550142").containsEntry("name", "Jane Doe")
        .containsEntry("currency", "USD").containsEntry("item_count", 3).containsEntry("result", "called");
    assertThat((BigDecimal) order("shopify", "820982911946154508").get("total")).isEqualByComparingTo("199.65");
    Map<String, Object> callback = db.query("SELECT * FROM callbacks WHERE id = ?", callbackId).get(0);
    assertThat(callback).containsEntry("trigger", "order").containsEntry("customer_phone", "+12015550142").containsEntry("priority", 50)
        .containsEntry("order_row_id", order("shopify", "820982911946154508").get("id"));
    assertThat(db.query("SELECT name FROM customers WHERE phone = ?", "+12015550142").get(0)).containsEntry("name", "Jane Doe");

    String sid = placedSid(callbackId);
    var twiml = server.twilio("/twilio/callback?callback=" + callbackId, "CallSid", sid, "From", RingbackServer.LINE_NUMBER,
        "To", "+12015550142", "CallStatus", "in-progress", "AnsweredBy", "human");
    Element root = Xml.parse(twiml.body());
    assertThat(Xml.childNames(root)).containsExactly("Gather", "Dial");
    assertThat(Xml.child(Xml.child(root, "Gather"), "Say").getTextContent())
        .isEqualTo("Hello Jane, this is Acme. Thank you for your order 1001. Connecting you now.");
    assertThat(Xml.child(root, "Dial").getAttribute("callerId")).isEqualTo(RingbackServer.LINE_NUMBER);

    assertThat(metric("ringback_orders_total", "source=\"shopify\"", "result=\"called\"")).isEqualTo(called + 1);
    assertThat(metric("ringback_callbacks_scheduled_total", "trigger=\"order\"")).isEqualTo(scheduled + 1);
    assertThat(metric("ringback_callback_delay_seconds_count", "trigger=\"order\"")).isEqualTo(placed + 1);

    // Shopify retries: the same order again creates nothing and still gets 200.
    double duplicates = metric("ringback_orders_total", "source=\"shopify\"", "result=\"duplicate\"");
    int stored = ordersStored();
    HttpResponse<String> again = shopify(body, "orders/create");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(again.body()).getString("result")).isEqualTo("duplicate");
    assertThat(ordersStored()).isEqualTo(stored);
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = ?", "+12015550142")).isEqualTo(1);
    assertThat(metric("ringback_orders_total", "source=\"shopify\"", "result=\"duplicate\"")).isEqualTo(duplicates + 1);
    assertThat(dialsTo("+12015550142")).hasSize(1);
  }

  @Test
  void aShopifyOrderWithoutShippingTakesTheBillingPhoneAndName() {
    HttpResponse<String> response = shopify(ShopSigner.fixture("shopify-orders-create-no-shipping.json"), "orders/create");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    awaitDial("+442079460958");
    Map<String, Object> order = db.query("SELECT * FROM orders WHERE display_number = '#1002'").get(0);
    assertThat(order).containsEntry("phone", "+442079460958").containsEntry("name", "Amelia Hartley").containsEntry("currency", "GBP");
  }

  @Test
  void anOrderWithoutAPhoneIsRecordedAndNobodyIsCalled() {
    double noPhone = metric("ringback_orders_total", "source=\"shopify\"", "result=\"no_phone\"");
    int calls = twilio.callCreations().size();
    HttpResponse<String> response = shopify(ShopSigner.fixture("shopify-orders-create-no-phone.json"), "orders/create");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("result")).isEqualTo("no_phone");
    Map<String, Object> order = db.query("SELECT * FROM orders WHERE display_number = '#1003'").get(0);
    assertThat(order).containsEntry("result", "no_phone").containsEntry("phone", null);
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE order_row_id = ?", order.get("id"))).isZero();
    assertThat(metric("ringback_orders_total", "source=\"shopify\"", "result=\"no_phone\"")).isEqualTo(noPhone + 1);
    assertThat(twilio.callCreations()).hasSize(calls);
  }

  @Test
  void aWooCommerceOrderOnALineWithoutAgentsIsConfirmedAndOneAsksForAPerson() {
    byte[] body = ShopSigner.fixture("woocommerce-order-created.json");
    assertThat(ShopSigner.base64(SECRET, body)).isEqualTo("3tIs7FWuhh3G1KWpYkHVdPyCzce0pGN3R/lXRAltEZ8=");
    HttpResponse<String> response = woocommerce("/orders/woocommerce?line=support", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    long callbackId = new JsonObject(response.body()).getLong("callback_id");
    TwilioStandIn.RecordedRequest dial = awaitDial("+12015550123");
    assertThat(dial.param("From")).isEqualTo(RingbackServer.SUPPORT_NUMBER);
    assertThat(order("woocommerce", "1042")).containsEntry("display_number", "1042").containsEntry("name", "Daniel Reyes")
        .containsEntry("item_count", 3);

    String sid = placedSid(callbackId);
    var twiml = server.twilio("/twilio/callback?callback=" + callbackId, "CallSid", sid, "From", RingbackServer.SUPPORT_NUMBER,
        "To", "+12015550123", "CallStatus", "in-progress", "AnsweredBy", "human");
    Element root = Xml.parse(twiml.body());
    assertThat(Xml.childNames(root)).containsExactly("Gather", "Say", "Hangup");
    Element gather = Xml.child(root, "Gather");
    assertThat(gather.getAttribute("action")).isEqualTo(RingbackServer.PUBLIC_URL + "/twilio/gather?callback=" + callbackId);
    assertThat(gather.getAttribute("numDigits")).isEqualTo("1");
    assertThat(Xml.child(gather, "Say").getTextContent()).startsWith("Hello Daniel, this is Acme Support. Thank you for your order 1042.")
        .contains("press 1");

    var pressed = server.twilio("/twilio/gather?callback=" + callbackId, "CallSid", sid, "From", RingbackServer.SUPPORT_NUMBER,
        "To", "+12015550123", "Digits", "1");
    assertThat(Xml.childNames(Xml.parse(pressed.body()))).containsExactly("Say", "Hangup");
    assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", callbackId).get(0)).containsEntry("state", "agent_queue");
    assertThat(db.query("SELECT no_agent FROM callback_attempts WHERE callback_id = ?", callbackId).get(0))
        .as("confirming the order was the point: no one was left waiting").containsEntry("no_agent", false);
  }

  @Test
  void aWooCommerceOrderWithOnlyAShippingPhoneReadsItInTheAddressCountry() {
    HttpResponse<String> response = woocommerce("/orders/woocommerce", ShopSigner.fixture("woocommerce-order-created-shipping-phone.json"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    awaitDial("+493012345678");
    assertThat(order("woocommerce", "2718")).containsEntry("phone", "+493012345678").containsEntry("name", "Lena Vogel")
        .containsEntry("currency", "EUR");
  }

  @Test
  void theUnsignedPingWooCommerceSendsWhenAWebhookIsSavedGets200AndChangesNothing() {
    int stored = ordersStored();
    HttpResponse<String> ping = server.post("/orders/woocommerce", Map.of("Content-Type", "application/x-www-form-urlencoded",
        "User-Agent", "WooCommerce/10.2.1 Hookshot (WordPress/6.8.3)"), "webhook_id=7".getBytes(StandardCharsets.UTF_8));
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ordersStored()).isEqualTo(stored);
  }

  @Test
  void anyShopCanSendItsOwnSignedJson() {
    double called = metric("ringback_orders_total", "source=\"generic\"", "result=\"called\"");
    HttpResponse<String> response = generic("""
        {"order_id": "A-1001", "phone": "+1 415 555 0177", "name": "Anna Smith", "total": 12.5, "currency": "eur", "line": "main", "items": 2}""");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    awaitDial("+14155550177");
    assertThat(order("generic", "A-1001")).containsEntry("name", "Anna Smith").containsEntry("currency", "EUR")
        .containsEntry("item_count", 2).containsEntry("display_number", null);
    assertThat(metric("ringback_orders_total", "source=\"generic\"", "result=\"called\"")).isEqualTo(called + 1);
  }

  @Test
  void anInvalidNumberIsRecordedButNeverSentToTwilio() {
    double invalid = metric("ringback_orders_total", "source=\"generic\"", "result=\"invalid_phone\"");
    int calls = twilio.callCreations().size();
    HttpResponse<String> response = generic("{\"order_id\": \"A-1002\", \"phone\": \"12345\", \"name\": \"Bo\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("result")).isEqualTo("invalid_phone");
    assertThat(order("generic", "A-1002")).containsEntry("result", "invalid_phone").containsEntry("phone", "12345");
    assertThat(metric("ringback_orders_total", "source=\"generic\"", "result=\"invalid_phone\"")).isEqualTo(invalid + 1);
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = '12345'")).isZero();
    assertThat(twilio.callCreations()).hasSize(calls);
  }

  @Test
  void anOrderAfterAMissedCallBringsTheWaitingCallbackForward() {
    String phone = "+14155550178";
    server.twilio("/twilio/voice", "CallSid", "CAorder0001", "From", phone, "To", RingbackServer.LINE_NUMBER);
    server.twilio("/twilio/dial", "CallSid", "CAorder0001", "From", phone, "To", RingbackServer.LINE_NUMBER, "DialCallStatus", "no-answer");
    assertThat(db.query("SELECT trigger, state FROM callbacks WHERE customer_phone = ?", phone).get(0)).containsEntry("state", "scheduled");
    assertThat(dialsTo(phone)).as("missed calls wait 60 s").isEmpty();

    HttpResponse<String> response = generic("{\"order_id\": \"A-1003\", \"phone\": \"" + phone + "\", \"name\": \"Carl Berg\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    awaitDial(phone);
    List<Map<String, Object>> callbacks = db.query("SELECT id, trigger_count FROM callbacks WHERE customer_phone = ?", phone);
    assertThat(callbacks).hasSize(1);
    assertThat(callbacks.get(0)).containsEntry("trigger_count", 2);
    long callbackId = (Long) callbacks.get(0).get("id");
    var twiml = server.twilio("/twilio/callback?callback=" + callbackId, "CallSid", placedSid(callbackId), "AnsweredBy", "human");
    assertThat(Xml.child(Xml.parse(twiml.body()), "Gather").getTextContent()).contains("Thank you for your order A-1003.");
  }

  @Test
  void badDeliveriesAreRefusedAndWriteNothing() {
    int stored = ordersStored();
    double rejected = metric("ringback_orders_total", "source=\"shopify\"", "result=\"rejected\"");
    byte[] body = ShopSigner.fixture("shopify-orders-create.json");

    var unsigned = server.post("/orders/shopify", Map.of("Content-Type", "application/json"), body);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(unsigned.body()).getString("error")).contains("X-Shopify-Hmac-Sha256");
    var otherSecret = server.post("/orders/shopify", Map.of("Content-Type", "application/json",
        "X-Shopify-Hmac-Sha256", ShopSigner.base64("another-shops-secret", body)), body);
    assertThat(otherSecret.statusCode()).isEqualTo(401);
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("+12015550142", "+12015550199").getBytes(StandardCharsets.UTF_8);
    var changed = server.post("/orders/shopify", Map.of("Content-Type", "application/json",
        "X-Shopify-Hmac-Sha256", ShopSigner.base64(SECRET, body)), tampered);
    assertThat(changed.statusCode()).isEqualTo(401);
    var garbage = server.post("/orders/shopify", Map.of("Content-Type", "application/json", "X-Shopify-Hmac-Sha256", "%%%"), body);
    assertThat(garbage.statusCode()).isEqualTo(401);
    assertThat(metric("ringback_orders_total", "source=\"shopify\"", "result=\"rejected\"")).isEqualTo(rejected + 4);

    byte[] malformed = "{\"id\": 1, ".getBytes(StandardCharsets.UTF_8);
    assertThat(shopify(malformed, "orders/create").statusCode()).isEqualTo(400);
    byte[] array = "[{\"id\": 1}]".getBytes(StandardCharsets.UTF_8);
    assertThat(shopify(array, "orders/create").statusCode()).isEqualTo(400);
    byte[] noId = "{\"name\": \"#1\", \"phone\": \"+12015550142\"}".getBytes(StandardCharsets.UTF_8);
    var missingId = shopify(noId, "orders/create");
    assertThat(missingId.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(missingId.body()).getString("error")).contains("id");

    var wrongType = server.post("/orders/shopify", Map.of("Content-Type", "text/plain",
        "X-Shopify-Hmac-Sha256", ShopSigner.base64(SECRET, body)), body);
    assertThat(wrongType.statusCode()).isEqualTo(415);

    byte[] huge = ("{\"order_id\": \"big\", \"note\": \"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    var tooBig = server.post("/orders", Map.of("Content-Type", "application/json", "X-Ringback-Signature", ShopSigner.generic(SECRET, huge)), huge);
    assertThat(tooBig.statusCode()).isEqualTo(413);

    var unknownLine = generic("{\"order_id\": \"A-1999\", \"phone\": \"+14155550179\", \"line\": \"nope\"}");
    assertThat(unknownLine.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(unknownLine.body()).getString("error")).contains("nope");
    assertThat(generic("{\"order_id\": \"A-1998\", \"total\": \"lots\"}").statusCode()).isEqualTo(422);
    assertThat(generic("{\"order_id\": \"A-1997\", \"phone\": 4155550179}").statusCode()).isEqualTo(422);
    var genericUnsigned = server.post("/orders", Map.of("Content-Type", "application/json"),
        "{\"order_id\": \"A-1996\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(genericUnsigned.statusCode()).isEqualTo(401);

    var wooUnsigned = server.post("/orders/woocommerce", Map.of("Content-Type", "application/json"),
        ShopSigner.fixture("woocommerce-order-created.json"));
    assertThat(wooUnsigned.statusCode()).isEqualTo(401);

    assertThat(ordersStored()).as("nothing refused was written").isEqualTo(stored);
    assertThat(dialsTo("+12015550199")).isEmpty();
    assertThat(dialsTo("+14155550179")).isEmpty();
  }

  @Test
  void anotherTopicIsAcknowledgedAndIgnored() {
    int stored = ordersStored();
    var updated = shopify(ShopSigner.fixture("shopify-orders-create.json"), "orders/updated");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(updated.body()).getString("result")).isEqualTo("ignored");
    assertThat(ordersStored()).isEqualTo(stored);
  }

  @Test
  void aWebhookWithoutItsSecretIsNotThere() {
    TestDatabase other = TestDatabase.create();
    try (RingbackServer plain = RingbackServer.start(other, twilio.baseUrl())) {
      byte[] body = ShopSigner.fixture("shopify-orders-create.json");
      var response = plain.post("/orders/shopify", Map.of("Content-Type", "application/json",
          "X-Shopify-Hmac-Sha256", ShopSigner.base64(SECRET, body)), body);
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(new JsonObject(response.body()).getString("error")).contains("not enabled");
      assertThat(plain.post("/orders", Map.of("Content-Type", "application/json"), body).statusCode()).isEqualTo(404);
      assertThat(other.count("SELECT count(*) FROM orders")).isZero();
    }
  }

  @Test
  void copiesOfOneOrderArrivingAtOnceMakeOneOrderAndOneCallback() throws Exception {
    String json = "{\"order_id\": \"A-2001\", \"phone\": \"+14155550181\", \"name\": \"Dana Cole\"}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    var client = java.net.http.HttpClient.newHttpClient();
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/orders"))
        .header("Content-Type", "application/json").header("X-Ringback-Signature", ShopSigner.generic(SECRET, body))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> copies = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      copies.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    List<String> results = new java.util.ArrayList<>();
    for (var copy : copies) {
      HttpResponse<String> response = copy.get(15, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      results.add(new JsonObject(response.body()).getString("result"));
    }
    assertThat(results).containsOnlyOnce("called").containsOnly("called", "duplicate");
    order("generic", "A-2001");
    assertThat(db.query("SELECT trigger_count FROM callbacks WHERE customer_phone = '+14155550181'")).hasSize(1).first()
        .isEqualTo(Map.of("trigger_count", 1));
    awaitDial("+14155550181");
  }

  @Test
  void aVipBuyerGoesFirstAndKeepsTheNameOnFile() {
    server.api("PUT", "/api/customers/%2B14155550182", "application/json", "{\"name\":\"Nikolay Petrov\",\"tier\":\"vip\"}");
    HttpResponse<String> response = generic("{\"order_id\": \"A-2002\", \"phone\": \"+14155550182\", \"name\": \"N. Petrov\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    long callbackId = new JsonObject(response.body()).getLong("callback_id");
    assertThat(db.query("SELECT priority FROM callbacks WHERE id = ?", callbackId).get(0)).containsEntry("priority", 150);
    assertThat(db.query("SELECT name FROM customers WHERE phone = '+14155550182'").get(0)).containsEntry("name", "Nikolay Petrov");
  }

  @Test
  void aBuyerWhoAskedForATimeIsCalledThen() {
    double scheduled = metric("ringback_orders_total", "source=\"generic\"", "result=\"scheduled\"");
    java.time.Instant at = java.time.Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    HttpResponse<String> response = generic("{\"order_id\": \"A-2003\", \"phone\": \"+14155550183\", \"call_at\": \"" + at + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("result")).as("not called now").isEqualTo("scheduled");
    assertThat(new JsonObject(response.body()).getString("due_at")).isEqualTo(at.toString());
    assertThat(metric("ringback_orders_total", "source=\"generic\"", "result=\"scheduled\"")).isEqualTo(scheduled + 1);
    assertThat(dialsTo("+14155550183")).isEmpty();
    assertThat(generic("{\"order_id\": \"A-2004\", \"call_at\": \"tomorrow\"}").statusCode()).isEqualTo(422);
  }

  @Test
  void shopsPassTheBuyersRequestedTimeAsAnOrderAttribute() {
    java.time.Instant at = java.time.Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    JsonObject shop = new JsonObject(new String(ShopSigner.fixture("shopify-orders-create.json"), java.nio.charset.StandardCharsets.UTF_8))
        .put("id", 820982911946154600L).put("phone", "+14155550184").putNull("customer").putNull("shipping_address").putNull("billing_address")
        .put("note_attributes", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "gift_note").put("value", "hi"))
            .add(new JsonObject().put("name", "callback_at").put("value", at.toString())));
    HttpResponse<String> response = shopify(shop.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8), "orders/create");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("result")).isEqualTo("scheduled");
    long shopifyCallback = new JsonObject(response.body()).getLong("callback_id");
    assertThat(db.query("SELECT due_at FROM callbacks WHERE id = ?", shopifyCallback).get(0).get("due_at"))
        .isEqualTo(java.sql.Timestamp.from(at));

    JsonObject woo = new JsonObject(new String(ShopSigner.fixture("woocommerce-order-created.json"), java.nio.charset.StandardCharsets.UTF_8));
    woo.put("id", 1098).getJsonObject("billing").put("phone", "+14155550185");
    woo.put("meta_data", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", 1).put("key", "_callback_at").put("value", at.toString())));
    response = woocommerce("/orders/woocommerce?line=support", woo.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(db.query("SELECT due_at FROM callbacks WHERE id = ?", new JsonObject(response.body()).getLong("callback_id")).get(0).get("due_at"))
        .isEqualTo(java.sql.Timestamp.from(at));
    assertThat(dialsTo("+14155550184")).isEmpty();
    assertThat(dialsTo("+14155550185")).isEmpty();

    // A shop cannot fix what its buyer typed: a time that is no time is ignored, and the buyer called now.
    woo.put("id", 1099).getJsonObject("billing").put("phone", "+14155550186");
    woo.put("meta_data", new io.vertx.core.json.JsonArray().add(new JsonObject().put("key", "callback_at").put("value", "after lunch")));
    response = woocommerce("/orders/woocommerce?line=support", woo.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("result")).isEqualTo("called");
    awaitDial("+14155550186");
  }
}
