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
import static dev.ringback.support.LosAngeles.LA;
import static dev.ringback.support.LosAngeles.TWILIO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The owner's Reports page in a real headless browser: after three calls on the main line today
 * (two answered by Ana Lima after 4 and 12 s, one missed), the tables say each line's and each
 * agent's figures in words over the last 7 days of the line's time zone; other days or another
 * line load other figures; each table downloads as the API's CSV under a name that says its
 * days. The server admin chooses another business and sees its lines only; that business's own
 * admin is offered no choice. At a desktop's width and a phone's, with no error in the browser's
 * log. The run saves the screenshot the README shows.
 */
class AdminReportsTest {
  static final String MAIN = RingbackServer.LINE_NUMBER;
  static final String ANA = RingbackServer.AGENT_NUMBER;
  static final String YAML = """
      dialer:
        calls-per-second: 0
      """ + RingbackServer.LINES_YAML.replace("    name: Acme Support\n", "    name: Acme Support\n    time-zone: America/New_York\n");
  static TwilioStandIn twilio;
  static MutableClock clock;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    Map<String, String> env = new HashMap<>(RingbackServer.environment(TestDatabase.create(), twilio.baseUrl()));
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    env.put("RINGBACK_SECRET_KEY", Base64.getEncoder().encodeToString(key));
    server = RingbackServer.start(YAML, env, clock);
    ConsoleTest.agent(server, "Ana Lima", ANA);
    answered("CArep001", "+14155550501", 4);
    answered("CArep002", "+14155550502", 12);
    server.twilio("/twilio/voice", "CallSid", "CArep003", "From", "+14155550503", "To", MAIN);
    assertThat(server.twilio("/twilio/dial", "CallSid", "CArep003", "From", "+14155550503", "To", MAIN, "DialCallStatus", "no-answer")
        .statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    server.close();
    twilio.close();
  }

  /** A call on the main line that Ana answers after {@code ring} seconds. */
  static void answered(String callSid, String caller, int ring) {
    server.twilio("/twilio/voice", "CallSid", callSid, "From", caller, "To", MAIN);
    assertThat(server.twilio("/twilio/status", "CallSid", callSid + "leg", "ParentCallSid", callSid, "CallStatus", "in-progress",
        "To", ANA, "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant().plusSeconds(ring))).statusCode())
        .isEqualTo(200);
  }

  static By row(String table, String key) {
    return By.cssSelector("#" + table + " tbody tr[data-key='" + key + "']");
  }

  static String cell(WebDriver browser, String table, String key, String column) {
    return browser.findElement(row(table, key)).findElement(By.cssSelector("td[data-column='" + column + "']")).getText();
  }

  static void waitForCell(WebDriver browser, String table, String key, String column, String value) {
    new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
        .until(d -> !d.findElements(row(table, key)).isEmpty() && value.equals(cell(d, table, key, column)));
  }

  @SuppressWarnings("unchecked")
  static List<String> keys(WebDriver browser, String table) {
    return (List<String>) js(browser, "return [...document.querySelectorAll('#" + table + " tbody tr')].map(r => r.dataset.key)");
  }

  static void openReports(WebDriver browser, String token) {
    AdminPagesTest.signIn(browser, server, token);
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("today-title")));
    browser.findElement(By.cssSelector("#pages a[data-page='reports']")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("reports-title")));
  }

  /** Sets a date as a person does: the value, then the change event. */
  static void setDate(WebDriver browser, String id, LocalDate day) {
    js(browser, "const input = document.getElementById(arguments[0]); input.value = arguments[1];"
        + " input.dispatchEvent(new Event('change', {bubbles: true}))", id, day.toString());
  }

  /** The file the browser saved, once it has finished saving it. */
  static Path downloaded(Path folder, String name) {
    Path file = folder.resolve(name);
    RingbackServer.await(name + " to be downloaded", Duration.ofSeconds(10),
        () -> Files.isRegularFile(file) && !Files.exists(folder.resolve(name + ".crdownload")));
    return file;
  }

  static List<CSVRecord> csv(Path file) {
    try (CSVParser parser = CSVParser.parse(Files.readString(file), CSVFormat.DEFAULT)) {
      return parser.getRecords();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theOwnerReadsEachLineAndAgentOverTheDaysChosenAndDownloadsThem(@TempDir Path downloads) throws IOException {
    assumeBrowser();
    WebDriver browser = null;
    WebDriver phone = null;
    try {
      browser = browser(1280, 1000, downloads);
      openReports(browser, RingbackServer.API_TOKEN);
      assertThat(browser.findElement(By.cssSelector("#pages a[aria-current=page]")).getText()).isEqualTo("Reports");
      assertThat(js(browser, "return document.activeElement.id")).isEqualTo("reports-title");

      // The last 7 days up to today in Los Angeles, the first line's zone, and the page says so.
      waitForCell(browser, "report-lines", "main", "calls_offered", "3");
      LocalDate today = clock.instant().atZone(LA).toLocalDate();
      assertThat(browser.findElement(By.id("reports-to")).getDomProperty("value")).isEqualTo(today.toString());
      assertThat(browser.findElement(By.id("reports-from")).getDomProperty("value")).isEqualTo(today.minusDays(6).toString());
      assertThat(browser.findElement(By.id("reports-from")).getDomProperty("type")).isEqualTo("date");
      assertThat(text(browser, "reports-zone"))
          .isEqualTo("Days are those of America/Los_Angeles, the time zone of the first line, Acme (main).");

      // Every figure in words: a share as a percentage, rings to one decimal, nothing measured as a dash.
      assertThat(cell(browser, "report-lines", "main", "calls_answered")).isEqualTo("2");
      assertThat(cell(browser, "report-lines", "main", "service_level")).isEqualTo("67%");
      assertThat(cell(browser, "report-lines", "main", "rings_to_answer_median")).isEqualTo("1.3");
      assertThat(cell(browser, "report-lines", "main", "rings_to_answer_p90")).isEqualTo("1.9");
      assertThat(cell(browser, "report-lines", "main", "callbacks_connected")).isEqualTo("0");
      assertThat(cell(browser, "report-lines", "main", "speed_to_callback_median_seconds")).isEqualTo("—");
      assertThat(cell(browser, "report-lines", "main", "feedback_average")).isEqualTo("—");
      assertThat(browser.findElement(row("report-lines", "main")).findElement(By.cssSelector("th")).getText())
          .contains("Acme").contains("main");
      assertThat(cell(browser, "report-lines", "support", "calls_offered")).isEqualTo("0");
      assertThat(cell(browser, "report-lines", "support", "service_level")).isEqualTo("—");
      assertThat(browser.findElement(By.cssSelector("#report-lines thead")).getText())
          .contains("Calls offered").contains("Service level (answered within 3 rings)").contains("Speed to callback, median");
      assertThat(cell(browser, "report-agents", ANA, "calls_answered")).isEqualTo("2");
      assertThat(cell(browser, "report-agents", ANA, "service_level")).isEqualTo("100%");
      assertThat(browser.findElement(row("report-agents", ANA)).findElement(By.cssSelector("th")).getText())
          .contains("Ana Lima").contains(ANA);
      assertThat(text(browser, "reports")).doesNotContain("null").doesNotContain("NaN").doesNotContain("undefined")
          .doesNotContainPattern("[a-z]_[a-z]");
      js(browser, "document.activeElement.blur()");
      screenshot(browser, "admin-reports.png");

      // Other days load other figures.
      setDate(browser, "reports-from", today.minusDays(40));
      setDate(browser, "reports-to", today.minusDays(34));
      waitForCell(browser, "report-lines", "main", "calls_offered", "0");
      assertThat(cell(browser, "report-agents", ANA, "calls_answered")).isEqualTo("0");
      assertThat(cell(browser, "report-agents", ANA, "rings_to_answer_median")).isEqualTo("—");
      // A last day before the first is said, and asked of nobody.
      setDate(browser, "reports-to", today.minusDays(41));
      waitFor(browser, "reports-message", "The first day is after the last day.");
      setDate(browser, "reports-from", today.minusDays(6));
      assertThat(text(browser, "reports-message")).isEqualTo("The first day is after the last day.");
      assertThat(keys(browser, "report-lines")).as("no figures of other days beside the refusal").isEmpty();
      setDate(browser, "reports-to", today);
      waitForCell(browser, "report-lines", "main", "calls_offered", "3");
      assertThat(text(browser, "reports-message")).isEmpty();

      // One line: its row only, in its own zone's days.
      new Select(browser.findElement(By.id("reports-line"))).selectByValue("support");
      waitFor(browser, "reports-zone", "America/New_York, the time zone of Acme Support (support).");
      new WebDriverWait(browser, WAIT).until(d -> keys(d, "report-lines").equals(List.of("support")));
      new Select(browser.findElement(By.id("reports-line"))).selectByValue("");
      new WebDriverWait(browser, WAIT).until(d -> keys(d, "report-lines").equals(List.of("main", "support")));

      // Each table downloads as the API's CSV, named for its days.
      String days = today.minusDays(6) + "-to-" + today;
      browser.findElement(By.id("reports-lines-csv")).click();
      List<CSVRecord> lines = csv(downloaded(downloads, "ringback-lines-" + days + ".csv"));
      assertThat(lines.get(0).toList()).containsExactly("line", "name", "calls_offered", "calls_answered", "rings_to_answer_median",
          "rings_to_answer_p90", "service_level", "callbacks_connected", "speed_to_callback_median_seconds",
          "speed_to_callback_p90_seconds", "feedback_average", "feedback_count", "feedback_poor");
      assertThat(lines.subList(1, lines.size()).stream().map(CSVRecord::toList).toList()).containsExactly(
          List.of("main", "Acme", "3", "2", "1.3", "1.9", "0.667", "0", "", "", "", "0", "0"),
          List.of("support", "Acme Support", "0", "0", "", "", "", "0", "", "", "", "0", "0"));
      waitFor(browser, "reports-download", "Saved ringback-lines-" + days + ".csv.");
      browser.findElement(By.id("reports-agents-csv")).click();
      List<CSVRecord> agents = csv(downloaded(downloads, "ringback-agents-" + days + ".csv"));
      assertThat(agents.get(0).get(0)).isEqualTo("agent_id");
      assertThat(agents).anySatisfy(r -> assertThat(r.toList().subList(1, 4)).containsExactly("Ana Lima", "'" + ANA, "2"));
      assertThat(errors(browser)).isEmpty();

      phone = browser(390, 844);
      openReports(phone, RingbackServer.API_TOKEN);
      waitForCell(phone, "report-lines", "main", "calls_offered", "3");
      assertThat(js(phone, "return window.innerWidth")).isEqualTo(390L);
      assertThat(fitsItsWidth(phone)).as("Reports at 390 px").isTrue();
      // Each figure carries its column's name on a card.
      assertThat(phone.findElement(row("report-lines", "main")).findElement(By.cssSelector("td[data-column='service_level']"))
          .getDomAttribute("data-label")).isEqualTo("Service level (answered within 3 rings)");
      assertThat(errors(phone)).isEmpty();
    } finally {
      quit(browser, phone);
    }
  }

  @Test
  void theServerAdminChoosesAnotherBusinessAndItsAdminIsOfferedNone() {
    assumeBrowser();
    var created = server.api("POST", "/api/businesses", "application/json", """
        {"slug": "bravo", "name": "Bravo Plumbing",
         "twilio": {"account_sid": "%s", "auth_token": "%s"},
         "lines": [{"id": "front", "number": "+14155550400", "name": "Bravo", "time_zone": "Europe/Berlin", "agents": ["+14155550401"]}]}
        """.formatted(RingbackServer.BRAVO_ACCOUNT_SID, RingbackServer.BRAVO_AUTH_TOKEN));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String bravoToken = new JsonObject(created.body()).getString("api_token");
    WebDriver browser = null;
    try {
      browser = browser(1280, 1000);
      openReports(browser, RingbackServer.API_TOKEN);
      waitForCell(browser, "report-lines", "main", "calls_offered", "3");
      WebElement choice = browser.findElement(By.id("business-choice"));
      assertThat(choice.isDisplayed()).isTrue();
      assertThat(new Select(choice).getFirstSelectedOption().getDomProperty("value")).isEqualTo("default");
      assertThat(new Select(choice).getOptions()).extracting(WebElement::getText).contains("Bravo Plumbing (bravo)");

      new Select(choice).selectByValue("bravo");
      waitFor(browser, "business", "Business: bravo");
      new WebDriverWait(browser, WAIT).until(d -> keys(d, "report-lines").equals(List.of("front")));
      assertThat(new Select(browser.findElement(By.id("reports-line"))).getOptions()).extracting(WebElement::getText)
          .containsExactly("All lines", "Bravo (front)");
      assertThat(text(browser, "reports-zone")).contains("Europe/Berlin");
      assertThat(text(browser, "report-agents")).doesNotContain("Ana Lima");
      assertThat(new Select(browser.findElement(By.id("business-choice"))).getFirstSelectedOption().getDomProperty("value"))
          .isEqualTo("bravo");
      // The choice holds while the tab is open, through a reload.
      browser.navigate().refresh();
      waitFor(browser, "business", "Business: bravo");
      new WebDriverWait(browser, WAIT).until(d -> keys(d, "report-lines").equals(List.of("front")));

      // Back to the default business: its lines again.
      new Select(browser.findElement(By.id("business-choice"))).selectByValue("default");
      waitFor(browser, "business", "Business: default");
      new WebDriverWait(browser, WAIT).until(d -> keys(d, "report-lines").equals(List.of("main", "support")));
      assertThat(errors(browser)).isEmpty();

      // The business's own admin sees its own lines, and no choice.
      browser.findElement(By.id("logout")).click();
      openReports(browser, bravoToken);
      waitFor(browser, "business", "Business: bravo");
      new WebDriverWait(browser, WAIT).until(d -> keys(d, "report-lines").equals(List.of("front")));
      assertThat(browser.findElement(By.id("switch")).isDisplayed()).isFalse();
      assertThat(errors(browser)).isEmpty();
    } finally {
      if (browser != null) {
        browser.quit();
      }
    }
  }
}
