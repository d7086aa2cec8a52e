package dev.ringback.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringback.config.RingbackConfig;
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

  @Test
  void eventsStoredBeforeTheyHadABusinessGoToTheBusinessOfTheirCall() throws Exception {
    TestDatabase db = TestDatabase.create();
    flyway(db, "22").migrate();
    db.query("""
        WITH b AS (INSERT INTO businesses (slug, name) VALUES ('bravo', 'Bravo') RETURNING id),
             l AS (INSERT INTO lines (business_id, slug, number, name) SELECT id, 'main', '+14155550300', 'Bravo' FROM b RETURNING id, business_id),
             c AS (INSERT INTO calls (business_id, line_id, call_sid, direction, from_number, to_number, arrived_at)
                   SELECT business_id, id, 'CAmig0001', 'inbound', '+14155550901', '+14155550300', now() FROM l RETURNING id),
             cb AS (INSERT INTO callbacks (business_id, line_id, customer_phone, trigger, triggered_at, last_triggered_at, due_at)
                    SELECT business_id, id, '+14155550902', 'manual', now(), now(), now() FROM l RETURNING id)
        INSERT INTO callback_attempts (callback_id, attempt, started_at, call_sid, agent_call_sid)
        SELECT id, 1, now(), 'CAmig0002', 'CAmig0003' FROM cb RETURNING id""");
    db.query("""
        INSERT INTO call_events (call_sid, parent_call_sid, call_status) VALUES
          ('CAmig0001', NULL, 'completed'), ('CAmigleg1', 'CAmig0001', 'ringing'), ('CAmig0002', NULL, 'completed'),
          ('CAmigleg2', 'CAmig0002', 'in-progress'), ('CAmig0003', NULL, 'in-progress'), ('CAmig0009', NULL, 'completed')
        RETURNING id""");
    try (Database database = database(db)) {
      database.migrate();
    }
    var owners = db.query("SELECT e.call_sid, b.slug FROM call_events e JOIN businesses b ON b.id = e.business_id ORDER BY e.call_sid");
    assertThat(owners.stream().map(r -> r.get("call_sid") + "=" + r.get("slug")).toList()).containsExactly(
        "CAmig0001=bravo", "CAmig0002=bravo", "CAmig0003=bravo", "CAmig0009=default", "CAmigleg1=bravo", "CAmigleg2=bravo");
    // The same event may now be stored once for each business.
    long defaultId = (Long) db.query("SELECT id FROM businesses WHERE slug = 'default'").get(0).get("id");
    db.query("INSERT INTO call_events (call_sid, call_status, business_id) VALUES ('CAmig0001', 'completed', ?) RETURNING id", defaultId);
    assertThatThrownBy(() -> db.query("INSERT INTO call_events (call_sid, call_status, business_id) VALUES ('CAmig0001', 'completed', ?)",
        defaultId)).hasMessageContaining("call_events_once");
  }
}
