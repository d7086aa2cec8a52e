package dev.ringback.domain;

import java.time.Instant;

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
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<Tier> parse(String value) {
      for (Tier tier : values()) {
        if (tier.value().equals(value)) {
          return java.util.Optional.of(tier);
        }
      }
      return java.util.Optional.empty();
    }
  }

  public boolean hasName() {
    return name != null && !name.isBlank();
  }
}
