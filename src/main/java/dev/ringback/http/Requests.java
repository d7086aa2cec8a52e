package dev.ringback.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/** Reading what API callers send: bodies, numbers and cursors, each refused with a clear 400. */
final class Requests {
  private Requests() {}

  /** Runs first on every route: a query string with a malformed escape such as {@code %zz} is a 400. */
  static void wellFormedQuery(RoutingContext ctx) {
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ctx.fail(HttpFailure.badRequest("malformed query string"));
      return;
    }
    ctx.next();
  }

  /** The body's declared length: its Content-Length, 0 for none, -1 when unknown (chunked) or unreadable. */
  static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (length == null) {
      String encoding = request.getHeader("Transfer-Encoding");
      return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked") ? -1 : 0;
    }
    try {
      long parsed = Long.parseLong(length.trim());
      return parsed < 0 ? -1 : parsed;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw HttpFailure.badRequest("expected a JSON object");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw HttpFailure.badRequest("malformed JSON: expected an object");
    }
  }

  /** Refuses fields the endpoint does not know, so a typo is not silently ignored. */
  static void onlyFields(JsonObject body, Set<String> known) {
    for (String field : body.fieldNames()) {
      if (!known.contains(field)) {
        throw HttpFailure.unprocessable(field + ": unknown field");
      }
    }
  }

  /**
   * A string field: trimmed, at most {@code max} characters, no control characters but newline
   * and tab; null when absent or empty and not required.
   */
  static String text(JsonObject body, String field, boolean required, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        throw HttpFailure.unprocessable(field + ": required");
      }
      return null;
    }
    if (!(value instanceof String text)) {
      throw HttpFailure.unprocessable(field + ": must be a string");
    }
    String trimmed = text.trim();
    if (required && trimmed.isEmpty()) {
      throw HttpFailure.unprocessable(field + ": must not be empty");
    }
    if (trimmed.length() > max) {
      throw HttpFailure.unprocessable(field + ": longer than " + max + " characters");
    }
    if (trimmed.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t')) {
      throw HttpFailure.unprocessable(field + ": contains control characters");
    }
    return trimmed.isEmpty() ? null : trimmed;
  }

  static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw HttpFailure.badRequest(name + ": must be between " + min + " and " + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest(name + ": must be a whole number");
    }
  }

  static long cursor(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest("cursor: not a cursor this API returned");
    }
  }

  /** An ISO-8601 instant such as 2026-11-23T14:05:00Z, or null when absent. */
  static Instant instant(String name, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw HttpFailure.unprocessable(name + ": '" + value + "' is not a time such as 2026-11-23T14:05:00Z");
    }
  }
}
