package dev.ringback.domain;

import java.text.Normalizer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a customer's text means: a time for their callback, "now", a score, an opt-out or opt-in,
 * or words for a person to read. Read in every shipped language at once (English, Romanian,
 * Russian, Spanish, Chinese): a customer does not always write in the language we know them by.
 *
 * @param time for {@link Kind#TIME}: the day, and the time of day when one was given, where the line is
 * @param score for {@link Kind#SCORE}: the digit
 */
public record TextReply(Kind kind, Optional<When> time, OptionalInt score) {
  public enum Kind {
    /** Stop texting this number (Twilio's opt-out keywords and their equivalents). */
    OPT_OUT,
    /** Texts are welcome again. */
    OPT_IN,
    /** Call me as soon as you can. */
    NOW,
    /** Call me then. */
    TIME,
    /** A single digit: the answer to the feedback question. */
    SCORE,
    /** Anything else: a person reads it. */
    OTHER
  }

  /** A day and, when the customer gave one, a time of day, both where the line is. */
  public record When(LocalDate date, Optional<LocalTime> at) {
    public Optional<LocalDateTime> dateTime() {
      return at.map(date::atTime);
    }
  }

  /** Twilio's own opt-out words, and what customers write for "stop" in the shipped languages. */
  static final Set<String> OPT_OUT = Set.of("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout",
      "dezabonare", "dezabonez", "стоп", "отписаться", "отписка", "baja", "退订", "td", "取消订阅");
  /** Twilio's own opt-in words, and their equivalents. */
  static final Set<String> OPT_IN = Set.of("start", "yes", "unstop", "старт", "alta", "订阅");
  private static final List<String> NOW = List.of("now", "call me", "call me now", "asap", "acum", "sunati-ma", "sunati ma", "suna-ma",
      "sunati-ma acum", "suna-ma acum", "сейчас", "позвоните", "перезвоните", "позвоните сейчас", "перезвоните сейчас",
      "звоните", "ahora", "llamame", "llameme", "llamenme", "llamame ahora", "llameme ahora", "现在", "马上", "立刻", "打给我",
      "给我打电话", "现在打给我");

  private static final Pattern DAY_AFTER = Pattern.compile("day after tomorrow|poimaine|послезавтра|pasado manana|后天");
  private static final Pattern TOMORROW = Pattern.compile("\\btomorrow\\b|\\btmrw\\b|\\bmaine\\b|завтра|\\bmanana\\b|明天|明日");
  private static final Pattern TODAY = Pattern.compile("\\btoday\\b|\\btonight\\b|\\bazi\\b|\\bastazi\\b|сегодня|\\bhoy\\b|今天|今日|今晚");
  /** "in 2 hours", "peste 30 de minute", "через 2 часа", "en 2 horas", "dentro de una hora", "2小时后", "半小时后". */
  private static final Pattern IN = Pattern.compile(
      "(?:\\bin|\\bpeste|через|\\ben|\\bdentro de)\\s+(?:(\\d{1,3})|(an?|one|o|un|una|un ora)\\s*)?\\s*(?:de\\s+)?"
          + "(hours?|hrs?|h|minutes?|mins?|m|ore|ora|minute|minut|час(?:а|ов)?|минут[уы]?|мин|horas?|minutos?)\\b"
          + "|(\\d{1,3}|[一二两三四五六七八九十半]+)\\s*(?:个)?\\s*(小时|钟头|分钟)(?:以?后|之后)");
  /** A time of day in the Latin languages: 10:30, 10.30, 10h30, 5pm, 5 pm, 17h, ora 17, a las 5, в 17:00. */
  private static final Pattern CLOCK = Pattern.compile(
      "(?<![\\d:.])(\\d{1,2})(?:[:.h](\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?(?![\\d:])");
  /** A time of day in Chinese: 10点, 10点30, 10点半, 下午3点, 10:30 with 上午/下午/晚上. */
  private static final Pattern CHINESE_CLOCK = Pattern.compile(
      "(上午|早上|中午|下午|晚上)?\\s*(\\d{1,2}|[一二两三四五六七八九十]+)\\s*(?:点|點|时)\\s*(半|(\\d{1,2})\\s*分?)?"
          + "|(上午|早上|中午|下午|晚上)\\s*(\\d{1,2}):(\\d{2})");
  private static final Pattern NEGATION = Pattern.compile(
      "\\b(?:not|don'?t|dont|never|nu|niciodata|no|nunca)\\b|(?:^|\\s)(?:не|нельзя|никогда)(?:\\s|$)|不|别|別");
  private static final Pattern EVENING = Pattern.compile("вечера|дня|de la tarde|de la noche|seara|după-amiaza|dupa-amiaza|\\bpm\\b");
  private static final Pattern MORNING = Pattern.compile("утра|de la manana|dimineata|\\bam\\b");

  /** The words Twilio itself answers on a long code (its default opt-out and opt-in keywords): we must not answer them twice. */
  private static final Set<String> TWILIO_KEYWORDS = Set.of("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke",
      "optout", "start", "yes", "unstop");

  /** Whether Twilio answers this text itself: it is one of Twilio's own opt-out or opt-in keywords. */
  public static boolean answeredByTwilio(String body) {
    return TWILIO_KEYWORDS.contains(normalized(body).replaceAll("[\\s.!,;:¡!]+", " ").trim());
  }

  public static TextReply other() {
    return new TextReply(Kind.OTHER, Optional.empty(), OptionalInt.empty());
  }

  private static TextReply of(Kind kind) {
    return new TextReply(kind, Optional.empty(), OptionalInt.empty());
  }

  /**
   * Reads a text received at {@code now} (where the line is). A bare time of day that has passed
   * today means tomorrow; "after 5pm" means at 5pm.
   */
  public static TextReply read(String body, LocalDateTime now) {
    String text = normalized(body);
    if (text.isEmpty()) {
      return other();
    }
    String word = text.replaceAll("[\\s.!,;:¡!。！]+", " ").trim();
    if (OPT_OUT.contains(word) || word.equals("stop all") || word.equals("opt out")) {
      return of(Kind.OPT_OUT);
    }
    if (OPT_IN.contains(word)) {
      return of(Kind.OPT_IN);
    }
    if (word.matches("[0-9]")) {
      return new TextReply(Kind.SCORE, Optional.empty(), OptionalInt.of(Integer.parseInt(word)));
    }
    if (NOW.contains(word.replace("please", "").replace("va rog", "").replace("пожалуйста", "").replace("por favor", "")
        .replace("请", "").trim())) {
      return of(Kind.NOW);
    }
    if (NEGATION.matcher(text).find()) {
      // "not before 5", "не звоните завтра": a person reads what the customer does not want.
      return other();
    }
    Matcher in = IN.matcher(text);
    if (in.find()) {
      return relative(in, now).map(at -> time(at.toLocalDate(), Optional.of(at.toLocalTime()))).orElseGet(TextReply::other);
    }
    Optional<Integer> daysAhead = DAY_AFTER.matcher(text).find() ? Optional.of(2)
        : TOMORROW.matcher(text).find() ? Optional.of(1) : TODAY.matcher(text).find() ? Optional.of(0) : Optional.empty();
    // "mañana por la mañana": the first mañana is the day; a text of only "la mañana" is none.
    Optional<LocalTime> clock = chineseClock(text).or(() -> clock(text));
    if (daysAhead.isEmpty() && clock.isEmpty()) {
      return other();
    }
    LocalDate date = now.toLocalDate().plusDays(daysAhead.orElse(0));
    if (daysAhead.isEmpty() && clock.isPresent() && !date.atTime(clock.get()).isAfter(now)) {
      date = date.plusDays(1);
    }
    return time(date, clock);
  }

  private static TextReply time(LocalDate date, Optional<LocalTime> at) {
    return new TextReply(Kind.TIME, Optional.of(new When(date, at)), OptionalInt.empty());
  }

  /** Lower case, without accents (so "mâine", "mañana" and "llámame" match however they were typed), single spaces. */
  static String normalized(String body) {
    String lower = body == null ? "" : body.toLowerCase(Locale.ROOT).strip();
    // NFD takes "й" apart too: it is put back before the marks go, Russian needs it.
    String plain = Normalizer.normalize(lower, Normalizer.Form.NFD).replace("и\u0306", "й").replaceAll("\\p{M}+", "");
    return plain.replaceAll("\\s+", " ");
  }

  private static Optional<LocalDateTime> relative(Matcher in, LocalDateTime now) {
    Duration amount;
    if (in.group(3) != null) {
      long n = in.group(1) != null ? Long.parseLong(in.group(1)) : 1;
      String unit = in.group(3);
      boolean hours = unit.startsWith("h") || unit.startsWith("or") || unit.startsWith("час") || unit.startsWith("hora");
      amount = hours ? Duration.ofHours(n) : Duration.ofMinutes(n);
    } else {
      String count = in.group(4);
      boolean hours = !in.group(5).equals("分钟");
      if (count.equals("半")) {
        amount = hours ? Duration.ofMinutes(30) : Duration.ofSeconds(30);
      } else {
        OptionalInt n = count.matches("\\d+") ? OptionalInt.of(Integer.parseInt(count)) : chineseNumber(count);
        if (n.isEmpty()) {
          return Optional.empty();
        }
        amount = hours ? Duration.ofHours(n.getAsInt()) : Duration.ofMinutes(n.getAsInt());
      }
    }
    return amount.compareTo(Duration.ofDays(7)) > 0 ? Optional.empty() : Optional.of(now.plus(amount));
  }

  /** The first time of day in a text of the Latin or Cyrillic languages, with am/pm and "evening" words taken into account. */
  private static Optional<LocalTime> clock(String text) {
    Matcher m = CLOCK.matcher(text);
    while (m.find()) {
      int hour = Integer.parseInt(m.group(1));
      int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
      String suffix = m.group(3);
      boolean separated = m.group(2) != null;
      // A lone number is a time only with am/pm, or after a word that introduces one ("at 5", "la 5", "в 5", "a las 5").
      boolean introduced = text.substring(0, m.start()).matches(
          ".*(\\bat|\\bafter|\\bla|\\bora|\\bdupa|\\bdupa ora|\\bв|\\bпосле|\\bк|\\blas|\\bde las|\\bdespues de las|\\bpor)\\s*$");
      if (!separated && suffix == null && !introduced && !text.substring(m.end()).matches("^\\s*(h\\b|ч|час).*")) {
        continue;
      }
      if (hour > 23 || minute > 59) {
        continue;
      }
      boolean pm = suffix != null && suffix.startsWith("p") || suffix == null && EVENING.matcher(text).find();
      boolean am = suffix != null && suffix.startsWith("a") || suffix == null && MORNING.matcher(text).find();
      if (pm && hour < 12) {
        hour += 12;
      } else if (am && hour == 12) {
        hour = 0;
      } else if (!am && !pm && hour >= 1 && hour <= 7 && !separated) {
        // "at 5" in a text about a callback is the afternoon: nobody asks to be called at 5 in the morning.
        hour += 12;
      }
      return Optional.of(LocalTime.of(hour, minute));
    }
    return Optional.empty();
  }

  private static Optional<LocalTime> chineseClock(String text) {
    Matcher m = CHINESE_CLOCK.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    String period = m.group(1) != null ? m.group(1) : m.group(5);
    OptionalInt hour;
    int minute;
    if (m.group(2) != null) {
      hour = m.group(2).matches("\\d+") ? OptionalInt.of(Integer.parseInt(m.group(2))) : chineseNumber(m.group(2));
      minute = "半".equals(m.group(3)) ? 30 : m.group(4) != null ? Integer.parseInt(m.group(4)) : 0;
    } else {
      hour = OptionalInt.of(Integer.parseInt(m.group(6)));
      minute = Integer.parseInt(m.group(7));
    }
    if (hour.isEmpty()) {
      return Optional.empty();
    }
    int h = hour.getAsInt();
    if (period != null && (period.equals("下午") || period.equals("晚上")) && h < 12) {
      h += 12;
    } else if (period == null && h >= 1 && h <= 7) {
      // As in the other languages: a callback "at 5" is in the afternoon.
      h += 12;
    }
    return h > 23 || minute > 59 ? Optional.empty() : Optional.of(LocalTime.of(h, minute));
  }

  /** 一 to 二十三 (and 两), as a Chinese text writes hours and small counts. */
  static OptionalInt chineseNumber(String digits) {
    String units = "零一二三四五六七八九";
    String text = digits.replace('两', '二');
    if (text.equals("十")) {
      return OptionalInt.of(10);
    }
    int ten = text.indexOf('十');
    if (ten >= 0) {
      int tens = ten == 0 ? 1 : units.indexOf(text.charAt(0));
      int one = ten == text.length() - 1 ? 0 : units.indexOf(text.charAt(ten + 1));
      return tens < 0 || one < 0 ? OptionalInt.empty() : OptionalInt.of(tens * 10 + one);
    }
    if (text.length() == 1 && units.indexOf(text.charAt(0)) > 0) {
      return OptionalInt.of(units.indexOf(text.charAt(0)));
    }
    return OptionalInt.empty();
  }
}
