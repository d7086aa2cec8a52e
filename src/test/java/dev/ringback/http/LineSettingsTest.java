package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /api/lines/{id}/settings: the owner sets a line's language, voice, ringing and sentences
 * through the API; each value says whether it is the configuration's or set here, every sentence
 * comes with what the caller hears, and a change answers the next call on every instance.
 */
class LineSettingsTest {
  static TestDatabase db;
  static RingbackServer server;
  static RingbackServer second;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    Map<String, String> env = RingbackServer.environment(db, "http://127.0.0.1:9");
    server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC());
    second = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    second.close();
    server.close();
  }

  @BeforeEach
  void backToTheConfiguration() {
    assertThat(server.api("DELETE", "/api/lines/main/settings", null, null).statusCode()).isEqualTo(200);
  }

  static JsonObject settings(RingbackServer instance) {
    HttpResponse<String> got = instance.api("GET", "/api/lines/main/settings", null, null);
    assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
    return new JsonObject(got.body());
  }

  static JsonObject prompt(JsonObject settings, String key) {
    JsonArray prompts = settings.getJsonArray("prompts");
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.getJsonObject(i).getString("key").equals(key)) {
        return prompts.getJsonObject(i);
      }
    }
    throw new AssertionError("no prompt " + key);
  }

  static HttpResponse<String> put(String body) {
    return server.api("PUT", "/api/lines/main/settings", "application/json", body);
  }

  @Test
  void eachValueSaysWhereItComesFromAndEverySentenceShowsWhatTheCallerHears() {
    JsonObject settings = settings(server);
    assertThat(settings.getString("time_zone")).isEqualTo("America/Los_Angeles");
    assertThat(settings.getString("hours_source")).isEqualTo("config");
    JsonObject language = settings.getJsonObject("settings").getJsonObject("language");
    assertThat(language.getMap()).containsEntry("value", "en-US").containsEntry("config_value", "en-US").containsEntry("source", "config");
    assertThat(settings.getJsonObject("settings").getJsonObject("callback_mode").getString("value")).isEqualTo("customer-first");
    assertThat(settings.getJsonObject("settings").getJsonObject("ring_timeout_seconds").getInteger("value")).isEqualTo(20);

    // The file's own greeting, the catalog's sentences, each written out with examples.
    JsonObject greeting = prompt(settings, "greeting");
    assertThat(greeting.getMap()).containsEntry("source", "config").containsEntry("text", "Thank you for calling Acme.")
        .containsEntry("preview", "Thank you for calling Acme.");
    JsonObject known = prompt(settings, "callback.hello.known");
    assertThat(known.getString("source")).isEqualTo("catalog");
    assertThat(known.getString("text")).isEqualTo("Hello {first-name}, this is {business}.");
    assertThat(known.getString("preview")).isEqualTo("Hello Ana, this is Acme.");
    assertThat(known.getJsonArray("placeholders").getList()).containsExactlyInAnyOrder("first-name", "business");
    assertThat(prompt(settings, "sms.last-attempt").getString("preview")).contains("10:15 AM and 2:30 PM").contains("+14155550100");

    assertThat(settings.getJsonObject("choices").getJsonArray("language").getList())
        .contains("en-US", "es-MX", "ro-RO", "ru-RU", "cmn-CN");
    assertThat(settings.getJsonObject("choices").getJsonArray("voice").getList()).contains("Polly.Joanna").doesNotContain("Polly.Lucia");
  }

  @Test
  void settingsSetOnOneInstanceAnswerTheNextCallOnTheOther() {
    HttpResponse<String> set = put("""
        {"language": "es-MX", "voice": "Polly.Mia", "ring_strategy": "sequential", "ring_seconds": 10,
         "prompts": {"greeting": "Gracias por llamar a {business}, ahora le atendemos."}}""");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(set.body());
    assertThat(answer.getJsonObject("settings").getJsonObject("language").getMap())
        .containsEntry("value", "es-MX").containsEntry("config_value", "en-US").containsEntry("source", "api");
    assertThat(answer.getJsonObject("settings").getJsonObject("ring_timeout_seconds").getString("source")).isEqualTo("config");
    assertThat(prompt(answer, "greeting").getMap()).containsEntry("source", "api")
        .containsEntry("preview", "Gracias por llamar a Acme, ahora le atendemos.");
    // The sentences not set are the new language's own, also those the file wrote in English.
    assertThat(prompt(answer, "callback.hello").getString("source")).isEqualTo("catalog");
    assertThat(prompt(answer, "greeting.known").getMap()).containsEntry("source", "catalog")
        .containsEntry("text", "Hola, {name}, gracias por llamar a {business}.");
    assertThat(answer.getJsonObject("choices").getJsonArray("voice").getList()).contains("Polly.Mia");

    RingbackServer.await("the other instance to take the settings", Duration.ofSeconds(10), () ->
        settings(second).getJsonObject("settings").getJsonObject("language").getString("value").equals("es-MX"));
    String twiml = second.twilio("/twilio/voice", "CallSid", "CAsettings0001", "From", "+14155550198", "To", RingbackServer.LINE_NUMBER)
        .body();
    assertThat(twiml).contains("language=\"es-MX\"").contains("voice=\"Polly.Mia\"")
        .contains("Gracias por llamar a Acme, ahora le atendemos.");
    // Sequential: the first agent rings alone, for ten seconds.
    assertThat(twiml).contains("timeout=\"10\"");

    // Back to the file's: the next call is greeted as configured, in English.
    HttpResponse<String> cleared = server.api("DELETE", "/api/lines/main/settings", null, null);
    assertThat(new JsonObject(cleared.body()).getJsonObject("settings").getJsonObject("language").getString("source")).isEqualTo("config");
    RingbackServer.await("the other instance to go back to the file's", Duration.ofSeconds(10), () ->
        settings(second).getJsonObject("settings").getJsonObject("language").getString("value").equals("en-US"));
    assertThat(second.twilio("/twilio/voice", "CallSid", "CAsettings0002", "From", "+14155550198", "To", RingbackServer.LINE_NUMBER)
        .body()).contains("Thank you for calling Acme.");
  }

  @Test
  void whatTheFileWouldRefuseIsRefusedWithTheFieldNamed() {
    assertRefused(put("{\"ring_seconds\": 2}"), "ring_seconds: 2 is out of range");
    assertRefused(put("{\"ring_strategy\": \"random\"}"), "ring_strategy: 'random' is not simultaneous, sequential or longest-idle");
    assertRefused(put("{\"language\": \"ro-RO\", \"voice\": \"Polly.Joanna\"}"), "voice: the voice Polly.Joanna speaks en-US, not ro-RO");
    assertRefused(put("{\"language\": \"tlh\"}"), "language: 'tlh' is not a language");
    assertRefused(put("{\"prompts\": {\"greeting\": \"Hello {customer}\"}}"), "prompts.greeting: {customer} is not a placeholder of 'greeting'");
    assertRefused(put("{\"prompts\": {\"welcome\": \"Hello\"}}"), "prompts.welcome: 'welcome' is not a sentence of the catalogs");
    assertRefused(put("{\"prompts\": {\"greeting\": 7}}"), "prompts.greeting: must be a text");
    assertRefused(put("{\"agents\": []}"), "agents");
    // Nothing was stored.
    assertThat(settings(server).getJsonObject("settings").getJsonObject("ring_seconds").getString("source")).isEqualTo("config");

    String token = new JsonObject(server.api("POST", "/api/agents", "application/json",
        "{\"name\": \"Ana\", \"contact\": \"+14155550121\"}").body()).getString("token");
    HttpResponse<String> agent = server.request("PUT", "/api/lines/main/settings", "application/json", "{\"ring_seconds\": 10}",
        "Bearer " + token);
    assertThat(agent.statusCode()).isEqualTo(403);
    assertThat(server.api("GET", "/api/lines/nowhere/settings", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void anEmptySentenceGoesBackToTheLanguagesOwn() {
    HttpResponse<String> set = put("{\"prompts\": {\"greeting\": \"\"}}");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(prompt(new JsonObject(set.body()), "greeting").getMap()).containsEntry("source", "catalog")
        .containsEntry("text", "Thank you for calling {business}.");
  }

  static void assertRefused(HttpResponse<String> response, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(new JsonObject(response.body()).getString("error")).contains(message);
  }
}
