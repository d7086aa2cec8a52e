package dev.ringback.domain;

import com.ibm.icu.text.DateFormat;
import com.ibm.icu.text.ListFormatter;
import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.MessagePattern;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sentences of one language, by key: ICU messages whose placeholders ({@code {business}},
 * {@code {first-name}}…) are named, with CLDR's plural forms for numbers. Times and dates are
 * written as the language says them, from CLDR through ICU.
 */
public final class Catalog {
  /** A placeholder's name as written, followed by the end of the placeholder or its format. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\s*([A-Za-z][A-Za-z0-9-]*)\\s*(?=[,}])");

  private final String language;
  private final ULocale locale;
  private final Map<String, String> patterns;
  /** Compiled on first use: a server speaks few of its languages, and each compiled message holds its locale's rules. */
  private final Map<String, MessageFormat> messages = new ConcurrentHashMap<>();

  private Catalog(String language, Map<String, String> patterns) {
    this.language = language;
    this.locale = ULocale.forLanguageTag(Languages.localeTag(language));
    this.patterns = Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
    patterns.forEach(Catalog::check);
  }

  /**
   * The catalog of {@code language} (a code a line's {@code language} takes, such as ru-RU).
   *
   * @throws IllegalArgumentException naming the key of a sentence that is not a valid message
   */
  public static Catalog of(String language, Map<String, String> patterns) {
    return new Catalog(language, patterns);
  }

  /** A sentence of an owner's own, in this catalog's language: checked like the catalog's. */
  public MessageFormat compile(String key, String pattern) {
    return compile(key, pattern, locale);
  }

  private static MessageFormat compile(String key, String pattern, ULocale locale) {
    check(key, pattern);
    return new MessageFormat(internal(pattern), locale);
  }

  /** @throws IllegalArgumentException naming the key, when the sentence is not a valid message */
  private static void check(String key, String pattern) {
    try {
      new MessagePattern(internal(pattern));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(key + ": not a valid message (" + e.getMessage() + ")", e);
    }
  }

  /** ICU names may not hold '-': {@code {first-name}} is kept as {@code {first_name}}. */
  private static String internal(String pattern) {
    Matcher m = PLACEHOLDER.matcher(pattern);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement("{" + m.group(1).replace('-', '_')));
    }
    m.appendTail(out);
    return out.toString();
  }

  public String language() {
    return language;
  }

  public Set<String> keys() {
    return patterns.keySet();
  }

  /** The sentence as written in the catalog. */
  public String pattern(String key) {
    String pattern = patterns.get(key);
    if (pattern == null) {
      throw new IllegalArgumentException("no sentence '" + key + "' in the " + language + " catalog");
    }
    return pattern;
  }

  /** The sentence {@code key} with its placeholders filled from {@code values} (names as written: first-name). */
  public String text(String key, Map<String, ?> values) {
    MessageFormat message = messages.computeIfAbsent(key, k -> compile(k, pattern(k), locale));
    return format(message, values);
  }

  /** A message of this language with its placeholders filled. */
  public static String format(MessageFormat message, Map<String, ?> values) {
    Map<String, Object> internal = new HashMap<>();
    values.forEach((name, value) -> internal.put(name.replace('-', '_'), value));
    return message.format(internal);
  }

  /** The placeholders of a sentence, as written ({@code first-name}), at any depth. */
  public static Set<String> placeholders(String pattern) {
    MessagePattern parsed = new MessagePattern(internal(pattern));
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < parsed.countParts(); i++) {
      MessagePattern.Part part = parsed.getPart(i);
      if (part.getType() == MessagePattern.Part.Type.ARG_NAME) {
        names.add(parsed.getSubstring(part).replace('_', '-'));
      }
    }
    return names;
  }

  /**
   * The placeholders of {@code pattern} that the reference sentence does not have. A customer's
   * {@code {name}} and {@code {first-name}} are always given together, so either stands for both.
   */
  public static Set<String> unknownPlaceholders(String pattern, String reference) {
    Set<String> known = placeholders(reference);
    if (known.contains("name") || known.contains("first-name")) {
      known.addAll(Set.of("name", "first-name"));
    }
    Set<String> unknown = new TreeSet<>(placeholders(pattern));
    unknown.removeAll(known);
    return unknown;
  }

  /**
   * What is wrong with this catalog against the reference one (English): keys it lacks or has
   * beyond it, and placeholders the reference's sentence does not have. Empty when it is whole.
   */
  public List<String> problemsAgainst(Catalog reference) {
    List<String> problems = new ArrayList<>();
    for (String key : reference.keys()) {
      if (!patterns.containsKey(key)) {
        problems.add(key + ": missing");
      }
    }
    for (String key : keys()) {
      if (!reference.patterns.containsKey(key)) {
        problems.add(key + ": not a key of the " + reference.language + " catalog");
        continue;
      }
      Set<String> unknown = unknownPlaceholders(patterns.get(key), reference.patterns.get(key));
      if (!unknown.isEmpty()) {
        problems.add(key + ": placeholder " + String.join(", ", unknown.stream().map(n -> "{" + n + "}").toList())
            + " is not one of " + reference.language + "'s " + placeholders(reference.patterns.get(key)));
      }
    }
    return problems;
  }

  /** A time of day as this language says it: "2:05 PM" in en-US, "14:05" in ru-RU. */
  public String time(Instant at, ZoneId zone) {
    return format("jmm", at, zone);
  }

  /** A time of day on no day in particular: the example "for 2:30 PM" of the time picker. */
  public String timeOfDay(LocalTime time) {
    return time(LocalDate.of(2000, 1, 1).atTime(time).toInstant(ZoneOffset.UTC), ZoneId.of("UTC"));
  }

  /** A day as this language says it, with its weekday: "Tuesday, December 8", "marți, 8 decembrie". */
  public String date(LocalDate day) {
    return format("MMMMEEEEd", day.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneId.of("UTC"));
  }

  /** Items as this language lists them: "14:05 and 14:20", "14:05 и 14:20", "14:05和14:20". */
  public String list(List<String> items) {
    return ListFormatter.getInstance(locale).format(items);
  }

  /** The time format of {@link #time}, for reading a spoken time back. */
  public DateFormat timeFormat(ZoneId zone) {
    DateFormat format = DateFormat.getInstanceForSkeleton("jmm", locale);
    format.setTimeZone(TimeZone.getTimeZone(zone.getId()));
    return format;
  }

  private String format(String skeleton, Instant at, ZoneId zone) {
    DateFormat format = DateFormat.getInstanceForSkeleton(skeleton, locale);
    format.setTimeZone(TimeZone.getTimeZone(zone.getId()));
    // CLDR puts a narrow no-break space before "PM"; a voice reads a plain one alike, a text shows it everywhere.
    return format.format(Date.from(at)).replace('\u202f', ' ').replace('\u00a0', ' ');
  }
}
