package dev.ringback;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ringback.store.DatabaseFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages depend one way, over the compiled classes: a request goes http -> app -> domain,
 * with store, telephony and metrics beneath app; the bootstrap in {@code dev.ringback} starts
 * everything and nothing uses it.
 */
class ArchitectureTest {
  /** Each package and the packages of ours it may use, besides itself. */
  static final Map<String, Set<String>> MAY_USE = Map.of(
      "domain", Set.of(),
      "config", Set.of("domain"),
      "store", Set.of("domain", "config"),
      "metrics", Set.of("domain"),
      "telephony", Set.of("domain", "config", "metrics"),
      "app", Set.of("domain", "config", "store", "metrics", "telephony"),
      "dialer", Set.of("app", "domain", "config", "store", "metrics", "telephony"),
      "http", Set.of("app", "domain", "config", "store", "metrics", "telephony"),
      // The demo plays the network's side of a call, as the call simulator in telephony does.
      "demo", Set.of("app", "domain", "config", "http", "telephony"));

  static JavaClasses main;

  @BeforeAll
  static void read() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.ringback");
  }

  @Test
  void everyPackageUsesOnlyThePackagesBeneathIt() {
    for (var entry : MAY_USE.entrySet()) {
      List<String> forbidden = new ArrayList<>(List.of("dev.ringback"));
      MAY_USE.keySet().stream().filter(p -> !p.equals(entry.getKey()) && !entry.getValue().contains(p))
          .forEach(p -> forbidden.add("dev.ringback." + p + ".."));
      noClasses().that().resideInAPackage("dev.ringback." + entry.getKey() + "..")
          .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
          .because(entry.getKey() + " may use only " + (entry.getValue().isEmpty() ? "nothing of ours" : entry.getValue()))
          .check(main);
    }
  }

  /**
   * Handlers, the dialler and the demo go through the application layer: of the store they see
   * only the values it hands back (records, enums, exceptions), and how a failure is classified.
   */
  @Test
  void theOuterPackagesReachTheStoreOnlyThroughTheApplicationLayer() {
    DescribedPredicate<JavaClass> storeAtWork = DescribedPredicate.describe("a store class that does work (not a record, an enum or an exception)",
        c -> c.getPackageName().equals("dev.ringback.store") && !c.isRecord() && !c.isEnum() && !c.isAssignableTo(Throwable.class)
            && !c.getName().equals(DatabaseFailures.class.getName()));
    noClasses().that().resideInAnyPackage("dev.ringback.http..", "dev.ringback.dialer..", "dev.ringback.demo..")
        .should().dependOnClassesThat(storeAtWork)
        .because("http, dialer and demo call the use cases in app, which call the stores")
        .check(main);
  }

  @Test
  void everyPackageIsListed() {
    Set<String> packages = new TreeSet<>();
    main.forEach(c -> {
      String name = c.getPackageName();
      if (name.startsWith("dev.ringback.")) {
        packages.add(name.substring("dev.ringback.".length()).split("\\.")[0]);
      }
    });
    assertThat(MAY_USE.keySet()).as("a new package needs its place here").containsAll(packages);
  }

  @Test
  void thePackagesFormNoCycle() {
    slices().matching("dev.ringback.(*)..").should().beFreeOfCycles().check(main);
  }
}
