package dev.ringback.http;

import static dev.ringback.support.RingbackServer.LINE_NUMBER;
import static dev.ringback.support.RingbackServer.PUBLIC_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RawHttp;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behind a TLS-terminating proxy Twilio signs the URL it called, which the proxy reports in
 * X-Forwarded-Proto and X-Forwarded-Host. Those headers count only when the request comes from an
 * address in http.trusted-proxies; from anyone else, RINGBACK_PUBLIC_URL is the URL checked.
 */
class TrustedProxyTest {
  /** How Twilio reaches the proxy; RINGBACK_PUBLIC_URL stays https://ringback.example.com. */
  static final String PROXIED = "https://calls.example.org";

  static RingbackServer start(String trusted) {
    Map<String, String> env = new HashMap<>(RingbackServer.environment(TestDatabase.create(), "http://127.0.0.1:9"));
    if (trusted != null) {
      env.put("RINGBACK_TRUSTED_PROXIES", trusted);
    }
    return RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC());
  }

  /** A voice webhook signed for {@code signedUrl}, with forwarding headers as a proxy adds them. */
  static int voice(RingbackServer server, String signedUrl, String proto, String host) {
    var params = RingbackServer.pairs("CallSid", "CAproxy" + System.nanoTime(), "From", "+14155550181", "To", LINE_NUMBER);
    List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded"),
        Map.entry("X-Twilio-Signature", TwilioSigner.sign(RingbackServer.AUTH_TOKEN, signedUrl + "/twilio/voice?x=1", params))));
    if (proto != null) {
      headers.add(Map.entry("X-Forwarded-Proto", proto));
    }
    if (host != null) {
      headers.add(Map.entry("X-Forwarded-Host", host));
    }
    return RawHttp.send(server.ringback().port(), "POST", "/twilio/voice?x=1", headers,
        RingbackServer.form(params).getBytes(StandardCharsets.UTF_8)).status();
  }

  @Test
  void withoutTrustedProxiesForwardedHeadersAreIgnored() {
    try (RingbackServer server = start(null)) {
      assertThat(voice(server, PROXIED, "https", "calls.example.org")).as("anyone can send these headers").isEqualTo(403);
      assertThat(voice(server, PUBLIC_URL, "http", "calls.example.org")).isEqualTo(200);
      assertThat(voice(server, PUBLIC_URL, null, null)).isEqualTo(200);
    }
  }

  @Test
  void aTrustedProxyNamesTheUrlTwilioSigned() {
    try (RingbackServer server = start("10.0.0.0/8, 127.0.0.1")) {
      assertThat(voice(server, PROXIED, "https", "calls.example.org")).isEqualTo(200);
      assertThat(voice(server, "http://calls.example.org:8443", "http", "calls.example.org:8443")).isEqualTo(200);
      assertThat(voice(server, PROXIED, "https, http", "calls.example.org, internal:8080")).as("the first of a chain").isEqualTo(200);
      assertThat(voice(server, PUBLIC_URL, "https", "calls.example.org")).as("the proxy's word replaces the public URL").isEqualTo(403);
      assertThat(voice(server, PUBLIC_URL, null, null)).as("no headers: the public URL").isEqualTo(200);
      assertThat(voice(server, PUBLIC_URL, "gopher", "calls.example.org/evil?")).as("malformed headers: the public URL").isEqualTo(200);
    }
  }

  @Test
  void aProxyListThatDoesNotHoldTheSenderIsNoTrust() {
    try (RingbackServer server = start("10.0.0.0/8,::1/128")) {
      assertThat(voice(server, PROXIED, "https", "calls.example.org")).isEqualTo(403);
      assertThat(voice(server, PUBLIC_URL, "https", "calls.example.org")).isEqualTo(200);
    }
  }
}
