package dev.ringback.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every answer carries, set before any handler runs so refusals carry them too. The
 * pages (the agents' console and the owner's pages) may load only the server's own files (and
 * play voicemails they fetched themselves); nothing else is a page, so it may load nothing at
 * all. No answer may be framed, sniffed or kept by a cache.
 */
final class SecurityHeaders {
  static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; media-src 'self' blob:; object-src 'none'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

  private SecurityHeaders() {}

  static void apply(RoutingContext ctx) {
    boolean page = isPage(ctx.request().path());
    MultiMap headers = ctx.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Content-Security-Policy", page ? PAGE_POLICY : DATA_POLICY);
    // The pages' files are checked again at each load (they change with each release); data is never stored.
    headers.set("Cache-Control", page ? "no-cache" : "no-store");
    ctx.next();
  }

  static boolean isPage(String path) {
    return path.equals("/console") || path.startsWith("/console/") || path.equals("/admin") || path.startsWith("/admin/");
  }
}
