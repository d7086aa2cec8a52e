package dev.ringback.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an import row does to a customer: a new phone adds one ({@code tier} standard unless
 * given); a known one is updated, each cell given replacing the stored value and each empty cell
 * keeping it. {@code store.CustomerStore.MERGE} writes the same rule.
 */
public final class CustomerMerge {
  private CustomerMerge() {}

  /** A field an update changes; values as the API writes them ({@code tier} as its value), null for none. */
  public record Change(String field, String from, String to) {}

  /** The customer the row adds, as it would be stored (no id or times yet). */
  public static CustomerData added(CustomerData row) {
    return new CustomerData(row.phone(), row.name(), row.tier() == null ? Customer.Tier.STANDARD : row.tier(), row.language(),
        row.timeZone(), row.notes());
  }

  /** The fields the row changes on the stored customer, in the API's order; none when it repeats what is stored. */
  public static List<Change> changes(Customer stored, CustomerData row) {
    List<Change> changes = new ArrayList<>();
    change(changes, "name", stored.name(), row.name());
    change(changes, "tier", stored.tier().value(), row.tier() == null ? null : row.tier().value());
    change(changes, "language", stored.language(), row.language());
    change(changes, "time_zone", stored.timeZone(), row.timeZone());
    change(changes, "notes", stored.notes(), row.notes());
    return changes;
  }

  private static void change(List<Change> changes, String field, String stored, String given) {
    if (given != null && !Objects.equals(stored, given)) {
      changes.add(new Change(field, stored, given));
    }
  }
}
