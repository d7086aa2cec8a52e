package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README reads as one document: each section once, and every screenshot it shows made by the browser tests. */
class ReadmeTest {
  static final Path README = Path.of("README.md");

  @Test
  void everySectionIsThereOnce() throws IOException {
    List<String> headings = Files.readAllLines(README).stream().filter(line -> line.startsWith("## ")).toList();
    assertThat(headings).doesNotHaveDuplicates();
  }

  @Test
  void everyScreenshotShownExistsAndEveryOneTakenIsShown() throws IOException {
    List<String> shown = Pattern.compile("(?:\\]\\(|src=\")(docs/screenshots/[^)\"]+)").matcher(Files.readString(README)).results()
        .map(m -> m.group(1)).toList();
    assertThat(shown).isNotEmpty().allSatisfy(path -> assertThat(Path.of(path)).as(path).exists());
    try (Stream<Path> files = Files.list(Path.of("docs/screenshots"))) {
      assertThat(files.map(p -> "docs/screenshots/" + p.getFileName()).toList()).allSatisfy(taken -> assertThat(shown).contains(taken));
    }
  }
}
