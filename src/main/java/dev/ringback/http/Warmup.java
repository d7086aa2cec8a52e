package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.Catalog;
import dev.ringback.domain.Line;
import dev.ringback.domain.Speech;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the first webhook and the first order would otherwise do for the first time, done once at
 * start: load the classes of the HTTP pipeline, the TwiML and the shops' payloads, read the
 * catalogs' locale data and libphonenumber's metadata, and compile the lines' sentences. Nothing
 * is written and nothing is sent out; the first caller is then answered as fast as the next.
 */
public final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  private static final String URL = "https://warm-up.invalid";
  private static final long ASK_TIMEOUT_MILLIS = 5000;

  private Warmup() {}

  /**
   * The sentences and payloads, before the server answers (it blocks while classes load: never
   * on an event loop).
   */
  public static void prepare(Services services) {
    long started = System.nanoTime();
    quietly("the sentences", () -> speak(services));
    quietly("the webhooks' payloads", () -> read(services));
    LOG.debug("Warmed up in {} ms", (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Once the server answers: one request through its own HTTP pipeline, as a load balancer's would
   * be. Completes when it is answered, or not (it is no more than a warm-up).
   */
  public static Future<Void> askOnce(Vertx vertx, int port) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions live = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI("/health/live")
        .setConnectTimeout(ASK_TIMEOUT_MILLIS).setIdleTimeout(ASK_TIMEOUT_MILLIS);
    return client.request(live)
        .compose(request -> request.send())
        .compose(response -> response.body())
        .onFailure(e -> LOG.debug("The warm-up's request to port {} failed: {}", port, e.toString()))
        .eventually(() -> client.close())
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** A step that fails costs the first request its time, nothing else. */
  private static void quietly(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.debug("The warm-up of {} stopped: {}", what, e.toString());
    }
  }

  /** The TwiML of an inbound call, a missed call and a callback, in each language a line speaks, and every catalog's sentences. */
  private static void speak(Services services) {
    Map<String, Line> byLanguage = new LinkedHashMap<>();
    for (Business business : services.businesses().all()) {
      business.lines().forEach(line -> byLanguage.putIfAbsent(line.language(), line));
    }
    for (Line line : byLanguage.values()) {
      Speech speech = Speaking.on(services, line);
      Twiml.Legs legs = Twiml.Legs.unscreened(URL + "/twilio/status");
      Twiml.inbound(speech, line, Optional.empty(), List.of(line.number()), line.ringTimeoutSeconds(), false, URL + "/twilio/dial", legs)
          .toXml();
      Twiml.missed(speech, services.config().callbacks().promiseMinutes(), services.config().callbacks().voicemailMaxSeconds(),
          URL + "/twilio/recording", URL + "/twilio/when").toXml();
      Twiml.callbackWithoutAgents(speech, line, Optional.empty()).toXml();
    }
    for (Catalog catalog : services.config().catalogs().all()) {
      catalog.text("greeting", Map.of("business", "Ringback"));
      catalog.time(Instant.now(), ZoneOffset.UTC);
    }
  }

  /** A signed form, a shop's order of each kind and a phone number, read as their webhooks read them. */
  private static void read(Services services) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("CallSid", "CA0").add("From", "+14155550100").add("To", "+14155550101");
    TwilioSignature.valid("warm-up", URL + "/twilio/voice", form, TwilioSignature.sign("warm-up", URL + "/twilio/voice", form));
    services.phoneNumbers().normalize("(415) 555-0100");
    services.phoneNumbers().normalize("+40 721 234 567");
    quietly("a generic order", () -> OrderPayloads.generic(new JsonObject().put("order_id", "0").put("phone", "+14155550100")
        .put("name", "A").put("total", "1.00").put("currency", "USD")));
    quietly("a Shopify order", () -> OrderPayloads.shopify(new JsonObject().put("id", 1).put("phone", "+14155550100")
        .put("customer", new JsonObject().put("first_name", "A"))));
    quietly("a WooCommerce order", () -> OrderPayloads.woocommerce(new JsonObject().put("id", 1)
        .put("billing", new JsonObject().put("phone", "+14155550100"))));
  }
}
