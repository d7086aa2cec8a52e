package dev.ringback.telephony;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The peer of the dispatcher benchmark: the same due-callback workload (claim the due work,
 * place the call through twilio-java, record the outcome) run by db-scheduler on the same
 * PostgreSQL. Bench-only (Maven profile {@code bench}); in the dialler's package so it dials
 * through the very HTTP client class Ringback uses, {@link RebasedHttpClient}.
 */
public final class DbSchedulerPeer {
  private DbSchedulerPeer() {}

  public static String version() {
    String v = Scheduler.class.getPackage().getImplementationVersion();
    return v == null ? "16.7.1" : v;
  }

  /**
   * Creates db-scheduler's table and a table of callbacks, schedules {@code count} callbacks due
   * now, runs a scheduler with {@code threads} executor threads until {@code dialled} reaches
   * {@code count}, and returns the instant the callbacks were due.
   */
  public static Instant run(String jdbcUrl, String user, String password, String twilioUrl, String accountSid, String authToken,
                            int count, int threads, IntSupplier dialled) throws Exception {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(jdbcUrl);
    hikari.setUsername(user);
    hikari.setPassword(password);
    hikari.setMaximumPoolSize(threads + 2);
    try (HikariDataSource data = new HikariDataSource(hikari)) {
      try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS scheduled_tasks, peer_callbacks");
        // db-scheduler's PostgreSQL schema (its README's postgresql_tables.sql).
        s.execute("""
            CREATE TABLE scheduled_tasks (
              task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BYTEA,
              execution_time TIMESTAMPTZ NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,
              last_success TIMESTAMPTZ, last_failure TIMESTAMPTZ, consecutive_failures INT,
              last_heartbeat TIMESTAMPTZ, version BIGINT NOT NULL, priority SMALLINT,
              PRIMARY KEY (task_name, task_instance))""");
        s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
        s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
        s.execute("CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");
        s.execute("""
            CREATE TABLE peer_callbacks (id BIGINT PRIMARY KEY, customer_phone TEXT NOT NULL, line_number TEXT NOT NULL,
              state TEXT NOT NULL DEFAULT 'scheduled', call_sid TEXT, placed_at TIMESTAMPTZ, outcome TEXT)""");
      }
      TwilioRestClient client = new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid)
          .httpClient(new RebasedHttpClient(twilioUrl, 10)).build();
      OneTimeTask<Void> dial = Tasks.oneTime("dial").execute((instance, context) -> {
        long id = Long.parseLong(instance.getId());
        try (Connection c = data.getConnection()) {
          String phone;
          String from;
          try (PreparedStatement q = c.prepareStatement("SELECT customer_phone, line_number FROM peer_callbacks WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
              rs.next();
              phone = rs.getString(1);
              from = rs.getString(2);
            }
          }
          Call call = Call.creator(new PhoneNumber(phone), new PhoneNumber(from),
                  URI.create("https://ringback.example.com/twilio/callback?callback=" + id))
              .setMethod(HttpMethod.POST)
              .setStatusCallback(URI.create("https://ringback.example.com/twilio/status?callback=" + id))
              .setStatusCallbackMethod(HttpMethod.POST)
              .setStatusCallbackEvent(OutboundCall.STATUS_EVENTS)
              .setTimeout(25)
              .setMachineDetection("DetectMessageEnd")
              .create(client);
          try (PreparedStatement u = c.prepareStatement(
              "UPDATE peer_callbacks SET state = 'dialing', call_sid = ?, placed_at = now(), outcome = 'placed' WHERE id = ?")) {
            u.setString(1, call.getSid());
            u.setLong(2, id);
            u.executeUpdate();
          }
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      Scheduler scheduler = Scheduler.create(data, List.of(dial)).threads(threads).pollingInterval(Duration.ofMillis(100))
          .pollUsingLockAndFetch(0.5, 1.0).build();
      scheduler.start();
      try {
        Instant due = Instant.now();
        try (Connection c = data.getConnection(); Statement s = c.createStatement();
             PreparedStatement insert = c.prepareStatement("""
                 WITH cb AS (INSERT INTO peer_callbacks (id, customer_phone, line_number)
                             SELECT g, '+1' || (2000000000 + g)::text, '+14155550100' FROM generate_series(1, ?) g RETURNING id)
                 INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version)
                 SELECT 'dial', id::text, ?, false, 1 FROM cb""")) {
          insert.setInt(1, count);
          insert.setTimestamp(2, Timestamp.from(due));
          insert.execute();
        }
        long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (dialled.getAsInt() < count) {
          if (System.nanoTime() > end) {
            throw new IllegalStateException("db-scheduler placed " + dialled.getAsInt() + " of " + count + " calls in 5 minutes");
          }
          Thread.sleep(20);
        }
        return due;
      } finally {
        scheduler.stop();
      }
    }
  }
}
