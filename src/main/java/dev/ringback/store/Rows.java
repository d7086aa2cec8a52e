package dev.ringback.store;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions at the edge between PostgreSQL values and the domain. */
final class Rows {
  private Rows() {}

  static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }

  /**
   * The configured id of the line whose key is in {@code lineIdColumn}, as column {@code line},
   * and the slug of its business, as column {@code business}: the metrics' labels.
   */
  static String lineSlug(String lineIdColumn) {
    return "(SELECT l.slug FROM lines l WHERE l.id = " + lineIdColumn + ") AS line, "
        + "(SELECT b.slug FROM lines l JOIN businesses b ON b.id = l.business_id WHERE l.id = " + lineIdColumn + ") AS business";
  }

  /**
   * The name of the registered agent of the business in {@code businessColumn} whose contact is in
   * {@code contactColumn}, as the network wrote it (a SIP URI may carry parameters); null when the
   * phone is no registered agent's.
   */
  static String agentName(String businessColumn, String contactColumn) {
    return "(SELECT ag.name FROM agents ag WHERE ag.business_id = " + businessColumn
        + " AND ag.contact = split_part(" + contactColumn + ", ';', 1))";
  }

  /**
   * Whether the number in {@code phoneColumn} is on the do-not-call list of the business in
   * {@code businessColumn}: in clear, or (once the number was erased) as its salted hash.
   */
  static String doNotCallListed(String businessColumn, String phoneColumn) {
    return "(EXISTS (SELECT 1 FROM do_not_call d WHERE d.business_id = " + businessColumn + " AND d.phone = " + phoneColumn + ")"
        + " OR " + keptAsHash("do_not_call_erased", businessColumn, phoneColumn) + ")";
  }

  /**
   * Whether the number in {@code phoneColumn} said STOP to the texts of the business in
   * {@code businessColumn}: in clear, or (once the number was erased) as its salted hash.
   */
  static String textOptedOut(String businessColumn, String phoneColumn) {
    return "(EXISTS (SELECT 1 FROM text_numbers n WHERE n.business_id = " + businessColumn + " AND n.phone = " + phoneColumn
        + " AND n.opted_out_at IS NOT NULL) OR " + textOptOutErased(businessColumn, phoneColumn) + ")";
  }

  /** Whether the number said STOP before it was erased: only its salted hash is kept. */
  static String textOptOutErased(String businessColumn, String phoneColumn) {
    return keptAsHash("text_opt_outs_erased", businessColumn, phoneColumn);
  }

  /** Whether {@code table} (business_id, phone_sha256) holds the number's hash with its business's erasure salt. */
  private static String keptAsHash(String table, String businessColumn, String phoneColumn) {
    return "EXISTS (SELECT 1 FROM " + table + " e JOIN erasure_salts s ON s.business_id = e.business_id"
        + " WHERE e.business_id = " + businessColumn + " AND e.phone_sha256 = sha256(s.salt || convert_to(" + phoneColumn + ", 'UTF8')))";
  }

  /** 23505: the row is already there, which for idempotent writes means success. */

  static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  /** A jsonb column as a JSON object; null stays null. */
  static JsonObject json(Object value) {
    return value == null ? null : value instanceof JsonObject json ? json
        : new JsonObject(String.valueOf(value));
  }
}
