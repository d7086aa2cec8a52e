package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.TodaySpans;
import dev.ringback.store.ReportStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Figures over a period for the reports API, and whether the database answers at all. */
public final class Reports {
  /** Longer than this and the database counts as down: a load balancer must not wait on it. */
  private static final long DATABASE_TIMEOUT_MS = 2000;

  private final ReportStore store;
  private final Pool pool;
  private final RingbackConfig.Metrics metrics;

  public Reports(ReportStore store, Pool pool, RingbackConfig.Metrics metrics) {
    this.store = store;
    this.pool = pool;
    this.metrics = metrics;
  }

  /** Each agent's calls answered, rings to answer, service level, callbacks and feedback from {@code from} until {@code to}. */
  public Future<List<ReportStore.Figures>> agents(long businessId, Instant from, Instant to) {
    return store.agents(businessId, from, to, targetSeconds());
  }

  /** Each line's calls offered and answered, rings to answer, service level, callbacks and feedback from {@code from} until {@code to}. */
  public Future<List<ReportStore.Figures>> lines(long businessId, Instant from, Instant to) {
    return store.lines(businessId, from, to, targetSeconds());
  }

  /**
   * The owner's day where the business is ({@code zone}): the queue now, today so far, and the
   * inbound calls of the last 24 hours hour by hour and of the last 7 days day by day.
   */
  public record Today(ZoneId zone, LocalDate day, ReportStore.Span today, ReportStore.Now now, List<ReportStore.Span> hours,
                      List<ReportStore.Span> days, int targetSeconds, double serviceLevelObjective) {}

  public Future<Today> today(long businessId, ZoneId zone, Instant now) {
    List<Instant> day = TodaySpans.today(now, zone);
    Future<List<ReportStore.Span>> today = store.spans(businessId, day, targetSeconds());
    Future<ReportStore.Now> queue = store.now(businessId, day.get(0), day.get(1));
    Future<List<ReportStore.Span>> hours = store.spans(businessId, TodaySpans.hours(now, zone), targetSeconds());
    Future<List<ReportStore.Span>> days = store.spans(businessId, TodaySpans.days(now, zone), targetSeconds());
    return Future.all(today, queue, hours, days).map(v -> new Today(zone, now.atZone(zone).toLocalDate(), today.result().get(0),
        queue.result(), hours.result(), days.result(), targetSeconds(), metrics.serviceLevelObjective()));
  }

  /** Succeeds when the database answers a query within two seconds; fails with what went wrong. */
  public Future<Void> databaseAnswers() {
    return pool.query("SELECT 1").execute().timeout(DATABASE_TIMEOUT_MS, TimeUnit.MILLISECONDS).mapEmpty();
  }

  /** A call answered within this is within the service level's target. */
  private int targetSeconds() {
    return (int) metrics.target().toSeconds();
  }
}
