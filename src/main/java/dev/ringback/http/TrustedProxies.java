package dev.ringback.http;

import dev.ringback.config.AddressRanges;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The reverse proxies (addresses or CIDR ranges, IPv4 or IPv6) whose {@code X-Forwarded-Proto}
 * and {@code X-Forwarded-Host} are believed. From anyone else those headers are ignored: they
 * are only words a client chose.
 */
public final class TrustedProxies {
  private static final Pattern PROTO = Pattern.compile("https?");
  private static final Pattern HOST = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

  private final AddressRanges ranges;

  private TrustedProxies(AddressRanges ranges) {
    this.ranges = ranges;
  }

  /** @see AddressRanges#parse */
  public static TrustedProxies parse(List<String> entries) {
    return new TrustedProxies(AddressRanges.parse(entries));
  }

  boolean trusts(SocketAddress peer) {
    return peer != null && peer.hostAddress() != null && ranges.contains(peer.hostAddress());
  }

  /**
   * The base URL the request was sent to: {@code publicUrl}, or, from a trusted proxy, the scheme
   * and host it names in {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (the first of
   * each when proxies are chained; anything malformed is ignored) with the public URL's path.
   */
  String baseUrl(HttpServerRequest request, String publicUrl) {
    if (!trusts(request.remoteAddress())) {
      return publicUrl;
    }
    String proto = first(request.getHeader("X-Forwarded-Proto"));
    String host = first(request.getHeader("X-Forwarded-Host"));
    boolean protoUsable = proto != null && PROTO.matcher(proto.toLowerCase(Locale.ROOT)).matches();
    boolean hostUsable = host != null && HOST.matcher(host).matches();
    if (!protoUsable && !hostUsable) {
      return publicUrl;
    }
    URI configured = URI.create(publicUrl);
    return (protoUsable ? proto.toLowerCase(Locale.ROOT) : configured.getScheme()) + "://"
        + (hostUsable ? host : configured.getRawAuthority())
        + (configured.getRawPath() == null ? "" : configured.getRawPath());
  }

  private static String first(String header) {
    if (header == null) {
      return null;
    }
    String value = header.split(",", 2)[0].trim();
    return value.isEmpty() ? null : value;
  }
}
