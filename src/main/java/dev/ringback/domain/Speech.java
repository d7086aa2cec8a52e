package dev.ringback.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * How Ringback speaks on one call: the catalog of the language chosen for it, the code and voice
 * Twilio's {@code <Say>} gets, and the line's own sentences (used only while speaking the line's
 * language: an owner's words in Russian are not read to a caller spoken to in English).
 *
 * @param sayLanguage the {@code language} of every {@code <Say>}
 * @param voice the {@code voice} of every {@code <Say>}, or null for Twilio's default for the language
 * @param own the line's own sentences by key
 */
public record Speech(Catalog catalog, String sayLanguage, String voice, Map<String, Prompt> own) {
  public Speech {
    own = Map.copyOf(own);
  }

  /**
   * How a call on {@code line} is spoken to: in the customer's language when there is a catalog for
   * it (and it is not the line's), else in the line's.
   */
  public static Speech on(Catalogs catalogs, Line line, Optional<String> customerLanguage) {
    Catalog lines = catalogs.forLanguage(line.language())
        .orElseThrow(() -> new IllegalStateException("no catalog speaks " + line.language() + ", the language of line " + line.id()));
    Optional<Catalog> customers = customerLanguage.filter(l -> !l.isBlank())
        .flatMap(catalogs::forLanguage)
        .filter(c -> c != lines);
    if (customers.isPresent()) {
      return new Speech(customers.get(), customers.get().language(), null, Map.of());
    }
    return new Speech(lines, line.language(), line.voice(), line.prompts());
  }

  /** How a call with no line of its own is spoken to: in {@code catalog}'s language, Twilio's default voice. */
  public static Speech plain(Catalog catalog) {
    return new Speech(catalog, catalog.language(), null, Map.of());
  }

  /** A time of day as this call's language says it. */
  public String time(Instant at, ZoneId zone) {
    return catalog.time(at, zone);
  }

  /** A sentence in full: the line's own if it has one in text, else the catalog's. */
  public String text(String key, Map<String, ?> values) {
    Prompt mine = own.get(key);
    if (mine != null && !mine.isRecording()) {
      return Catalog.format(catalog.compile(key, mine.text()), values);
    }
    return catalog.text(key, values);
  }

  public String text(String key) {
    return text(key, Map.of());
  }

  /** The line's recording of a sentence, if it has one instead of a text. */
  public Optional<String> recording(String key) {
    Prompt mine = own.get(key);
    return mine != null && mine.isRecording() ? Optional.of(mine.play()) : Optional.empty();
  }
}
