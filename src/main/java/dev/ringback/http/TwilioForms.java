package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Reading Twilio's webhook forms and the parameters Ringback put in its own webhook URLs. */
final class TwilioForms {
  private TwilioForms() {}

  /** The line the call is to: an inbound call's number called. */
  static Optional<Line> lineCalled(PhoneNumbers numbers, Business business, MultiMap form) {
    return numbers.normalize(form.get("To")).flatMap(business::lineByNumber);
  }

  /** The line the call is from: a callback's calling number. */
  static Optional<Line> lineCalling(PhoneNumbers numbers, Business business, MultiMap form) {
    return numbers.normalize(form.get("From")).flatMap(business::lineByNumber);
  }

  static String required(MultiMap form, String name) {
    String value = form.get(name);
    if (value == null || value.isBlank()) {
      throw HttpFailure.badRequest("missing " + name);
    }
    if (value.length() > 64) {
      throw HttpFailure.badRequest(name + " is too long");
    }
    return value;
  }

  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  static Integer integer(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest("'" + value + "' is not a whole number");
    }
  }

  /** Twilio's Timestamp, e.g. "Tue, 21 Nov 2023 10:11:12 +0000"; our clock when absent. */
  static Instant timestamp(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return clock.instant();
    }
    return TwilioTimestamp.parse(value.trim())
        .orElseThrow(() -> HttpFailure.badRequest("Timestamp '" + value + "' is not an RFC 1123 date"));
  }

  /** The {@code <Dial>}'s action comes when either side hung up; only a caller still on the line can be asked. */
  static boolean customerStillThere(MultiMap form) {
    return "in-progress".equals(form.get("CallStatus"));
  }

  /** The callback id Ringback put in the URLs of its own outbound calls. */
  static Long callbackParam(RoutingContext ctx) {
    String value = ctx.request().getParam("callback");
    if (value == null) {
      return null;
    }
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest("callback: not a callback id");
    }
  }

  static long requiredCallbackParam(RoutingContext ctx) {
    Long callbackId = callbackParam(ctx);
    if (callbackId == null) {
      throw HttpFailure.badRequest("missing callback");
    }
    return callbackId;
  }

  static long longParam(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest(name + ": missing or not a number");
    }
  }
}
