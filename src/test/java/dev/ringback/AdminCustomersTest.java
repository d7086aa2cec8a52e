package dev.ringback;

import static dev.ringback.ConsoleTest.WAIT;
import static dev.ringback.ConsoleTest.assumeBrowser;
import static dev.ringback.ConsoleTest.browser;
import static dev.ringback.ConsoleTest.customer;
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

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The owner's Customers page in a real headless browser, on Wednesday 2 December 2026 at 21:30 in
 * Los Angeles, after calling hours (a missed caller's callback waits for the morning): a search
 * finds a customer by part of her name; her record is edited and saved, her number put on the
 * do-not-call list (her waiting callback is cancelled), and her file says her missed call and
 * callback in words, at Los Angeles times. A CSV file with a new customer, a known one and a bad
 * row is previewed (nothing written yet), then imported. At a desktop's width and a phone's, with
 * no error in the browser's log. Saves the screenshot the README shows.
 */
class AdminCustomersTest {
  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    assumeBrowser();
    db = TestDatabase.create();
    server = RingbackServer.start("""
        dialer:
          calls-per-second: 0
          poll-millis: 100
          allowed-hours: "08:00-21:00"
        """ + RingbackServer.LINES_YAML, RingbackServer.environment(db, "http://127.0.0.1:9"), new MutableClock(la("2026-12-02T21:30")));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static void openCustomers(WebDriver browser) {
    AdminPagesTest.signIn(browser, server, RingbackServer.API_TOKEN);
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("today-title")));
    browser.findElement(By.cssSelector("#pages a[data-page='customers']")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("customers-title")));
  }

  static By row(String phone) {
    return By.cssSelector("#customer-list li.customer-row[data-phone='" + phone + "']");
  }

  static List<String> listed(WebDriver browser) {
    return browser.findElements(By.cssSelector("#customer-list li.customer-row")).stream().map(li -> li.getAttribute("data-phone")).toList();
  }

  static void search(WebDriver browser, String typed, String expectedPhone) {
    WebElement field = browser.findElement(By.id("customers-q"));
    field.clear();
    field.sendKeys(typed + Keys.ENTER);
    new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
        .until(d -> listed(d).equals(List.of(expectedPhone)));
  }

  static void open(WebDriver browser, String phone, String name) {
    browser.findElement(row(phone)).findElement(By.cssSelector("button.open")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("customer-title"), name));
  }

  static JsonObject get(String path) {
    var response = server.api("GET", path, null, null);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  static void type(WebDriver browser, String id, String value) {
    WebElement field = browser.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }

  @Test
  void theOwnerFindsACustomerEditsHerRecordKeepsHerFromBeingCalledAndReadsHerFile() {
    String maria = "+14155550601";
    customer(server, maria, "Maria Petrova", "standard", "Prefers mornings");
    customer(server, "+14155550602", "John Smith", "vip", null);
    server.missedCall("CAcust0001", maria, RingbackServer.LINE_NUMBER);
    assertThat(server.twilio("/twilio/status", "CallSid", "CAcust0001", "CallStatus", "completed", "From", maria,
        "To", RingbackServer.LINE_NUMBER, "Direction", "inbound", "Timestamp", TWILIO.format(la("2026-12-02T21:31"))).statusCode())
        .isEqualTo(200);
    assertThat(db.count("SELECT count(*) FROM callbacks WHERE customer_phone = ? AND state = 'scheduled'", maria)).isEqualTo(1);

    WebDriver browser = browser(1280, 1000);
    WebDriver phone = null;
    try {
      openCustomers(browser);
      assertThat(browser.findElement(By.cssSelector("#pages a[aria-current=page]")).getText()).isEqualTo("Customers");
      new WebDriverWait(browser, WAIT).until(d -> listed(d).containsAll(List.of(maria, "+14155550602")));
      assertThat(browser.findElements(By.cssSelector("label[for='customers-q']"))).hasSize(1);

      search(browser, "petrova", maria);
      search(browser, "(415) 555-0602", "+14155550602");
      assertThat(browser.findElement(row("+14155550602")).getText()).contains("John Smith").contains("VIP");
      search(browser, "petrova", maria);
      open(browser, maria, "Maria Petrova");
      assertThat(js(browser, "return document.activeElement.id")).isEqualTo("customer-title");

      // The file, in words, at Los Angeles times.
      waitFor(browser, "customer-timeline", "Called in: missed: nobody answered");
      String file = text(browser, "customer-timeline");
      assertThat(file).contains("Wed, 2 Dec 2026, 21:30").contains("Callback promised (Missed call): Waiting");
      assertThat(file).doesNotContain("null").doesNotContain("undefined").doesNotContain("_");
      assertThat(text(browser, "customer-zone-note")).contains("America/Los_Angeles, the business's time zone");
      assertThat(text(browser, "customer-dnc-state")).isEqualTo("This number may be called back.");

      // Every field of the record is labelled; it is edited and saved.
      for (String field : new String[] {"customer-name", "customer-tier", "customer-language", "customer-zone", "customer-notes"}) {
        assertThat(browser.findElements(By.cssSelector("label[for='" + field + "']"))).as(field).hasSize(1);
      }
      assertThat(browser.findElement(By.id("customer-notes")).getAttribute("value")).isEqualTo("Prefers mornings");
      type(browser, "customer-name", "Maria Petrova-Ionescu");
      new Select(browser.findElement(By.id("customer-tier"))).selectByVisibleText("VIP");
      type(browser, "customer-language", "ro-RO");
      type(browser, "customer-zone", "Europe/Bucharest");
      type(browser, "customer-notes", "Calls after 10");
      browser.findElement(By.cssSelector("#customer-form button[type=submit]")).click();
      waitFor(browser, "customer-saved", "Saved.");
      JsonObject saved = get("/api/customers/%2B14155550601");
      assertThat(saved.getString("name")).isEqualTo("Maria Petrova-Ionescu");
      assertThat(saved.getString("tier")).isEqualTo("vip");
      assertThat(saved.getString("language")).isEqualTo("ro-RO");
      assertThat(saved.getString("time_zone")).isEqualTo("Europe/Bucharest");
      assertThat(saved.getString("notes")).isEqualTo("Calls after 10");
      assertThat(text(browser, "customer-title")).isEqualTo("Maria Petrova-Ionescu");
      assertThat(browser.findElement(row(maria)).getText()).contains("Maria Petrova-Ionescu").contains("VIP");

      // A value the API refuses is said, and nothing is saved.
      type(browser, "customer-zone", "Mars/Base");
      browser.findElement(By.cssSelector("#customer-form button[type=submit]")).click();
      waitFor(browser, "customer-saved", "Not saved: time_zone");
      assertThat(get("/api/customers/%2B14155550601").getString("time_zone")).isEqualTo("Europe/Bucharest");
      assertThat(errors(browser)).singleElement().asString().contains("422");
      type(browser, "customer-zone", "Europe/Bucharest");

      // On the do-not-call list: her waiting callback is cancelled, and her file says so.
      type(browser, "customer-dnc-reason", "Asked not to be called");
      browser.findElement(By.id("customer-dnc")).click();
      waitFor(browser, "customer-dnc-message", "On the do-not-call list now; 1 waiting callback was cancelled.");
      assertThat(get("/api/customers/%2B14155550601/timeline").getBoolean("do_not_call")).isTrue();
      assertThat(text(browser, "customer-dnc-state")).startsWith("On the do-not-call list");
      assertThat(text(browser, "customer-dnc")).isEqualTo("Take off the do-not-call list");
      waitFor(browser, "customer-timeline", "Callback promised (Missed call): Cancelled");
      assertThat(errors(browser)).isEmpty();

      phone = browser(390, 844);
      openCustomers(phone);
      search(phone, "Ionescu", maria);
      open(phone, maria, "Maria Petrova-Ionescu");
      waitFor(phone, "customer-timeline", "Called in: missed: nobody answered");
      assertThat(text(phone, "customer-dnc-state")).startsWith("On the do-not-call list");
      assertThat(js(phone, "return window.innerWidth")).isEqualTo(390L);
      assertThat(fitsItsWidth(phone)).as("Customers at 390 px").isTrue();
      assertThat(errors(phone)).isEmpty();
    } finally {
      quit(browser, phone);
    }
  }

  @Test
  void aCsvFileIsPreviewedBeforeAnythingIsWrittenThenImported() throws IOException {
    customer(server, "+14155550611", "Known Person", "standard", "Keep me");
    Path csv = Files.createTempFile("ringback-customers-", ".csv");
    Files.writeString(csv, """
        phone,name,tier,language,time_zone,notes
        +14155550612,New Person,vip,en-GB,Europe/London,
        +14155550611,Known Renamed,,,,
        12345,Bad Row,,,,
        """, StandardCharsets.UTF_8);
    WebDriver browser = browser(1280, 1200);
    WebDriver phone = null;
    try {
      openCustomers(browser);
      // The sample is fetched with the token and offered as a file to save.
      WebElement sample = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("customers-sample")));
      assertThat(sample.getAttribute("href")).startsWith("blob:");
      assertThat(sample.getAttribute("download")).isEqualTo("ringback-customers-sample.csv");
      assertThat(browser.findElements(By.cssSelector("label[for='import-file']"))).hasSize(1);

      browser.findElement(By.id("import-file")).sendKeys(csv.toString());
      waitFor(browser, "import-preview", "This file would add 1 customer, update 1 and reject 1 row. Nothing is written until you import it.");
      String preview = text(browser, "import-preview");
      assertThat(preview).contains("Would be added (1)").contains("New Person").contains("VIP").contains("Europe/London");
      assertThat(preview).contains("Would be updated (1)").contains("Name: Known Person → Known Renamed");
      assertThat(preview).contains("Would be rejected (1)").contains("phone: '12345' is not a valid phone number");
      // Nothing written yet.
      assertThat(server.api("GET", "/api/customers/%2B14155550612", null, null).statusCode()).isEqualTo(404);
      assertThat(get("/api/customers/%2B14155550611").getString("name")).isEqualTo("Known Person");
      WebElement go = browser.findElement(By.id("import-go"));
      assertThat(go.getText()).isEqualTo("Import 2 customers");
      js(browser, "document.getElementById('import-preview').scrollIntoView()");
      screenshot(browser, "admin-customers.png");

      go.click();
      waitFor(browser, "import-result", "Imported: 1 added, 1 updated, 1 row rejected.");
      JsonObject added = get("/api/customers/%2B14155550612");
      assertThat(added.getString("name")).isEqualTo("New Person");
      assertThat(added.getString("tier")).isEqualTo("vip");
      JsonObject known = get("/api/customers/%2B14155550611");
      assertThat(known.getString("name")).isEqualTo("Known Renamed");
      assertThat(known.getString("notes")).isEqualTo("Keep me");
      assertThat(browser.findElement(By.id("import-go")).isDisplayed()).isFalse();
      new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
          .until(d -> listed(d).contains("+14155550612"));
      assertThat(errors(browser)).isEmpty();

      phone = browser(390, 844);
      openCustomers(phone);
      phone.findElement(By.id("import-file")).sendKeys(csv.toString());
      waitFor(phone, "import-preview", "This file would add 0 customers, update 2 and reject 1 row.");
      assertThat(text(phone, "import-preview")).contains("Nothing changes");
      assertThat(fitsItsWidth(phone)).as("the preview at 390 px").isTrue();
      assertThat(errors(phone)).isEmpty();
    } finally {
      Files.deleteIfExists(csv);
      quit(browser, phone);
    }
  }
}
