package dev.ringback;

import static dev.ringback.ConsoleTest.WAIT;
import static dev.ringback.ConsoleTest.assumeBrowser;
import static dev.ringback.ConsoleTest.browser;
import static dev.ringback.ConsoleTest.errors;
import static dev.ringback.ConsoleTest.fitsItsWidth;
import static dev.ringback.ConsoleTest.js;
import static dev.ringback.ConsoleTest.quit;
import static dev.ringback.ConsoleTest.screenshot;
import static dev.ringback.ConsoleTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The owner's Lines page in a real headless browser, with two instances on one database: the
 * owner edits the week and adds a holiday, sets the line to Spanish with a greeting of their own,
 * reads what callers will hear, and the other instance answers its next call that way; the page
 * marks each value as the file's or set here, and goes back to the file's. At a desktop's width
 * and a phone's, with no error in the browser's log.
 */
class AdminLinesTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");

  static void openLines(WebDriver browser, RingbackServer server) {
    AdminPagesTest.signIn(browser, server, RingbackServer.API_TOKEN);
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("today-title")));
    browser.findElement(By.cssSelector("#pages a[data-page='lines']")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("line-editor")));
  }

  /** The API's name of a day: mon, tue... */
  static String code(DayOfWeek day) {
    return day.name().substring(0, 3).toLowerCase(Locale.ROOT);
  }

  static WebElement day(WebDriver browser, String day) {
    return browser.findElement(By.cssSelector("#week .day[data-day='" + day + "']"));
  }

  static void type(WebDriver browser, WebElement input, String value) {
    js(browser, "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        + " arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", input, value);
  }

  static String source(WebDriver browser, String setting) {
    return browser.findElement(By.cssSelector("#effective tr[data-setting='" + setting + "'] .source")).getText();
  }

  static JsonObject get(RingbackServer server, String path) {
    return new JsonObject(server.api("GET", path, null, null).body());
  }

  @Test
  void theOwnerEditsTheWeekAndTheGreetingAndTheOtherInstanceAnswersThatWay() {
    assumeBrowser();
    TestDatabase db = TestDatabase.create();
    Map<String, String> env = RingbackServer.environment(db, "http://127.0.0.1:9");
    WebDriver browser = null;
    WebDriver phone = null;
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC());
         RingbackServer other = RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC())) {
      browser = browser(1280, 1400);
      openLines(browser, server);
      waitFor(browser, "lines-zone", "America/Los_Angeles");
      assertThat(new Select(browser.findElement(By.id("lines-line"))).getFirstSelectedOption().getText()).contains("Acme").contains("main");
      // As configured: open all week, every value from the file.
      assertThat(day(browser, "sun").findElement(By.cssSelector(".open")).isSelected()).isTrue();
      assertThat(source(browser, "hours")).isEqualTo("Configuration file");
      assertThat(source(browser, "language")).isEqualTo("Configuration file");
      assertThat(browser.findElement(By.id("hours-back")).isDisplayed()).isFalse();

      // Three days on (today and tomorrow stay open all day, so the call below is answered by day): one
      // day 08:00-12:00 and 13:00-17:30, the next closed, the next from 10:00 until midnight, and a holiday.
      DayOfWeek today = LocalDate.now(LA).getDayOfWeek();
      String split = code(today.plus(2));
      String shut = code(today.plus(3));
      String late = code(today.plus(4));
      WebElement splitDay = day(browser, split);
      type(browser, splitDay.findElement(By.cssSelector(".range .from")), "08:00");
      type(browser, splitDay.findElement(By.cssSelector(".range .to")), "12:00");
      splitDay.findElement(By.cssSelector(".add-range")).click();
      List<WebElement> ranges = splitDay.findElements(By.cssSelector(".range"));
      assertThat(ranges).hasSize(2);
      type(browser, ranges.get(1).findElement(By.cssSelector(".from")), "13:00");
      type(browser, ranges.get(1).findElement(By.cssSelector(".to")), "17:30");
      day(browser, shut).findElement(By.cssSelector(".open")).click();
      assertThat(day(browser, shut).findElements(By.cssSelector(".range"))).isEmpty();
      assertThat(day(browser, shut).findElement(By.cssSelector(".closed-word")).isDisplayed()).isTrue();
      type(browser, day(browser, late).findElement(By.cssSelector(".range .from")), "10:00");
      type(browser, day(browser, late).findElement(By.cssSelector(".range .to")), "00:00");
      String holiday = LocalDate.now(LA).plusDays(30).toString();
      type(browser, browser.findElement(By.id("closed-date")), holiday);
      browser.findElement(By.id("add-closed")).click();
      browser.findElement(By.id("save-hours")).click();
      waitFor(browser, "hours-message", "The hours are saved");

      // The other instance has them.
      RingbackServer.await("the other instance to take the hours", Duration.ofSeconds(10), () ->
          get(other, "/api/lines/main/hours").getString("source").equals("api"));
      JsonObject hours = get(other, "/api/lines/main/hours");
      assertThat(hours.getJsonObject("week").getJsonArray(split).getList()).containsExactly("08:00-12:00", "13:00-17:30");
      assertThat(hours.getJsonObject("week").getJsonArray(shut).getList()).isEmpty();
      assertThat(hours.getJsonObject("week").getJsonArray(late).getList()).containsExactly("10:00-24:00");
      assertThat(hours.getJsonObject("week").getJsonArray(code(today)).getList()).containsExactly("00:00-24:00");
      assertThat(hours.getJsonArray("closed").getList()).containsExactly(holiday);
      assertThat(source(browser, "hours")).isEqualTo("Set here");
      assertThat(browser.findElement(By.id("hours-back")).isDisplayed()).isTrue();

      // Spanish, a woman's voice of Mexico, one agent after another, and a greeting of the owner's own.
      new Select(browser.findElement(By.id("setting-language"))).selectByValue("es-MX");
      new Select(browser.findElement(By.id("setting-ring_strategy"))).selectByVisibleText("One after another");
      WebElement greeting = browser.findElement(By.id("sentence-greeting"));
      greeting.clear();
      greeting.sendKeys("Gracias por llamar a {business}. Un momento, por favor.");
      browser.findElement(By.id("save-settings")).click();
      waitFor(browser, "settings-message", "Saved");
      // What callers hear, written out; the voices are now Spanish ones.
      waitFor(browser, "sentence-greeting-preview", "Gracias por llamar a Acme. Un momento, por favor.");
      assertThat(browser.findElement(By.id("sentence-callback-hello-known-preview")).getText()).contains("Ana");
      assertThat(new Select(browser.findElement(By.id("setting-voice"))).getOptions().stream().map(o -> o.getAttribute("value")))
          .contains("Polly.Mia");
      assertThat(source(browser, "language")).isEqualTo("Set here");
      assertThat(source(browser, "ring_strategy")).isEqualTo("Set here");
      assertThat(source(browser, "ring_timeout_seconds")).isEqualTo("Configuration file");
      assertThat(browser.findElement(By.cssSelector(".sentence[data-key='greeting'] .source")).getText()).isEqualTo("Set here");
      new Select(browser.findElement(By.id("setting-voice"))).selectByValue("Polly.Mia");
      browser.findElement(By.id("save-settings")).click();
      waitFor(browser, "settings-message", "Saved");

      RingbackServer.await("the other instance to speak Spanish", Duration.ofSeconds(10), () ->
          get(other, "/api/lines/main/settings").getJsonObject("settings").getJsonObject("voice").getString("value") != null);
      String twiml = other.twilio("/twilio/voice", "CallSid", "CAlinespage01", "From", "+14155550198", "To", RingbackServer.LINE_NUMBER)
          .body();
      assertThat(twiml).contains("Gracias por llamar a Acme. Un momento, por favor.").contains("language=\"es-MX\"")
          .contains("voice=\"Polly.Mia\"");
      // The file's English sentences give way to Spanish ones; only the greeting is the owner's.
      assertThat(browser.findElement(By.cssSelector(".sentence[data-key='greeting.known'] .source")).getText())
          .isEqualTo("The language's own");
      js(browser, "window.scrollTo(0, 0)");
      screenshot(browser, "admin-lines.png");
      assertThat(errors(browser)).isEmpty();

      phone = browser(390, 844);
      openLines(phone, server);
      waitFor(phone, "lines-zone", "America/Los_Angeles");
      assertThat(fitsItsWidth(phone)).as("Lines at 390 px").isTrue();
      assertThat(errors(phone)).isEmpty();

      // Back to the file's: the page and the other instance say so.
      browser.findElement(By.id("settings-back")).click();
      waitFor(browser, "settings-message", "configuration file's again");
      assertThat(source(browser, "language")).isEqualTo("Configuration file");
      browser.findElement(By.id("hours-back")).click();
      waitFor(browser, "hours-message", "configuration file's again");
      assertThat(day(browser, shut).findElement(By.cssSelector(".open")).isSelected()).isTrue();
      RingbackServer.await("the other instance to go back to the file's", Duration.ofSeconds(10), () ->
          get(other, "/api/lines/main/settings").getJsonObject("settings").getJsonObject("language").getString("value").equals("en-US"));
      assertThat(errors(browser)).isEmpty();
    } finally {
      quit(browser, phone);
    }
  }
}
