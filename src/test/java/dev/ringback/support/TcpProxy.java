package dev.ringback.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay to a local port that can be cut and restored, for outages without stopping the
 * server behind it: cut() drops every open connection and refuses new ones until restore();
 * freeze() holds every byte in both directions until thaw(), as a server stopped with SIGSTOP
 * does (connections stay open, nothing is answered); resetWhenSent(marker) answers the first
 * bytes the client sends with the marker in them with a TCP reset instead of passing them on, as
 * a server that dies with a query unread does; delayNewConnections(d) lets each new connection's
 * bytes through only after d, as a loaded server slow to start a process for a connection is.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile long delayMillis;
  private boolean frozen;
  private final java.util.concurrent.atomic.AtomicReference<String> resetMarker = new java.util.concurrent.atomic.AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicInteger resets = new java.util.concurrent.atomic.AtomicInteger();

  private TcpProxy(int target) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = target;
    Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static TcpProxy to(int port) {
    try {
      return new TcpProxy(port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public void cut() {
    cut = true;
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  public void restore() {
    cut = false;
  }

  /** The next client bytes that contain {@code marker} (ASCII) reset their connection instead of reaching the target. */
  public void resetWhenSent(String marker) {
    resetMarker.set(marker);
  }

  /** Connections reset by {@link #resetWhenSent}. */
  public int resets() {
    return resets.get();
  }

  /** Every connection accepted from now on reaches the target only after {@code delay}. */
  public void delayNewConnections(java.time.Duration delay) {
    delayMillis = delay.toMillis();
  }

  public synchronized void freeze() {
    frozen = true;
  }

  public synchronized void thaw() {
    frozen = false;
    notifyAll();
  }

  private synchronized void awaitThaw() throws InterruptedException {
    while (frozen) {
      wait();
    }
  }

  @Override
  public void close() {
    thaw();
    cut();
    closeQuietly(server);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (cut) {
          closeQuietly(client);
          continue;
        }
        open.add(client);
        long delay = delayMillis;
        if (delay == 0) {
          relay(client);
        } else {
          Thread late = new Thread(() -> {
            try {
              Thread.sleep(delay); // the slowness this relay plays, not a wait for a result
              relay(client);
            } catch (InterruptedException e) {
              closeQuietly(client);
            }
          }, "tcp-proxy-late");
          late.setDaemon(true);
          late.start();
        }
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void relay(Socket client) {
    try {
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
      open.add(upstream);
      pump(client, upstream, true);
      pump(upstream, client, false);
    } catch (IOException e) {
      // the target refused: the client sees its connection end
      closeQuietly(client);
      open.remove(client);
    }
  }

  private void pump(Socket from, Socket to, boolean fromClient) {
    Thread thread = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          String marker = resetMarker.get();
          if (fromClient && marker != null && new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).contains(marker)
              && resetMarker.compareAndSet(marker, null)) {
            from.setSoLinger(true, 0);
            resets.incrementAndGet();
            return;
          }
          awaitThaw();
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    });
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
