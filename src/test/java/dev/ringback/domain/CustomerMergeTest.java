package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.domain.CustomerMerge.Change;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an import row changes: each cell given replaces the stored value, each empty one keeps it. */
class CustomerMergeTest {
  static final Customer STORED = new Customer(7, "+14155550123", "Ada Lovelace", Customer.Tier.STANDARD, "en-US",
      null, "Prefers mornings", Instant.EPOCH, Instant.EPOCH);

  static CustomerData row(String name, Customer.Tier tier, String language, String timeZone, String notes) {
    return new CustomerData("+14155550123", name, tier, language, timeZone, notes);
  }

  @Test
  void aKnownCustomerChangesOnlyInTheCellsGivenThatDiffer() {
    Object[][] cases = {
        {row(null, null, null, null, null), List.of()},
        {row("Ada Lovelace", Customer.Tier.STANDARD, "en-US", null, "Prefers mornings"), List.of()},
        {row("Ada King", null, null, null, null), List.of(new Change("name", "Ada Lovelace", "Ada King"))},
        {row(null, Customer.Tier.VIP, null, null, null), List.of(new Change("tier", "standard", "vip"))},
        {row(null, null, "en-GB", "Europe/London", null),
            List.of(new Change("language", "en-US", "en-GB"), new Change("time_zone", null, "Europe/London"))},
        {row("Ada", Customer.Tier.VIP, "en-US", null, "Evenings"),
            List.of(new Change("name", "Ada Lovelace", "Ada"), new Change("tier", "standard", "vip"),
                new Change("notes", "Prefers mornings", "Evenings"))},
    };
    for (Object[] c : cases) {
      assertThat(CustomerMerge.changes(STORED, (CustomerData) c[0])).as("%s", c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void aNewCustomerIsStandardUnlessTheRowSaysOtherwise() {
    assertThat(CustomerMerge.added(row("Lucía", null, "es-ES", null, null)))
        .isEqualTo(new CustomerData("+14155550123", "Lucía", Customer.Tier.STANDARD, "es-ES", null, null));
    assertThat(CustomerMerge.added(row(null, Customer.Tier.VIP, null, null, null)).tier()).isEqualTo(Customer.Tier.VIP);
  }
}
