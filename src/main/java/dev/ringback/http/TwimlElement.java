package dev.ringback.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A TwiML verb or noun: attributes, text and nested elements, written out as escaped XML.
 * twilio-java's builders build a DOM and a new XML transformer for every document, which cost a
 * fifth of a status webhook's CPU; writing the few elements we use directly costs next to nothing.
 * Every value is escaped and characters XML cannot carry are dropped, so a customer's name with
 * {@code <}, {@code &}, quotes or control characters cannot break the document.
 */
final class TwimlElement {
  private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

  private final String name;
  private final List<String> attributes = new ArrayList<>(4);
  private final List<TwimlElement> children = new ArrayList<>(2);
  private String text;

  private TwimlElement(String name) {
    this.name = name;
  }

  static TwimlElement of(String name) {
    return new TwimlElement(name);
  }

  /** The document's root. */
  static TwimlElement response() {
    return new TwimlElement("Response");
  }

  /** Sets an attribute; a null value leaves it out. */
  TwimlElement attribute(String attribute, Object value) {
    if (value != null) {
      attributes.add(attribute);
      attributes.add(value.toString());
    }
    return this;
  }

  TwimlElement text(String body) {
    this.text = body;
    return this;
  }

  TwimlElement add(TwimlElement child) {
    children.add(child);
    return this;
  }

  String name() {
    return name;
  }

  /** The whole document, prolog included. */
  String toXml() {
    StringBuilder out = new StringBuilder(256).append(PROLOG);
    write(out);
    return out.toString();
  }

  private void write(StringBuilder out) {
    out.append('<').append(name);
    for (int i = 0; i < attributes.size(); i += 2) {
      out.append(' ').append(attributes.get(i)).append("=\"");
      escape(attributes.get(i + 1), out, true);
      out.append('"');
    }
    if (text == null && children.isEmpty()) {
      out.append("/>");
      return;
    }
    out.append('>');
    if (text != null) {
      escape(text, out, false);
    }
    for (TwimlElement child : children) {
      child.write(out);
    }
    out.append("</").append(name).append('>');
  }

  private static void escape(String value, StringBuilder out, boolean attribute) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append(attribute ? "&quot;" : "\"");
        case '\t', '\n', '\r' -> {
          if (attribute) {
            out.append("&#").append((int) c).append(';');
          } else {
            out.append(c);
          }
        }
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
          } else if (c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF) {
            out.append(c);
          }
          // Anything else (control characters, a lone surrogate) is not allowed in XML 1.0: dropped.
        }
      }
    }
  }
}
