package dev.ringback.http;

import dev.ringback.Services;
import dev.ringback.domain.Line;
import dev.ringback.domain.OpeningHours;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;

/** /api/lines: the configured lines, and each line's opening hours with whether it is open now. */
final class LineApi {
  private final Services services;

  LineApi(Services services) {
    this.services = services;
  }

  void list(RoutingContext ctx) {
    Instant now = services.clock().instant();
    JsonArray items = new JsonArray();
    services.config().lines().forEach(line -> items.add(new JsonObject()
        .put("id", line.id())
        .put("number", line.number())
        .put("name", line.name())
        .put("time_zone", line.timeZone().getId())
        .put("language", line.language())
        .put("open_now", line.hours().isOpen(now))));
    Responses.json(ctx, 200, new JsonObject().put("items", items));
  }

  void hours(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Line line = services.config().lineById(id).orElseThrow(() -> HttpFailure.notFound("no line " + id));
    OpeningHours hours = line.hours();
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
    Responses.json(ctx, 200, new JsonObject()
        .put("line", line.id())
        .put("time_zone", line.timeZone().getId())
        .put("always_open", hours.alwaysOpen())
        .put("week", week)
        .put("closed", closed)
        .put("open_now", hours.isOpen(now))
        .put("next_opening", hours.nextOpening(now).map(Instant::toString).orElse(null)));
  }
}
