package dev.ringback.store;

import dev.ringback.domain.Agent;
import dev.ringback.domain.Presence;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Agents, their lines and their presence. Tokens are kept only as SHA-256 hashes. */
public final class AgentStore {
  private static final String COLUMNS = """
      a.id, a.name, a.contact, a.presence, a.presence_changed_at, a.role, a.token_sha256 IS NOT NULL AS can_sign_in,
      ARRAY(SELECT l.slug FROM agent_lines al JOIN lines l ON l.id = al.line_id WHERE al.agent_id = a.id ORDER BY l.slug) AS lines""";
  static final String INSERT = """
      INSERT INTO agents (business_id, name, contact, token_sha256, role, presence) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (business_id, contact) DO NOTHING RETURNING id""";
  static final String UPDATE = "UPDATE agents SET name = $3, contact = $4, role = $5, updated_at = now() WHERE business_id = $1 AND id = $2";
  static final String CLEAR_LINES = "DELETE FROM agent_lines WHERE agent_id = $1";
  static final String ADD_LINES = """
      INSERT INTO agent_lines (agent_id, line_id) SELECT $1, l.id FROM lines l WHERE l.business_id = $2 AND l.slug = ANY($3)""";
  static final String FIND = "SELECT " + COLUMNS + " FROM agents a WHERE a.business_id = $1 AND a.id = $2";
  static final String LIST = "SELECT " + COLUMNS + " FROM agents a WHERE a.business_id = $1 ORDER BY a.id";
  static final String BY_TOKEN = "SELECT a.business_id, " + COLUMNS + " FROM agents a WHERE a.token_sha256 = $1";
  static final String DELETE = "DELETE FROM agents WHERE business_id = $1 AND id = $2";
  static final String SET_TOKEN = "UPDATE agents SET token_sha256 = $3, updated_at = now() WHERE business_id = $1 AND id = $2";
  static final String REVOKE_TOKEN = "UPDATE agents SET token_sha256 = NULL, updated_at = now() WHERE business_id = $1 AND id = $2";
  /** Set by the agent or an admin: whatever call made them busy no longer decides. */
  static final String SET_PRESENCE = """
      UPDATE agents SET presence = $3, busy_on_call = NULL, missed_in_row = 0,
                        presence_changed_at = CASE WHEN presence = $3 THEN presence_changed_at ELSE now() END
      WHERE business_id = $1 AND id = $2""";
  /**
   * A call reached the agent's phone: busy, remembering the call, unless they are offline. A
   * screened leg ($4 false) is not yet the agent's answer: their unanswered calls in a row stand.
   */
  static final String BUSY_ON_CALL = """
      UPDATE agents SET presence = 'busy', busy_on_call = $3, presence_changed_at = now(),
                        missed_in_row = CASE WHEN $4 THEN 0 ELSE missed_in_row END
      WHERE business_id = $1 AND contact = $2 AND presence = 'available'
        AND NOT EXISTS (SELECT 1 FROM call_events e WHERE e.call_sid = $3 AND e.business_id = $1
                        AND e.call_status IN ('completed', 'busy', 'no-answer', 'failed', 'canceled'))
      RETURNING id""";
  /** The agent pressed 1 on a screened leg: a person answered. */
  static final String TOOK_CALL = "UPDATE agents SET missed_in_row = 0 WHERE business_id = $1 AND contact = $2";
  /** That call ended: available again, unless the agent changed their presence meanwhile. */
  static final String CALL_ENDED = """
      UPDATE agents SET presence = 'available', busy_on_call = NULL, presence_changed_at = now()
      WHERE business_id = $1 AND contact = $2 AND presence = 'busy' AND busy_on_call = $3 RETURNING id""";
  /**
   * A call rang the agent and nobody answered: one more in a row; the one that makes
   * {@code $3} sets an available agent away ($3 = 0: never). Answers whether it did.
   */
  static final String LEG_NOT_ANSWERED = """
      UPDATE agents SET missed_in_row = missed_in_row + 1,
                        presence = CASE WHEN $3 > 0 AND missed_in_row + 1 = $3 AND presence = 'available' THEN 'away' ELSE presence END,
                        presence_changed_at = CASE WHEN $3 > 0 AND missed_in_row + 1 = $3 AND presence = 'available' THEN now()
                                                   ELSE presence_changed_at END
      WHERE business_id = $1 AND contact = $2
      RETURNING presence = 'away' AND missed_in_row = $3 AS set_away""";
  /** Whom to ring on a line: every agent of the line who is available; and whether the line has agents at all. */
  static final String OF_LINE = """
      SELECT a.id, a.contact, a.presence FROM agents a JOIN agent_lines al ON al.agent_id = a.id
      WHERE al.line_id = $1 ORDER BY a.presence_changed_at""";
  /** Each line's registered agents, and how many of them are available now. */
  static final String STAFF_BY_LINE = """
      SELECT al.line_id, count(*) AS registered, count(*) FILTER (WHERE a.presence = 'available') AS available
      FROM agent_lines al JOIN agents a ON a.id = al.agent_id GROUP BY al.line_id""";
  static final String COUNT_BY_PRESENCE = "SELECT business_id, presence, count(*) AS n FROM agents GROUP BY business_id, presence";

  /**
   * The agents of a line: whom to ring now, and whether the line is staffed through agents at all.
   *
   * @param available the available agents' contacts, the one available longest first
   * @param availableByRegistration the same, in the order they were registered
   */
  /** @param everyone every registered agent's contact, free or not */
  public record Staff(boolean registered, List<String> available, List<String> availableByRegistration, List<String> everyone) {}

  private final Pool pool;

  public AgentStore(Pool pool) {
    this.pool = pool;
  }

  /** Empty when another agent already has this contact. */
  public Future<Optional<Agent>> create(long businessId, String name, String contact, String role, List<String> lines,
                                       byte[] tokenHash, Presence presence) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
        .execute(Tuple.of(businessId, name, contact, Buffer.buffer(tokenHash), role, presence.value()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Agent>empty());
          }
          long id = rows.iterator().next().getLong("id");
          return setLines(conn, businessId, id, lines).compose(v -> find(conn, businessId, id));
        }));
  }

  /** Another agent of the business already has this contact. */
  public static final class ContactTaken extends RuntimeException {
    ContactTaken(String contact) {
      super("contact: another agent has " + contact, null, false, false);
    }
  }

  /** Empty when there is no such agent; fails with {@link ContactTaken} when the contact is another agent's. */
  public Future<Optional<Agent>> replace(long businessId, long id, String name, String contact, String role, List<String> lines) {
    return pool.withTransaction(conn -> conn.preparedQuery(UPDATE).execute(Tuple.of(businessId, id, name, contact, role))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(Optional.<Agent>empty())
            : setLines(conn, businessId, id, lines).compose(v -> find(conn, businessId, id))))
        .recover(e -> Future.failedFuture(Rows.isUniqueViolation(e) ? new ContactTaken(contact) : e));
  }

  private static Future<Void> setLines(SqlConnection conn, long businessId, long id, List<String> lines) {
    return conn.preparedQuery(CLEAR_LINES).execute(Tuple.of(id))
        .compose(v -> conn.preparedQuery(ADD_LINES).execute(Tuple.of(id, businessId, lines.toArray(String[]::new))))
        .mapEmpty();
  }

  public Future<Optional<Agent>> find(long businessId, long id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(businessId, id)).map(AgentStore::first);
  }

  private static Future<Optional<Agent>> find(SqlConnection conn, long businessId, long id) {
    return conn.preparedQuery(FIND).execute(Tuple.of(businessId, id)).map(AgentStore::first);
  }

  public Future<List<Agent>> list(long businessId) {
    return pool.preparedQuery(LIST).execute(Tuple.of(businessId)).map(rows -> {
      List<Agent> out = new ArrayList<>();
      rows.forEach(row -> out.add(agent(row)));
      return out;
    });
  }

  /** The agent a bearer token belongs to, with their business. */
  public record Holder(long businessId, Agent agent) {}

  public Future<Optional<Holder>> byToken(byte[] tokenHash) {
    return pool.preparedQuery(BY_TOKEN).execute(Tuple.of(Buffer.buffer(tokenHash))).map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(new Holder(rows.iterator().next().getLong("business_id"), agent(rows.iterator().next()))));
  }

  public Future<Boolean> delete(long businessId, long id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(businessId, id)).map(rows -> rows.rowCount() > 0);
  }

  public Future<Boolean> setToken(long businessId, long id, byte[] tokenHash) {
    return pool.preparedQuery(SET_TOKEN).execute(Tuple.of(businessId, id, Buffer.buffer(tokenHash))).map(rows -> rows.rowCount() > 0);
  }

  /** The agent keeps no token; false when there is no such agent. */
  public Future<Boolean> revokeToken(long businessId, long id) {
    return pool.preparedQuery(REVOKE_TOKEN).execute(Tuple.of(businessId, id)).map(rows -> rows.rowCount() > 0);
  }

  public Future<Optional<Agent>> setPresence(long businessId, long id, Presence presence) {
    return pool.preparedQuery(SET_PRESENCE).execute(Tuple.of(businessId, id, presence.value()))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(Optional.empty()) : find(businessId, id));
  }

  /**
   * @param personAnswered false for a screened leg, whose answer may be a voicemail's
   * @return whether an agent became busy
   */
  public Future<Boolean> busyOnCall(long businessId, String contact, String callSid, boolean personAnswered) {
    return pool.preparedQuery(BUSY_ON_CALL).execute(Tuple.of(businessId, contact, callSid, personAnswered)).map(rows -> rows.size() > 0);
  }

  /** The agent took a screened call: their count of calls left unanswered starts again. */
  public Future<Void> tookCall(long businessId, String contact) {
    return pool.preparedQuery(TOOK_CALL).execute(Tuple.of(businessId, contact)).mapEmpty();
  }

  /** A call rang the agent unanswered; true when that set them away, after {@code awayAfter} in a row (0: never). */
  public Future<Boolean> legNotAnswered(long businessId, String contact, int awayAfter) {
    return pool.preparedQuery(LEG_NOT_ANSWERED).execute(Tuple.of(businessId, contact, awayAfter))
        .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean("set_away"));
  }

  /** @return whether an agent became available again */
  public Future<Boolean> callEnded(long businessId, String contact, String callSid) {
    return pool.preparedQuery(CALL_ENDED).execute(Tuple.of(businessId, contact, callSid)).map(rows -> rows.size() > 0);
  }

  public Future<Staff> staff(long lineKey) {
    return pool.preparedQuery(OF_LINE).execute(Tuple.of(lineKey)).map(rows -> {
      List<String> available = new ArrayList<>();
      List<String> everyone = new ArrayList<>();
      Map<Long, String> byId = new TreeMap<>();
      rows.forEach(row -> {
        everyone.add(row.getString("contact"));
        if (presence(row) == Presence.AVAILABLE) {
          available.add(row.getString("contact"));
          byId.put(row.getLong("id"), row.getString("contact"));
        }
      });
      return new Staff(rows.size() > 0, available, List.copyOf(byId.values()), everyone);
    });
  }

  /** A line's registered agents, and how many of them are available. */
  public record Staffing(long registered, long available) {
    public static final Staffing NONE = new Staffing(0, 0);
  }

  /** Each line's staffing, by the line's key; a line without registered agents is absent. */
  public Future<Map<Long, Staffing>> staffingByLine() {
    return pool.query(STAFF_BY_LINE).execute().map(rows -> {
      Map<Long, Staffing> byLine = new HashMap<>();
      rows.forEach(row -> byLine.put(row.getLong("line_id"), new Staffing(row.getLong("registered"), row.getLong("available"))));
      return byLine;
    });
  }

  /** Each business's agents (by its key) by presence, for the {@code ringback_agents} gauge. */
  public Future<Map<Long, Map<Presence, Long>>> countByPresence() {
    return pool.query(COUNT_BY_PRESENCE).execute().map(rows -> {
      Map<Long, Map<Presence, Long>> counts = new HashMap<>();
      rows.forEach(row -> counts.computeIfAbsent(row.getLong("business_id"), b -> new EnumMap<>(Presence.NO_AGENTS))
          .put(presence(row), row.getLong("n")));
      return counts;
    });
  }

  private static Optional<Agent> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(agent(rows.iterator().next()));
  }

  private static Agent agent(Row row) {
    String[] lines = row.getArrayOfStrings("lines");
    return new Agent(row.getLong("id"), row.getString("name"), row.getString("contact"), presence(row),
        lines == null ? List.of() : List.of(lines), Rows.instant(row.getOffsetDateTime("presence_changed_at")), row.getString("role"),
        row.getBoolean("can_sign_in"));
  }

  private static Presence presence(Row row) {
    return Presence.parse(row.getString("presence")).orElseThrow();
  }
}
