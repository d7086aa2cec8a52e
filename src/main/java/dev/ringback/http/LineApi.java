package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.LineSettings;
import dev.ringback.app.Services;
import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.CallbackMode;
import dev.ringback.domain.Catalog;
import dev.ringback.domain.Feedback;
import dev.ringback.domain.Line;
import dev.ringback.domain.OpeningHours;
import dev.ringback.domain.Prompt;
import dev.ringback.domain.PromptPreview;
import dev.ringback.domain.RingStrategy;
import dev.ringback.domain.Screening;
import dev.ringback.domain.Speech;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /api/lines: the lines as they are now, each line's opening hours with whether it is open now,
 * and its settings and sentences; hours and settings come from the config or are set here.
 */
final class LineApi {
  private static final Logger LOG = LoggerFactory.getLogger(LineApi.class);
  private final Services services;

  LineApi(Services services) {
    this.services = services;
  }

  void list(RoutingContext ctx) {
    Instant now = services.clock().instant();
    JsonArray items = new JsonArray();
    Business business = Caller.business(ctx);
    business.lines().forEach(line -> items.add(new JsonObject()
        .put("id", line.id())
        .put("number", line.number())
        .put("name", line.name())
        .put("time_zone", line.timeZone().getId())
        .put("language", line.language())
        .put("open_now", business.openingHours(line).isOpen(now))));
    Responses.json(ctx, 200, new JsonObject().put("items", items));
  }

  void hours(RoutingContext ctx) {
    Responses.json(ctx, 200, hoursJson(Caller.business(ctx), line(ctx)));
  }

  /**
   * (admin) {@code {"week": {"mon": ["09:00-17:00"], ...}, "closed": ["2026-12-25"]}}: the line's
   * hours from now on, on every instance, until cleared; a day left out of {@code week} is
   * closed, no {@code week} at all is open all day.
   */
  void setHours(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    Line line = line(ctx);
    JsonObject body = Requests.jsonBody(ctx);
    Requests.onlyFields(body, Set.of("week", "closed"));
    if (body.getValue("week") != null && !(body.getValue("week") instanceof JsonObject)) {
      throw HttpFailure.unprocessable("week: must be an object of days, such as {\"mon\": [\"09:00-17:00\"]}");
    }
    Future<Void> saved;
    try {
      saved = Caller.business(ctx).setHours(line, body);
    } catch (OpeningHours.Invalid e) {
      throw HttpFailure.unprocessable(e.field().replaceFirst("^hours\\.", "week.") + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw HttpFailure.unprocessable(e.getMessage());
    }
    answer(ctx, saved, "line " + line.id() + ": opening hours set through the API", () -> hoursJson(Caller.business(ctx), line));
  }

  /** (admin) Back to the hours of the config. */
  void clearHours(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    Line line = line(ctx);
    answer(ctx, Caller.business(ctx).setHours(line, null), "line " + line.id() + ": opening hours back to the config's",
        () -> hoursJson(Caller.business(ctx), line));
  }

  /** The line's settings now, each with where it comes from, and every sentence with a preview of it. */
  void settings(RoutingContext ctx) {
    Responses.json(ctx, 200, settingsJson(Caller.business(ctx), line(ctx)));
  }

  /**
   * (admin) Any of the settings {@link LineSettings#names()} (and {@code prompts}, sentence key
   * to text); those left out are the configuration's. Applies on every instance until cleared.
   */
  void setSettings(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    Line line = line(ctx);
    JsonObject body = Requests.jsonBody(ctx);
    Requests.onlyFields(body, Set.copyOf(LineSettings.names()));
    if (body.getValue("prompts") != null && !(body.getValue("prompts") instanceof JsonObject)) {
      throw HttpFailure.unprocessable("prompts: must be an object of sentence keys to texts, such as {\"greeting\": \"...\"}");
    }
    JsonObject prompts = body.getJsonObject("prompts");
    if (prompts != null) {
      prompts.forEach(e -> {
        if (!(e.getValue() instanceof String)) {
          throw HttpFailure.unprocessable("prompts." + e.getKey() + ": must be a text (an empty one: the language's own sentence)");
        }
      });
    }
    Future<Void> saved;
    try {
      saved = Caller.business(ctx).setSettings(line, body);
    } catch (IllegalArgumentException e) {
      throw HttpFailure.unprocessable(e.getMessage());
    }
    answer(ctx, saved, "line " + line.id() + ": settings set through the API: " + String.join(", ", body.fieldNames()),
        () -> settingsJson(Caller.business(ctx), line));
  }

  /** (admin) Back to the settings of the config. */
  void clearSettings(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    Line line = line(ctx);
    answer(ctx, Caller.business(ctx).setSettings(line, null), "line " + line.id() + ": settings back to the config's",
        () -> settingsJson(Caller.business(ctx), line));
  }

  /** Once a change is stored (and this instance has reloaded it), logs it and answers the line as it is now. */
  private static void answer(RoutingContext ctx, Future<Void> saved, String logged, Supplier<JsonObject> now) {
    saved.onSuccess(v -> {
      LOG.info(logged);
      Responses.json(ctx, 200, now.get());
    }).onFailure(ctx::fail);
  }

  private JsonObject settingsJson(Business business, Line asked) {
    Line line = business.lineById(asked.id()).orElse(asked);
    Line configured = business.configuredLine(line.id()).orElse(line);
    JsonObject set = business.settingsSetThroughApi(line);
    JsonObject settings = new JsonObject();
    setting(settings, set, "language", line.language(), configured.language());
    setting(settings, set, "voice", line.voice(), configured.voice());
    setting(settings, set, "ring_timeout_seconds", line.ringTimeoutSeconds(), configured.ringTimeoutSeconds());
    setting(settings, set, "ring_strategy", line.ringStrategy().value(), configured.ringStrategy().value());
    setting(settings, set, "ring_seconds", line.ringSeconds(), configured.ringSeconds());
    setting(settings, set, "screening", line.screening().value(), configured.screening().value());
    setting(settings, set, "callback_mode", line.callbackMode().value(), configured.callbackMode().value());
    setting(settings, set, "feedback_channel", line.feedbackChannel(), configured.feedbackChannel());
    setting(settings, set, "text_back", line.textBack().calls(), configured.textBack().calls());
    setting(settings, set, "text_back_orders", line.textBack().orders(), configured.textBack().orders());

    Speech speech = Speaking.on(services, line);
    Catalog catalog = speech.catalog();
    JsonObject ownSet = set.getJsonObject("prompts", new JsonObject());
    Instant now = services.clock().instant();
    int promise = services.config().callbacks().promiseMinutes();
    JsonArray prompts = new JsonArray();
    for (String key : catalog.keys().stream().sorted().toList()) {
      Prompt own = line.prompts().get(key);
      Prompt fromConfig = configured.language().equals(line.language()) ? configured.prompts().get(key) : null;
      String source = ownSet.containsKey(key) && !ownSet.getString(key, "").isEmpty() ? "api"
          : own != null ? "config" : "catalog";
      JsonObject prompt = new JsonObject()
          .put("key", key)
          .put("source", source)
          .put("text", own != null && !own.isRecording() ? own.text() : catalog.pattern(key))
          .put("default_text", fromConfig != null && !fromConfig.isRecording() ? fromConfig.text() : catalog.pattern(key))
          .put("placeholders", new JsonArray(List.copyOf(Catalog.placeholders(catalog.pattern(key)))));
      if (own != null && own.isRecording()) {
        prompt.put("recording", own.play());
      } else {
        prompt.put("preview", PromptPreview.of(speech, line, key, promise, now));
      }
      prompts.add(prompt);
    }
    JsonObject choices = new JsonObject()
        .put("language", new JsonArray(services.config().catalogs().all().stream().map(Catalog::language).sorted().toList()))
        .put("voice", new JsonArray(RingbackConfig.voices(line.language())))
        .put("ring_strategy", new JsonArray(Arrays.stream(RingStrategy.values()).map(RingStrategy::value).toList()))
        .put("screening", new JsonArray(Arrays.stream(Screening.values()).map(Screening::value).toList()))
        .put("callback_mode", new JsonArray(Arrays.stream(CallbackMode.values()).map(CallbackMode::value).toList()))
        .put("feedback_channel", new JsonArray(Feedback.CHANNELS));
    return new JsonObject()
        .put("line", line.id())
        .put("name", line.name())
        .put("number", line.number())
        .put("time_zone", line.timeZone().getId())
        .put("agents", new JsonArray(line.agents()))
        .put("hours_source", business.hoursSetThroughApi(line) ? "api" : "config")
        .put("settings", settings)
        .put("prompts", prompts)
        .put("example", new JsonObject().put("name", PromptPreview.EXAMPLE_NAME).put("order", PromptPreview.EXAMPLE_ORDER))
        .put("choices", choices);
  }

  private static void setting(JsonObject settings, JsonObject set, String name, Object value, Object configured) {
    settings.put(name, new JsonObject()
        .put("value", value)
        .put("config_value", configured)
        .put("source", set.containsKey(name) ? "api" : "config"));
  }

  private Line line(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return Caller.business(ctx).lineById(id).orElseThrow(() -> HttpFailure.notFound("no line " + id));
  }

  private JsonObject hoursJson(Business business, Line line) {
    OpeningHours hours = business.openingHours(line);
    Instant now = services.clock().instant();
    JsonObject week = new JsonObject();
    for (DayOfWeek day : DayOfWeek.values()) {
      List<OpeningHours.Interval> intervals = hours.alwaysOpen()
          ? List.of(new OpeningHours.Interval(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT))
          : hours.week().getOrDefault(day, List.of());
      JsonArray ranges = new JsonArray();
      intervals.forEach(i -> ranges.add(i.open() + "-" + (i.close().equals(LocalTime.MIDNIGHT) ? "24:00" : i.close().toString())));
      week.put(day.name().substring(0, 3).toLowerCase(Locale.ROOT), ranges);
    }
    JsonArray closed = new JsonArray();
    hours.closed().stream().sorted().forEach(date -> closed.add(date.toString()));
    return new JsonObject()
        .put("line", line.id())
        .put("source", business.hoursSetThroughApi(line) ? "api" : "config")
        .put("time_zone", line.timeZone().getId())
        .put("always_open", hours.alwaysOpen())
        .put("week", week)
        .put("closed", closed)
        .put("open_now", hours.isOpen(now))
        .put("next_opening", hours.nextOpening(now).map(Instant::toString).orElse(null));
  }
}
