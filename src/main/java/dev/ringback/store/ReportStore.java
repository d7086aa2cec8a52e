package dev.ringback.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-agent and per-line figures over a period: calls answered, ring-to-answer (median, p90),
 * service level, callbacks connected, speed to callback and the customers' scores. Computed
 * from the stored calls, so they agree with the customer files, whatever the metrics saw.
 */
public final class ReportStore {
  /** Seconds from a call's arrival to the agent's answer. */
  private static final String RING = "EXTRACT(EPOCH FROM (c.answered_at - c.arrived_at))";
  /** Seconds from a callback's trigger to the call being placed. */
  private static final String SPEED = "EXTRACT(EPOCH FROM (a.placed_at - cb.triggered_at))";

  /** $1 business, $2 from, $3 to (exclusive), $4 target seconds. Agents are known by the number or URI that answered. */
  static final String AGENTS = """
      WITH answered AS (
        SELECT c.agent_contact AS contact, count(*) AS calls_answered,
               count(*) FILTER (WHERE c.answered_at - c.arrived_at <= make_interval(secs => $4)) AS within_target,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY\s""" + RING + ") AS ring_median,\n"
      + "         percentile_cont(0.9) WITHIN GROUP (ORDER BY " + RING + """
      ) AS ring_p90
        FROM calls c
        WHERE c.business_id = $1 AND c.direction = 'inbound' AND c.arrived_at >= $2 AND c.arrived_at < $3
          AND c.answered_at IS NOT NULL AND c.agent_contact IS NOT NULL
        GROUP BY c.agent_contact),
      connected AS (
        SELECT a.agent_contact AS contact, count(*) AS callbacks_connected,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY\s""" + SPEED + ") AS speed_median,\n"
      + "         percentile_cont(0.9) WITHIN GROUP (ORDER BY " + SPEED + """
      ) AS speed_p90
        FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id
        WHERE cb.business_id = $1 AND a.started_at >= $2 AND a.started_at < $3 AND a.outcome = 'connected'
          AND a.agent_contact IS NOT NULL
        GROUP BY a.agent_contact),
      scored AS (
        SELECT f.agent_contact AS contact, avg(f.score)::float8 AS score_average, count(*) AS scores,
               count(*) FILTER (WHERE f.score <= 2) AS poor_scores
        FROM feedback f
        WHERE f.business_id = $1 AND f.answered_at >= $2 AND f.answered_at < $3 AND f.score IS NOT NULL
          AND f.agent_contact IS NOT NULL
        GROUP BY f.agent_contact),
      people AS (
        SELECT contact FROM agents WHERE business_id = $1
        UNION SELECT contact FROM answered UNION SELECT contact FROM connected UNION SELECT contact FROM scored)
      SELECT p.contact AS key, ag.id AS agent_id, ag.name,
             COALESCE(an.calls_answered, 0) AS calls_answered, COALESCE(an.calls_answered, 0) AS calls_offered,
             COALESCE(an.within_target, 0) AS within_target, an.ring_median, an.ring_p90,
             COALESCE(cn.callbacks_connected, 0) AS callbacks_connected, cn.speed_median, cn.speed_p90,
             sc.score_average, COALESCE(sc.scores, 0) AS scores, COALESCE(sc.poor_scores, 0) AS poor_scores
      FROM people p LEFT JOIN agents ag ON ag.business_id = $1 AND ag.contact = p.contact
        LEFT JOIN answered an ON an.contact = p.contact
        LEFT JOIN connected cn ON cn.contact = p.contact
        LEFT JOIN scored sc ON sc.contact = p.contact
      ORDER BY ag.name NULLS LAST, p.contact""";

  /**
   * $1 business, $2 from, $3 to (exclusive), $4 target seconds. A line's service level counts
   * every call offered to its agents (not those that came in after hours); speed to callback
   * counts each callback once, by its first attempt.
   */
  static final String LINES = """
      WITH inbound AS (
        SELECT c.line_id, count(*) FILTER (WHERE c.dial_status IS DISTINCT FROM 'after_hours') AS calls_offered,
               count(*) FILTER (WHERE c.answered_at IS NOT NULL) AS calls_answered,
               count(*) FILTER (WHERE c.answered_at - c.arrived_at <= make_interval(secs => $4)) AS within_target,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY\s""" + RING + ") AS ring_median,\n"
      + "         percentile_cont(0.9) WITHIN GROUP (ORDER BY " + RING + """
      ) AS ring_p90
        FROM calls c
        WHERE c.business_id = $1 AND c.direction = 'inbound' AND c.arrived_at >= $2 AND c.arrived_at < $3
        GROUP BY c.line_id),
      connected AS (
        SELECT cb.line_id, count(*) AS callbacks_connected
        FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id
        WHERE cb.business_id = $1 AND a.started_at >= $2 AND a.started_at < $3 AND a.outcome = 'connected'
        GROUP BY cb.line_id),
      speed AS (
        SELECT cb.line_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY\s""" + SPEED + ") AS speed_median,\n"
      + "         percentile_cont(0.9) WITHIN GROUP (ORDER BY " + SPEED + """
      ) AS speed_p90
        FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id
        WHERE cb.business_id = $1 AND a.attempt = 1 AND a.placed_at >= $2 AND a.placed_at < $3
        GROUP BY cb.line_id),
      scored AS (
        SELECT f.line_id, avg(f.score)::float8 AS score_average, count(*) AS scores, count(*) FILTER (WHERE f.score <= 2) AS poor_scores
        FROM feedback f
        WHERE f.business_id = $1 AND f.answered_at >= $2 AND f.answered_at < $3 AND f.score IS NOT NULL
        GROUP BY f.line_id)
      SELECT l.slug AS key, NULL::bigint AS agent_id, l.name,
             COALESCE(i.calls_answered, 0) AS calls_answered, COALESCE(i.calls_offered, 0) AS calls_offered,
             COALESCE(i.within_target, 0) AS within_target, i.ring_median, i.ring_p90,
             COALESCE(cn.callbacks_connected, 0) AS callbacks_connected, sp.speed_median, sp.speed_p90,
             sc.score_average, COALESCE(sc.scores, 0) AS scores, COALESCE(sc.poor_scores, 0) AS poor_scores
      FROM lines l
        LEFT JOIN inbound i ON i.line_id = l.id
        LEFT JOIN connected cn ON cn.line_id = l.id
        LEFT JOIN speed sp ON sp.line_id = l.id
        LEFT JOIN scored sc ON sc.line_id = l.id
      WHERE l.business_id = $1
      ORDER BY l.slug""";

  /**
   * One agent's or one line's figures; seconds as measured, nulls where nothing was measured.
   *
   * @param key the agent's number or SIP URI, or the line's id
   * @param callsOffered calls that reached the agents (for an agent: the calls they answered)
   */
  public record Figures(String key, Long agentId, String name, long callsAnswered, long callsOffered, long withinTarget,
                        Double ringMedianSeconds, Double ringP90Seconds, long callbacksConnected, Double speedMedianSeconds,
                        Double speedP90Seconds, Double scoreAverage, long scores, long poorScores) {}

  private final Pool pool;

  public ReportStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Figures>> agents(long businessId, Instant from, Instant to, int targetSeconds) {
    return run(AGENTS, businessId, from, to, targetSeconds);
  }

  public Future<List<Figures>> lines(long businessId, Instant from, Instant to, int targetSeconds) {
    return run(LINES, businessId, from, to, targetSeconds);
  }

  private Future<List<Figures>> run(String sql, long businessId, Instant from, Instant to, int targetSeconds) {
    return pool.preparedQuery(sql).execute(Tuple.of(businessId, Rows.timestamp(from), Rows.timestamp(to), (double) targetSeconds))
        .map(rows -> {
          List<Figures> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new Figures(row.getString("key"), row.getLong("agent_id"), row.getString("name"), row.getLong("calls_answered"),
                row.getLong("calls_offered"), row.getLong("within_target"), row.getDouble("ring_median"), row.getDouble("ring_p90"),
                row.getLong("callbacks_connected"), row.getDouble("speed_median"), row.getDouble("speed_p90"),
                row.getDouble("score_average"), row.getLong("scores"), row.getLong("poor_scores")));
          }
          return out;
        });
  }

  /**
   * Inbound calls per span, $2 the spans' boundaries in order, $3 target seconds: offered (not
   * after hours), answered, and answered within the target, as {@link #LINES} counts them.
   */
  static final String SPANS = """
      WITH bounds AS (SELECT b AS start, lead(b) OVER (ORDER BY b) AS stop FROM unnest($2::timestamptz[]) AS b)
      SELECT s.start,
             count(c.id) FILTER (WHERE c.dial_status IS DISTINCT FROM 'after_hours') AS offered,
             count(c.id) FILTER (WHERE c.answered_at IS NOT NULL) AS answered,
             count(c.id) FILTER (WHERE c.answered_at - c.arrived_at <= make_interval(secs => $3)) AS within_target
      FROM bounds s LEFT JOIN calls c ON c.business_id = $1 AND c.direction = 'inbound' AND c.arrived_at >= s.start
                                     AND c.arrived_at < s.stop
      WHERE s.stop IS NOT NULL
      GROUP BY s.start ORDER BY s.start""";
  /**
   * The queue now and the day so far ($2 to $3): callbacks waiting for the dialler (or being
   * dialled) and for a person, and since when the customer waiting longest has waited; speed to callback of the day's first attempts; the
   * day's orders and how many had a number to call; the day's scores.
   */
  static final String NOW = """
      SELECT (SELECT count(*) FROM callbacks WHERE business_id = $1 AND state IN ('scheduled', 'dialing')) AS waiting,
             (SELECT count(*) FROM callbacks WHERE business_id = $1 AND state = 'agent_queue') AS with_agents,
             (SELECT min(triggered_at) FROM callbacks WHERE business_id = $1 AND state IN\s""" + CallbackStore.OPEN_STATES + """
      ) AS oldest_waiting,
             (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY\s""" + SPEED + """
      )
              FROM callback_attempts a JOIN callbacks cb ON cb.id = a.callback_id
              WHERE cb.business_id = $1 AND a.attempt = 1 AND a.placed_at >= $2 AND a.placed_at < $3) AS speed_median,
             (SELECT count(*) FROM orders WHERE business_id = $1 AND received_at >= $2 AND received_at < $3) AS orders,
             (SELECT count(*) FROM orders WHERE business_id = $1 AND received_at >= $2 AND received_at < $3 AND result = 'called')
               AS orders_called,
             (SELECT avg(score)::float8 FROM feedback WHERE business_id = $1 AND answered_at >= $2 AND answered_at < $3
                AND score IS NOT NULL) AS score_average,
             (SELECT count(*) FROM feedback WHERE business_id = $1 AND answered_at >= $2 AND answered_at < $3
                AND score IS NOT NULL) AS scores""";

  /** Inbound calls in one span, from {@code start}. */
  public record Span(Instant start, long offered, long answered, long withinTarget) {}

  /** The queue now and the day so far. */
  public record Now(long waiting, long withAgents, Instant oldestWaiting, Double speedMedianSeconds, long orders, long ordersCalled,
                    Double scoreAverage, long scores) {}

  /** @param boundaries the spans' starts, then the last one's end, in order */
  public Future<List<Span>> spans(long businessId, List<Instant> boundaries, int targetSeconds) {
    OffsetDateTime[] bounds = boundaries.stream().map(Rows::timestamp).toArray(OffsetDateTime[]::new);
    return pool.preparedQuery(SPANS).execute(Tuple.of(businessId, bounds, (double) targetSeconds)).map(rows -> {
      List<Span> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(new Span(Rows.instant(row.getOffsetDateTime("start")), row.getLong("offered"), row.getLong("answered"),
            row.getLong("within_target")));
      }
      return out;
    });
  }

  public Future<Now> now(long businessId, Instant dayStart, Instant dayEnd) {
    return pool.preparedQuery(NOW).execute(Tuple.of(businessId, Rows.timestamp(dayStart), Rows.timestamp(dayEnd)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Now(row.getLong("waiting"), row.getLong("with_agents"), Rows.instant(row.getOffsetDateTime("oldest_waiting")),
              row.getDouble("speed_median"), row.getLong("orders"), row.getLong("orders_called"), row.getDouble("score_average"),
              row.getLong("scores"));
        });
  }
}
