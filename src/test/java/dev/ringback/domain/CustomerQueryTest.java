package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a search for a customer looks for: a name when letters were typed, else the digits of a number. */
class CustomerQueryTest {

  @Test
  void lettersSearchTheNamesAndAnythingElseWithDigitsTheNumbers() {
    Object[][] cases = {
        {"Petrov", new CustomerQuery("Petrov", null)},
        {"  nikolay petrov ", new CustomerQuery("nikolay petrov", null)},
        {"Иван", new CustomerQuery("Иван", null)},
        {"王", new CustomerQuery("王", null)},
        {"Room 12", new CustomerQuery("Room 12", null)},
        {"+1 415-555", new CustomerQuery(null, "1415555")},
        {"(415) 555 01", new CustomerQuery(null, "41555501")},
        {"0123", new CustomerQuery(null, "0123")},
        {"%_", new CustomerQuery("%_", null)},
    };
    for (Object[] c : cases) {
      assertThat(CustomerQuery.parse((String) c[0])).as("'%s'", c[0]).contains((CustomerQuery) c[1]);
    }
  }

  @Test
  void nothingTypedIsNoSearch() {
    assertThat(CustomerQuery.parse(null)).isEqualTo(Optional.empty());
    assertThat(CustomerQuery.parse("")).isEqualTo(Optional.empty());
    assertThat(CustomerQuery.parse("   ")).isEqualTo(Optional.empty());
  }
}
