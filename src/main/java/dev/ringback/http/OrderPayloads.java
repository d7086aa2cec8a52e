package dev.ringback.http;

import dev.ringback.domain.Order;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each shop's order JSON into an {@link Order}. Shops leave fields null, empty or out
 * entirely; only a missing order id makes an order unusable.
 */
final class OrderPayloads {
  private static final Logger LOG = LoggerFactory.getLogger(OrderPayloads.class);
  /** The order attribute in which a shop passes the buyer's requested call time. */
  static final String REQUESTED_TIME = "callback_at";
  private static final int MAX_ID = 64;
  private static final int MAX_NAME = 200;
  private static final BigDecimal MAX_TOTAL = new BigDecimal("1000000000000");

  private OrderPayloads() {}

  /**
   * {@code {"order_id", "phone", "name", "total", "currency", "line"?, "number"?, "items"?, "country"?, "call_at"?}},
   * strictly checked; {@code call_at} (ISO-8601, e.g. 2026-12-01T10:15:00Z) is when the buyer asked to be called.
   */
  static Order generic(JsonObject body) {
    String orderId = id(body, "order_id");
    BigDecimal total = null;
    Object rawTotal = body.getValue("total");
    if (rawTotal != null) {
      total = decimal(rawTotal);
      if (total == null) {
        throw HttpFailure.unprocessable("total: not an amount of money");
      }
    }
    String currency = text(body, "currency");
    if (currency != null && !currency.matches("[A-Za-z]{3}")) {
      throw HttpFailure.unprocessable("currency: not a three-letter code such as USD");
    }
    Object items = body.getValue("items");
    if (items != null && !(items instanceof Number n && n.intValue() >= 0)) {
      throw HttpFailure.unprocessable("items: not a count of items");
    }
    Object phone = body.getValue("phone");
    if (phone != null && !(phone instanceof String)) {
      throw HttpFailure.unprocessable("phone: not a string");
    }
    return new Order("generic", orderId, text(body, "number"), clip(text(body, "name"), MAX_NAME),
        List.of(new Order.Phone((String) phone, text(body, "country"))), total,
        currency == null ? null : currency.toUpperCase(Locale.ROOT), items == null ? null : ((Number) items).intValue(),
        null, text(body, "line"), callAt(body));
  }

  /** Shopify's {@code orders/create}: the REST Admin API order resource. */
  static Order shopify(JsonObject body) {
    JsonObject shipping = object(body, "shipping_address");
    JsonObject billing = object(body, "billing_address");
    JsonObject customer = object(body, "customer");
    JsonObject customerAddress = object(customer, "default_address");
    String country = firstText(shipping, billing, customerAddress, "country_code");
    List<Order.Phone> phones = new ArrayList<>();
    phones.add(new Order.Phone(text(shipping, "phone"), text(shipping, "country_code")));
    phones.add(new Order.Phone(text(billing, "phone"), text(billing, "country_code")));
    phones.add(new Order.Phone(text(customer, "phone"), country));
    phones.add(new Order.Phone(text(body, "phone"), country));
    String name = fullName(customer);
    if (name == null) {
      name = fullName(billing) != null ? fullName(billing) : text(billing, "name");
    }
    if (name == null) {
      name = fullName(shipping) != null ? fullName(shipping) : text(shipping, "name");
    }
    return new Order("shopify", id(body, "id"), text(body, "name") != null ? text(body, "name") : text(body, "order_number"),
        clip(name, MAX_NAME), phones, decimal(body.getValue("total_price")), currency(text(body, "currency")),
        quantities(body.getValue("line_items")), instant(text(body, "created_at")), null,
        requestedTime(body.getValue("note_attributes"), "name"));
  }

  /** WooCommerce's {@code order.created}: the REST API v3 order resource; absent values are "". */
  static Order woocommerce(JsonObject body) {
    JsonObject billing = object(body, "billing");
    JsonObject shipping = object(body, "shipping");
    List<Order.Phone> phones = List.of(
        new Order.Phone(text(billing, "phone"), text(billing, "country")),
        new Order.Phone(text(shipping, "phone"), text(shipping, "country") != null ? text(shipping, "country") : text(billing, "country")));
    String name = fullName(billing) != null ? fullName(billing) : fullName(shipping);
    String created = text(body, "date_created_gmt");
    return new Order("woocommerce", id(body, "id"), text(body, "number"), clip(name, MAX_NAME), phones,
        decimal(body.getValue("total")), currency(text(body, "currency")), quantities(body.getValue("line_items")),
        created == null ? null : gmt(created), null, requestedTime(body.getValue("meta_data"), "key"));
  }

  private static Instant callAt(JsonObject body) {
    String value = text(body, "call_at");
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw HttpFailure.unprocessable("call_at: '" + value + "' is not a date and time such as 2026-12-01T10:15:00Z");
    }
  }

  /**
   * When a shop's buyer asked to be called: the order attribute {@value #REQUESTED_TIME} (Shopify's
   * cart attributes arrive as {@code note_attributes}, WooCommerce's order meta as {@code meta_data}),
   * ISO-8601 with an offset. The shop cannot correct a bad value, so it is ignored, not refused:
   * the buyer is then called as soon as the policy says.
   */
  private static Instant requestedTime(Object attributes, String nameField) {
    if (!(attributes instanceof JsonArray list)) {
      return null;
    }
    for (Object entry : list) {
      if (entry instanceof JsonObject attribute && (REQUESTED_TIME.equals(text(attribute, nameField))
          || ("_" + REQUESTED_TIME).equals(text(attribute, nameField)))) {
        Instant at = instant(text(attribute, "value"));
        if (at == null) {
          LOG.info("order attribute {}: '{}' is not a date and time such as 2026-12-01T10:15:00Z; ignored", REQUESTED_TIME,
              clip(text(attribute, "value"), 40));
        }
        return at;
      }
    }
    return null;
  }

  private static String id(JsonObject body, String field) {
    Object value = body.getValue(field);
    String id = value instanceof String || value instanceof Number ? value.toString().trim() : null;
    if (id == null || id.isEmpty()) {
      throw HttpFailure.unprocessable(field + ": the order id is missing");
    }
    if (id.length() > MAX_ID) {
      throw HttpFailure.unprocessable(field + ": longer than " + MAX_ID + " characters");
    }
    return id;
  }

  private static JsonObject object(JsonObject parent, String field) {
    return parent != null && parent.getValue(field) instanceof JsonObject child ? child : null;
  }

  /** A non-blank string or number as text, else null. */
  private static String text(JsonObject parent, String field) {
    if (parent == null) {
      return null;
    }
    Object value = parent.getValue(field);
    if (!(value instanceof String) && !(value instanceof Number)) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  private static String firstText(JsonObject a, JsonObject b, JsonObject c, String field) {
    String found = text(a, field);
    found = found != null ? found : text(b, field);
    return found != null ? found : text(c, field);
  }

  private static String fullName(JsonObject person) {
    String first = text(person, "first_name");
    String last = text(person, "last_name");
    if (first == null && last == null) {
      return null;
    }
    return first == null ? last : last == null ? first : first + " " + last;
  }

  /** An amount of money from a number or a numeric string; null for anything else or anything absurd. */
  private static BigDecimal decimal(Object value) {
    BigDecimal amount;
    try {
      if (value instanceof Number n) {
        amount = new BigDecimal(n.toString());
      } else if (value instanceof String s && !s.isBlank() && s.trim().length() <= 32) {
        amount = new BigDecimal(s.trim());
      } else {
        return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return amount.signum() < 0 || amount.compareTo(MAX_TOTAL) > 0 || amount.scale() > 4 ? null : amount;
  }

  /** The number of items: the sum of the line items' quantities. */
  private static Integer quantities(Object lineItems) {
    if (!(lineItems instanceof JsonArray items)) {
      return null;
    }
    int count = 0;
    for (Object item : items) {
      if (item instanceof JsonObject line && line.getValue("quantity") instanceof Number quantity) {
        count += Math.max(0, quantity.intValue());
      }
    }
    return count;
  }

  private static Instant instant(String value) {
    try {
      return value == null ? null : OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant gmt(String value) {
    try {
      return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A three-letter currency code, upper case; anything else is dropped. */
  private static String currency(String value) {
    return value == null || !value.matches("[A-Za-z]{3}") ? null : value.toUpperCase(Locale.ROOT);
  }

  private static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
