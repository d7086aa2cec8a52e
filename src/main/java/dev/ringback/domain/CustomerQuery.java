package dev.ringback.domain;

import java.util.Optional;

/**
 * What an agent typed to find a customer: part of a name, in any case, or a run of a phone
 * number's digits however it is written ("+1 415-555", "(415) 555"). Typed letters mean a name;
 * without letters the digits are looked for in the numbers.
 *
 * @param name part of the name, or null when the digits are looked for
 * @param digits a run of digits of the number, or null when the name is looked for
 */
public record CustomerQuery(String name, String digits) {
  /** Longer than any name or number a person types into a search box. */
  public static final int MAX_LENGTH = 100;

  /** Empty when nothing was typed. */
  public static Optional<CustomerQuery> parse(String typed) {
    if (typed == null || typed.isBlank()) {
      return Optional.empty();
    }
    String text = typed.strip();
    String digits = text.replaceAll("[^0-9]", "");
    boolean number = !digits.isEmpty() && text.chars().noneMatch(Character::isLetter);
    return Optional.of(number ? new CustomerQuery(null, digits) : new CustomerQuery(text, null));
  }
}
