package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A catalog's sentences, placeholders, plural forms and times, on small catalogs made here. */
class CatalogTest {
  static final Map<String, String> SENTENCES = Map.of(
      "greeting.known", "Hello {first-name}, thank you for calling {business}.",
      "missed", "We will call you back within {minutes, plural, one {# minute} other {# minutes}}.");
  static final Catalog ENGLISH = Catalog.of("en-US", SENTENCES);

  @Test
  void placeholdersWithHyphensAreFilledByTheirNamesAsWritten() {
    assertThat(ENGLISH.text("greeting.known", Map.of("first-name", "Nikolay", "business", "Acme")))
        .isEqualTo("Hello Nikolay, thank you for calling Acme.");
    assertThat(Catalog.placeholders(ENGLISH.pattern("greeting.known"))).containsExactly("business", "first-name");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1|в течение 1 минуты", "2|в течение 2 минут", "5|в течение 5 минут", "21|в течение 21 минуты", "22|в течение 22 минут"})
  void russianNumbersTakeCldrsPluralForms(int minutes, String expected) {
    Catalog russian = Catalog.of("ru-RU", Map.of("missed",
        "в течение {minutes, plural, one {# минуты} few {# минут} many {# минут} other {# минуты}}"));
    assertThat(russian.text("missed", Map.of("minutes", minutes))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"1|1 minut", "5|5 minute", "19|19 minute", "20|20 de minute", "101|101 minute", "120|120 de minute"})
  void romanianNumbersTakeCldrsPluralForms(int minutes, String expected) {
    Catalog romanian = Catalog.of("ro-RO", Map.of("missed", "{minutes, plural, one {# minut} few {# minute} other {# de minute}}"));
    assertThat(romanian.text("missed", Map.of("minutes", minutes))).isEqualTo(expected);
  }

  @Test
  void aCatalogLackingAKeyHavingAnExtraOneOrAStrangePlaceholderIsNamed() {
    Catalog broken = Catalog.of("xx-XX", Map.of(
        "greeting.known", "Hi {first-name} from {city}, this is {business}.",
        "extra", "Not in English."));
    assertThat(broken.problemsAgainst(ENGLISH)).containsExactlyInAnyOrder(
        "missed: missing",
        "extra: not a key of the en-US catalog",
        "greeting.known: placeholder {city} is not one of en-US's [business, first-name]");
  }

  @Test
  void nameAndFirstNameStandForEachOther() {
    assertThat(Catalog.unknownPlaceholders("Hello {name}", "Hello {first-name}")).isEmpty();
    assertThat(Catalog.unknownPlaceholders("Hello {name} at {time}", "Hello {first-name}")).containsExactly("time");
  }

  @Test
  void aSentenceThatIsNoMessageIsRefusedWithItsKey() {
    assertThatThrownBy(() -> Catalog.of("en-US", Map.of("missed", "within {minutes, plural, one {# minute}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("missed: not a valid message");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "en-US|2:05 PM", "en-GB|14:05", "ru-RU|14:05", "ro-RO|14:05", "es-ES|14:05", "es-MX|2:05 p.m.", "cmn-CN|14:05"})
  void timesAreWrittenAsEachLanguageSaysThem(String language, String expected) {
    Catalog catalog = Catalog.of(language, Map.of());
    String said = catalog.time(Instant.parse("2026-12-08T12:05:00Z"), ZoneId.of("Europe/Bucharest"));
    assertThat(said).isEqualTo(expected);
  }

  @Test
  void daysAreWrittenWithTheirWeekdayAsEachLanguageSaysThem() {
    LocalDate day = LocalDate.of(2026, 12, 8);
    assertThat(Catalog.of("en-US", Map.of()).date(day)).isEqualTo("Tuesday, December 8");
    assertThat(Catalog.of("ro-RO", Map.of()).date(day)).isEqualTo("marți, 8 decembrie");
    assertThat(Catalog.of("ru-RU", Map.of()).date(day)).isEqualTo("вторник, 8 декабря");
    assertThat(Catalog.of("es-ES", Map.of()).date(day)).isEqualTo("martes, 8 de diciembre");
    assertThat(Catalog.of("cmn-CN", Map.of()).date(day)).isEqualTo("12月8日星期二");
  }

  @Test
  void aLanguageIsSpokenFromItsOwnCatalogItsOtherCodeOrItsLanguagesFirst() {
    Catalogs catalogs = new Catalogs(List.of(ENGLISH, Catalog.of("en-GB", SENTENCES), Catalog.of("cmn-CN", SENTENCES)));
    assertThat(catalogs.forLanguage("en-GB").orElseThrow().language()).isEqualTo("en-GB");
    assertThat(catalogs.forLanguage("EN-gb").orElseThrow().language()).isEqualTo("en-GB");
    assertThat(catalogs.forLanguage("en-AU").orElseThrow().language()).isEqualTo("en-US");
    assertThat(catalogs.forLanguage("zh-CN").orElseThrow().language()).isEqualTo("cmn-CN");
    assertThat(catalogs.forLanguage("ru-RU")).isEmpty();
    assertThat(catalogs.forLanguage("")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "160 plain letters|a|160|1", "161 plain letters|a|161|2", "306 plain letters|a|306|2", "307 plain letters|a|307|3",
      "70 Cyrillic letters|д|70|1", "71 Cyrillic letters|д|71|2", "134 Cyrillic letters|д|134|2", "135 Cyrillic letters|д|135|3",
      "80 euro signs count twice|€|80|1", "81 euro signs|€|81|2"})
  void textsAreCountedInTheSegmentsTheyAreSentAs(String what, String letter, int times, int segments) {
    assertThat(SmsSegments.count(letter.repeat(times))).as(what).isEqualTo(segments);
  }
}
