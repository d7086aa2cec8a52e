package dev.ringback.config;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** IP addresses and CIDR ranges, IPv4 or IPv6, as the configuration names them (the trusted proxies). */
public final class AddressRanges {
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

  private AddressRanges(List<Range> ranges) {
    this.ranges = ranges;
  }

  /**
   * @param entries literal addresses ({@code 10.0.0.7}, {@code ::1}) or ranges ({@code 10.0.0.0/8}); names are refused, since
   *     resolving them would ask DNS whom to trust
   * @throws IllegalArgumentException naming the first entry that is neither
   */
  public static AddressRanges parse(List<String> entries) {
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
    return new AddressRanges(List.copyOf(ranges));
  }

  /** A literal IP address as bytes (IPv4-mapped IPv6 as IPv4), or null for anything else; never a DNS lookup. */
  private static byte[] address(String text) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
    if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
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

  /** Whether a literal address (never a name) lies in one of the ranges. */
  public boolean contains(String hostAddress) {
    if (ranges.isEmpty()) {
      return false;
    }
    byte[] address = address(hostAddress);
    return address != null && ranges.stream().anyMatch(r -> r.contains(address));
  }
}
