package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which callbacks are texted about, which numbers can take texts, what Twilio's answers mean, and how a text is encoded. */
class TextRulesTest {

  @ParameterizedTest(name = "calls {0}, orders {1}: {2} -> {3}")
  @CsvSource({
      "true,  false, missed,      true",
      "true,  false, abandoned,   true",
      "true,  false, after_hours, true",
      "true,  false, voicemail,   true",
      "true,  false, dropped,     false",
      "true,  false, order,       false",
      "true,  false, scheduled,   false",
      "true,  false, manual,      false",
      "true,  false, feedback,    false",
      "true,  false, text,        false",
      "false, true,  order,       true",
      "false, true,  missed,      false",
      "false, false, missed,      false",
      "false, false, order,       false",
  })
  void aCallbackIsTextedAboutWhenItsLineWantsItsTrigger(boolean calls, boolean orders, String trigger, boolean wanted) {
    assertThat(new TextBack(calls, orders, "").wanted(CallbackTrigger.parse(trigger).orElseThrow())).isEqualTo(wanted);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "+14155550123, true",   // US: fixed line or mobile
      "+447911123456, true",  // UK mobile
      "+442079460958, false", // UK landline
      "+40721234567, true",   // Romanian mobile
      "+40212345678, false",  // Bucharest landline
      "+79161234567, true",   // Russian mobile
      "+74951234567, false",  // Moscow landline
      "+8613912345678, true", // Chinese mobile
      "+861012345678, false", // Beijing landline
      "+34612345678, true",   // Spanish mobile
      "+34912345678, false",  // Madrid landline
      "+18005550123, false",  // US toll free
      "not a number, false",
  })
  void onlyNumbersThatCanTakeTextsAreTexted(String number, boolean texted) {
    assertThat(PhoneNumbers.canTakeTexts(number)).isEqualTo(texted);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "21211, UNABLE", "21614, UNABLE", "30005, UNABLE", "30006, UNABLE", "21610, OPTED_OUT",
      "30003, PASSING", "30007, PASSING", "30008, PASSING", "20429, PASSING", ", PASSING",
  })
  void twiliosErrorSaysWhatItCan(Integer code, TextFailure failure) {
    assertThat(TextFailure.of(code)).isEqualTo(failure);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "delivered, delivered", "read, delivered", "undelivered, undelivered", "failed, failed", "canceled, failed",
      "queued, ", "accepted, ", "sending, ", "sent, ", "scheduled, ", "nonsense, ",
  })
  void onlyAFinalStatusEndsAText(String status, String result) {
    assertThat(TextResult.ofFinalStatus(status).map(TextResult::value).orElse(null)).isEqualTo(result);
  }

  @Test
  void lookalikesMakeATextGsmOnlyWhenTheyAreAllItNeeds() {
    Map<String, String> sent = Map.of(
        "Vă sunăm marți la 10:30, sau răspundeți cu o oră.", "Va sunam marti la 10:30, sau raspundeti cu o ora.",
        "Le llamaremos el sábado a las 10:30, o responda “mañana 10:30”.", "Le llamaremos el sabado a las 10:30, o responda \"mañana 10:30\".",
        "Перезвоним вам «завтра»", "Перезвоним вам «завтра»",
        "明天10:30", "明天10:30",
        "Thank you – we’ll call", "Thank you - we'll call");
    sent.forEach((written, expected) -> assertThat(SmsSegments.gsmFriendly(written)).as(written).isEqualTo(expected));
    String romanian = "Buna ziua, Nikolay! Ne pare rău că nu am răspuns. Vă sunăm marți, 8 decembrie, la 14:05, sau răspundeți cu o oră"
        + " potrivită, de ex. „mâine 10:30”. Dezabonare: STOP";
    assertThat(SmsSegments.count(romanian)).isEqualTo(3);
    assertThat(SmsSegments.count(SmsSegments.gsmFriendly(romanian))).as("three messages become two").isEqualTo(2);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "2026-12-03, 2026-12-03T09:00, ", // Thursday: the opening
      "2026-12-02, 2026-12-02T14:15, ", // today: the first quarter hour far enough ahead
      "2026-12-05, , CLOSED",           // Saturday
      "2026-12-01, , PASSED",           // yesterday
  })
  void aDayWithoutATimeIsItsFirstCallableQuarterHour(LocalDate day, String expected, CallbackTimeChoice.Refusal refusal) {
    ZoneId la = ZoneId.of("America/Los_Angeles");
    Instant now = LocalDate.of(2026, 12, 2).atTime(14, 5).atZone(la).toInstant();
    OpeningHours weekdays = OpeningHours.parse(la, Map.of("mon", List.of("09:00-17:00"), "tue", List.of("09:00-17:00"),
        "wed", List.of("09:00-17:00"), "thu", List.of("09:00-17:00"), "fri", List.of("09:00-17:00")), List.of());
    CallbackTimeChoice choice = CallbackTimeChoice.firstOnDay(day, la, now, weekdays, new QuietHours(LocalTime.of(8, 0), LocalTime.of(21, 0)), List.of(la));
    assertThat(choice.refusal()).isEqualTo(refusal);
    assertThat(choice.at()).isEqualTo(expected == null ? null : LocalDateTime.parse(expected).atZone(la).toInstant());
  }
}
