package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Reports;
import dev.ringback.app.Services;
import dev.ringback.domain.Agent;
import dev.ringback.domain.Line;
import dev.ringback.domain.ReportPeriod;
import dev.ringback.store.ReportStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * {@code GET /api/reports/agents} and {@code /api/reports/lines}: each agent's and each line's
 * figures over {@code from}-{@code to} (days of {@code tz}), as JSON or, with {@code Accept: text/csv},
 * as CSV with the same columns; {@code line} narrows the line report to that line, whose zone its
 * days are then by default. For the admin and supervisors.
 */
final class ReportApi {
  private static final String FORMULA_STARTS = "=+-@\t\r";
  private static final List<String> AGENT_COLUMNS = List.of("agent_id", "name", "contact", "calls_answered",
      "rings_to_answer_median", "rings_to_answer_p90", "service_level", "callbacks_connected", "speed_to_callback_median_seconds",
      "speed_to_callback_p90_seconds", "feedback_average", "feedback_count", "feedback_poor");
  private static final List<String> LINE_COLUMNS = List.of("line", "name", "calls_offered", "calls_answered",
      "rings_to_answer_median", "rings_to_answer_p90", "service_level", "callbacks_connected", "speed_to_callback_median_seconds",
      "speed_to_callback_p90_seconds", "feedback_average", "feedback_count", "feedback_poor");

  private final Services services;
  private final Reports reports;

  ReportApi(Services services) {
    this.services = services;
    this.reports = services.reports();
  }

  void agents(RoutingContext ctx) {
    report(ctx, "agents", AGENT_COLUMNS, false, reports::agents, f -> new JsonObject()
        .put("agent_id", f.agentId())
        .put("name", f.name())
        .put("contact", f.key()));
  }

  void lines(RoutingContext ctx) {
    report(ctx, "lines", LINE_COLUMNS, true, reports::lines, f -> new JsonObject()
        .put("line", f.key())
        .put("name", f.name())
        .put("calls_offered", f.callsOffered()));
  }

  /**
   * {@code GET /api/today?tz=}: the owner's day where the business is (the first line's zone, or
   * {@code tz}): calls offered, answered and missed today with the service level against its
   * target; the callbacks waiting and how long the customer waiting longest has waited; speed to callback; orders;
   * scores; and the inbound calls hour by hour over 24 hours and day by day over 7 days.
   */
  void today(RoutingContext ctx) {
    requireAdminOrSupervisor(ctx, "today's figures");
    Business business = Caller.business(ctx);
    ZoneId zone;
    try {
      zone = ReportPeriod.zone(ctx.request().getParam("tz"), firstLineZone(business));
    } catch (ReportPeriod.Refused e) {
      throw HttpFailure.badRequest(e.getMessage());
    }
    Instant now = services.clock().instant();
    services.reports().today(business.id(), zone, now).onSuccess(t -> {
      ReportStore.Now q = t.now();
      Responses.json(ctx, 200, new JsonObject()
          .put("time_zone", zone.getId())
          .put("day", t.day().toString())
          .put("calls", calls(t.today()).put("target_seconds", t.targetSeconds()).put("service_level_objective", t.serviceLevelObjective()))
          .put("callbacks", new JsonObject().put("waiting", q.waiting()).put("with_agents", q.withAgents())
              .put("oldest_waiting_seconds", q.oldestWaiting() == null ? null
                  : Math.max(0, Duration.between(q.oldestWaiting(), now).toSeconds())))
          .put("speed_to_callback_median_seconds", q.speedMedianSeconds() == null ? null : round(q.speedMedianSeconds(), 10))
          .put("orders", new JsonObject().put("received", q.orders()).put("called", q.ordersCalled()))
          .put("feedback", new JsonObject().put("scores", q.scores())
              .put("average", q.scoreAverage() == null ? null : round(q.scoreAverage(), 100)))
          .put("hours", spans(t.hours()))
          .put("days", spans(t.days())));
    }).onFailure(ctx::fail);
  }

  private static JsonObject calls(ReportStore.Span s) {
    return new JsonObject().put("offered", s.offered()).put("answered", s.answered()).put("missed", Math.max(0, s.offered() - s.answered()))
        .put("within_target", s.withinTarget())
        .put("service_level", s.offered() == 0 ? null : round((double) s.withinTarget() / s.offered(), 1000));
  }

  private static JsonArray spans(List<ReportStore.Span> spans) {
    JsonArray out = new JsonArray();
    spans.forEach(s -> out.add(calls(s).put("start", s.start().toString())));
    return out;
  }

  private interface Query {
    Future<List<ReportStore.Figures>> run(long businessId, Instant from, Instant to);
  }

  /** @param byLine whether {@code line} may name the one line reported */
  private void report(RoutingContext ctx, String name, List<String> columns, boolean byLine, Query query,
                      Function<ReportStore.Figures, JsonObject> identity) {
    requireAdminOrSupervisor(ctx, "reports");
    Business business = Caller.business(ctx);
    Line only = byLine ? onlyLine(ctx, business) : null;
    ReportPeriod period = period(ctx, only != null ? only.timeZone() : firstLineZone(business));
    Instant from = period.from();
    Instant to = period.to();
    var metrics = services.config().metrics();
    query.run(business.id(), from, to)
        .map(figures -> figures.stream().filter(f -> only == null || only.id().equals(f.key()))
            .map(f -> identity.apply(f).mergeIn(figures(f, metrics.ringSeconds()))).toList())
        .onSuccess(rows -> {
          String accept = ctx.request().getHeader("Accept");
          if (accept != null && accept.contains("text/csv")) {
            ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"ringback-" + name + ".csv\"")
                .end(csv(columns, rows));
          } else {
            Responses.json(ctx, 200, new JsonObject().put("from", from.toString()).put("to", to.toString())
                .put("time_zone", period.zone().getId()).put("target_rings", metrics.targetRings()).put("ring_seconds", metrics.ringSeconds())
                .put("items", new JsonArray(rows)));
          }
        })
        .onFailure(ctx::fail);
  }

  /** The measured figures, in rings where a caller counts rings. */
  private static JsonObject figures(ReportStore.Figures f, int ringSeconds) {
    return new JsonObject()
        .put("calls_answered", f.callsAnswered())
        .put("rings_to_answer_median", rings(f.ringMedianSeconds(), ringSeconds))
        .put("rings_to_answer_p90", rings(f.ringP90Seconds(), ringSeconds))
        .put("service_level", f.callsOffered() == 0 ? null : round((double) f.withinTarget() / f.callsOffered(), 1000))
        .put("callbacks_connected", f.callbacksConnected())
        .put("speed_to_callback_median_seconds", round(f.speedMedianSeconds(), 10))
        .put("speed_to_callback_p90_seconds", round(f.speedP90Seconds(), 10))
        .put("feedback_average", round(f.scoreAverage(), 100))
        .put("feedback_count", f.scores())
        .put("feedback_poor", f.poorScores());
  }

  private static Double rings(Double seconds, int ringSeconds) {
    return seconds == null ? null : round(seconds / ringSeconds, 10);
  }

  private static Double round(Double value, int scale) {
    return value == null ? null : Math.round(value * scale) / (double) scale;
  }

  /** Text cells quoted, figures not; a missing value (null or empty text) is an empty field, never {@code ""}. */
  static String csv(List<String> columns, List<JsonObject> rows) {
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(columns.toArray(String[]::new))
        .setQuoteMode(QuoteMode.NON_NUMERIC).get())) {
      for (JsonObject row : rows) {
        printer.printRecord(columns.stream().map(row::getValue).map(ReportApi::cell).toList());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * A cell as OWASP's CSV injection advice has it: text that a spreadsheet would run as a formula
   * (it begins with =, +, -, @, a tab or a carriage return) starts with a single quote, which
   * spreadsheets read as "this is text". Names and contacts are typed by people.
   */
  static Object cell(Object value) {
    if (value == null || value instanceof Number) {
      return value;
    }
    String text = value.toString();
    if (text.isEmpty()) {
      return null;
    }
    return FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }

  private static void requireAdminOrSupervisor(RoutingContext ctx, String what) {
    Caller caller = Caller.of(ctx);
    if (!caller.isAdmin() && !Agent.SUPERVISOR.equals(caller.agent().role())) {
      throw new HttpException(403, what + " are for the admin and supervisors");
    }
  }

  /** Whose days a report counts when it does not say: the business's first line's zone. */
  private static ZoneId firstLineZone(Business business) {
    return business.lines().isEmpty() ? ZoneOffset.UTC : business.lines().get(0).timeZone();
  }

  /** The line {@code line} names, or null when it names none. */
  private static Line onlyLine(RoutingContext ctx, Business business) {
    String id = ctx.request().getParam("line");
    if (id == null || id.isBlank()) {
      return null;
    }
    return business.lineById(id).orElseThrow(() -> HttpFailure.unprocessable("line: '" + id + "' is not a configured line"));
  }

  /**
   * {@code from}, {@code to} and {@code tz} as sent: days of the {@code tz} zone, by default
   * {@code fallback} (a business's lines mostly share one zone; with lines in several zones,
   * {@code tz} says which day is meant).
   */
  private ReportPeriod period(RoutingContext ctx, ZoneId fallback) {
    var params = ctx.request().params();
    try {
      ZoneId zone = ReportPeriod.zone(params.get("tz"), fallback);
      return ReportPeriod.of(params.get("from"), params.get("to"), zone, services.clock().instant());
    } catch (ReportPeriod.Refused e) {
      throw e.malformed() ? HttpFailure.badRequest(e.getMessage()) : HttpFailure.unprocessable(e.getMessage());
    }
  }

}
