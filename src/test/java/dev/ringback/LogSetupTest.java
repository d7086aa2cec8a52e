package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Logging as set up in code, and a logback file of the operator's own in its place. */
class LogSetupTest {
  @Test
  void theRunningServerIsSetUpByLogSetup() {
    LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
    var stdout = running.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    assertThat(stdout).isInstanceOf(ConsoleAppender.class);
    assertThat(((PatternLayoutEncoder) ((ConsoleAppender<ILoggingEvent>) stdout).getEncoder()).getPattern()).isEqualTo(LogSetup.PATTERN);
    assertThat(running.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void setsUpStandardOutputMaskedWithTheLibrariesAtWarn() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("com.twilio").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("dev.ringback").getEffectiveLevel()).isEqualTo(Level.INFO);
    @SuppressWarnings("unchecked")
    var stdout = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
    assertThat(stdout.isStarted()).isTrue();
    var event = new ch.qos.logback.classic.spi.LoggingEvent(LogSetupTest.class.getName(), context.getLogger("dev.ringback.x"),
        Level.INFO, "caller {}", null, new Object[] {"+14155550123"});
    String line = ((PatternLayoutEncoder) stdout.getEncoder()).getLayout().doLayout(event);
    assertThat(line).contains("INFO  dev.ringback.x - caller ********0123").doesNotContain("4155550");
  }

  @Test
  void aLogbackFileNamedOnTheCommandLineTakesOver() {
    String before = System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
    System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, "my-logback.xml");
    try {
      LoggerContext context = new LoggerContext();
      LogSetup setup = new LogSetup();
      setup.setContext(context);
      assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNull();
    } finally {
      if (before == null) {
        System.clearProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
      } else {
        System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, before);
      }
    }
  }

  @Test
  void vertxGaugeDoubleRegistrationIsNotWarnedButOtherMetersAre() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    setup.configure(context);
    var seen = new ch.qos.logback.core.read.ListAppender<ILoggingEvent>();
    seen.setContext(context);
    seen.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(seen);
    var micrometer = context.getLogger(LogSetup.VertxGaugeNotice.LOGGER);
    // Micrometer's words, as a server start printed them.
    micrometer.warn("This Gauge has been already registered (MeterId{name='vertx.net.client.active.connections', tags=[]}), the "
        + "registration will be ignored. Note that subsequent logs will be logged at debug level.");
    micrometer.warn("This Gauge has been already registered (MeterId{name='ringback.callback.queue', tags=[tag(business=acme)]}), "
        + "the registration will be ignored. Note that subsequent logs will be logged at debug level.");
    micrometer.warn("Some other warning about MeterId{name='vertx.pool.in.use', tags=[]}");
    context.getLogger("other.Logger").warn("already registered MeterId{name='vertx.x'}");
    assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage)
        .hasSize(3)
        .noneMatch(m -> m.contains("vertx.net.client.active.connections"))
        .anyMatch(m -> m.contains("ringback.callback.queue"));
  }
}
