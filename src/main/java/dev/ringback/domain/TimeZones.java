package dev.ringback.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a customer is, for quiet hours: the time zone of their record, else the zones their
 * number's prefix maps to (libphonenumber's time-zone map: an area code within a country, or
 * the whole country), else the line's. A number may map to several zones; callers then respect
 * the window in all of them.
 */
public final class TimeZones {
  /** Parsing a number costs more than the rest of a dial decision, and retries and regulars come back: numbers seen lately. */
  private static final ConcurrentHashMap<String, List<ZoneId>> BY_NUMBER = new ConcurrentHashMap<>();
  private static final int BY_NUMBER_MAX = 20_000;

  private static final Logger LOG = LoggerFactory.getLogger(TimeZones.class);
  /** Built into the jar at build time from libphonenumber's data; see pom.xml. */
  static final String RESOURCE = "/phone/timezones.bson";

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private TimeZones() {}

  /** Reads the map; called at start-up so that no event loop reads the resource. */
  public static void preload() {
    Prefixes.MAP.size();
  }

  public static List<ZoneId> forCustomer(String recordZone, String e164, ZoneId lineZone) {
    if (recordZone != null && !recordZone.isBlank()) {
      try {
        return List.of(ZoneId.of(recordZone));
      } catch (DateTimeException e) {
        LOG.debug("customer time zone '{}' unknown; using the number's", recordZone);
      }
    }
    List<ZoneId> zones = forNumber(e164);
    return zones.isEmpty() ? List.of(lineZone) : zones;
  }

  /**
   * The zones of an E.164 number: for a geographic number those of its longest known prefix,
   * for any other (mobiles in many countries, toll-free) those of its whole country, as
   * libphonenumber's own mapper does; empty when unknown.
   */
  public static List<ZoneId> forNumber(String e164) {
    if (e164 == null) {
      return List.of();
    }
    List<ZoneId> known = BY_NUMBER.get(e164);
    if (known != null) {
      return known;
    }
    if (BY_NUMBER.size() >= BY_NUMBER_MAX) {
      BY_NUMBER.clear();
    }
    List<ZoneId> zones = lookUp(e164);
    BY_NUMBER.put(e164, zones);
    return zones;
  }

  private static List<ZoneId> lookUp(String e164) {
    PhoneNumber number;
    try {
      number = UTIL.parse(e164, "ZZ");
    } catch (NumberParseException | RuntimeException e) {
      return List.of();
    }
    String countryCode = String.valueOf(number.getCountryCode());
    if (!UTIL.isNumberGeographical(number)) {
      return Prefixes.MAP.getOrDefault(countryCode, List.of());
    }
    String digits = countryCode + UTIL.getNationalSignificantNumber(number);
    for (int length = digits.length(); length > 0; length--) {
      List<ZoneId> zones = Prefixes.MAP.get(digits.substring(0, length));
      if (zones != null) {
        return zones;
      }
    }
    return List.of();
  }

  /** Loaded on first use. */
  private static final class Prefixes {
    static final Map<String, List<ZoneId>> MAP = load();

    private static Map<String, List<ZoneId>> load() {
      try (InputStream in = TimeZones.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          LOG.warn("{} is missing from the build: quiet hours use the customer's record, else the line's time zone", RESOURCE);
          return Map.of();
        }
        return parse(in.readAllBytes());
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot read {}: quiet hours use the customer's record, else the line's time zone", RESOURCE, e);
        return Map.of();
      }
    }
  }

  /**
   * The map is one BSON document: prefix -> "Zone/One&Zone/Two". Only string elements occur;
   * zones this JVM does not know (and libphonenumber's "Etc/Unknown") are left out.
   */
  static Map<String, List<ZoneId>> parse(byte[] bson) {
    ByteBuffer buffer = ByteBuffer.wrap(bson).order(ByteOrder.LITTLE_ENDIAN);
    int end = buffer.getInt();
    Map<String, List<ZoneId>> map = new HashMap<>();
    Map<String, List<ZoneId>> shared = new HashMap<>();
    while (buffer.position() < end - 1) {
      byte type = buffer.get();
      if (type != 0x02) {
        throw new IllegalArgumentException("unexpected BSON element type " + type);
      }
      String prefix = cString(buffer);
      int length = buffer.getInt();
      String value = new String(bson, buffer.position(), length - 1, StandardCharsets.UTF_8);
      buffer.position(buffer.position() + length);
      List<ZoneId> zones = shared.computeIfAbsent(value, TimeZones::zones);
      if (!zones.isEmpty()) {
        map.put(prefix, zones);
      }
    }
    return Map.copyOf(map);
  }

  private static String cString(ByteBuffer buffer) {
    int start = buffer.position();
    while (buffer.get() != 0) {
      // scan to the terminating zero
    }
    return new String(buffer.array(), start, buffer.position() - start - 1, StandardCharsets.UTF_8);
  }

  private static List<ZoneId> zones(String joined) {
    List<ZoneId> zones = new ArrayList<>();
    for (String id : joined.split("&")) {
      if (!id.isBlank() && !id.equals("Etc/Unknown") && ZoneId.getAvailableZoneIds().contains(id)) {
        zones.add(ZoneId.of(id));
      }
    }
    return List.copyOf(zones);
  }
}
