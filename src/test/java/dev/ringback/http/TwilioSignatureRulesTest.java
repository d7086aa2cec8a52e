package dev.ringback.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringback.support.TwilioSigner;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signature rules, against the test suite's signer written independently from Twilio's documentation. */
class TwilioSignatureRulesTest {
  private static final String TOKEN = "12345";
  private static final List<Map.Entry<String, String>> PARAMS = List.of(
      Map.entry("CallSid", "CA1234567890ABCDE"), Map.entry("Caller", "+12349013030"), Map.entry("Digits", "1234"),
      Map.entry("From", "+12349013030"), Map.entry("To", "+18005551212"));

  private static MultiMap form(List<Map.Entry<String, String>> params) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    params.forEach(p -> form.add(p.getKey(), p.getValue()));
    return form;
  }

  @Test
  void aSignatureForTheUrlAndEveryParameterIsValidAndAnyChangeBreaksIt() {
    String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    String signature = TwilioSigner.sign(TOKEN, url, PARAMS);
    assertEquals(signature, TwilioSignature.sign(TOKEN, url, form(PARAMS)));
    assertTrue(TwilioSignature.valid(TOKEN, url, form(PARAMS), signature));
    assertFalse(TwilioSignature.valid("54321", url, form(PARAMS), signature));
    assertFalse(TwilioSignature.valid(TOKEN, url + "&baz=3", form(PARAMS), signature));
    MultiMap changed = form(PARAMS).set("Digits", "1235");
    assertFalse(TwilioSignature.valid(TOKEN, url, changed, signature));
    assertFalse(TwilioSignature.valid(TOKEN, url, form(PARAMS), null));
    assertFalse(TwilioSignature.valid(TOKEN, url, form(PARAMS), ""));
  }

  @Test
  void theUrlCountsWithAndWithoutItsPortAsTwilioSignsWhatTheConsoleSays() {
    String signedWithout = TwilioSigner.sign(TOKEN, "https://example.com/twilio/voice", PARAMS);
    assertTrue(TwilioSignature.valid(TOKEN, "https://example.com:443/twilio/voice", form(PARAMS), signedWithout));
    String signedWith = TwilioSigner.sign(TOKEN, "https://example.com:443/twilio/voice", PARAMS);
    assertTrue(TwilioSignature.valid(TOKEN, "https://example.com/twilio/voice", form(PARAMS), signedWith));
    assertTrue(TwilioSignature.valid(TOKEN, "https://example.com:8443/twilio/voice", form(PARAMS), signedWithout),
        "like Twilio's validator, a port the console's URL left out may be seen");
    assertFalse(TwilioSignature.valid(TOKEN, "https://example.com:8443/twilio/voice", form(PARAMS),
        TwilioSigner.sign(TOKEN, "https://example.com:9443/twilio/voice", PARAMS)), "but not swapped for another");
  }

  @Test
  void aRepeatedParameterCountsWithEveryValueSortedByValue() {
    List<Map.Entry<String, String>> repeated = List.of(Map.entry("CallSid", "CA1"), Map.entry("StatusCallbackEvent", "ringing"),
        Map.entry("StatusCallbackEvent", "answered"));
    String signature = TwilioSigner.sign(TOKEN, "https://example.com/twilio/status", repeated);
    assertTrue(TwilioSignature.valid(TOKEN, "https://example.com/twilio/status", form(repeated), signature));
    assertFalse(TwilioSignature.valid(TOKEN, "https://example.com/twilio/status", form(repeated.subList(0, 2)), signature));
  }

  @Test
  void theOtherPortFormKeepsPathQueryAndUserInfo() {
    assertEquals("https://h.example:443/a/b?x=%20y", TwilioSignature.otherPortForm("https://h.example/a/b?x=%20y"));
    assertEquals("http://h.example/a", TwilioSignature.otherPortForm("http://h.example:8080/a"));
    assertEquals("http://u:p@h.example:80?q", TwilioSignature.otherPortForm("http://u:p@h.example?q"));
    assertEquals("http://[::1]/x", TwilioSignature.otherPortForm("http://[::1]:8080/x"));
    assertNull(TwilioSignature.otherPortForm("not a url"));
  }
}
