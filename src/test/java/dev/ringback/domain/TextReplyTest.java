package dev.ringback.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Texts as customers write them, in every shipped language, read on Tuesday 8 December 2026 at 11:00 where the line is. */
class TextReplyTest {
  static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 8, 11, 0);

  /** What the reply reads as, in a few words: "time 2026-12-09 10:30", "day 2026-12-09", "now", "score 4", "opt-out"... */
  static String read(String text) {
    TextReply reply = TextReply.read(text, NOW);
    return switch (reply.kind()) {
      case TIME -> reply.time().orElseThrow().at().map(t -> "time " + reply.time().get().date() + " " + t)
          .orElse("day " + reply.time().get().date());
      case SCORE -> "score " + reply.score().getAsInt();
      case OPT_OUT -> "opt-out";
      case OPT_IN -> "opt-in";
      case NOW -> "now";
      case OTHER -> "other";
    };
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
      // English
      "tomorrow 10:30            | time 2026-12-09 10:30",
      "Tomorrow at 10.30 please  | time 2026-12-09 10:30",
      "in 2 hours                | time 2026-12-08 13:00",
      "in an hour                | time 2026-12-08 12:00",
      "in 30 mins                | time 2026-12-08 11:30",
      "after 5pm                 | time 2026-12-08 17:00",
      "after 17:00               | time 2026-12-08 17:00",
      "at 5                      | time 2026-12-08 17:00",
      "9am                       | time 2026-12-09 09:00",
      "10:30                     | time 2026-12-09 10:30",
      "14:15                     | time 2026-12-08 14:15",
      "today 4:30 pm             | time 2026-12-08 16:30",
      "tomorrow                  | day 2026-12-09",
      "day after tomorrow 9:00   | time 2026-12-10 09:00",
      "now                       | now",
      "Call me!                  | now",
      "call me now please        | now",
      // Romanian
      "mâine la 10:30            | time 2026-12-09 10:30",
      "maine la 10                | time 2026-12-09 10:00",
      "peste 2 ore               | time 2026-12-08 13:00",
      "peste o oră               | time 2026-12-08 12:00",
      "peste 30 de minute        | time 2026-12-08 11:30",
      "după ora 17               | time 2026-12-08 17:00",
      "azi la 15:00              | time 2026-12-08 15:00",
      "poimâine la 9:30          | time 2026-12-10 09:30",
      "acum                      | now",
      "Sunați-mă                 | now",
      // Russian
      "завтра в 10:30            | time 2026-12-09 10:30",
      "через 2 часа              | time 2026-12-08 13:00",
      "через час                 | time 2026-12-08 12:00",
      "через 15 минут            | time 2026-12-08 11:15",
      "после 17:00               | time 2026-12-08 17:00",
      "после 5 вечера            | time 2026-12-08 17:00",
      "сегодня в 16:00           | time 2026-12-08 16:00",
      "послезавтра в 9:00        | time 2026-12-10 09:00",
      "Перезвоните, пожалуйста   | now",
      "сейчас                    | now",
      // Spanish
      "mañana a las 10:30        | time 2026-12-09 10:30",
      "manana a las 10           | time 2026-12-09 10:00",
      "en 2 horas                | time 2026-12-08 13:00",
      "dentro de una hora        | time 2026-12-08 12:00",
      "después de las 5          | time 2026-12-08 17:00",
      "hoy a las 4 de la tarde   | time 2026-12-08 16:00",
      "pasado mañana a las 9:00  | time 2026-12-10 09:00",
      "Llámame                   | now",
      "ahora                     | now",
      // Chinese
      "明天10:30                  | time 2026-12-09 10:30",
      "明天上午10点               | time 2026-12-09 10:00",
      "明天下午3点半              | time 2026-12-09 15:30",
      "两小时后                   | time 2026-12-08 13:00",
      "半小时后                   | time 2026-12-08 11:30",
      "30分钟后                   | time 2026-12-08 11:30",
      "5点以后                    | time 2026-12-08 17:00",
      "今天晚上7点                | time 2026-12-08 19:00",
      "后天9点                    | time 2026-12-10 09:00",
      "现在                       | now",
      "给我打电话                 | now",
  })
  void aTimeInAnyShippedLanguageIsReadWhereTheLineIs(String text, String expected) {
    assertEquals(expected, read(text));
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
      "STOP        | opt-out",
      "stop.       | opt-out",
      "Unsubscribe | opt-out",
      "STOPALL     | opt-out",
      "stop all    | opt-out",
      "QUIT        | opt-out",
      "CANCEL      | opt-out",
      "END         | opt-out",
      "REVOKE      | opt-out",
      "OPTOUT      | opt-out",
      "СТОП        | opt-out",
      "отписаться  | opt-out",
      "BAJA        | opt-out",
      "dezabonare  | opt-out",
      "退订        | opt-out",
      "TD          | opt-out",
      "START       | opt-in",
      "yes         | opt-in",
      "UNSTOP      | opt-in",
      "СТАРТ       | opt-in",
      "ALTA        | opt-in",
      "订阅        | opt-in",
      "5           | score 5",
      "1           | score 1",
      // Words for a person: never taken for a time, a stop or a score.
      "please stop calling my mother, she is ill | other",
      "I ordered the wrong size                  | other",
      "my order 1234                             | other",
      "10                                        | other",
      "in the morning                            | other",
      "don't call me before 5pm                  | other",
      "not tomorrow                              | other",
      "nu mâine                                  | other",
      "не звоните завтра                         | other",
      "mañana no                                 | other",
      "明天不行                                  | other",
      "''                                        | other",
  })
  void keywordsAndScoresAreWholeTextsAndEverythingElseIsForAPerson(String text, String expected) {
    assertEquals(expected, read(text));
  }
}
