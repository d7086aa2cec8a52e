package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.Line;
import dev.ringback.domain.OpeningHours;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** /api/lines: the configured lines, and each line's opening hours (from the config or set here) with whether it is open now. */
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
    saved.onSuccess(v -> {
          LOG.info("line {}: opening hours set through the API", line.id());
          Responses.json(ctx, 200, hoursJson(Caller.business(ctx), line));
        })
        .onFailure(ctx::fail);
  }

  /** (admin) Back to the hours of the config. */
  void clearHours(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    Line line = line(ctx);
    Caller.business(ctx).setHours(line, null)
        .onSuccess(v -> {
          LOG.info("line {}: opening hours back to the config's", line.id());
          Responses.json(ctx, 200, hoursJson(Caller.business(ctx), line));
        })
        .onFailure(ctx::fail);
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
