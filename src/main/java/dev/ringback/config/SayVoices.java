package dev.ringback.config;

import com.twilio.twiml.voice.Say;
import dev.ringback.domain.Languages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The languages and voices Twilio's {@code <Say>} takes, as twilio-java lists them, and the
 * language each voice speaks: a line's {@code language} and {@code voice} are checked here.
 */
final class SayVoices {
  /** Twilio's basic voices speak every language they are given. */
  private static final Set<String> BASIC = Set.of("man", "woman", "alice");
  private static final Map<String, String> LANGUAGES = Arrays.stream(Say.Language.values()).map(Say.Language::toString)
      .collect(Collectors.toMap(l -> l.toLowerCase(Locale.ROOT), l -> l, (a, b) -> a));
  private static final Set<String> VOICES = Arrays.stream(Say.Voice.values()).map(Say.Voice::toString).collect(Collectors.toSet());
  private static final Map<String, String> POLLY = polly();

  private SayVoices() {}

  /** The language code as Twilio spells it, if {@code <Say>} takes it. */
  static Optional<String> language(String code) {
    return Optional.ofNullable(LANGUAGES.get(code.toLowerCase(Locale.ROOT)));
  }

  /** Why a voice cannot speak a language, or empty when it can. */
  static Optional<String> problem(String voice, String language) {
    if (!VOICES.contains(voice)) {
      return Optional.of("'" + voice + "' is not a voice of Twilio's <Say> (such as Polly.Joanna or Google.en-US-Standard-C)");
    }
    if (BASIC.contains(voice)) {
      return Optional.empty();
    }
    String speaks = speaks(voice);
    if (speaks == null || sameLanguage(speaks, language)) {
      return Optional.empty();
    }
    return Optional.of("the voice " + voice + " speaks " + speaks + ", not " + language);
  }

  /** Twilio's voices known to speak a language (the basic ones speak every language), sorted by name. */
  static List<String> voices(String language) {
    return VOICES.stream().filter(v -> !BASIC.contains(v) && speaks(v) != null && sameLanguage(speaks(v), language)).sorted().toList();
  }

  /** The language a Polly or Google voice speaks; null when it is not known here. */
  private static String speaks(String voice) {
    if (voice.startsWith("Google.")) {
      String[] parts = voice.substring("Google.".length()).split("-");
      return parts.length >= 2 ? parts[0] + "-" + parts[1] : null;
    }
    if (voice.startsWith("Polly.")) {
      String name = voice.substring("Polly.".length()).replaceAll("-(Neural|Generative|LongForm)$", "");
      return POLLY.get(name);
    }
    return null;
  }

  private static boolean sameLanguage(String a, String b) {
    return a.equalsIgnoreCase(b) || Languages.alias(a).equalsIgnoreCase(b);
  }

  private static Map<String, String> polly() {
    Map<String, String> voices = new HashMap<>();
    InputStream in = SayVoices.class.getClassLoader().getResourceAsStream(CatalogReader.SHIPPED + "/polly-voices.txt");
    if (in == null) {
      throw new IllegalStateException("messages/polly-voices.txt is missing from the class path");
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      reader.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l -> {
        String[] parts = l.split("\\s+");
        voices.put(parts[0], parts[1]);
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return voices;
  }
}
