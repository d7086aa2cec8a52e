package dev.ringback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.Marker;

/**
 * Ringback's logging, set up in code (found by logback through {@code META-INF/services}): one
 * line per event on standard output, phone numbers masked to their last four digits, the chatty
 * libraries at WARN. Code, not logback.xml, because reading XML loads some 600 classes at each
 * start. A file named by {@code -Dlogback.configurationFile} replaces all of this.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %maskedMsg%n%maskedEx";
  private static final String[] QUIET = {"io.zonky.test.db.postgres", "org.flywaydb", "io.netty", "org.apache.hc", "com.twilio"};

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    @SuppressWarnings("unchecked")
    Map<String, Supplier<?>> rules = (Map<String, Supplier<?>>) context.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
    if (rules == null) {
      rules = new HashMap<>();
      context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
    }
    rules.put("maskedMsg", MaskingMessageConverter::new);
    rules.put("maskedEx", MaskingThrowableConverter::new);

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(context);
    stdout.setName("STDOUT");
    stdout.setEncoder(encoder);
    stdout.start();
    for (String name : QUIET) {
      context.getLogger(name).setLevel(Level.WARN);
    }
    VertxGaugeNotice notice = new VertxGaugeNotice();
    notice.setContext(context);
    notice.start();
    context.addTurboFilter(notice);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stdout);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Drops one false alarm at each start: vertx-micrometer registers a gauge per Vert.x client
   * under the same name and tags and shares one value between them (vert-x3/vertx-micrometer-metrics#259),
   * and Micrometer warns that the second registration "will be ignored". Warnings about any other meter pass.
   */
  static final class VertxGaugeNotice extends TurboFilter {
    static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";

    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format, Object[] params,
        Throwable t) {
      boolean vertxGauge = level == Level.WARN && format != null && LOGGER.equals(logger.getName())
          && format.contains("already registered") && format.contains("MeterId{name='vertx.");
      return vertxGauge ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
  }
}
