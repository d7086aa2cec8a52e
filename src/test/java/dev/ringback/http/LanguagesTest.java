package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.domain.Catalog;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.ShopSigner;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every call Ringback handles, on a line of each shipped language: the missed-call loop, the
 * time picker, the after-hours call, the callback (a person, a machine, no agent), the feedback
 * question and the order call (spoken in the customer's own language). Every {@code <Say>}
 * carries the language's code, and no sentence of the English catalog is heard.
 */
class LanguagesTest {
  static final String SECRET = "languages-test-order-secret";
  static final List<String> LANGUAGES = List.of("en-US", "en-GB", "es-ES", "es-MX", "ro-RO", "ru-RU", "cmn-CN");
  static TestDatabase db;
  static RingbackServer server;
  static List<String> english;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create();
    StringBuilder yaml = new StringBuilder("""
        orders:
          generic:
            line: orders
        lines:
          - id: orders
            number: "+14155550790"
            name: Acme
            agents: []
        """);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    for (int i = 0; i < LANGUAGES.size(); i++) {
      String language = LANGUAGES.get(i);
      yaml.append("""
            - id: open-%1$d
              number: "+141555507%2$02d"
              name: Acme
              language: %3$s
              agents: ["+14155550101"]
            - id: closed-%1$d
              number: "+141555507%4$02d"
              name: Acme
              language: %3$s
              agents: []
              hours: {mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"]}
              closed: ["%5$s", "%6$s", "%7$s"]
          """.formatted(i, 10 + i, language, 40 + i, today.minusDays(1), today, today.plusDays(1)));
    }
    Map<String, String> env = new HashMap<>(RingbackServer.environment(db, "http://127.0.0.1:9"));
    env.put("RINGBACK_ORDER_SECRET", SECRET);
    server = RingbackServer.start(yaml.toString(), env, Clock.systemUTC());
    english = englishFragments();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
  void everyCallIsSpokenInTheLinesOrTheCustomersLanguage(int index) {
    String language = LANGUAGES.get(index);
    String open = "+141555507%02d".formatted(10 + index);
    String closed = "+141555507%02d".formatted(40 + index);
    String caller = "+141555508%02d".formatted(10 + index);
    String buyer = "+141555508%02d".formatted(40 + index);
    String sid = "CAlang" + index;
    assertThat(server.api("PUT", "/api/customers/" + caller.replace("+", "%2B"), "application/json",
        "{\"name\":\"Nikolay Petrov\"}").statusCode()).isIn(200, 201);
    assertThat(server.api("PUT", "/api/customers/" + buyer.replace("+", "%2B"), "application/json",
        "{\"name\":\"Ana Pop\",\"language\":\"" + language + "\"}").statusCode()).isIn(200, 201);
    List<Element> heard = new ArrayList<>();

    // The missed-call loop: greeted by name, nobody answers, the promise and the voicemail.
    heard.add(twiml("/twilio/voice", "CallSid", sid + "a", "From", caller, "To", open, "CallStatus", "ringing", "Direction", "inbound"));
    heard.add(twiml("/twilio/dial", "CallSid", sid + "a", "From", caller, "To", open, "DialCallStatus", "no-answer"));
    heard.add(twiml("/twilio/recording", "CallSid", sid + "a", "From", caller, "To", open,
        "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"));

    // The time picker: the day, then a time refused, then a time read back.
    heard.add(twiml("/twilio/when?step=offer", "CallSid", sid + "a", "From", caller, "To", open, "Digits", "2"));
    heard.add(twiml("/twilio/when?step=day", "CallSid", sid + "a", "From", caller, "To", open, "Digits", "3"));
    heard.add(twiml("/twilio/when?step=time&day=3", "CallSid", sid + "a", "From", caller, "To", open, "Digits", "9999"));
    Element chosen = twiml("/twilio/when?step=time&day=3&retry=1", "CallSid", sid + "a", "From", caller, "To", open, "Digits", "1405");
    heard.add(chosen);
    heard.add(twiml("/twilio/when?step=offer", "CallSid", sid + "b", "From", caller, "To", open, "Digits", "7"));

    // After hours.
    heard.add(twiml("/twilio/voice", "CallSid", sid + "c", "From", caller, "To", closed, "CallStatus", "ringing", "Direction", "inbound"));

    // Callbacks: a person (then the feedback question), a machine, and no agent to take it.
    long toPerson = manualCallback(caller, "open-" + index);
    heard.add(twiml("/twilio/callback?callback=" + toPerson, "CallSid", sid + "d", "From", open, "To", caller, "AnsweredBy", "human"));
    heard.add(twiml("/twilio/status?callback=" + toPerson, "CallSid", sid + "dleg", "ParentCallSid", sid + "d", "CallStatus", "in-progress",
        "From", open, "To", "+14155550101", "Direction", "outbound-dial"));
    heard.add(twiml("/twilio/dial?callback=" + toPerson, "CallSid", sid + "d", "From", open, "To", caller, "CallStatus", "in-progress",
        "DialCallStatus", "completed", "DialCallSid", sid + "dleg"));
    heard.add(twiml("/twilio/feedback", "CallSid", sid + "d", "From", open, "To", caller, "Digits", "7"));
    heard.add(twiml("/twilio/feedback", "CallSid", sid + "d", "From", open, "To", caller, "Digits", "5"));
    heard.add(twiml("/twilio/callback?callback=" + manualCallback(caller, "open-" + index), "CallSid", sid + "e", "From", open,
        "To", caller, "AnsweredBy", "machine_end_beep"));
    heard.add(twiml("/twilio/callback?callback=" + manualCallback(caller, "closed-" + index), "CallSid", sid + "f", "From", closed,
        "To", caller, "AnsweredBy", "human"));

    // An order, on an English line with nobody to ring, to a buyer whose own language is this one.
    long order = orderCallback(buyer, "L-" + index);
    heard.add(twiml("/twilio/callback?callback=" + order, "CallSid", sid + "g", "From", "+14155550790", "To", buyer, "AnsweredBy", "human"));
    heard.add(twiml("/twilio/gather?callback=" + order, "CallSid", sid + "g", "From", "+14155550790", "To", buyer, "Digits", "1"));

    List<Element> says = new ArrayList<>();
    heard.forEach(twiml -> says.addAll(elements(twiml, "Say")));
    assertThat(says).as("every answer speaks").hasSizeGreaterThan(heard.size());
    String code = language.equals("cmn-CN") ? "cmn-CN" : language;
    assertThat(says).allSatisfy(say -> assertThat(say.getAttribute("language")).as(say.getTextContent()).isEqualTo(code));
    if (!language.startsWith("en-")) {
      for (Element say : says) {
        assertThat(english).as("English heard on a %s call: %s", language, say.getTextContent())
            .noneMatch(fragment -> say.getTextContent().contains(fragment));
      }
    }
    // The line is in UTC: the day after tomorrow at 14:05, as the language says it.
    Catalog words = Catalog.of(language, Map.of());
    assertThat(elements(chosen, "Say").get(0).getTextContent()).as("the chosen time read back")
        .contains(words.timeOfDay(LocalTime.of(14, 5)), words.date(LocalDate.now(ZoneOffset.UTC).plusDays(2)));
  }

  static long manualCallback(String phone, String line) {
    String due = Instant.now().plus(Duration.ofDays(1)).toString();
    var created = server.api("POST", "/api/callbacks", "application/json",
        "{\"phone\":\"" + phone + "\",\"line\":\"" + line + "\",\"due_at\":\"" + due + "\"}");
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
    return new JsonObject(created.body()).getLong("id");
  }

  static long orderCallback(String phone, String orderId) {
    String at = Instant.now().plus(Duration.ofDays(1)).toString();
    byte[] body = ("{\"order_id\": \"" + orderId + "\", \"phone\": \"" + phone + "\", \"name\": \"Ana Pop\", \"call_at\": \"" + at + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response = server.post("/orders", Map.of("Content-Type", "application/json",
        "X-Ringback-Signature", ShopSigner.generic(SECRET, body)), body);
    assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
    RingbackServer.await("the order's callback", Duration.ofSeconds(10),
        () -> db.count("SELECT count(*) FROM callbacks WHERE customer_phone = ? AND trigger = 'order'", phone) == 1);
    return ((Number) db.query("SELECT id FROM callbacks WHERE customer_phone = ? AND trigger = 'order'", phone).get(0).get("id")).longValue();
  }

  static Element twiml(String pathAndQuery, String... form) {
    HttpResponse<String> response = server.twilio(pathAndQuery, form);
    assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    return Xml.parse(response.body());
  }

  static List<Element> elements(Element root, String tag) {
    NodeList nodes = root.getElementsByTagName(tag);
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      found.add((Element) nodes.item(i));
    }
    return found;
  }

  /** The words of the English catalog between its placeholders, long enough to be a sentence's. */
  static List<String> englishFragments() throws Exception {
    Properties english = new Properties();
    try (var in = LanguagesTest.class.getClassLoader().getResourceAsStream("messages/en-US.properties")) {
      english.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    Map<String, String> sentences = new LinkedHashMap<>();
    english.stringPropertyNames().forEach(k -> sentences.put(k, english.getProperty(k)));
    List<String> fragments = new ArrayList<>();
    for (String pattern : sentences.values()) {
      StringBuilder outside = new StringBuilder();
      int depth = 0;
      for (char c : pattern.toCharArray()) {
        if (c == '{') {
          depth++;
          outside.append('|');
        } else if (c == '}') {
          depth--;
        } else if (depth == 0) {
          outside.append(c);
        }
      }
      for (String fragment : outside.toString().split("\\|")) {
        String trimmed = fragment.trim();
        if (trimmed.length() >= 12) {
          fragments.add(trimmed);
        }
      }
    }
    return fragments;
  }
}
