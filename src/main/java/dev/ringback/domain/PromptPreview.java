package dev.ringback.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * What a caller hears of a line's sentence, written out for the owner: the sentence with its
 * placeholders filled with examples (the line's own name and number, a customer called Ana, a
 * time tomorrow afternoon), so a change reads as it will sound.
 */
public final class PromptPreview {
  public static final String EXAMPLE_NAME = "Ana Lopez";
  public static final String EXAMPLE_FIRST_NAME = "Ana";
  public static final String EXAMPLE_ORDER = "1001";

  private PromptPreview() {}

  /** The sentence {@code key} as the line says it now (its own text, else its language's), with examples. */
  public static String of(Speech speech, Line line, String key, int promiseMinutes, Instant now) {
    return speech.text(key, examples(speech, line, promiseMinutes, now));
  }

  /** A value for every placeholder the catalogs use. */
  static Map<String, Object> examples(Speech speech, Line line, int promiseMinutes, Instant now) {
    LocalDate tomorrow = now.atZone(line.timeZone()).toLocalDate().plusDays(1);
    Instant afternoon = ZonedDateTime.of(tomorrow, LocalTime.of(14, 30), line.timeZone()).toInstant();
    Instant morning = ZonedDateTime.of(tomorrow, LocalTime.of(10, 15), line.timeZone()).toInstant();
    String time = speech.time(afternoon, line.timeZone());
    return Map.ofEntries(
        Map.entry("business", line.name()),
        Map.entry("name", EXAMPLE_NAME),
        Map.entry("first-name", EXAMPLE_FIRST_NAME),
        Map.entry("time", time),
        Map.entry("date", speech.catalog().date(tomorrow)),
        Map.entry("minutes", promiseMinutes),
        Map.entry("number", line.number()),
        Map.entry("phone", line.number()),
        Map.entry("order", EXAMPLE_ORDER),
        Map.entry("reason", speech.text("whisper.reason.missed", Map.of("time", time))),
        Map.entry("times", speech.catalog().list(List.of(speech.time(morning, line.timeZone()), time))));
  }
}
