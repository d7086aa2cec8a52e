package dev.ringback.domain;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the public URL can lead to this server. A URL on this machine (localhost, 127.x, ::1)
 * reaches whatever listens on its port there, so it must name the port this server listens on;
 * any other host may be a proxy or a tunnel, and is believed.
 */
public final class PublicUrl {
  private PublicUrl() {}

  /** Why {@code publicUrl} cannot reach a server listening on {@code port}, or empty when it may. */
  public static Optional<String> cannotReach(String publicUrl, int port) {
    URI uri = URI.create(publicUrl);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    boolean thisMachine = host.equals("localhost") || host.endsWith(".localhost") || host.matches("127(\\.[0-9]{1,3}){3}") || host.equals("::1");
    int named = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    if (thisMachine && named != port) {
      return Optional.of("it names port " + named + " on this machine, and this server listens on port " + port);
    }
    return Optional.empty();
  }
}
