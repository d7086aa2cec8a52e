package dev.ringback;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.ringback.domain.PhoneNumbers;

/** {@code %maskedEx} in logback.xml: a stack trace whose messages (a database error naming a row, say) show no phone number. */
public final class MaskingThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return PhoneNumbers.maskWithin(super.throwableProxyToString(proxy));
  }
}
