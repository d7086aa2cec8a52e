package dev.ringback.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL for the whole test run; every test gets a database of its own, reached
 * through RINGBACK_DATABASE_URL exactly as an operator's external database would be.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private final String name;

  private TestDatabase(String name) {
    this.name = name;
  }

  public static synchronized TestDatabase create() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }));
    }
    String name = "ringback_test_" + COUNTER.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new TestDatabase(name);
  }

  /** The port PostgreSQL listens on. */
  public int port() {
    return postgres.getPort();
  }

  /** The URL in the form RINGBACK_DATABASE_URL takes. */
  public String url() {
    return "postgresql://postgres:postgres@localhost:" + postgres.getPort() + "/" + name;
  }

  /** Runs a query and returns its rows as column-to-value maps, for assertions on what is stored. */
  public List<Map<String, Object>> query(String sql, Object... params) {
    try (Connection c = postgres.getDatabase("postgres", name).getConnection();
         var statement = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      if (!statement.execute()) {
        return rows;
      }
      try (ResultSet rs = statement.getResultSet()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A connection of the test's own to keep open, for queries run thousands of times. */
  public Connection connect() {
    try {
      return postgres.getDatabase("postgres", name).getConnection();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every row of a business that a call webhook could write, as text: equal before and after means untouched. */
  public String businessRows(long businessId) {
    List<String> out = new ArrayList<>();
    for (String sql : List.of(
        "SELECT * FROM calls WHERE business_id = ? ORDER BY id",
        "SELECT * FROM callbacks WHERE business_id = ? ORDER BY id",
        "SELECT a.* FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id WHERE c.business_id = ? ORDER BY a.id",
        "SELECT * FROM feedback WHERE business_id = ? ORDER BY id",
        "SELECT * FROM do_not_call WHERE business_id = ? ORDER BY phone",
        "SELECT * FROM customer_notes WHERE business_id = ? ORDER BY id",
        "SELECT * FROM agents WHERE business_id = ? ORDER BY id")) {
      out.add(sql + " -> " + query(sql, businessId));
    }
    return String.join("\n", out);
  }

  public long count(String sql, Object... params) {
    return ((Number) query(sql, params).get(0).values().iterator().next()).longValue();
  }
}
