package dev.ringback.http;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
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

  private record Range(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = ranges;
  }

  /**
   * @param entries literal addresses ({@code 10.0.0.7}, {@code ::1}) or ranges ({@code 10.0.0.0/8}); names are refused, since
   *     resolving them would ask DNS whom to trust
   * @throws IllegalArgumentException naming the first entry that is neither
   */
  public static TrustedProxies parse(List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      String[] parts = entry.trim().split("/", 2);
      byte[] network = address(parts[0]);
      if (network == null) {
        throw new IllegalArgumentException("'" + entry + "' is not an IP address or a CIDR range such as 10.0.0.0/8");
      }
      int prefix = network.length * 8;
      if (parts.length == 2) {
        try {
          prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > network.length * 8) {
          throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0-" + network.length * 8);
        }
      }
      ranges.add(new Range(network, prefix));
    }
    return new TrustedProxies(List.copyOf(ranges));
  }

  /** A literal IP address as bytes (IPv4-mapped IPv6 as IPv4), or null for anything else; never a DNS lookup. */
  private static byte[] address(String text) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
      return java.util.Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  boolean trusts(SocketAddress peer) {
    if (peer == null || peer.hostAddress() == null || ranges.isEmpty()) {
      return false;
    }
    byte[] address = address(peer.hostAddress());
    return address != null && ranges.stream().anyMatch(r -> r.contains(address));
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
