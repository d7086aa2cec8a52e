package dev.ringback.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Vert.x's Micrometer metrics with one guard. When several HTTP server instances share the port,
 * a connection can be accepted by an instance whose metrics do not exist yet (seen right after
 * start-up) and so carry no socket metric; vertx-micrometer then throws on each of its requests
 * and the request is never answered. Here such a connection's requests go unmeasured instead.
 */
public final class GuardedMetricsFactory implements VertxMetricsFactory {
  private final VertxMetricsFactory delegate;

  public GuardedMetricsFactory(VertxMetricsFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new Guarded(delegate.metrics(options));
  }

  @Override
  public MetricsOptions newOptions() {
    return delegate.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return delegate.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return delegate.newOptions(json);
  }

  private record Guarded(VertxMetrics metrics) implements VertxMetrics {
    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return metrics.createEventBusMetrics();
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> server = metrics.createHttpServerMetrics(options, localAddress);
      return server == null ? null : guard(server);
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return metrics.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return metrics.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return metrics.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return metrics.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return metrics.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return metrics.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      metrics.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return metrics.isMetricsEnabled();
    }

    @Override
    public void close() {
      metrics.close();
    }

    private static <R, W, S> HttpServerMetrics<R, W, S> guard(HttpServerMetrics<R, W, S> server) {
      return new GuardedServer<>(server);
    }
  }

  /** Every call that takes a socket or request metric is skipped when that metric is missing. */
  private record GuardedServer<R, W, S>(HttpServerMetrics<R, W, S> server) implements HttpServerMetrics<R, W, S> {
    @Override
    public R requestBegin(S socket, HttpRequest request) {
      return socket == null ? null : server.requestBegin(socket, request);
    }

    @Override
    public void requestEnd(R request, HttpRequest httpRequest, long bytesRead) {
      if (request != null) {
        server.requestEnd(request, httpRequest, bytesRead);
      }
    }

    @Override
    public void requestReset(R request) {
      if (request != null) {
        server.requestReset(request);
      }
    }

    @Override
    public void responseBegin(R request, HttpResponse response) {
      if (request != null) {
        server.responseBegin(request, response);
      }
    }

    @Override
    public R responsePushed(S socket, HttpMethod method, String uri, HttpResponse response) {
      return socket == null ? null : server.responsePushed(socket, method, uri, response);
    }

    @Override
    public void responseEnd(R request, HttpResponse response, long bytesWritten) {
      if (request != null) {
        server.responseEnd(request, response, bytesWritten);
      }
    }

    @Override
    public W connected(S socket, R request, ServerWebSocket webSocket) {
      return socket == null || request == null ? null : server.connected(socket, request, webSocket);
    }

    @Override
    public void disconnected(W webSocket) {
      if (webSocket != null) {
        server.disconnected(webSocket);
      }
    }

    @Override
    public void requestRouted(R request, String route) {
      if (request != null) {
        server.requestRouted(request, route);
      }
    }

    @Override
    public S connected(SocketAddress remoteAddress, String remoteName) {
      return server.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(S socket, SocketAddress remoteAddress) {
      if (socket != null) {
        server.disconnected(socket, remoteAddress);
      }
    }

    @Override
    public void bytesRead(S socket, SocketAddress remoteAddress, long numberOfBytes) {
      if (socket != null) {
        server.bytesRead(socket, remoteAddress, numberOfBytes);
      }
    }

    @Override
    public void bytesWritten(S socket, SocketAddress remoteAddress, long numberOfBytes) {
      if (socket != null) {
        server.bytesWritten(socket, remoteAddress, numberOfBytes);
      }
    }

    @Override
    public void exceptionOccurred(S socket, SocketAddress remoteAddress, Throwable t) {
      if (socket != null) {
        server.exceptionOccurred(socket, remoteAddress, t);
      }
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
