package dev.ringback.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringback.RingbackConfig;
import dev.ringback.support.TestDatabase;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Start-up skips Flyway only when the database has every migration this build carries; a
 * database that lacks one, or has a failed one, goes through Flyway as before.
 */
class MigrationTest {

  private static Database database(TestDatabase db) throws Exception {
    return Database.start(new RingbackConfig.Database(Optional.of(db.url()), Path.of("unused"), 2));
  }

  private static Flyway flyway(TestDatabase db, String target) {
    return Flyway.configure().dataSource("jdbc:postgresql://localhost:" + db.port() + "/" + db.url().replaceAll(".*/", ""),
        "postgres", "postgres").locations("classpath:db/migration").target(target).load();
  }

  /** A database with every migration applied, through Database.migrate as start-up does. */
  private static TestDatabase migrated() throws Exception {
    TestDatabase db = TestDatabase.create();
    try (Database database = database(db)) {
      database.migrate();
    }
    return db;
  }

  @Test
  void theBundledMigrationsAreTheOnesFlywayFinds() throws Exception {
    TestDatabase db = TestDatabase.create();
    var flywaySees = java.util.Arrays.stream(flyway(db, "latest").info().all())
        .map(m -> m.getVersion().getVersion()).collect(Collectors.toSet());
    assertThat(Database.bundledVersions()).isEqualTo(flywaySees).contains("1", "22");
  }

  @Test
  void aDatabaseBehindTheBuildIsMigratedToTheLatestVersion() throws Exception {
    TestDatabase db = TestDatabase.create();
    flyway(db, "20").migrate();
    long applied = db.count("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL");
    assertThat(applied).isLessThan(Database.bundledVersions().size());

    try (Database database = database(db)) {
      database.migrate();
    }
    assertThat(db.count("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL AND success"))
        .isEqualTo(Database.bundledVersions().size());
    assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'callbacks_claim'")).isEqualTo(1);
  }

  @Test
  void aCurrentDatabaseIsNotHandedToFlywayAgain() throws Exception {
    TestDatabase db = migrated();
    // Flyway's validation would reject this checksum; the skip is what lets this start pass.
    db.query("UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '1' RETURNING version");
    try (Database database = database(db)) {
      database.migrate();
    }
    assertThatThrownBy(() -> flyway(db, "latest").validate()).as("Flyway itself sees the changed checksum")
        .hasMessageContaining("checksum");
  }

  @Test
  void aFailedMigrationInTheHistoryGoesToFlyway() throws Exception {
    TestDatabase db = migrated();
    db.query("UPDATE flyway_schema_history SET success = false WHERE version = '22' RETURNING version");
    try (Database database = database(db)) {
      assertThatThrownBy(database::migrate).hasMessageContaining("22");
    }
  }
}
