package dev.ringback.http;

import dev.ringback.config.RingbackConfig;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the HTTP server takes on at once, shared by all its event loops: the requests being
 * handled, the bytes of request bodies being read, and the CSV imports running. Past any of
 * them, a request is refused at once (503) instead of queueing: a flood, slow uploads or more
 * traffic than the machine can serve then cost no more than this.
 */
public final class Admission {
  private final long maxBufferedBytes;
  private final AtomicLong buffered = new AtomicLong();
  private final Semaphore imports;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  public Admission(RingbackConfig.Http http) {
    this.maxBufferedBytes = http.maxBufferedBytes();
    this.imports = new Semaphore(http.maxConcurrentImports());
    this.maxInFlight = http.maxInFlight();
  }

  /** A request starts being handled; false when as many as the server takes on at once already are. */
  boolean tryEnter() {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  void exit() {
    inFlight.decrementAndGet();
  }

  /** Requests being handled now. */
  public long inFlight() {
    return inFlight.get();
  }

  /** Reserves room for a body of this many bytes; false when it does not fit beside the others. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = buffered.get();
      if (now + bytes > maxBufferedBytes) {
        return false;
      }
      if (buffered.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    buffered.addAndGet(-bytes);
  }

  /** Bytes reserved by bodies being read or handled now. */
  public long buffered() {
    return buffered.get();
  }

  boolean tryStartImport() {
    return imports.tryAcquire();
  }

  void importDone() {
    imports.release();
  }
}
