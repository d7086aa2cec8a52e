package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.Speech;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every /twilio/* request passes before its handler: which business it is about, and that
 * Twilio signed it for that business; and the URLs that business gives Twilio to call back.
 */
final class TwilioGuard {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioGuard.class);
  static final String BUSINESS = "ringback.business";

  private final Services services;
  private final TrustedProxies proxies;

  TwilioGuard(Services services) {
    this.services = services;
    this.proxies = TrustedProxies.parse(services.config().http().trustedProxies());
  }

  /** The business a verified /twilio/* request is about. */
  static Business business(RoutingContext ctx) {
    return ctx.get(BUSINESS);
  }

  /** An absolute URL for Twilio to call back about this business's calls. */
  static String url(Services services, Business business, String pathAndQuery) {
    return business.url(services.config().http().publicUrl(), pathAndQuery);
  }

  /**
   * Runs before the body of a /twilio/* request is read: it must be a form, and a request that
   * can only be for businesses with Twilio credentials must carry a signature (checked once the
   * body, which it covers, is read).
   */
  void precheck(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      ctx.fail(HttpFailure.badRequest("expected a form-encoded body"));
      return;
    }
    if (ctx.request().getHeader("X-Twilio-Signature") == null && onlySignedSenders(ctx)) {
      LOG.warn("{} rejected before its body: no X-Twilio-Signature", ctx.request().path());
      ctx.fail(new HttpException(403, "invalid Twilio signature"));
      return;
    }
    ctx.next();
  }

  /** Whether every business this request could be for checks signatures; without the body only its query says which. */
  private boolean onlySignedSenders(RoutingContext ctx) {
    List<String> named = ctx.queryParam("business");
    if (!named.isEmpty()) {
      return services.businesses().bySlug(named.get(0)).map(b -> b.twilio().configured()).orElse(false);
    }
    return services.businesses().all().stream().allMatch(b -> b.twilio().configured());
  }

  /**
   * Runs before every /twilio/* handler, once the form is read: with Twilio credentials set it
   * must carry Twilio's signature for the public URL of this exact request (as a trusted proxy
   * names it, else RINGBACK_PUBLIC_URL).
   */
  void verify(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    Optional<Business> found = resolve(ctx, form);
    if (found.isEmpty()) {
      LOG.warn("{} for a business this server does not serve (business={}, AccountSid={}): told the number is not in service",
          ctx.request().path(), String.join(",", ctx.queryParam("business")), form.get("AccountSid"));
      Responses.twiml(ctx, 404, Twiml.goodbye("not-in-service", Speech.plain(services.config().catalogs().reference())));
      return;
    }
    Business business = found.get();
    if (business.twilio().configured()) {
      // Only this business's auth token is tried: a request signed for another business is refused.
      String signature = ctx.request().getHeader("X-Twilio-Signature");
      String url = proxies.baseUrl(ctx.request(), services.config().http().publicUrl()) + ctx.request().uri();
      if (!TwilioSignature.valid(business.twilio().authToken(), url, form, signature)) {
        LOG.warn("{} rejected: {} X-Twilio-Signature for {} (business {})", ctx.request().path(), signature == null ? "missing" : "wrong",
            url, business.slug());
        ctx.fail(new HttpException(403, "invalid Twilio signature"));
        return;
      }
    }
    ctx.put(BUSINESS, business);
    ctx.next();
  }

  /**
   * The business a webhook is about: the one Ringback named in its own callback URLs
   * ({@code business=<slug>}), else the one whose line the call is on (the number called on an
   * inbound call, the calling number on an outbound one), else the one of the Twilio account
   * ({@code AccountSid}), else the default business. Empty: a business nobody serves.
   */
  private Optional<Business> resolve(RoutingContext ctx, MultiMap form) {
    List<String> named = ctx.queryParam("business");
    if (!named.isEmpty()) {
      return services.businesses().bySlug(named.get(0));
    }
    if (services.businesses().all().size() == 1) {
      // A server of one business: every webhook is that business's.
      return Optional.of(services.businesses().defaultBusiness());
    }
    PhoneNumbers numbers = services.phoneNumbers();
    String direction = Optional.ofNullable(form.get("Direction")).orElse("");
    List<String> order = direction.startsWith("outbound") ? List.of("From", "To") : List.of("To", "From");
    for (String field : order) {
      // Twilio sends E.164: looked up as sent first, parsed only when that finds nothing.
      String raw = form.get(field);
      Optional<Business> byLine = services.businesses().byNumber(raw)
          .or(() -> numbers.normalize(raw).flatMap(services.businesses()::byNumber));
      if (byLine.isPresent()) {
        return byLine;
      }
    }
    String accountSid = form.get("AccountSid");
    List<Business> byAccount = services.businesses().byAccountSid(accountSid);
    if (!byAccount.isEmpty()) {
      return Optional.of(byAccount.get(0));
    }
    Business fallback = services.businesses().defaultBusiness();
    if (accountSid != null && !accountSid.isBlank() && fallback.twilio().configured()) {
      // An account none of the businesses has.
      return Optional.empty();
    }
    return Optional.of(fallback);
  }
}
