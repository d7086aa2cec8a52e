package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.domain.Agent;
import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallOutcome;
import dev.ringback.domain.CallbackState;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.ClickToConnect;
import dev.ringback.domain.Presence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console shows words, never codes: its one table of words (WORDS in console.js) has a word
 * for every state, trigger, outcome, reason, presence and call step the API returns.
 */
class ConsoleWordsTest {
  static final Path CONSOLE = Path.of("src/main/resources/console/console.js");
  static final Path OPENAPI = Path.of("src/main/resources/openapi.yaml");

  /** The codes one table of WORDS has a word for. */
  static Set<String> table(String name) throws IOException {
    String js = Files.readString(CONSOLE);
    Matcher table = Pattern.compile("\\n\\s*" + name + ": \\{(.*?)\\},?\\n", Pattern.DOTALL).matcher(js);
    assertThat(table.find()).as("WORDS." + name + " in console.js").isTrue();
    Set<String> codes = new TreeSet<>();
    Matcher key = Pattern.compile("(\\w+): ['\"]").matcher(table.group(1));
    while (key.find()) {
      codes.add(key.group(1));
    }
    return codes;
  }

  static <E extends Enum<E>> List<String> words(Class<E> type, Function<E, String> word) {
    return Arrays.stream(type.getEnumConstants()).map(word).toList();
  }

  /** The reasons a task may have, as the API documents them. */
  static List<String> taskReasons() throws IOException {
    Matcher reasons = Pattern.compile("Why a person is needed: ([a-z_, ]+)\\.").matcher(Files.readString(OPENAPI));
    assertThat(reasons.find()).isTrue();
    return List.of(reasons.group(1).split(", "));
  }

  @Test
  void everyCodeTheApiReturnsHasAWord() throws IOException {
    assertThat(table("state")).containsAll(words(CallbackState.class, CallbackState::value));
    assertThat(table("trigger")).containsAll(words(CallbackTrigger.class, CallbackTrigger::value));
    assertThat(table("outcome")).containsAll(words(AttemptOutcome.class, AttemptOutcome::value)).containsAll(Agent.TASK_OUTCOMES);
    assertThat(table("call")).containsAll(words(CallOutcome.class, CallOutcome::value));
    assertThat(table("presence")).containsAll(words(Presence.class, Presence::value));
    assertThat(table("stage")).containsAll(words(ClickToConnect.Stage.class, ClickToConnect.Stage::value));
    List<String> reasons = taskReasons();
    assertThat(reasons).contains("retries_exhausted", "service_recovery");
    assertThat(table("reason")).containsAll(reasons);
    // How a click-to-connect call ended: every outcome its attempt can have.
    List<String> callEnds = new ArrayList<>(Stream.of(AttemptOutcome.values())
        .filter(o -> o != AttemptOutcome.CANCELLED && o != AttemptOutcome.EXPIRED && o != AttemptOutcome.API_ERROR)
        .map(AttemptOutcome::value).toList());
    assertThat(table("ended")).containsAll(callEnds);
  }
}
