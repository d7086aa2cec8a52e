package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.app.Tokens;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

/**
 * Guards /api/*, before any body is read: a business's admin token (compared by hash in constant time; the default
 * business's is the server admin's) or an agent's own token, each reaching its own business's
 * data only; and the body types each route accepts.
 */
final class ApiRoutes {
  private static final String TOKEN_KEY = "ringback.token-sha256";
  /** The server admin names the business a request is about with it; without it, the default business. */
  static final String BUSINESS_HEADER = "Ringback-Business";

  private final Services services;

  ApiRoutes(Services services) {
    this.services = services;
  }

  void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(new HttpException(401, "missing bearer token"));
      return;
    }
    byte[] presented = Tokens.sha256(header.substring(7).trim());
    ctx.put(TOKEN_KEY, presented);
    String named = ctx.request().getHeader(BUSINESS_HEADER);
    if (MessageDigest.isEqual(presented, services.adminTokenSha256())) {
      if (named == null || named.isBlank()) {
        Caller.serverAdmin(services.businesses().defaultBusiness()).put(ctx);
      } else {
        Optional<Business> business = services.businesses().bySlug(named.trim());
        if (business.isEmpty()) {
          ctx.fail(new HttpException(404, "no business '" + named.trim() + "' (" + BUSINESS_HEADER + ")"));
          return;
        }
        Caller.serverAdmin(business.get()).put(ctx);
      }
      ctx.next();
      return;
    }
    if (named != null) {
      ctx.fail(new HttpException(403, "only the server's admin token (RINGBACK_API_TOKEN) may name a business in " + BUSINESS_HEADER));
      return;
    }
    // Another business's admin token: that business's data only.
    Optional<Business> business = services.businesses().byToken(presented);
    if (business.isPresent()) {
      Caller.admin(business.get()).put(ctx);
      ctx.next();
      return;
    }
    // Not an admin: perhaps an agent's own token (looked up by its hash, which is unique), of a business still served.
    // The body waits unread meanwhile (the body handler resumes it); a refused one is never read.
    boolean paused = BoundedBodies.carriesBody(ctx.request());
    if (paused) {
      ctx.request().pause();
    }
    services.agents().bearer(presented).onComplete(found -> {
      if (found.succeeded() && found.result().isPresent()) {
        Caller.agent(found.result().get().agent(), found.result().get().business()).put(ctx);
        ctx.next();
        return;
      }
      if (paused) {
        // Lets the request end, so the connection can serve the next one (a large body closes it instead).
        ctx.request().resume();
      }
      if (found.failed()) {
        ctx.fail(found.cause());
      } else {
        ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        ctx.fail(new HttpException(401, "invalid bearer token"));
      }
    });
  }

  /** The hash of the bearer token the request came with, for a stream that must end when that token stops working. */
  static byte[] tokenSha256(RoutingContext ctx) {
    return ctx.get(TOKEN_KEY);
  }

  /** For routes that read a body: refuses other content types with 415 before any work. */
  static Handler<RoutingContext> requireContentType(String expected) {
    return ctx -> {
      String type = ctx.request().getHeader("Content-Type");
      if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(expected)) {
        ctx.fail(new HttpException(415, "expected Content-Type " + expected));
        return;
      }
      ctx.next();
    };
  }
}
