package dev.ringback.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A customer of a business, known by their E.164 phone number. */
public record Customer(
    long id,
    String phone,
    String name,
    Tier tier,
    String language,
    String timeZone,
    String notes,
    Instant createdAt,
    Instant updatedAt) {

  public enum Tier {
    STANDARD, VIP;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Tier> parse(String value) {
      for (Tier tier : values()) {
        if (tier.value().equals(value)) {
          return Optional.of(tier);
        }
      }
      return Optional.empty();
    }
  }

  public boolean hasName() {
    return name != null && !name.isBlank();
  }

  /** The customer's names for the catalogs' {@code {name}} and {@code {first-name}}. */
  public Map<String, Object> names() {
    String full = name.trim();
    int space = full.indexOf(' ');
    return Map.of("name", full, "first-name", space < 0 ? full : full.substring(0, space));
  }
}
