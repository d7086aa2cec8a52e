package dev.ringback.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every language Ringback speaks, one {@link Catalog} each, all with the keys and placeholders of
 * the reference catalog (US English).
 */
public final class Catalogs {
  public static final String REFERENCE = "en-US";

  private final Map<String, Catalog> byLanguage = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException naming the first catalog that lacks a key of the reference, has
   *     one more, or a placeholder the reference's sentence does not have
   */
  public Catalogs(Collection<Catalog> catalogs) {
    catalogs.forEach(c -> byLanguage.put(c.language().toLowerCase(Locale.ROOT), c));
    Catalog reference = byLanguage.get(REFERENCE.toLowerCase(Locale.ROOT));
    if (reference == null) {
      throw new IllegalArgumentException("no " + REFERENCE + " catalog, the one every other is checked against");
    }
    for (Catalog catalog : byLanguage.values()) {
      List<String> problems = catalog.problemsAgainst(reference);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("the " + catalog.language() + " catalog: " + String.join("; ", problems));
      }
    }
  }

  public Catalog reference() {
    return byLanguage.get(REFERENCE.toLowerCase(Locale.ROOT));
  }

  public List<Catalog> all() {
    return new ArrayList<>(byLanguage.values());
  }

  /**
   * The catalog that speaks {@code language}: its own, that of the other code of the same language
   * (zh-CN, cmn-CN), else the first of the same language (en-AU is spoken from en-US's).
   */
  public Optional<Catalog> forLanguage(String language) {
    if (language == null || language.isBlank()) {
      return Optional.empty();
    }
    String code = language.trim().toLowerCase(Locale.ROOT);
    Catalog exact = byLanguage.get(code);
    if (exact == null) {
      exact = byLanguage.get(Languages.alias(code));
    }
    if (exact != null) {
      return Optional.of(exact);
    }
    String base = Languages.base(code);
    return byLanguage.values().stream().filter(c -> Languages.base(c.language()).equals(base)).findFirst();
  }
}
