package dev.ringback.bench;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.CallbackMode;
import dev.ringback.domain.Catalogs;
import dev.ringback.domain.Line;
import dev.ringback.domain.RingStrategy;
import dev.ringback.domain.Screening;
import dev.ringback.domain.Speech;
import dev.ringback.domain.TextBack;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What speaking costs a webhook: reading the catalogs at start-up, and the sentences of one
 * answer (how a call is spoken to, the greeting, a time of day). Run by hand:
 * {@code java -cp target/test-classes:target/classes:<classpath> dev.ringback.bench.SpeechCost}.
 */
public final class SpeechCost {
  private SpeechCost() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    Catalogs catalogs = RingbackConfig.parse("empty.yaml", "", Map.of()).catalogs();
    System.out.printf("configuration with every catalog read and checked: %.0f ms (first, cold JVM)%n", (System.nanoTime() - start) / 1e6);
    Line line = new Line("main", "+14155550100", "Acme", ZoneId.of("Europe/Bucharest"), "ro-RO", null, List.of(), 20,
        RingStrategy.SIMULTANEOUS, 15, Screening.AUTO, CallbackMode.AUTO, null, "voice", TextBack.OFF, Map.of());
    Optional<String> customer = Optional.of("ru-RU");
    Map<String, Object> names = Map.of("name", "Nikolay Petrov", "first-name", "Nikolay", "business", "Acme");
    Instant at = Instant.parse("2026-12-08T12:05:00Z");
    long sink = 0;
    for (int round = 0; round < 5; round++) {
      int n = 200_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Speech speech = Speech.on(catalogs, line, i % 2 == 0 ? customer : Optional.empty());
        sink += speech.text("greeting.known", names).length();
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n / 10; i++) {
        sink += catalogs.reference().time(at.plusSeconds(i), line.timeZone()).length();
      }
      long t2 = System.nanoTime();
      System.out.printf("round %d: a greeting %.2f µs, a time of day %.2f µs%n", round, (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / (n / 10));
    }
    System.out.println(sink > 0 ? "" : "-");
  }
}
