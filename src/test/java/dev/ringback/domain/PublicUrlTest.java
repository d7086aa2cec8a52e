package dev.ringback.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublicUrlTest {
  @ParameterizedTest(name = "{0} on port {1}: reaches it {2}")
  @CsvSource({
      "http://localhost:8080,              8080,  true",
      "http://localhost:8080,              18580, false",
      "http://LOCALHOST:8080/,             18580, false",
      "http://127.0.0.1:18580,             18580, true",
      "http://127.0.1.1:8080,              18580, false",
      "http://[::1]:8080,                  18580, false",
      "http://ringback.localhost:8080,     18580, false",
      "http://localhost,                   80,    true",
      "http://localhost,                   8080,  false",
      "https://localhost,                  443,   true",
      "https://calls.example.com,          8080,  true",
      "http://calls.example.com:8080,      18580, true",
      "http://10.0.0.5:8080,               18580, true",
      "http://127.example.com:8080,        18580, true",
  })
  void aUrlOnThisMachineMustNameTheListeningPortAndAnyOtherHostMayBeAProxy(String url, int port, boolean reaches) {
    assertEquals(reaches, PublicUrl.cannotReach(url, port).isEmpty());
  }

  @org.junit.jupiter.api.Test
  void theReasonNamesBothPorts() {
    assertEquals("it names port 8080 on this machine, and this server listens on port 18580",
        PublicUrl.cannotReach("http://localhost:8080", 18580).orElseThrow());
  }
}
