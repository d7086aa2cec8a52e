package dev.ringback.store;

import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.TextFailure;
import dev.ringback.domain.TextKind;
import dev.ringback.domain.TextResult;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The texts' outbox, the numbers' opt-outs and the customers' replies. A text is written before
 * it is sent; whoever claims it holds a lease while its request is out, and a text whose lease ran
 * out mid-request is looked up at Twilio before it is sent again. Whether a number may be texted
 * is read in the statement that writes or claims the text, so a STOP is never raced.
 */
public final class TextStore {
  /**
   * Why a text to this number ($2, of business $1) is not sent, or NULL: a landline by its
   * numbering plan ($3 false), the do-not-call list ($4: the kind respects it), STOP ($5: the kind
   * respects it; kept as a hash once the number was erased), or a text that failed for good before.
   */
  static final String BLOCKED = """
      CASE WHEN NOT $3 THEN 'not_mobile'
           WHEN $4 AND\s""" + Rows.doNotCallListed("$1", "$2") + """
       THEN 'do_not_call'
           WHEN $5 AND\s""" + Rows.textOptedOut("$1", "$2") + """
       THEN 'opted_out'
           WHEN EXISTS (SELECT 1 FROM text_numbers n WHERE n.business_id = $1 AND n.phone = $2 AND n.unable_at IS NOT NULL)
             THEN 'unable'
      END""";
  /** A text-back or last-attempt text is written once per callback, whoever writes it first. */
  static final String QUEUE = """
      INSERT INTO texts (business_id, customer_phone, line_id, callback_id, kind, body, sender, messaging_service_sid, state, result,
                         due_at, created_at)
      SELECT $1, $2, $6, $7, $8, $9, $10, $11, CASE WHEN blocked IS NULL THEN 'queued' ELSE 'done' END, blocked, $12, $13
      FROM (SELECT\s""" + BLOCKED + """
       AS blocked) decided
      ON CONFLICT (callback_id, kind) WHERE kind IN ('text_back', 'last_attempt') DO NOTHING
      RETURNING id, result""";
  static final String CLAIM_COLUMNS = """
      t.id, t.business_id, t.line_id, t.callback_id, t.customer_phone, t.kind, t.body, t.sender, t.messaging_service_sid, t.tries""";
  /**
   * Due texts, and texts whose sender's lease ran out mid-request ({@code ambiguous}, with when
   * the first request in doubt began, which stays the same while doubts pile up): each claimed by
   * one instance for {@code $2} seconds. Only $4 when given.
   * A number that opted out since its text was written, or is on the do-not-call list, is named in
   * {@code blocked}.
   */
  static final String CLAIM = """
      WITH due AS (
        SELECT id, state = 'sending' AS ambiguous, claimed_at AS since FROM texts
        WHERE (state = 'queued' AND due_at <= $1 OR state = 'sending' AND lease_until <= $1) AND ($4::bigint IS NULL OR id = $4)
        ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      UPDATE texts t SET state = 'sending', lease_until = $1 + make_interval(secs => $2), tries = t.tries + 1,
                         claimed_at = CASE WHEN due.ambiguous THEN t.claimed_at ELSE $1 END
      FROM due WHERE t.id = due.id
      RETURNING\s""" + CLAIM_COLUMNS + """
      , due.ambiguous, due.since,
        CASE WHEN t.kind <> 'reply' AND\s""" + Rows.doNotCallListed("t.business_id", "t.customer_phone") + """
       THEN 'do_not_call'
             WHEN EXISTS (SELECT 1 FROM text_numbers n WHERE n.business_id = t.business_id AND n.phone = t.customer_phone
                                 AND n.opted_out_at > t.created_at)
                  OR\s""" + Rows.textOptOutErased("t.business_id", "t.customer_phone") + """
       THEN 'opted_out'
        END AS blocked""";
  /** Handed to Twilio; a status callback that came first has already written what it knew. */
  static final String SENT = """
      UPDATE texts SET message_sid = COALESCE(message_sid, $2), sent_at = $3, lease_until = NULL,
                       state = CASE WHEN state = 'sending' THEN 'sent' ELSE state END, result = COALESCE(result, 'sent')
      WHERE id = $1 AND sent_at IS NULL
      RETURNING kind, customer_phone""";
  static final String AGAIN = "UPDATE texts SET state = 'queued', due_at = $2, lease_until = NULL WHERE id = $1 AND state = 'sending'";
  /** Not sent, for good: refused by Twilio, blocked, or given up. */
  static final String ENDED = """
      UPDATE texts SET state = 'done', result = $2, error_code = $3, lease_until = NULL
      WHERE id = $1 AND state IN ('queued', 'sending')
      RETURNING kind, business_id, customer_phone""";
  /**
   * Twilio's report on a text of business $7: its status always, its final result once ($6).
   * The report names the text in its URL; a report for another message is not this text's.
   */
  static final String STATUS = """
      UPDATE texts SET status = $3, status_at = $5, error_code = COALESCE($4, error_code), message_sid = COALESCE(message_sid, $2),
                       state = CASE WHEN $6::text IS NOT NULL THEN 'done' ELSE state END,
                       result = CASE WHEN $6::text IS NOT NULL THEN $6 ELSE result END, lease_until = NULL
      WHERE id = $1 AND business_id = $7 AND (message_sid IS NULL OR message_sid = $2)
        AND NOT (state = 'done' AND result IN ('delivered', 'undelivered', 'failed'))
      RETURNING kind, customer_phone""";
  static final String UNABLE = """
      INSERT INTO text_numbers (business_id, phone, unable_at, unable_code) VALUES ($1, $2, $3, $4)
      ON CONFLICT (business_id, phone) DO UPDATE SET unable_at = EXCLUDED.unable_at, unable_code = EXCLUDED.unable_code""";
  static final String OPT_OUT = """
      INSERT INTO text_numbers (business_id, phone, opted_out_at, opted_out_word) VALUES ($1, $2, $3, $4)
      ON CONFLICT (business_id, phone) DO UPDATE SET opted_out_at = EXCLUDED.opted_out_at, opted_out_word = EXCLUDED.opted_out_word""";
  /** Texts still waiting for a number that opted out are not sent; answers to the customer are. */
  static final String DROP_WAITING = """
      UPDATE texts SET state = 'done', result = 'opted_out'
      WHERE business_id = $1 AND customer_phone = $2 AND state = 'queued' AND kind <> 'reply'""";
  /** Lifts an opt-out, also one kept as a hash when the number was erased. */
  static final String OPT_IN = """
      WITH unhashed AS (DELETE FROM text_opt_outs_erased e USING erasure_salts s
                        WHERE e.business_id = $1 AND s.business_id = $1 AND e.phone_sha256 = sha256(s.salt || convert_to($2, 'UTF8'))
                        RETURNING 1),
      opted_in AS (UPDATE text_numbers SET opted_out_at = NULL, opted_out_word = NULL, opted_in_at = $3
                   WHERE business_id = $1 AND phone = $2 AND opted_out_at IS NOT NULL RETURNING phone)
      SELECT EXISTS (SELECT 1 FROM unhashed) OR EXISTS (SELECT 1 FROM opted_in) AS lifted""";
  static final String OPTED_OUT = "SELECT " + Rows.textOptedOut("$1", "$2") + " AS opted_out";
  static final String NUMBER = """
      SELECT opted_out_at, opted_out_word, opted_in_at, unable_at, unable_code FROM text_numbers WHERE business_id = $1 AND phone = $2""";
  /**
   * Callbacks created lately on lines that text ($1: lines that text after calls with triggers $2;
   * $3: lines that text after orders) without their text-back: the safety net for a text-back
   * its instance died before writing. Those created in the last seconds are left to that instance.
   */
  static final String WITHOUT_TEXT_BACK = """
      SELECT cb.id FROM callbacks cb
      WHERE cb.created_at > now() - make_interval(secs => $4) AND cb.created_at < now() - make_interval(secs => $5)
        AND (cb.line_id = ANY($1) AND cb.trigger = ANY($2) OR cb.line_id = ANY($3) AND cb.trigger = 'order')
        AND cb.state IN\s""" + CallbackStore.OPEN_STATES + """

        AND NOT EXISTS (SELECT 1 FROM texts t WHERE t.callback_id = cb.id AND t.kind = 'text_back')
      LIMIT 100""";
  /** Callbacks on lines that text ($1) whose last attempt failed lately, without their text. */
  static final String WITHOUT_LAST_ATTEMPT_TEXT = """
      SELECT cb.id FROM callbacks cb
      WHERE cb.state = 'expired' AND cb.updated_at > now() - make_interval(secs => $2) AND cb.updated_at < now() - make_interval(secs => $3)
        AND cb.line_id = ANY($1) AND cb.attempts > 0
        AND NOT EXISTS (SELECT 1 FROM texts t WHERE t.callback_id = cb.id AND t.kind = 'last_attempt')
      LIMIT 100""";
  /**
   * What a text about a callback says: who, on which line, due when, about which order, and when
   * the customer's phone was called (not an agent-first call whose agent never took it, nor a
   * call that could not be placed).
   */
  static final String ABOUT = """
      SELECT cb.id, cb.business_id, cb.line_id, cb.customer_phone, cb.trigger, cb.due_at, cb.state,
             (SELECT COALESCE(o.display_number, o.order_id) FROM orders o WHERE o.id = cb.order_row_id) AS order_number,
             ARRAY(SELECT a.started_at FROM callback_attempts a WHERE a.callback_id = cb.id AND a.started_at IS NOT NULL
                     AND a.outcome IS DISTINCT FROM 'agent_not_accepted' AND a.outcome IS DISTINCT FROM 'api_error'
                   ORDER BY a.started_at) AS tried_at
      FROM callbacks cb WHERE cb.id = $1""";
  /** Twilio may post one text twice: it is kept once. */
  static final String RECEIVED = """
      INSERT INTO text_replies (business_id, line_id, customer_phone, message_sid, body, kind, received_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_sid) DO NOTHING RETURNING id""";
  static final String REPLY_ABOUT = "UPDATE text_replies SET callback_id = $2 WHERE id = $1";
  /** The newest text-back or last-attempt text to this number since $3: a reply is about its callback. */
  static final String LAST_TEXTED = """
      SELECT line_id, callback_id FROM texts
      WHERE business_id = $1 AND customer_phone = $2 AND created_at > $3 AND kind IN ('text_back', 'last_attempt')
      ORDER BY created_at DESC LIMIT 1""";
  /** The customer's open callback on the line (a service-recovery task stands apart). */
  static final String OPEN_CALLBACK = """
      SELECT id, state FROM callbacks
      WHERE business_id = $1 AND line_id = $2 AND customer_phone = $3 AND state IN\s""" + CallbackStore.OPEN_STATES + """
       AND trigger <> 'feedback'
      LIMIT 1""";
  /** A time the customer texted: a callback waiting for the dialler or a person moves there. */
  static final String MOVE = """
      UPDATE callbacks SET due_at = $2, trigger = 'scheduled', waiting_for = NULL, updated_at = now()
      WHERE id = $1 AND state IN ('scheduled', 'agent_queue') RETURNING id""";
  static final String DUE_NOW = """
      UPDATE callbacks SET due_at = LEAST(due_at, $2), waiting_for = NULL, updated_at = now()
      WHERE id = $1 AND state IN ('scheduled', 'agent_queue') RETURNING id""";
  /** Words a person should read from a customer with no open callback: a task of its own, straight into the agents' queue. */
  static final String OPEN_TASK = """
      INSERT INTO callbacks (business_id, line_id, customer_phone, customer_id, trigger, triggered_at, last_triggered_at, due_at,
                             state, task_reason)
      VALUES ($1, $2, $3, $4, 'text', $5, $5, $5, 'agent_queue', $6)
      ON CONFLICT (line_id, customer_phone) WHERE state IN\s""" + CallbackStore.OPEN_STATES + """
       AND trigger <> 'feedback'
      DO NOTHING
      RETURNING\s""" + CallbackStore.SCHEDULED_COLUMNS;
  /** Words a person should read: the callback waits for an agent, with the reason. */
  static final String TO_AGENTS = """
      UPDATE callbacks SET state = 'agent_queue', task_reason = $2, owner = NULL, lease_until = NULL, updated_at = now()
      WHERE id = $1 AND state IN ('scheduled', 'agent_queue') RETURNING id""";

  /**
   * A text to write. {@code callbackId} is null for a text about no callback; {@code evenIfOptedOut}
   * only for the confirmation of an opt-out itself.
   */
  public record NewText(long businessId, long lineId, Long callbackId, String phone, TextKind kind, String body, String sender,
                        String messagingServiceSid, Instant dueAt, boolean mobile, boolean evenIfOptedOut) {
    public NewText withBody(String other) {
      return new NewText(businessId, lineId, callbackId, phone, kind, other, sender, messagingServiceSid, dueAt, mobile, evenIfOptedOut);
    }
  }

  /** A written text: its id, and why it is not sent when it is not. */
  public record Queued(long id, Optional<TextResult> notSent) {}

  /**
   * A text claimed for sending.
   *
   * @param ambiguous an earlier request for it got no answer: it may have been sent (since {@code since})
   * @param blocked why it may no longer be sent, if the number opted out or is on the do-not-call list since it was written
   */
  public record Claimed(long id, long businessId, long lineId, Long callbackId, String phone, TextKind kind, String body, String sender,
                        String messagingServiceSid, int tries, boolean ambiguous, Instant since, Optional<TextResult> blocked) {}

  /** A text whose state changed: its kind (the metrics' label) and the number it went to. */
  public record Changed(TextKind kind, String phone) {}

  /** What a number showed about texts. */
  public record TextNumber(Instant optedOutAt, String optedOutWord, Instant optedInAt, Instant unableAt, Integer unableCode) {}

  /** What a text about a callback says. */
  public record About(long callbackId, long businessId, long lineId, String phone, CallbackTrigger trigger, Instant dueAt, String state,
                      String orderNumber, List<Instant> triedAt) {}

  /** The callback and line the newest text to a number was about. */
  public record LastTexted(long lineId, Long callbackId) {}

  /** A customer's open callback. */
  public record Open(long id, String state) {}

  private final Pool pool;

  public TextStore(Pool pool) {
    this.pool = pool;
  }

  /** Writes a text; empty when the callback already has its text of this kind. */
  public Future<Optional<Queued>> queue(NewText t, Instant now) {
    return pool.preparedQuery(QUEUE).execute(Tuple.from(new Object[] {t.businessId(), t.phone(), t.mobile(),
            t.kind() != TextKind.REPLY, !t.evenIfOptedOut(), t.lineId(), t.callbackId(), t.kind().value(), t.body(),
            t.sender(), t.messagingServiceSid(), Rows.timestamp(t.dueAt()), Rows.timestamp(now)}))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row row = rows.iterator().next();
          return Optional.of(new Queued(row.getLong("id"), TextResult.parse(row.getString("result"))));
        });
  }

  /**
   * Claims up to {@code limit} due texts (only {@code id} when given) for {@code lease}.
   *
   * @param now the claim's time: due texts are those due by then
   */
  public Future<List<Claimed>> claim(Instant now, Duration lease, int limit, Long id) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(Rows.timestamp(now), (double) lease.toSeconds(), limit, id)).map(rows -> {
      List<Claimed> claimed = new ArrayList<>();
      for (Row row : rows) {
        claimed.add(new Claimed(row.getLong("id"), row.getLong("business_id"), row.getLong("line_id"), row.getLong("callback_id"),
            row.getString("customer_phone"), TextKind.parse(row.getString("kind")).orElseThrow(), row.getString("body"),
            row.getString("sender"), row.getString("messaging_service_sid"), row.getInteger("tries"), row.getBoolean("ambiguous"),
            Rows.instant(row.getOffsetDateTime("since")), TextResult.parse(row.getString("blocked"))));
      }
      return claimed;
    });
  }

  /** Twilio took the text; empty when it was already known as sent. */
  public Future<Optional<Changed>> sent(long id, String messageSid, Instant now) {
    return pool.preparedQuery(SENT).execute(Tuple.of(id, messageSid, Rows.timestamp(now)))
        .map(TextStore::changed);
  }

  /** Sends the text again at {@code at}: its request failed, for now. */
  public Future<Void> again(long id, Instant at) {
    return pool.preparedQuery(AGAIN).execute(Tuple.of(id, Rows.timestamp(at))).mapEmpty();
  }

  /**
   * The text ends unsent with {@code result}; when Twilio's error says so the number is marked
   * (unable to take texts, or opted out), in the same transaction.
   */
  public Future<Optional<Changed>> ended(long id, TextResult result, Integer errorCode, Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery(ENDED).execute(Tuple.of(id, result.value(), errorCode))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Changed>empty());
          }
          Row row = rows.iterator().next();
          long businessId = row.getLong("business_id");
          String phone = row.getString("customer_phone");
          return mark(conn, businessId, phone, errorCode, now).map(changed(rows));
        }));
  }

  /**
   * Twilio's status report on text {@code id}; {@code result} is set when the status is final.
   * Empty when the text is not this business's, or its end was already reported.
   */
  public Future<Optional<Changed>> status(long businessId, long id, String messageSid, String status, Integer errorCode,
                                          TextResult result, Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery(STATUS)
        .execute(Tuple.from(new Object[] {id, messageSid, status, errorCode, Rows.timestamp(now), result == null ? null : result.value(),
            businessId}))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Changed>empty());
          }
          Row row = rows.iterator().next();
          String phone = row.getString("customer_phone");
          Future<Void> marked = result == TextResult.UNDELIVERED || result == TextResult.FAILED
              ? mark(conn, businessId, phone, errorCode, now) : Future.succeededFuture();
          return marked.map(changed(rows));
        }));
  }

  /** What an error code says about the number, kept ({@link TextFailure}). */
  private static Future<Void> mark(SqlClient conn, long businessId, String phone, Integer errorCode, Instant now) {
    return switch (TextFailure.of(errorCode)) {
      case PASSING -> Future.succeededFuture();
      case UNABLE -> conn.preparedQuery(UNABLE).execute(Tuple.of(businessId, phone, Rows.timestamp(now), errorCode)).mapEmpty();
      case OPTED_OUT -> conn.preparedQuery(OPT_OUT).execute(Tuple.of(businessId, phone, Rows.timestamp(now), "twilio:" + errorCode))
          .compose(v -> conn.preparedQuery(DROP_WAITING).execute(Tuple.of(businessId, phone))).mapEmpty();
    };
  }

  private static Optional<Changed> changed(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new Changed(TextKind.parse(row.getString("kind")).orElseThrow(), row.getString("customer_phone")));
  }

  /**
   * The number said STOP (in {@code word}); true when it had not before. Texts still waiting for
   * it are not sent.
   */
  public Future<Boolean> optOut(long businessId, String phone, String word, Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery(OPTED_OUT).execute(Tuple.of(businessId, phone))
        .compose(before -> conn.preparedQuery(OPT_OUT).execute(Tuple.of(businessId, phone, Rows.timestamp(now), word))
            .compose(v -> conn.preparedQuery(DROP_WAITING).execute(Tuple.of(businessId, phone)))
            .map(v -> !before.iterator().next().getBoolean("opted_out"))));
  }

  /** The number said START; true when it had opted out. */
  public Future<Boolean> optIn(long businessId, String phone, Instant now) {
    return pool.preparedQuery(OPT_IN).execute(Tuple.of(businessId, phone, Rows.timestamp(now)))
        .map(rows -> rows.iterator().next().getBoolean("lifted"));
  }

  /** What the number showed about texts, if anything. */
  public Future<Optional<TextNumber>> number(long businessId, String phone) {
    return pool.preparedQuery(NUMBER).execute(Tuple.of(businessId, phone)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new TextNumber(Rows.instant(row.getOffsetDateTime("opted_out_at")), row.getString("opted_out_word"),
          Rows.instant(row.getOffsetDateTime("opted_in_at")), Rows.instant(row.getOffsetDateTime("unable_at")),
          row.getInteger("unable_code")));
    });
  }

  /**
   * Callbacks of the last {@code window} without their text-back (older than {@code settle}).
   *
   * @param callLines lines that text after the call triggers {@code triggers}
   * @param orderLines lines that text after an order
   */
  public Future<List<Long>> withoutTextBack(Long[] callLines, String[] triggers, Long[] orderLines, Duration window,
                                            Duration settle) {
    return pool.preparedQuery(WITHOUT_TEXT_BACK)
        .execute(Tuple.of(callLines, triggers, orderLines, (double) window.toSeconds(), (double) settle.toSeconds()))
        .map(TextStore::ids);
  }

  /** Callbacks on {@code lines} that expired in the last {@code window} (older than {@code settle}) without their text. */
  public Future<List<Long>> withoutLastAttemptText(Long[] lines, Duration window, Duration settle) {
    return pool.preparedQuery(WITHOUT_LAST_ATTEMPT_TEXT).execute(Tuple.of(lines, (double) window.toSeconds(), (double) settle.toSeconds()))
        .map(TextStore::ids);
  }

  private static List<Long> ids(RowSet<Row> rows) {
    List<Long> ids = new ArrayList<>();
    rows.forEach(row -> ids.add(row.getLong("id")));
    return ids;
  }

  public Future<Optional<About>> about(long callbackId) {
    return pool.preparedQuery(ABOUT).execute(Tuple.of(callbackId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      List<Instant> tried = new ArrayList<>();
      for (OffsetDateTime at : row.getArrayOfOffsetDateTimes("tried_at")) {
        tried.add(Rows.instant(at));
      }
      return Optional.of(new About(row.getLong("id"), row.getLong("business_id"), row.getLong("line_id"), row.getString("customer_phone"),
          CallbackTrigger.parse(row.getString("trigger")).orElseThrow(), Rows.instant(row.getOffsetDateTime("due_at")),
          row.getString("state"), row.getString("order_number"), tried));
    });
  }

  /** Keeps a customer's text; empty when it was kept before (Twilio posted it again). */
  public Future<Optional<Long>> received(long businessId, long lineId, String phone, String messageSid, String body, String kind,
                                         Instant at) {
    return pool.preparedQuery(RECEIVED).execute(Tuple.from(new Object[] {businessId, lineId, phone, messageSid, body, kind,
            Rows.timestamp(at)}))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
  }

  public Future<Void> replyAbout(long replyId, long callbackId) {
    return pool.preparedQuery(REPLY_ABOUT).execute(Tuple.of(replyId, callbackId)).mapEmpty();
  }

  public Future<Optional<LastTexted>> lastTexted(long businessId, String phone, Instant since) {
    return pool.preparedQuery(LAST_TEXTED).execute(Tuple.of(businessId, phone, Rows.timestamp(since))).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(new LastTexted(rows.iterator().next().getLong("line_id"), rows.iterator().next().getLong("callback_id"))));
  }

  public Future<Optional<Open>> openCallback(long businessId, long lineId, String phone) {
    return pool.preparedQuery(OPEN_CALLBACK).execute(Tuple.of(businessId, lineId, phone)).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(new Open(rows.iterator().next().getLong("id"), rows.iterator().next().getString("state"))));
  }

  /** Moves a callback that waits to {@code at}; false when it is being dialled, or done. */
  public Future<Boolean> move(long callbackId, Instant at) {
    return pool.preparedQuery(MOVE).execute(Tuple.of(callbackId, Rows.timestamp(at))).map(rows -> rows.size() > 0);
  }

  public Future<Boolean> dueNow(long callbackId, Instant now) {
    return pool.preparedQuery(DUE_NOW).execute(Tuple.of(callbackId, Rows.timestamp(now))).map(rows -> rows.size() > 0);
  }

  /** A task for the agents about the customer's text; empty when a callback of theirs was opened meanwhile. */
  public Future<Optional<CallbackStore.Scheduled>> openTask(long businessId, long lineId, String phone, Long customerId, Instant now,
                                                            String reason) {
    return pool.preparedQuery(OPEN_TASK).execute(Tuple.of(businessId, lineId, phone, customerId, Rows.timestamp(now), reason))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(CallbackStore.scheduled(rows.iterator().next())));
  }

  /** @param reason why a person is needed, for the agents' queue */
  public Future<Boolean> toAgents(long callbackId, String reason) {
    return pool.preparedQuery(TO_AGENTS).execute(Tuple.of(callbackId, reason)).map(rows -> rows.size() > 0);
  }
}
