package dev.ringback.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables of the contract, each over one key of the YAML. A key set by a
 * variable is reported under the variable's name, so an error names what the operator set.
 */
final class EnvironmentOverlay {
  /** The deployment's variables and the key each one overrides. */
  static final Map<String, String> VARIABLES = Map.ofEntries(
      Map.entry("RINGBACK_HTTP_PORT", "http.port"),
      Map.entry("RINGBACK_PUBLIC_URL", "http.public-url"),
      Map.entry("RINGBACK_TRUSTED_PROXIES", "http.trusted-proxies"),
      Map.entry("RINGBACK_MANAGEMENT_PORT", "http.management-port"),
      Map.entry("RINGBACK_DATABASE_URL", "database.url"),
      Map.entry("RINGBACK_JOURNAL_DIR", "database.journal-dir"),
      Map.entry("TWILIO_ACCOUNT_SID", "twilio.account-sid"),
      Map.entry("TWILIO_AUTH_TOKEN", "twilio.auth-token"),
      Map.entry("TWILIO_API_KEY", "twilio.api-key"),
      Map.entry("TWILIO_API_SECRET", "twilio.api-secret"),
      Map.entry("TWILIO_MESSAGING_SERVICE_SID", "texts.messaging-service-sid"),
      Map.entry("RINGBACK_SECRET_KEY", "secrets.key"),
      Map.entry("RINGBACK_SECRET_KEY_PREVIOUS", "secrets.previous-key"),
      Map.entry("RINGBACK_TWILIO_API_URL", "twilio.api-url"),
      Map.entry("RINGBACK_API_TOKEN", "api.token"),
      Map.entry("RINGBACK_ORDER_SECRET", "orders.generic.secret"),
      Map.entry("RINGBACK_SHOPIFY_SECRET", "orders.shopify.secret"),
      Map.entry("RINGBACK_WOOCOMMERCE_SECRET", "orders.woocommerce.secret"),
      Map.entry("RINGBACK_DEMO", "demo.enabled"));

  /**
   * The variables of each business under {@code businesses:}, after its
   * {@link #businessVariablePrefix}, and the key of the business each one overrides.
   */
  static final Map<String, String> BUSINESS_VARIABLES = Map.ofEntries(
      Map.entry("TWILIO_ACCOUNT_SID", "twilio.account-sid"),
      Map.entry("TWILIO_AUTH_TOKEN", "twilio.auth-token"),
      Map.entry("TWILIO_API_KEY", "twilio.api-key"),
      Map.entry("TWILIO_API_SECRET", "twilio.api-secret"),
      Map.entry("API_TOKEN", "api-token"),
      Map.entry("ORDER_SECRET", "orders.generic.secret"),
      Map.entry("SHOPIFY_SECRET", "orders.shopify.secret"),
      Map.entry("WOOCOMMERCE_SECRET", "orders.woocommerce.secret"));

  private EnvironmentOverlay() {}

  /** {@code RINGBACK_BUSINESS_ACME_WEST_} for the business {@code acme-west}: the slug in upper case, {@code -} as {@code _}. */
  static String businessVariablePrefix(String slug) {
    return "RINGBACK_BUSINESS_" + slug.trim().toUpperCase(Locale.ROOT).replace('-', '_') + "_";
  }

  /**
   * Sets the value of every variable of the contract found in {@code environment} into {@code root},
   * the YAML's top-level mapping; a business's variables only for a business that has a slug.
   *
   * @return for each key set, the variable it came from, as {@link ConfigNode} names it in errors
   */
  @SuppressWarnings("unchecked")
  static Map<String, String> apply(Map<String, Object> root, Map<String, String> environment) {
    Map<String, String> sources = new HashMap<>();
    VARIABLES.forEach((variable, key) -> {
      String value = environment.get(variable);
      if (value != null) {
        RingbackConfig.setDotted(root, key, value);
        sources.put(key, variable);
      }
    });
    if (root.get("businesses") instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object item = list.get(i);
        if (item instanceof Map<?, ?> map && map.get("slug") != null) {
          Map<String, Object> business = new LinkedHashMap<>((Map<String, Object>) map);
          String prefix = businessVariablePrefix(String.valueOf(map.get("slug")));
          for (var entry : BUSINESS_VARIABLES.entrySet()) {
            String value = environment.get(prefix + entry.getKey());
            if (value != null) {
              RingbackConfig.setDotted(business, entry.getValue(), value);
              sources.put("businesses[" + i + "]." + entry.getValue(), prefix + entry.getKey());
            }
          }
          item = business;
        }
        copy.add(item);
      }
      root.put("businesses", copy);
    }
    return sources;
  }
}
