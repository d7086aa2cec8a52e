package dev.ringback;

import dev.ringback.config.ConfigException;
import dev.ringback.config.RingbackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ringback.jar [--config FILE] [--demo]}: loads the configuration once and runs
 * Ringback until SIGTERM; {@code --demo} adds generated calls and orders for the simulator.
 */
public final class Main {
  private static final String USAGE = "usage: java -jar ringback.jar [--config FILE] [--demo]";

  private Main() {}

  public static void main(String[] args) {
    Path configFile = RingbackConfig.DEFAULT_FILE;
    boolean demo = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            fail(2, "--config needs a file name; " + USAGE);
          }
          configFile = Path.of(args[++i]);
        }
        case "--demo" -> demo = true;
        case "--help", "-h" -> {
          System.out.println(USAGE);
          return;
        }
        default -> fail(2, "unknown argument '" + args[i] + "'; " + USAGE);
      }
    }
    // Logging reads its own configuration on another core while this thread reads ours: the two
    // are the largest pieces of start-up work before the database can start.
    Thread logging = new Thread(LoggerFactory::getILoggerFactory, "ringback-logging-init");
    logging.start();
    RingbackConfig config;
    try {
      if (!Files.exists(configFile)) {
        throw new ConfigException(configFile.toString(), "no such file (pass another with --config FILE)");
      }
      config = RingbackConfig.load(configFile, System.getenv());
      if (demo) {
        config = config.withDemo();
      }
    } catch (ConfigException e) {
      fail(2, "configuration error: " + e.getMessage());
      return;
    }

    try {
      logging.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    Ringback ringback;
    try {
      ringback = Ringback.start(config, Clock.systemUTC());
    } catch (Exception e) {
      log.debug("Ringback could not start", e);
      fail(1, "could not start: " + rootMessage(e));
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Shutting down");
      ringback.close();
      stopped.countDown();
    }, "ringback-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static void fail(int status, String message) {
    System.err.println("ringback: " + message);
    System.exit(status);
  }
}
