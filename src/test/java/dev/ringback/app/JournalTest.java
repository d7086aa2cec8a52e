package dev.ringback.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The journal on a real file system: what was acknowledged is read back in order, after a restart too. */
class JournalTest {

  static List<String> readAll(Journal journal) throws Exception {
    List<String> texts = new ArrayList<>();
    Journal.Position at = journal.start();
    while (true) {
      List<Journal.Entry> entries = journal.read(at, 7);
      if (entries.isEmpty()) {
        return texts;
      }
      entries.forEach(e -> texts.add(e.text()));
      at = entries.get(entries.size() - 1).next();
    }
  }

  @Test
  void appendsFromManyThreadsAreAllOnDiskWhenAcknowledgedAndReadBackAfterARestart() throws Exception {
    Path dir = Files.createTempDirectory("journal");
    List<String> expected = new ArrayList<>();
    try (Journal journal = Journal.open(dir)) {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        threads.add(new Thread(() -> {
          for (int i = 0; i < 50; i++) {
            synchronized (done) {
              done.add(journal.append("{\"thread\":" + thread + ",\"i\":" + i + ",\"text\":\"héllo 你好\"}"));
            }
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join();
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(journal.backlog()).isEqualTo(400);
      expected.addAll(readAll(journal));
      assertThat(expected).hasSize(400).doesNotHaveDuplicates();
      // Per thread, in the order appended.
      for (int t = 0; t < 8; t++) {
        String prefix = "{\"thread\":" + t + ",";
        List<String> mine = expected.stream().filter(s -> s.startsWith(prefix)).toList();
        for (int i = 0; i < 50; i++) {
          assertThat(mine.get(i)).contains("\"i\":" + i + ",");
        }
      }
    }
    try (Journal again = Journal.open(dir)) {
      assertThat(again.backlog()).isEqualTo(400);
      assertThat(again.holdsRecords()).isTrue();
      assertThat(readAll(again)).isEqualTo(expected);
    }
  }

  @Test
  void acknowledgedRecordsAreGoneAndTheFilesWithThem() throws Exception {
    Path dir = Files.createTempDirectory("journal");
    try (Journal journal = Journal.open(dir)) {
      for (int i = 0; i < 10; i++) {
        journal.append("record " + i).get(5, TimeUnit.SECONDS);
      }
      List<Journal.Entry> first = journal.read(journal.start(), 4);
      journal.acknowledge(first.get(3).next(), 4);
      assertThat(journal.backlog()).isEqualTo(6);
      List<Journal.Entry> rest = journal.read(first.get(3).next(), 100);
      assertThat(rest).extracting(Journal.Entry::text).containsExactly("record 4", "record 5", "record 6", "record 7", "record 8",
          "record 9");
      journal.acknowledge(rest.get(5).next(), 6);
      assertThat(journal.backlog()).isZero();
      assertThat(journal.holdsRecords()).isFalse();
      assertThat(segments(dir)).as("a journal read to its end keeps no file").isEmpty();
      // Appends after that start a new file, read from where the reader stood.
      journal.append("record 10").get(5, TimeUnit.SECONDS);
      assertThat(journal.read(rest.get(5).next(), 10)).extracting(Journal.Entry::text).containsExactly("record 10");
    }
  }

  @Test
  void aRecordCutShortOrDamagedByACrashIsSkipped() throws Exception {
    Path dir = Files.createTempDirectory("journal");
    try (Journal journal = Journal.open(dir)) {
      journal.append("kept 1").get(5, TimeUnit.SECONDS);
      journal.append("kept 2").get(5, TimeUnit.SECONDS);
    }
    Path segment = segments(dir).get(0);
    String text = Files.readString(segment);
    // Damage the first record's text, and leave a half-written record at the end.
    Files.writeString(segment, text.replace("kept 1", "kepT 1") + "0badc0de half", StandardOpenOption.TRUNCATE_EXISTING);
    try (Journal journal = Journal.open(dir)) {
      assertThat(journal.backlog()).isEqualTo(1);
      assertThat(readAll(journal)).containsExactly("kept 2");
    }
  }

  @Test
  void oneProcessPerJournal() throws Exception {
    Path dir = Files.createTempDirectory("journal");
    try (Journal journal = Journal.open(dir)) {
      assertThatThrownBy(() -> Journal.open(dir)).hasMessageContaining("in use by another Ringback");
      assertThatThrownBy(() -> journal.append("two\nlines")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  static List<Path> segments(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("journal-")).sorted().toList();
    }
  }

}
