package dev.ringback.telephony;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The breakers open now, of every business: the dialler asks each business whether it may send
 * only while one is open, so a claim does not look through a thousand businesses that all may.
 */
public final class OpenCircuits {
  private final Set<BreakerTelephony> open = ConcurrentHashMap.newKeySet();

  /** Whether any business's breaker is open (or probing) now. */
  public boolean any() {
    return !open.isEmpty();
  }

  void opened(BreakerTelephony breaker) {
    open.add(breaker);
  }

  void closed(BreakerTelephony breaker) {
    open.remove(breaker);
  }
}
