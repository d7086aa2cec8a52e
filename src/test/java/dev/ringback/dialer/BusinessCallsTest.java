package dev.ringback.dialer;

import static dev.ringback.support.RingbackServer.ACCOUNT_SID;
import static dev.ringback.support.RingbackServer.AUTH_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_ACCOUNT_SID;
import static dev.ringback.support.RingbackServer.BRAVO_AUTH_TOKEN;
import static dev.ringback.support.RingbackServer.BRAVO_NUMBER;
import static dev.ringback.support.RingbackServer.BRAVO_SHOP_SECRET;
import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.PUBLIC_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
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

/**
 * Each business's callbacks are placed on its own Twilio account, with its own credentials (an
 * API key where it has one), paced to its own calls-per-second, and their webhooks come back to it.
 */
class BusinessCallsTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  static final String DEFAULT_SECRET = "default-order-secret-0123";
  static final String CHARLIE_SID = "ACcccccccccccccccccccccccccccccccc";
  static final String CHARLIE_TOKEN = "charlie-auth-token-cccccccccccc";
  static final String CHARLIE_KEY = "SKcccccccccccccccccccccccccccccccc";
  static final String CHARLIE_KEY_SECRET = "charlie-key-secret-cccccccccccc";
  static final String CHARLIE_SECRET = "charlie-shop-secret-0123";
  static final String CHARLIE_NUMBER = "+14155550500";
  static TestDatabase db;
  static TwilioStandIn twilio;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    twilio = TwilioStandIn.start(ACCOUNT_SID, AUTH_TOKEN)
        .addAccount(BRAVO_ACCOUNT_SID, BRAVO_AUTH_TOKEN)
        .addAccount(CHARLIE_SID, CHARLIE_TOKEN)
        .addApiKey(CHARLIE_SID, CHARLIE_KEY, CHARLIE_KEY_SECRET);
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, twilio.baseUrl()));
    env.put("RINGBACK_ORDER_SECRET", DEFAULT_SECRET);
    env.put("RINGBACK_BUSINESS_CHARLIE_TWILIO_API_SECRET", CHARLIE_KEY_SECRET);
    String yaml = "dialer:\n  calls-per-second: 0\n  poll-millis: 100\n"
        + RingbackServer.BUSINESSES_YAML.replace("    calls-per-second: 0\n", "    calls-per-second: 1\n") + """
          - slug: charlie
            name: Charlie
            calls-per-second: 0
            twilio:
              account-sid: %s
              auth-token: %s
              api-key: %s
            orders:
              generic: {secret: %s}
            lines:
              - id: main
                number: "%s"
                name: Charlie
        """.formatted(CHARLIE_SID, CHARLIE_TOKEN, CHARLIE_KEY, CHARLIE_SECRET, CHARLIE_NUMBER);
    server = RingbackServer.start(yaml, env, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  static HttpResponse<String> order(String path, String secret, String orderId, String phone) {
    byte[] body = ("{\"order_id\":\"" + orderId + "\",\"phone\":\"" + phone + "\",\"name\":\"Ann Buyer\"}")
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = server.post(path, Map.of("Content-Type", "application/json",
        "X-Ringback-Signature", ShopSigner.generic(secret, body)), body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  static TwilioStandIn.RecordedRequest awaitDialTo(String phone) {
    return twilio.awaitRequests(r -> r.method().equals("POST") && r.path().endsWith("/Calls.json") && phone.equals(r.param("To")), 1,
        DEADLINE);
  }

  @Test
  void eachBusinessDialsOnItsOwnAccountWithItsOwnCredentials() {
    order("/orders", DEFAULT_SECRET, "A-1", "+14155550601");
    order("/orders/generic/bravo", BRAVO_SHOP_SECRET, "B-1", "+14155550602");
    order("/orders/generic/charlie", CHARLIE_SECRET, "C-1", "+14155550603");

    TwilioStandIn.RecordedRequest acme = awaitDialTo("+14155550601");
    assertThat(acme.accountSid()).isEqualTo(ACCOUNT_SID);
    assertThat(acme.basicUser()).isEqualTo(ACCOUNT_SID);
    assertThat(acme.basicPassword()).isEqualTo(AUTH_TOKEN);
    assertThat(acme.param("From")).isEqualTo(LINE_NUMBER);
    assertThat(acme.param("Url")).startsWith(PUBLIC_URL + "/twilio/callback?callback=").doesNotContain("business=");

    TwilioStandIn.RecordedRequest bravo = awaitDialTo("+14155550602");
    assertThat(bravo.accountSid()).isEqualTo(BRAVO_ACCOUNT_SID);
    assertThat(bravo.basicUser()).isEqualTo(BRAVO_ACCOUNT_SID);
    assertThat(bravo.basicPassword()).isEqualTo(BRAVO_AUTH_TOKEN);
    assertThat(bravo.param("From")).isEqualTo(BRAVO_NUMBER);
    assertThat(bravo.param("Url")).endsWith("&business=bravo");
    assertThat(bravo.param("StatusCallback")).endsWith("&business=bravo");

    TwilioStandIn.RecordedRequest charlie = awaitDialTo("+14155550603");
    assertThat(charlie.accountSid()).isEqualTo(CHARLIE_SID);
    assertThat(charlie.basicUser()).isEqualTo(CHARLIE_KEY);
    assertThat(charlie.basicPassword()).isEqualTo(CHARLIE_KEY_SECRET);
    assertThat(charlie.param("From")).isEqualTo(CHARLIE_NUMBER);

    // The stand-in records a request as it arrives and creates its call just after: wait for the three calls.
    List<String> dialled = List.of("+14155550601", "+14155550602", "+14155550603");
    RingbackServer.await("the three calls at the stand-in", DEADLINE,
        () -> twilio.calls().stream().filter(c -> dialled.contains(c.getString("to"))).count() == 3);
    // Every call of the stand-in was created by the account it belongs to.
    assertThat(twilio.calls()).allSatisfy(call -> assertThat(call.getString("uri")).contains(call.getString("account_sid")));

    // Bravo's callback is answered: Twilio asks the URL it was given, signed with Bravo's token.
    String url = bravo.param("Url").substring(PUBLIC_URL.length());
    String callSid = twilio.calls().stream().filter(c -> "+14155550602".equals(c.getString("to"))).findFirst().orElseThrow()
        .getString("sid");
    HttpResponse<String> answered = server.twilioAs(BRAVO_AUTH_TOKEN, url, "AccountSid", BRAVO_ACCOUNT_SID, "CallSid", callSid,
        "From", BRAVO_NUMBER, "To", "+14155550602", "Direction", "outbound-api", "CallStatus", "in-progress");
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(Xml.child(Xml.child(Xml.parse(answered.body()), "Gather"), "Say").getTextContent()).contains("Bravo").contains("B-1");
    assertThat(server.twilioAs(AUTH_TOKEN, url, "CallSid", callSid, "From", BRAVO_NUMBER, "To", "+14155550602").statusCode())
        .isEqualTo(403);
  }

  @Test
  void eachBusinessIsPacedToItsOwnCallsPerSecond() {
    // A first call warms Bravo's connection to the API, so the next requests arrive when they are sent.
    order("/orders/generic/bravo", BRAVO_SHOP_SECRET, "B-warm", "+14155550610");
    awaitDialTo("+14155550610");
    List<String> phones = List.of("+14155550611", "+14155550612", "+14155550613");
    for (int i = 0; i < phones.size(); i++) {
      order("/orders/generic/bravo", BRAVO_SHOP_SECRET, "B-pace-" + i, phones.get(i));
    }
    List<TwilioStandIn.RecordedRequest> dials = phones.stream().map(BusinessCallsTest::awaitDialTo)
        .sorted(java.util.Comparator.comparing(TwilioStandIn.RecordedRequest::receivedAt)).toList();
    // Three calls at 1 per second span at least 2 s (less a little for a first request slower than the rest).
    assertThat(Duration.between(dials.get(0).receivedAt(), dials.get(2).receivedAt()))
        .as("Bravo's calls about 1 s apart").isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    // Bravo's pace is its own row; the default business (no limit here) never touched the deployment's.
    long bravoId = (Long) db.query("SELECT id FROM businesses WHERE slug = 'bravo'").get(0).get("id");
    assertThat(db.count("SELECT count(*) FROM business_pacing WHERE business_id = ?", bravoId)).isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM dial_pacing WHERE next_slot = '-infinity'")).isEqualTo(1);
  }
}
