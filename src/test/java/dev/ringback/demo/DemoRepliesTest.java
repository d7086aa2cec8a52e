package dev.ringback.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.domain.Languages;
import dev.ringback.domain.TextReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What demo customers text is read as they mean it, in every shipped language. */
class DemoRepliesTest {
  static final LocalDateTime MORNING = LocalDateTime.of(2026, 12, 8, 9, 0);

  static TextReply.Kind read(String text) {
    return TextReply.read(text, MORNING).kind();
  }

  @Test
  void everyShippedLanguageHasReplies() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/messages"))) {
      List<String> languages = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".properties"))
          .map(n -> Languages.base(Languages.localeTag(n.substring(0, n.length() - ".properties".length())))).distinct().toList();
      assertThat(languages).hasSizeGreaterThanOrEqualTo(5);
      assertThat(DemoTraffic.REPLIES.stream().map(DemoTraffic.Replies::language)).containsExactlyInAnyOrderElementsOf(languages);
    }
  }

  @Test
  void eachReplyReadsAsTheCustomerMeantIt() {
    for (DemoTraffic.Replies replies : DemoTraffic.REPLIES) {
      assertThat(replies.times()).as(replies.language()).isNotEmpty().allMatch(t -> read(t) == TextReply.Kind.TIME);
      assertThat(replies.now()).as(replies.language()).isNotEmpty().allMatch(t -> read(t) == TextReply.Kind.NOW);
      assertThat(replies.forAPerson()).as(replies.language()).isNotEmpty().allMatch(t -> read(t) == TextReply.Kind.OTHER);
    }
    assertThat(read(DemoTraffic.STOP)).isEqualTo(TextReply.Kind.OPT_OUT);
    assertThat(read(DemoTraffic.START)).isEqualTo(TextReply.Kind.OPT_IN);
  }
}
