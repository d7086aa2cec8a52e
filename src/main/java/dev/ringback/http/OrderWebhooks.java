package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.app.Trigger;
import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.Line;
import dev.ringback.domain.Order;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.store.OrderStore;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shops' order webhooks. Each verifies its signature on the raw bytes, records the order
 * in the buyer's file and schedules the buyer's callback in one transaction, then answers 200;
 * a delivery seen before answers 200 and changes nothing, because shops retry.
 */
final class OrderWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(OrderWebhooks.class);
  static final String GENERIC = "/orders";
  static final String SHOPIFY = "/orders/shopify";
  static final String WOOCOMMERCE = "/orders/woocommerce";
  private static final String BUSINESS = "ringback.order.business";
  /** The same webhooks for a business named in the path (the default business's are the paths above). */
  static final String GENERIC_OF = "/orders/generic/:business";
  static final String SHOPIFY_OF = SHOPIFY + "/:business";
  static final String WOOCOMMERCE_OF = WOOCOMMERCE + "/:business";
  /** The unsigned request WooCommerce sends when a webhook is saved. */
  private static final Pattern WOOCOMMERCE_PING = Pattern.compile("webhook_id=\\d+");

  private final Services services;

  OrderWebhooks(Services services) {
    this.services = services;
  }

  /** WooCommerce's ping is {@code webhook_id=<n>}: the only unsigned body let in, and only one this short. */
  private static final int PING_MAX_BYTES = 64;

  /**
   * Runs before the body is read: the business and its webhook exist and are enabled (404), and
   * a signature is presented (401); the signature itself covers the body and is checked after it.
   *
   * @param source generic, shopify or woocommerce
   */
  Handler<RoutingContext> precheck(String source) {
    String originHeader = switch (source) {
      case "shopify" -> "X-Shopify-Shop-Domain";
      case "woocommerce" -> "X-WC-Webhook-Source";
      default -> null;
    };
    String signatureHeader = switch (source) {
      case "shopify" -> "X-Shopify-Hmac-Sha256";
      case "woocommerce" -> "X-WC-Webhook-Signature";
      default -> "X-Ringback-Signature";
    };
    return ctx -> {
      secret(business(ctx, source, originHeader), source);
      long length = Requests.declaredLength(ctx.request());
      boolean ping = source.equals("woocommerce") && length >= 0 && length <= PING_MAX_BYTES;
      if (ctx.request().getHeader(signatureHeader) == null && !ping) {
        throw new HttpException(401, "missing or malformed " + signatureHeader);
      }
      ctx.next();
    };
  }

  /** Any shop: {@code X-Ringback-Signature: sha256=<hex HMAC-SHA256 of the body>}. */
  void generic(RoutingContext ctx) {
    Business business = business(ctx, "generic", null);
    String secret = secret(business, "generic");
    String header = ctx.request().getHeader("X-Ringback-Signature");
    byte[] presented = null;
    if (header != null && header.regionMatches(true, 0, "sha256=", 0, 7)) {
      try {
        presented = HexFormat.of().parseHex(header.substring(7).trim());
      } catch (IllegalArgumentException e) {
        presented = null;
      }
    }
    verify(ctx, secret, presented, "X-Ringback-Signature");
    receive(ctx, business, "generic", OrderPayloads::generic);
  }

  /** Shopify {@code orders/create}: {@code X-Shopify-Hmac-Sha256}, base64. */
  void shopify(RoutingContext ctx) {
    Business business = business(ctx, "shopify", "X-Shopify-Shop-Domain");
    String secret = secret(business, "shopify");
    verify(ctx, secret, base64(ctx.request().getHeader("X-Shopify-Hmac-Sha256")), "X-Shopify-Hmac-Sha256");
    String topic = ctx.request().getHeader("X-Shopify-Topic");
    if (topic != null && !topic.trim().equals("orders/create")) {
      ignore(ctx, "shopify", topic);
      return;
    }
    receive(ctx, business, "shopify", OrderPayloads::shopify);
  }

  /** WooCommerce {@code order.created}: {@code X-WC-Webhook-Signature}, base64; its unsigned ping gets 200. */
  void woocommerce(RoutingContext ctx) {
    Business business = business(ctx, "woocommerce", "X-WC-Webhook-Source");
    String secret = secret(business, "woocommerce");
    String signature = ctx.request().getHeader("X-WC-Webhook-Signature");
    Buffer body = ctx.body().buffer();
    if (signature == null && body != null && WOOCOMMERCE_PING.matcher(body.toString(StandardCharsets.UTF_8).trim()).matches()) {
      LOG.info("order woocommerce: the webhook was saved ({}); ready for orders", body.toString(StandardCharsets.UTF_8).trim());
      Responses.json(ctx, 200, new JsonObject().put("result", "ping"));
      return;
    }
    verify(ctx, secret, base64(signature), "X-WC-Webhook-Signature");
    String topic = ctx.request().getHeader("X-WC-Webhook-Topic");
    if (topic != null && !topic.trim().equals("order.created")) {
      ignore(ctx, "woocommerce", topic);
      return;
    }
    receive(ctx, business, "woocommerce", OrderPayloads::woocommerce);
  }

  /** Counts every refused delivery, then lets the common handler render it. */
  void rejected(RoutingContext ctx) {
    String path = ctx.request().path();
    String source = path.startsWith(SHOPIFY) ? "shopify" : path.startsWith(WOOCOMMERCE) ? "woocommerce" : "generic";
    int status = ctx.failure() instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    if (status >= 400 && status < 500) {
      // Only a business this server serves becomes a label: a made-up one in the path counts as "unknown".
      Business business = ctx.get(BUSINESS);
      String label = business != null ? business.slug() : ctx.pathParam("business") == null
          ? services.businesses().defaultBusiness().slug() : "unknown";
      services.metrics().order(label, source, Order.REJECTED);
      LOG.info("order {}: refused with {}: {}", source, status,
          ctx.failure() instanceof HttpException http && http.getPayload() != null ? http.getPayload() : "-");
    }
    ctx.next();
  }

  /**
   * The business a delivery is for: the one named in the path, else the one whose shop address
   * the platform's header gives ({@code shop-domain}, {@code source-url}), else the default business.
   * An unknown business is a 404.
   */
  private Business business(RoutingContext ctx, String source, String originHeader) {
    String named = ctx.pathParam("business");
    Business business;
    if (named != null) {
      business = services.businesses().bySlug(named).orElseThrow(() -> HttpFailure.notFound("no business " + named));
    } else {
      String origin = originHeader == null ? null : RingbackConfig.Shop.origin(ctx.request().getHeader(originHeader));
      business = services.businesses().byOrigin(source, origin).orElse(services.businesses().defaultBusiness());
    }
    ctx.put(BUSINESS, business);
    return business;
  }

  private static String secret(Business business, String source) {
    RingbackConfig.Shop shop = business.orders().shop(source).orElseThrow();
    if (!shop.enabled()) {
      throw HttpFailure.notFound("the " + source + " order webhook" + (business.isDefault() ? "" : " of business " + business.slug())
          + " is not enabled: set its secret");
    }
    return shop.secret();
  }

  /** Constant-time comparison of the presented HMAC with ours, over the exact bytes received. */
  private static void verify(RoutingContext ctx, String secret, byte[] presented, String header) {
    Buffer body = ctx.body().buffer();
    byte[] expected = WebhookSignature.hmacSha256(secret, body == null ? new byte[0] : body.getBytes());
    if (presented == null || !MessageDigest.isEqual(expected, presented)) {
      throw new HttpException(401, presented == null ? "missing or malformed " + header : header + " does not match the body");
    }
  }

  private static byte[] base64(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(header.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void ignore(RoutingContext ctx, String source, String topic) {
    LOG.info("order {}: topic '{}' is not a new order; ignored", source, topic);
    Responses.json(ctx, 200, new JsonObject().put("result", "ignored"));
  }

  private void receive(RoutingContext ctx, Business business, String source, Function<JsonObject, Order> read) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new HttpException(415, "expected Content-Type application/json");
    }
    JsonObject body;
    try {
      Buffer raw = ctx.body().buffer();
      Object parsed = raw == null || raw.length() == 0 ? null : Json.decodeValue(raw);
      if (!(parsed instanceof JsonObject object)) {
        throw HttpFailure.badRequest("the body is not a JSON object");
      }
      body = object;
    } catch (DecodeException e) {
      throw HttpFailure.badRequest("malformed JSON: " + e.getMessage());
    }
    Order order = read.apply(body);
    Line line = line(ctx, business, source, order);
    Optional<String> phone = order.callablePhone(services.phoneNumbers());
    Instant received = services.clock().instant();
    services.triggers().order(new Trigger.OrderPlaced(business.id(), order, phone.orElse(null), business.lineKey(line), received))
        .onSuccess(outcome -> {
          String who = source + (business.isDefault() ? "" : " (" + business.slug() + ")") + " " + order.orderId() + " ("
              + (order.displayNumber() == null ? "-" : order.displayNumber()) + ") for "
              + phone.map(PhoneNumbers::mask).orElse("no callable number");
          if (outcome.journalled()) {
            // Stored on this server's disk; its callback is scheduled as soon as the database takes it.
            LOG.info("order {} -> kept in the journal", who);
            Responses.json(ctx, 202, new JsonObject().put("result", "accepted"));
            return;
          }
          OrderStore.Recorded recorded = outcome.written();
          LOG.info("order {} -> {}{}", who, recorded.result(),
              recorded.callback().map(c -> ", callback #" + c.id() + " on line " + line.id() + " due " + c.dueAt()).orElse(""));
          JsonObject answer = new JsonObject().put("result", recorded.result());
          recorded.callback().ifPresent(c -> answer.put("callback_id", c.id()).put("due_at", c.dueAt().toString()));
          Responses.json(ctx, 200, answer);
        })
        .onFailure(ctx::fail);
  }

  /** The order's own line, else {@code ?line=} on the webhook URL, else the source's line from config. */
  private static Line line(RoutingContext ctx, Business business, String source, Order order) {
    String wanted = order.line() != null ? order.line() : ctx.queryParam("line").stream().findFirst().orElse(null);
    if (wanted == null || wanted.isBlank()) {
      wanted = business.orders().shop(source).orElseThrow().line();
    }
    String id = wanted;
    return business.lineById(id)
        .orElseThrow(() -> HttpFailure.unprocessable(id.isEmpty() ? "no line is configured to call the buyer back from"
            : "line '" + id + "' is not configured"));
  }
}
