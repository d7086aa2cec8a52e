package dev.ringback.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.text.DateFormat;
import dev.ringback.domain.CallbackTimeChoice;
import dev.ringback.domain.Catalog;
import dev.ringback.domain.Catalogs;
import dev.ringback.domain.OpeningHours;
import dev.ringback.domain.QuietHours;
import dev.ringback.domain.SmsSegments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The catalogs Ringback ships: whole, every sentence renders, texts fit, times read back, and the README lists every key. */
class ShippedCatalogsTest {
  static final Catalogs SHIPPED = CatalogReader.read("languages.catalog-dir", "");
  /** A long business name, to measure texts at their longest. */
  static final String BUSINESS = "Acme Home & Garden";

  static Stream<Catalog> catalogs() {
    return SHIPPED.all().stream();
  }

  @Test
  void theFirstLanguagesAreAllShippedAndEachIsWhole() {
    assertThat(SHIPPED.all().stream().map(Catalog::language))
        .containsExactlyInAnyOrder("en-US", "en-GB", "es-ES", "es-MX", "ro-RO", "ru-RU", "cmn-CN");
    assertThat(SHIPPED.all()).allSatisfy(c -> assertThat(c.problemsAgainst(SHIPPED.reference())).as(c.language()).isEmpty());
  }

  @ParameterizedTest
  @MethodSource("catalogs")
  void everySentenceRendersWithoutAPlaceholderLeftOver(Catalog catalog) {
    for (String key : catalog.keys()) {
      String said = catalog.text(key, sampleValues());
      assertThat(said).as(catalog.language() + " " + key).isNotBlank().doesNotContain("{").doesNotContain("}");
    }
  }

  @ParameterizedTest
  @MethodSource("catalogs")
  void everyTextFitsInTwoMessages(Catalog catalog) {
    for (String key : catalog.keys().stream().filter(k -> k.startsWith("sms.")).toList()) {
      String text = catalog.text(key, sampleValues());
      assertThat(SmsSegments.count(text)).as(catalog.language() + " " + key + ": " + text).isLessThanOrEqualTo(2);
    }
  }

  /**
   * Every text as it is sent: with each day of a year as its language writes it, times listed as
   * it lists them, and made GSM-7 where lookalikes do ({@link SmsSegments#gsmFriendly}).
   */
  @ParameterizedTest
  @MethodSource("catalogs")
  void everyTextFitsInTwoMessagesOnEveryDayOfTheYear(Catalog catalog) {
    Instant afternoon = Instant.parse("2027-01-01T14:05:00Z");
    Instant evening = Instant.parse("2027-01-01T22:50:00Z");
    String times = catalog.list(List.of(catalog.time(afternoon, ZoneOffset.UTC), catalog.time(evening, ZoneOffset.UTC)));
    for (String key : catalog.keys().stream().filter(k -> k.startsWith("sms.")).toList()) {
      for (LocalDate day = LocalDate.of(2027, 1, 1); day.getYear() == 2027; day = day.plusDays(1)) {
        Map<String, Object> values = sampleValues();
        values.put("date", catalog.date(day));
        values.put("time", catalog.time(evening, ZoneOffset.UTC));
        values.put("times", times);
        String sent = SmsSegments.gsmFriendly(catalog.text(key, values));
        assertThat(SmsSegments.count(sent)).as(catalog.language() + " " + key + ": " + sent).isLessThanOrEqualTo(2);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("catalogs")
  void everyNonEnglishCatalogSaysEverySentenceInItsOwnWords(Catalog catalog) {
    if (catalog.language().startsWith("en-")) {
      return;
    }
    Catalog english = SHIPPED.reference();
    List<String> copied = catalog.keys().stream()
        .filter(k -> catalog.pattern(k).equals(english.pattern(k)))
        .toList();
    assertThat(copied).as(catalog.language() + " sentences left in English").isEmpty();
  }

  /**
   * Every time the picker can read back, in every language, on the days a clock changes: read
   * back and parsed again, it is the instant that was chosen.
   */
  @ParameterizedTest
  @MethodSource("catalogs")
  void theTimePickersReadBackParsesToTheChosenInstantAcrossAClockChange(Catalog catalog) throws ParseException {
    ZoneId zone = ZoneId.of("Europe/Bucharest");
    OpeningHours always = OpeningHours.parse(zone, null, List.of());
    int checked = 0;
    for (LocalDate day : List.of(LocalDate.of(2027, 3, 28), LocalDate.of(2027, 10, 31))) {
      Instant now = day.minusDays(1).atStartOfDay(zone).toInstant();
      for (String digits : List.of("0000", "0230", "0300", "0330", "0345", "0400", "0430", "1405", "2359")) {
        CallbackTimeChoice choice = CallbackTimeChoice.of(digits, day, zone, now, always, QuietHours.ALL_DAY, List.of(zone));
        if (!choice.accepted()) {
          continue;
        }
        String said = catalog.time(choice.at(), zone);
        DateFormat format = catalog.timeFormat(zone);
        LocalTime heard = format.parse(said).toInstant().atZone(zone).toLocalTime();
        Instant understood = ZonedDateTime.ofLocal(day.atTime(heard), zone, null).toInstant();
        assertThat(understood).as(catalog.language() + " " + day + " " + digits + " read back as '" + said + "'").isEqualTo(choice.at());
        checked++;
      }
    }
    assertThat(checked).as("times taken and read back on the two days").isGreaterThanOrEqualTo(12);
  }

  @Test
  void theReadmeListsEverySentenceAnOwnerMayReplace() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String table = keyTable(SHIPPED.reference());
    assertThat(readme).as("README.md, between <!-- sentences --> and <!-- /sentences -->, should read:\n" + table)
        .contains("<!-- sentences -->\n" + table + "<!-- /sentences -->");
  }

  /** The README's table of keys: each with its placeholders and its US English sentence. */
  static String keyTable(Catalog english) {
    StringBuilder table = new StringBuilder("| key | placeholders | US English |\n|---|---|---|\n");
    for (String key : english.keys().stream().sorted().toList()) {
      String placeholders = Catalog.placeholders(english.pattern(key)).stream().map(n -> "`{" + n + "}`").collect(Collectors.joining(" "));
      table.append("| `").append(key).append("` | ").append(placeholders).append(" | ")
          .append(english.pattern(key).replace("|", "\\|")).append(" |\n");
    }
    return table.toString();
  }

  static Map<String, Object> sampleValues() {
    Map<String, Object> values = new HashMap<>();
    values.put("business", BUSINESS);
    values.put("name", "Nikolay Petrov");
    values.put("first-name", "Nikolay");
    values.put("time", "14:05");
    values.put("date", "Tuesday, December 8");
    values.put("minutes", 5);
    values.put("order", "1001");
    values.put("number", "4 1 5, 5 5 5, 0 1 0 0");
    values.put("reason", "missed call at 14:05");
    values.put("times", "14:05 and 14:20");
    values.put("phone", "+1 415-555-0100");
    return values;
  }
}
