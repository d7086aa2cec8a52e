package dev.ringback.support;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Where the test lines are: times there, and Twilio's way of writing a time in a webhook (RFC 1123, GMT). */
public final class LosAngeles {
  public static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  public static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private LosAngeles() {}

  /** A local time in Los Angeles, such as {@code 2026-12-02T14:05}. */
  public static Instant la(String local) {
    return LocalDateTime.parse(local).atZone(LA).toInstant();
  }
}
