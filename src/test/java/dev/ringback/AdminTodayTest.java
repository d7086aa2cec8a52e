package dev.ringback;

import static dev.ringback.ConsoleTest.WAIT;
import static dev.ringback.ConsoleTest.assumeBrowser;
import static dev.ringback.ConsoleTest.browser;
import static dev.ringback.ConsoleTest.errors;
import static dev.ringback.ConsoleTest.fitsItsWidth;
import static dev.ringback.ConsoleTest.js;
import static dev.ringback.ConsoleTest.quit;
import static dev.ringback.ConsoleTest.screenshot;
import static dev.ringback.ConsoleTest.text;
import static dev.ringback.ConsoleTest.waitFor;
import static dev.ringback.support.LosAngeles.TWILIO;
import static dev.ringback.support.LosAngeles.la;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.config.RingbackConfig;
import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The owner's Today page in a real headless browser: on Wednesday 2 December 2026 at 14:45 in
 * Los Angeles, after one call answered within the target and one missed at 14:05, the owner
 * signs in and lands on Today: the tiles say 2 offered, 1 answered, 1 missed, 50% within the
 * target in red, one callback waiting 40 minutes (held: the customer's calling hours end at
 * 14:30), no speed to callback yet; the charts have a bar per hour and per day
 * with their numbers written out; a call that comes in later appears without a reload when the
 * tab comes back into view. At a desktop's width and a phone's, with no error in the browser's log. Each run
 * saves the screenshot the README shows.
 */
class AdminTodayTest {
  static final String MAIN = RingbackServer.LINE_NUMBER;

  static void answered(RingbackServer server, MutableClock clock, String callSid, String caller) {
    server.twilio("/twilio/voice", "CallSid", callSid, "From", caller, "To", MAIN);
    assertThat(server.twilio("/twilio/status", "CallSid", callSid + "leg", "ParentCallSid", callSid, "CallStatus", "in-progress",
        "To", "+14155550101", "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant().plusSeconds(4)))
        .statusCode()).isEqualTo(200);
  }

  static void missed(RingbackServer server, String callSid, String caller) {
    server.twilio("/twilio/voice", "CallSid", callSid, "From", caller, "To", MAIN);
    assertThat(server.twilio("/twilio/dial", "CallSid", callSid, "From", caller, "To", MAIN, "DialCallStatus", "no-answer")
        .statusCode()).isEqualTo(200);
  }

  static By tile(String kind) {
    return By.cssSelector("#tiles .tile[data-tile='" + kind + "']");
  }

  static String value(WebDriver browser, String kind) {
    return browser.findElement(tile(kind)).findElement(By.cssSelector(".value")).getText();
  }

  static void waitForValue(WebDriver browser, String kind, String value, Duration deadline) {
    new WebDriverWait(browser, deadline).ignoring(StaleElementReferenceException.class)
        .until(d -> !d.findElements(tile(kind)).isEmpty() && value.equals(value(d, kind)));
  }

  /** The text of what only screen readers get: the table beside a chart. */
  @SuppressWarnings("unchecked")
  static List<String> hiddenRows(WebDriver browser, String chart) {
    return (List<String>) js(browser, "return [...document.querySelectorAll('#" + chart + " table tbody tr')]"
        + ".map(r => [...r.cells].map(c => c.textContent).join(' | '))");
  }

  static void signIn(WebDriver browser, RingbackServer server, String offered) {
    AdminPagesTest.signIn(browser, server, RingbackServer.API_TOKEN);
    waitFor(browser, "business", "Business: " + RingbackConfig.DEFAULT_BUSINESS);
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("today-title")));
    waitForValue(browser, "offered", offered, WAIT);
  }

  @Test
  void theOwnerLandsOnTodayAndSeesTheCallerLostLive() {
    assumeBrowser();
    MutableClock clock = new MutableClock(la("2026-12-02T14:05"));
    WebDriver browser = null;
    WebDriver phone = null;
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
         RingbackServer server = RingbackServer.start("""
             dialer:
               calls-per-second: 0
               allowed-hours: "08:00-14:30"
             """ + RingbackServer.LINES_YAML, RingbackServer.environment(TestDatabase.create(), twilio.baseUrl()), clock)) {
      answered(server, clock, "CAadmin001", "+14155550501");
      missed(server, "CAadmin002", "+14155550502");
      clock.set(la("2026-12-02T14:45"));

      browser = browser(1280, 1000);
      signIn(browser, server, "2");
      assertThat(browser.findElement(By.cssSelector("#pages a[aria-current=page]")).getText()).isEqualTo("Today");
      assertThat(browser.findElement(By.id("set-up")).isDisplayed()).isFalse();
      assertThat(js(browser, "return document.activeElement.id")).isEqualTo("today-title");

      // The tiles: two calls, one lost, below the objective and said so in red.
      assertThat(value(browser, "answered")).isEqualTo("1");
      assertThat(value(browser, "missed")).isEqualTo("1");
      assertThat(browser.findElement(tile("missed")).getAttribute("class")).contains("alarm");
      assertThat(browser.findElement(tile("service-level")).getText())
          .contains("50%").contains("answered within 18 s — target 80%");
      assertThat(browser.findElement(tile("service-level")).getAttribute("class")).contains("alarm");
      assertThat(browser.findElement(tile("answered")).getAttribute("class")).doesNotContain("alarm");
      assertThat(value(browser, "waiting")).isEqualTo("1");
      assertThat(browser.findElement(tile("waiting")).getText()).contains("0 with agents").contains("waiting 40 min");
      assertThat(value(browser, "speed")).isEqualTo("—");
      assertThat(value(browser, "orders")).isEqualTo("0");
      assertThat(browser.findElement(tile("orders")).getText()).contains("0 called");
      assertThat(value(browser, "feedback")).isEqualTo("—");
      assertThat(browser.findElement(tile("feedback")).getText()).contains("average of 0 scores");
      assertThat(text(browser, "today")).doesNotContain("null").doesNotContain("NaN").doesNotContain("undefined").doesNotContain("_");
      assertThat(text(browser, "today-updated")).matches("Updated \\d\\d:\\d\\d:\\d\\d");

      // The charts: a bar group per hour and per day, named in Los Angeles' time, with their numbers written out.
      List<WebElement> hours = browser.findElements(By.cssSelector("#chart-hours svg .bar-group"));
      assertThat(hours).hasSize(24);
      assertThat(browser.findElements(By.cssSelector("#chart-days svg .bar-group"))).hasSize(7);
      assertThat(js(browser, "return document.querySelector('#chart-hours svg').getAttribute('role')")).isEqualTo("img");
      assertThat(js(browser, "const svg = document.querySelector('#chart-hours svg');"
          + " return document.getElementById(svg.getAttribute('aria-labelledby')).textContent"))
          .isEqualTo("Calls answered and missed, hour by hour, over the last 24 hours");
      assertThat(browser.findElement(By.cssSelector("#chart-hours .summary")).getText())
          .isEqualTo("Last 24 hours: 2 calls, 1 answered, 1 missed.");
      assertThat(browser.findElement(By.cssSelector("#chart-days .summary")).getText())
          .isEqualTo("Last 7 days: 2 calls, 1 answered, 1 missed.");
      assertThat(js(browser, "return document.querySelector('#chart-hours .bar-group:last-of-type title').textContent"))
          .isEqualTo("14:00: 2 calls, 1 answered, 1 missed");
      assertThat(js(browser, "return document.querySelector('#chart-hours .bar-group:last-of-type text').textContent")).isEqualTo("14");
      assertThat(js(browser, "return document.querySelector('#chart-days .bar-group:last-of-type text').textContent")).isEqualTo("Wed");
      // The last hour's bar: answered and missed stacked, of equal heights.
      assertThat(js(browser, "const r = document.querySelectorAll('#chart-hours .bar-group:last-of-type rect');"
          + " return [r[0].getAttribute('class'), r[1].getAttribute('class'), r[0].getAttribute('height') === r[1].getAttribute('height'),"
          + " Number(r[0].getAttribute('height')) > 0]")).isEqualTo(List.of("answered", "missed", true, true));
      List<String> hourRows = hiddenRows(browser, "chart-hours");
      assertThat(hourRows).hasSize(24).first().isEqualTo("15:00 | 0 | 0 | 0");
      assertThat(hourRows).last().isEqualTo("14:00 | 2 | 1 | 1");
      assertThat(hiddenRows(browser, "chart-days")).hasSize(7).last().isEqualTo("Wed, Dec 2 | 2 | 1 | 1");
      assertThat(js(browser, "return document.querySelector('#chart-hours table').parentElement.getBoundingClientRect().width")).isEqualTo(1L);
      js(browser, "document.activeElement.blur()");
      screenshot(browser, "admin-today.png");
      assertThat(errors(browser)).isEmpty();

      // A caller lost while the page is open shows up without a reload: here when the tab comes
      // back into view, which loads the figures at once and starts the 30 s refresh again.
      missed(server, "CAadmin003", "+14155550503");
      js(browser, "document.dispatchEvent(new Event('visibilitychange'))");
      waitForValue(browser, "offered", "3", WAIT);
      assertThat(value(browser, "missed")).isEqualTo("2");
      // (The "Updated" stamp is to the second: a reload within the same second reads the same, so the figures are what is checked.)
      assertThat(browser.findElement(By.cssSelector("#chart-hours .summary")).getText())
          .isEqualTo("Last 24 hours: 3 calls, 1 answered, 2 missed.");

      // Set-up is one link away, and Today one link back.
      browser.findElement(By.cssSelector("#pages a[data-page='set-up']")).click();
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("set-up-title")));
      assertThat(browser.findElement(By.id("today")).isDisplayed()).isFalse();
      assertThat(browser.findElement(By.cssSelector("#pages a[aria-current=page]")).getText()).isEqualTo("Set-up");
      browser.findElement(By.cssSelector("#pages a[data-page='today']")).click();
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("today-title")));
      assertThat(browser.findElement(By.id("set-up")).isDisplayed()).isFalse();

      // Signed out, the page is emptied and no longer refreshed.
      browser.findElement(By.id("logout")).click();
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
      assertThat(browser.findElement(By.id("today")).isDisplayed()).isFalse();
      assertThat(browser.findElements(By.cssSelector("#tiles .tile"))).isEmpty();
      assertThat(errors(browser)).isEmpty();

      phone = browser(390, 844);
      signIn(phone, server, "3");
      assertThat(js(phone, "return window.innerWidth")).isEqualTo(390L);
      assertThat(phone.findElements(By.cssSelector("#chart-hours svg .bar-group"))).hasSize(24);
      assertThat(fitsItsWidth(phone)).as("Today at 390 px").isTrue();
      assertThat(errors(phone)).isEmpty();
    } finally {
      quit(browser, phone);
    }
  }
}
