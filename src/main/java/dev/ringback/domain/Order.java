package dev.ringback.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A new order as a shop reported it, whatever the shop's own format.
 *
 * @param source {@code generic}, {@code shopify} or {@code woocommerce}
 * @param orderId the shop's id; with the source, what makes a delivery a duplicate
 * @param displayNumber what the buyer knows the order as ("#1001", "1042"); may be null
 * @param phones the numbers the order carries, best first
 * @param line the line that should call back, when the order names one
 * @param callAt when the buyer asked to be called, if they did; otherwise as soon as the policy says
 */
public record Order(String source, String orderId, String displayNumber, String name, List<Phone> phones,
                   BigDecimal total, String currency, Integer itemCount, Instant orderedAt, String line, Instant callAt) {
  /** The buyer is called now (as soon as orders are called back). */
  public static final String CALLED = "called";
  /** The buyer is called later, at the time they asked for. */
  public static final String SCHEDULED = "scheduled";
  public static final String DUPLICATE = "duplicate";
  public static final String NO_PHONE = "no_phone";
  public static final String INVALID_PHONE = "invalid_phone";
  public static final String REJECTED = "rejected";
  public static final List<String> RESULTS = List.of(CALLED, SCHEDULED, DUPLICATE, NO_PHONE, INVALID_PHONE, REJECTED);
  public static final List<String> SOURCES = List.of("generic", "shopify", "woocommerce");

  /**
   * A phone number as the shop wrote it.
   *
   * @param region the country of the address it came with, for numbers written without {@code +country}
   */
  public record Phone(String raw, String region) {}

  public Order {
    phones = phones.stream().filter(p -> p.raw() != null && !p.raw().isBlank()).toList();
  }

  /** The first number that can be dialled, in E.164; empty when none can. */
  public Optional<String> callablePhone(PhoneNumbers numbers) {
    return phones.stream().map(p -> numbers.normalize(p.raw(), p.region())).flatMap(Optional::stream).findFirst();
  }

  /**
   * What an order whose buyer will be called says: {@link #CALLED} when its callback is due by the
   * time orders are called back ({@code dueAtOnce}), {@link #SCHEDULED} when it is due later.
   */
  public static String callbackResult(Instant callbackDue, Instant dueAtOnce) {
    return callbackDue.isAfter(dueAtOnce) ? SCHEDULED : CALLED;
  }

  /** Why an order without a callable number gets no callback. */
  public String unreachableResult() {
    return phones.isEmpty() ? NO_PHONE : INVALID_PHONE;
  }
}
