package dev.ringback.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configuration file's text as a tree of maps, lists and scalars. */
final class YamlDocument {
  private static final YAMLFactory YAML = new YAMLFactory();

  private YamlDocument() {}

  /**
   * The document's top-level mapping, which may be changed; empty for an empty document.
   *
   * @throws ConfigException naming {@code fileName} when the text is not YAML or not a mapping
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> topLevelMapping(String fileName, String yaml) {
    try {
      Object parsed = read(yaml);
      if (parsed != null && !(parsed instanceof Map)) {
        throw new ConfigException(fileName, "expected a mapping of keys at the top level");
      }
      return parsed == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, Object>) parsed);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(fileName, "is not valid YAML" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new ConfigException(fileName, "is not valid YAML: " + e.getMessage());
    }
  }

  /**
   * The YAML document as maps, lists and scalars (strings, numbers, booleans, nulls), as Jackson's
   * untyped reading gives them; null for an empty document. Read straight from Jackson's YAML
   * parser: building an ObjectMapper for this took two thirds of reading the configuration at
   * start-up.
   */
  static Object read(String yaml) throws IOException {
    try (JsonParser parser = YAML.createParser(yaml)) {
      return parser.nextToken() == null ? null : value(parser);
    }
  }

  /** The value at the parser's current token, nested values included. */
  private static Object value(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          parser.nextToken();
          map.put(key, value(parser));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(parser));
        }
        return list;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> {
        return parser.getEmbeddedObject();
      }
    }
  }
}
