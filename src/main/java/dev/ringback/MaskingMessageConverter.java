package dev.ringback;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ringback.domain.PhoneNumbers;

/**
 * {@code %maskedMsg} in logback.xml: the message with every phone number masked to its last four
 * digits, a safety net behind the call sites that mask, and on one line (a CR or LF someone sent
 * in a value cannot forge a log line).
 */
public final class MaskingMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    String message = PhoneNumbers.maskWithin(super.convert(event));
    return message == null ? null : message.replace("\r", "\\r").replace("\n", "\\n");
  }
}
