package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.config.ConfigException;
import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.Catalog;
import dev.ringback.domain.Catalogs;
import dev.ringback.domain.Line;
import dev.ringback.domain.Prompt;
import dev.ringback.store.BusinessStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * /api/businesses, for the server's admin token only: the businesses this server serves. Those
 * of the configuration are shown; those created here may be changed and deleted. A business is
 * written as an entry of {@code businesses:} in the configuration, with snake_case keys; its
 * secrets are sealed before they are stored and are never shown ({@code "auth_token_set": true}).
 * A new business's own admin token is in the answer to its creation, once.
 */
final class BusinessApi {
  private final Services services;

  BusinessApi(Services services) {
    this.services = services;
  }

  void list(RoutingContext ctx) {
    Caller.requireServerAdmin(ctx);
    JsonArray items = new JsonArray();
    services.businesses().all().forEach(b -> items.add(toJson(b)));
    Responses.json(ctx, 200, new JsonObject().put("items", items));
  }

  /** Who the token is: the business it reaches, and whether it is an admin's, the server admin's or an agent's. */
  void me(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Business business = caller.business();
    JsonObject me = new JsonObject()
        .put("role", caller.isServerAdmin() ? "server_admin" : caller.isAdmin() ? "admin" : caller.agent().role())
        .put("business", business.slug())
        .put("business_name", business.name());
    if (!caller.isAdmin()) {
      me.put("agent", new JsonObject().put("id", caller.agent().id()).put("name", caller.agent().name()));
    }
    Responses.json(ctx, 200, me);
  }

  void get(RoutingContext ctx) {
    Caller.requireServerAdmin(ctx);
    Responses.json(ctx, 200, toJson(business(ctx)));
  }

  /** 201 with the business and its admin token, which is never shown again. */
  void create(RoutingContext ctx) {
    Caller.requireServerAdmin(ctx);
    services.businesses().create(values(Requests.jsonBody(ctx), null))
        .onSuccess(created -> {
          ctx.response().putHeader("Location", "/api/businesses/" + created.business().slug());
          Responses.json(ctx, 201, toJson(created.business()).put("api_token", created.token()));
        })
        .onFailure(e -> ctx.fail(refused(e)));
  }

  /**
   * Replaces a business created here. A secret left out keeps its value; an empty one clears it
   * (an order webhook without a secret answers 404).
   */
  void replace(RoutingContext ctx) {
    Caller.requireServerAdmin(ctx);
    Business current = business(ctx);
    if (current.fromConfig()) {
      throw new HttpException(409, "business '" + current.slug() + "' is declared in the configuration; change it there");
    }
    services.businesses().replace(current, values(Requests.jsonBody(ctx), current.slug()))
        .onSuccess(replaced -> replaced.ifPresentOrElse(
            business -> Responses.json(ctx, 200, toJson(business)),
            () -> ctx.fail(HttpFailure.notFound("no business " + current.slug()))))
        .onFailure(e -> ctx.fail(refused(e)));
  }

  /** 200 with the business and a new admin token, shown this once; the old token stops working on every instance. */
  void newToken(RoutingContext ctx) {
    Caller.requireServerAdmin(ctx);
    Business current = business(ctx);
    if (current.fromConfig()) {
      throw new HttpException(409, "business '" + current.slug() + "' is declared in the configuration; its token is set there");
    }
    services.businesses().newToken(current)
        .onSuccess(given -> given.ifPresentOrElse(
            with -> Responses.json(ctx, 200, toJson(with.business()).put("api_token", with.token())),
            () -> ctx.fail(HttpFailure.notFound("no business " + current.slug()))))
        .onFailure(ctx::fail);
  }

  /** Deletes a business created here: its history stays, its numbers and tokens stop working, its waiting callbacks are cancelled. */
  void delete(RoutingContext ctx) {
    Caller.requireServerAdmin(ctx);
    Business current = business(ctx);
    if (current.fromConfig()) {
      throw new HttpException(409, "business '" + current.slug() + "' is declared in the configuration; remove it there");
    }
    services.businesses().delete(current)
        .onSuccess(deleted -> {
          if (deleted) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(HttpFailure.notFound("no business " + current.slug()));
          }
        })
        .onFailure(ctx::fail);
  }

  private Business business(RoutingContext ctx) {
    return served(ctx.pathParam("slug"));
  }

  /** The business this server serves under {@code slug}; 404 when there is none. */
  private Business served(String slug) {
    return services.businesses().bySlug(slug).orElseThrow(() -> HttpFailure.notFound("no business " + slug));
  }

  /**
   * The body in the shape of the configuration: snake_case keys become kebab case. The slug is
   * the path's on a replace; the API token is the server's to make.
   */
  private static Map<String, Object> values(JsonObject body, String pathSlug) {
    if (body.containsKey("api_token")) {
      throw HttpFailure.unprocessable("api_token: made by the server; the answer to POST /api/businesses shows it once");
    }
    if (pathSlug != null) {
      Object slug = body.getValue("slug");
      if (slug != null && !pathSlug.equals(slug)) {
        throw HttpFailure.unprocessable("slug: the body's slug differs from the one in the path");
      }
      body.put("slug", pathSlug);
    }
    Object slug = body.getValue("slug");
    if (slug != null && !(slug instanceof String)) {
      throw HttpFailure.unprocessable("slug: must be a string");
    }
    return kebab(body.getMap());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> kebab(Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((key, value) -> out.put(key.replace('_', '-'), kebabValue(value)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object kebabValue(Object value) {
    if (value instanceof JsonObject json) {
      return kebab(json.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      return kebab((Map<String, Object>) map);
    }
    if (value instanceof JsonArray array) {
      return kebabValue(array.getList());
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(kebabValue(v)));
      return out;
    }
    return value;
  }

  /**
   * Another business's slug or number is a 409; a setting the configuration would refuse is a 422
   * naming the field as the API spells it.
   */
  private Throwable refused(Throwable e) {
    if (e instanceof ConfigException) {
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      return HttpFailure.unprocessable(colon < 0 ? message : message.substring(0, colon).replace('-', '_') + message.substring(colon));
    }
    if (e instanceof BusinessStore.SlugTaken) {
      return new HttpException(409, e.getMessage());
    }
    if (e instanceof BusinessStore.NumberTaken taken) {
      return new HttpException(409, "lines: " + taken.number() + " is already a line of business '" + taken.owner()
          + "'; a number can be a line of one business only");
    }
    return e;
  }

  /** A business as the API shows it: never a secret, only whether each is set. */
  JsonObject toJson(Business b) {
    JsonArray lines = new JsonArray();
    b.lines().forEach(line -> lines.add(lineJson(line, services.config().catalogs())));
    JsonObject orders = new JsonObject();
    b.orders().shops().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      String source = entry.getKey();
      RingbackConfig.Shop shop = entry.getValue();
      String path = (source.equals("generic") ? b.isDefault() ? "/orders" : "/orders/generic" : "/orders/" + source)
          + (b.isDefault() ? "" : "/" + b.slug());
      JsonObject json = new JsonObject().put("enabled", shop.enabled()).put("secret_set", shop.enabled()).put("line", shop.line())
          .put("path", path);
      if (source.equals("shopify")) {
        json.put("shop_domain", shop.origin().isEmpty() ? null : shop.origin());
      } else if (source.equals("woocommerce")) {
        json.put("source_url", shop.origin().isEmpty() ? null : shop.origin());
      }
      orders.put(source, json);
    });
    RingbackConfig.TwilioAccount twilio = b.twilio();
    return new JsonObject()
        .put("slug", b.slug())
        .put("name", b.name())
        .put("source", b.fromConfig() ? "config" : "api")
        .put("twilio", new JsonObject()
            .put("account_sid", twilio.accountSid().isEmpty() ? null : twilio.accountSid())
            .put("auth_token_set", !twilio.authToken().isEmpty())
            .put("api_key", twilio.apiKey().isEmpty() ? null : twilio.apiKey())
            .put("api_secret_set", !twilio.apiSecret().isEmpty()))
        .put("telephony", b.telephony().name())
        .put("calls_per_second", b.callsPerSecond())
        .put("lines", lines)
        .put("orders", orders);
  }

  /** A line, with the sentences it speaks as written (its own, else its language's catalog's), placeholders and all. */
  static JsonObject lineJson(Line line, Catalogs catalogs) {
    Catalog catalog = catalogs.forLanguage(line.language()).orElse(catalogs.reference());
    JsonObject prompts = new JsonObject();
    line.prompts().forEach((key, prompt) -> prompts.put(key, prompt.isRecording() ? new JsonObject().put("play", prompt.play())
        : prompt.text()));
    Function<String, String> sentence = key -> Optional.ofNullable(line.prompts().get(key)).filter(p -> !p.isRecording())
        .map(Prompt::text).orElseGet(() -> catalog.pattern(key));
    return new JsonObject()
        .put("id", line.id())
        .put("number", line.number())
        .put("name", line.name())
        .put("time_zone", line.timeZone().getId())
        .put("language", line.language())
        .put("voice", line.voice())
        .put("greeting", sentence.apply("greeting"))
        .put("greeting_known", sentence.apply("greeting.known"))
        .put("agents", new JsonArray(line.agents()))
        .put("ring_timeout_seconds", line.ringTimeoutSeconds())
        .put("ring_strategy", line.ringStrategy().value())
        .put("ring_seconds", line.ringSeconds())
        .put("screening", line.screening().value())
        .put("callback_mode", line.callbackMode().value())
        .put("after_hours_message", sentence.apply("after-hours"))
        .put("feedback_channel", line.feedbackChannel())
        .put("feedback_question", sentence.apply("feedback.question"))
        .put("prompts", prompts);
  }
}
