package dev.ringback.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every answer carries, set before any handler runs so refusals carry them too. The
 * console may load only its own files (and play voicemails it fetched itself); nothing else is
 * a page, so it may load nothing at all. No answer may be framed, sniffed or kept by a cache.
 */
final class SecurityHeaders {
  static final String CONSOLE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; media-src 'self' blob:; object-src 'none'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

  private SecurityHeaders() {}

  static void apply(RoutingContext ctx) {
    boolean console = ctx.request().path().startsWith("/console");
    MultiMap headers = ctx.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Content-Security-Policy", console ? CONSOLE_POLICY : DATA_POLICY);
    // The console's files are checked again at each load (they change with each release); data is never stored.
    headers.set("Cache-Control", console ? "no-cache" : "no-store");
    ctx.next();
  }
}
