package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The words of the states, triggers, outcomes and presence: each enum reads back what it writes,
 * refuses any other word, and has exactly the words the database's constraints and the API allow.
 */
class DomainWordsTest {
  static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
  static final Path OPENAPI = Path.of("src/main/resources/openapi.yaml");

  /** One enum: its constants' words and its parser. */
  record Words<E extends Enum<E>>(Class<E> type, Function<E, String> word, Function<String, Optional<E>> parse) {
    List<String> all() {
      return Arrays.stream(type.getEnumConstants()).map(word).toList();
    }
  }

  static final List<Words<?>> ALL = List.of(
      new Words<>(CallbackState.class, CallbackState::value, CallbackState::parse),
      new Words<>(CallbackTrigger.class, CallbackTrigger::value, CallbackTrigger::parse),
      new Words<>(AttemptOutcome.class, AttemptOutcome::value, AttemptOutcome::parse),
      new Words<>(CallOutcome.class, CallOutcome::value, CallOutcome::parse),
      new Words<>(Presence.class, Presence::value, Presence::parse),
      new Words<>(TextKind.class, TextKind::value, TextKind::parse),
      new Words<>(TextResult.class, TextResult::value, TextResult::parse));

  @Test
  void everyWordReadsBackAsItsConstant() {
    for (Words<?> words : ALL) {
      roundTrips(words);
    }
  }

  private static <E extends Enum<E>> void roundTrips(Words<E> words) {
    for (E constant : words.type().getEnumConstants()) {
      assertThat(words.parse().apply(words.word().apply(constant))).as(words.type().getSimpleName() + "." + constant).contains(constant);
    }
    assertThat(words.all()).as(words.type().getSimpleName() + ": one word each").doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @NullAndEmptySource
  @ValueSource(strings = {"unknown", "SCHEDULED", "Missed", " busy", "busy ", "no-answer", "in-progress", "agent queue", "after-hours"})
  void otherWordsAreRefused(String word) {
    for (Words<?> words : ALL) {
      assertThat(words.parse().apply(word)).as(words.type().getSimpleName()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "CallbackState   | scheduled, dialing, agent_queue, done, cancelled, expired, failed",
      "CallbackTrigger | order, missed, abandoned, dropped, voicemail, after_hours, scheduled, manual, feedback, text",
      // The outcome labels of ringback_callbacks_finished_total, and api_error, which only an attempt has.
      "AttemptOutcome  | connected, no_answer, busy, machine, no_agent, failed, cancelled, expired, api_error, agent_not_accepted",
      // The outcome labels of ringback_calls_total.
      "CallOutcome     | answered, missed, abandoned, dropped, busy, failed, voicemail, machine",
      "Presence        | available, busy, offline, away",
      // The kind and result labels of ringback_texts_total.
      "TextKind        | text_back, last_attempt, reply, feedback",
      "TextResult      | sent, refused, delivered, undelivered, failed, not_mobile, do_not_call, opted_out, unable",
  })
  void theWordsAreTheseInThisOrder(String type, String expected) {
    Words<?> words = ALL.stream().filter(w -> w.type().getSimpleName().equals(type)).findFirst().orElseThrow();
    assertThat(words.all()).containsExactly(expected.split(",\\s*"));
  }

  @Test
  void textKindsAreTheDatabases() throws IOException {
    assertThat(words(TextKind.values(), TextKind::value)).containsExactlyInAnyOrderElementsOf(checked("texts", "kind"));
  }

  @Test
  void callbackStatesAreTheDatabases() throws IOException {
    assertThat(words(CallbackState.values(), CallbackState::value)).containsExactlyInAnyOrderElementsOf(checked("callbacks", "state"));
  }

  @Test
  void callbackTriggersAreTheDatabases() throws IOException {
    assertThat(words(CallbackTrigger.values(), CallbackTrigger::value)).containsExactlyInAnyOrderElementsOf(checked("callbacks", "trigger"));
  }

  @Test
  void presencesAreTheDatabases() throws IOException {
    assertThat(words(Presence.values(), Presence::value)).containsExactlyInAnyOrderElementsOf(checked("agents", "presence"));
  }

  @Test
  void callbackStatesAndTriggersAreTheApis() throws IOException {
    String api = Files.readString(OPENAPI);
    assertThat(words(CallbackState.values(), CallbackState::value)).containsExactlyElementsOf(schemaEnum(api, "CallbackState"));
    assertThat(words(CallbackTrigger.values(), CallbackTrigger::value)).containsExactlyElementsOf(schemaEnum(api, "CallbackTrigger"));
  }

  @Test
  void presencesAreTheApis() throws IOException {
    Matcher m = Pattern.compile("presence: \\{type: string, enum: \\[([^]]*)]").matcher(Files.readString(OPENAPI));
    int found = 0;
    while (m.find()) {
      found++;
      assertThat(words(Presence.values(), Presence::value)).containsExactlyElementsOf(List.of(m.group(1).split(",\\s*")));
    }
    assertThat(found).as("the agent, the presence request and a new agent").isEqualTo(3);
  }

  private static <E> List<String> words(E[] constants, Function<E, String> word) {
    return Arrays.stream(constants).map(word).toList();
  }

  /** A top-level schema of the API's components that is a string enum. */
  private static List<String> schemaEnum(String api, String schema) {
    Matcher m = Pattern.compile("\n    " + schema + ":\\s*\n\\s*type: string\\s*\n\\s*enum: \\[([^]]*)]").matcher(api);
    assertThat(m.find()).as(schema + " in openapi.yaml").isTrue();
    return List.of(m.group(1).split(",\\s*"));
  }

  /**
   * The words the last migration to constrain {@code table.column} allows: the CHECK of its
   * CREATE TABLE, or of an ALTER TABLE that replaced it.
   */
  private static List<String> checked(String table, String column) throws IOException {
    Pattern statementOfTable = Pattern.compile("^\\s*(CREATE|ALTER) TABLE " + table + "\\b");
    Pattern check = Pattern.compile("CHECK \\(" + column + " IN\\s*\\(([^)]*)\\)\\)");
    List<String> allowed = null;
    for (Path migration : migrations()) {
      for (String statement : withoutComments(Files.readString(migration)).split(";")) {
        if (!statementOfTable.matcher(statement).find()) {
          continue;
        }
        Matcher m = check.matcher(statement);
        while (m.find()) {
          allowed = new ArrayList<>();
          for (String quoted : m.group(1).split(",")) {
            allowed.add(quoted.strip().replace("'", ""));
          }
        }
      }
    }
    assertThat(allowed).as("a CHECK on " + table + "." + column).isNotNull();
    return allowed;
  }

  private static String withoutComments(String sql) {
    return sql.replaceAll("--[^\n]*", "");
  }

  /** In Flyway's order: by version number. */
  private static List<Path> migrations() throws IOException {
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      return files.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
          .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
          .toList();
    }
  }
}
