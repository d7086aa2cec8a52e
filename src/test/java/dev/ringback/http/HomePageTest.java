package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A person who opens the server's address finds where to go: the console, the owner's pages, the API description, /health and /metrics. */
class HomePageTest {
  static List<String> links(String html) {
    Matcher m = Pattern.compile("href=\"([^\"]+)\"").matcher(html);
    return m.results().map(r -> r.group(1)).toList();
  }

  @Test
  void theRootIsAPageWhoseLinksAllAnswer() {
    try (RingbackServer server = RingbackServer.start(TestDatabase.create(), null)) {
      HttpResponse<String> home = server.get("/");
      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      assertThat(home.body()).startsWith("<!DOCTYPE html>").contains("the other pages are coming").doesNotContain("http://", "https://");
      assertThat(links(home.body())).containsExactly("/console/", "/admin/", "/openapi.yaml", "/health", "/metrics");
      for (String link : links(home.body())) {
        assertThat(server.get(link).statusCode()).as(link).isEqualTo(200);
      }
      assertThat(server.get("/admin").headers().firstValue("Location")).hasValue("/admin/");
      assertThat(server.get("/nothing-here").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void withAManagementPortThePageSaysHealthAndMetricsAreThere() {
    Map<String, String> env = new HashMap<>(RingbackServer.environment(TestDatabase.create(), null));
    env.put("RINGBACK_MANAGEMENT_PORT", "0");
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      HttpResponse<String> home = server.get("/");
      assertThat(links(home.body())).containsExactly("/console/", "/admin/", "/openapi.yaml");
      assertThat(home.body()).contains("on the management port");
    }
  }
}
