package dev.ringback;

import static dev.ringback.ConsoleTest.WAIT;
import static dev.ringback.ConsoleTest.assumeBrowser;
import static dev.ringback.ConsoleTest.browser;
import static dev.ringback.ConsoleTest.errors;
import static dev.ringback.ConsoleTest.fitsItsWidth;
import static dev.ringback.ConsoleTest.js;
import static dev.ringback.ConsoleTest.quit;
import static dev.ringback.ConsoleTest.text;
import static dev.ringback.support.LosAngeles.TWILIO;
import static dev.ringback.support.LosAngeles.la;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonObject;
import java.sql.Timestamp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The owner's Callbacks page in a real headless browser, on Wednesday 2 December 2026 in Los
 * Angeles with customers called 08:00-21:00: each callback says in words why it is where it is
 * (due, held overnight for the customer's calling hours, the caller got through, cancelled by the
 * admin, on the do-not-call list, with the agents, given up after an unanswered attempt); the owner cancels one, moves one, and is told
 * why a move to 23:00 is refused. At a desktop's width and a phone's, with no error in the browser's log.
 */
class AdminCallbacksTest {
  static final String MAIN = RingbackServer.LINE_NUMBER;

  static long missed(RingbackServer server, TestDatabase db, String callSid, String caller) {
    server.missedCall(callSid, caller, MAIN);
    return (Long) db.query("SELECT id FROM callbacks WHERE customer_phone = ? ORDER BY id DESC LIMIT 1", caller).get(0).get("id");
  }

  static By row(long id) {
    return By.cssSelector("#callback-list li.callback[data-callback='" + id + "']");
  }

  static String why(WebDriver browser, long id) {
    return browser.findElement(row(id)).findElement(By.cssSelector(".why")).getText();
  }

  static void waitForWhy(WebDriver browser, long id, String expected) {
    try {
      new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
          .until(d -> !d.findElements(row(id)).isEmpty() && expected.equals(why(d, id)));
    } catch (TimeoutException e) {
      throw new AssertionError("callback " + id + " says: " + (browser.findElements(row(id)).isEmpty() ? "(no row)" : why(browser, id))
          + "; expected: " + expected, e);
    }
  }

  static void openCallbacks(WebDriver browser, RingbackServer server) {
    AdminPagesTest.signIn(browser, server, RingbackServer.API_TOKEN);
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("today-title")));
    browser.findElement(By.cssSelector("#pages a[data-page='callbacks']")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("callbacks-title")));
  }

  /** Types a time into a row's datetime-local field and sends the form. */
  static void move(WebDriver browser, long id, String local) {
    WebElement input = browser.findElement(row(id)).findElement(By.cssSelector("input[type='datetime-local']"));
    js(browser, "arguments[0].value = arguments[1]", input, local);
    browser.findElement(row(id)).findElement(By.cssSelector("form.move button[type='submit']")).click();
  }

  static String message(WebDriver browser, long id) {
    return browser.findElement(row(id)).findElement(By.cssSelector(".message")).getText();
  }

  @Test
  void theOwnerSeesWhyEachCallbackIsWhereItIsAndCancelsAndMovesOne() {
    assumeBrowser();
    MutableClock clock = new MutableClock(la("2026-12-02T21:30"));
    TestDatabase db = TestDatabase.create();
    WebDriver browser = null;
    WebDriver phone = null;
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
         RingbackServer server = RingbackServer.start("""
             dialer:
               calls-per-second: 0
               poll-millis: 100
               max-attempts: 1
               allowed-hours: "08:00-21:00"
             """ + RingbackServer.LINES_YAML, RingbackServer.environment(db, twilio.baseUrl()), clock)) {
      // Missed at night: held for the morning.
      long night = missed(server, db, "CAcbs0001", "+14155550401");
      clock.advance(Duration.ofMinutes(2));
      RingbackServer.await("the callback to be held for the morning", WAIT,
          () -> db.count("SELECT count(*) FROM callbacks WHERE id = ? AND waiting_for = 'quiet_hours'", night) == 1);

      // Called once at 13:01, not answered: given up (one attempt; no agent registered to hand it to).
      clock.set(la("2026-12-02T13:00"));
      long givenUp = missed(server, db, "CAcbs0009", "+14155550409");
      clock.advance(Duration.ofMinutes(2));
      RingbackServer.await("the callback to be dialled", WAIT,
          () -> db.count("SELECT count(*) FROM callback_attempts WHERE callback_id = ? AND call_sid IS NOT NULL", givenUp) == 1);
      String sid = (String) db.query("SELECT call_sid FROM callback_attempts WHERE callback_id = ?", givenUp).get(0).get("call_sid");
      server.twilio("/twilio/status?callback=" + givenUp, "CallSid", sid, "CallStatus", "no-answer",
          "Timestamp", TWILIO.format(clock.instant().plusSeconds(25)), "Direction", "outbound-api");
      RingbackServer.await("the callback to be given up", WAIT,
          () -> db.count("SELECT count(*) FROM callbacks WHERE id = ? AND state = 'expired'", givenUp) == 1);

      clock.set(la("2026-12-02T14:05"));
      long due = missed(server, db, "CAcbs0002", "+14155550402");

      String caller = "+14155550403";
      long gotThrough = missed(server, db, "CAcbs0003", caller);
      server.twilio("/twilio/voice", "CallSid", "CAcbs0013", "From", caller, "To", MAIN);
      assertThat(server.twilio("/twilio/status", "CallSid", "CAcbs0013leg", "ParentCallSid", "CAcbs0013", "CallStatus", "in-progress",
          "To", "+14155550101", "Direction", "outbound-dial", "Timestamp", TWILIO.format(clock.instant())).statusCode()).isEqualTo(200);
      RingbackServer.await("the callback to be cancelled", WAIT,
          () -> db.count("SELECT count(*) FROM callbacks WHERE id = ? AND state = 'cancelled'", gotThrough) == 1);

      long byAdmin = missed(server, db, "CAcbs0004", "+14155550404");
      assertThat(server.api("POST", "/api/callbacks/" + byAdmin + "/cancel", null, null).statusCode()).isEqualTo(200);

      long doNotCall = missed(server, db, "CAcbs0005", "+14155550405");
      assertThat(server.api("PUT", "/api/customers/%2B14155550405/do-not-call", "application/json", "{\"do_not_call\":true}")
          .statusCode()).isEqualTo(200);

      var task = server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"+14155550406\",\"line\":\"main\"}");
      assertThat(task.statusCode()).as(task.body()).isEqualTo(201);
      long withAgents = new JsonObject(task.body()).getLong("id");

      long toCancel = missed(server, db, "CAcbs0007", "+14155550407");
      long toMove = missed(server, db, "CAcbs0008", "+14155550408");

      browser = browser(1280, 1000);
      openCallbacks(browser, server);
      assertThat(browser.findElement(By.cssSelector("#pages a[aria-current=page]")).getText()).isEqualTo("Callbacks");
      waitForWhy(browser, due, "Due at 14:06");
      assertThat(text(browser, "callbacks-zone")).isEqualTo("Times are in America/Los_Angeles, the business's time zone.");
      waitForWhy(browser, night, "Waiting for the customer's calling hours until 08:00 tomorrow");
      waitForWhy(browser, gotThrough, "Cancelled: the caller got through (call CAcbs0013)");
      waitForWhy(browser, byAdmin, "Cancelled by hand by the admin");
      waitForWhy(browser, doNotCall, "Cancelled: on the do-not-call list");
      waitForWhy(browser, withAgents, "With the agents: given to them by hand");
      waitForWhy(browser, givenUp, "Given up after 1 attempt: no answer");
      WebElement first = browser.findElement(row(due));
      assertThat(first.getText()).contains("+14155550402").contains("Line main").contains("Missed call").contains("Waiting");
      assertThat(browser.findElement(row(withAgents)).getText()).contains("By hand").contains("With the agents");
      // Only a waiting callback can be cancelled or moved.
      assertThat(first.findElements(By.cssSelector("button.cancel"))).hasSize(1);
      assertThat(browser.findElement(row(byAdmin)).findElements(By.cssSelector("button.cancel, form.move"))).isEmpty();
      assertThat(browser.findElement(row(withAgents)).findElements(By.cssSelector("button.cancel, form.move"))).isEmpty();
      assertThat(text(browser, "callback-list")).doesNotContain("null").doesNotContain("undefined").doesNotContain("_");
      // The filters are labelled form fields.
      for (String field : new String[] {"filter-state", "filter-trigger", "filter-phone", "filter-line"}) {
        assertThat(browser.findElements(By.cssSelector("label[for='" + field + "']"))).as(field).hasSize(1);
      }

      // Cancelled from the page, after saying yes.
      browser.findElement(row(toCancel)).findElement(By.cssSelector("button.cancel")).click();
      WebElement yes = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOf(
          browser.findElement(row(toCancel)).findElement(By.cssSelector("button.cancel-yes"))));
      assertThat(browser.findElement(row(toCancel)).getText()).contains("Cancel this callback?");
      yes.click();
      waitForWhy(browser, toCancel, "Cancelled by hand by the admin");
      assertThat(db.count("SELECT count(*) FROM callbacks WHERE id = ? AND state = 'cancelled'", toCancel)).isEqualTo(1);
      assertThat(browser.findElement(row(toCancel)).findElements(By.cssSelector("button.cancel"))).isEmpty();

      // Moved to 16:00, read in Los Angeles.
      move(browser, toMove, "2026-12-02T16:00");
      waitForWhy(browser, toMove, "Due at 16:00");
      assertThat(message(browser, toMove)).isEqualTo("Moved to 16:00.");
      assertThat(db.count("SELECT count(*) FROM callbacks WHERE id = ? AND due_at = ?", toMove, Timestamp.from(la("2026-12-02T16:00"))))
          .isEqualTo(1);

      // A move refused: the API's reason is shown, and the callback stays where it was.
      move(browser, toMove, "2026-12-02T23:00");
      new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
          .until(d -> message(d, toMove).startsWith("Not moved"));
      assertThat(message(browser, toMove))
          .isEqualTo("Not moved: due_at: '2026-12-02T23:00:00-08:00' is outside the hours the customer may be called");
      assertThat(why(browser, toMove)).isEqualTo("Due at 16:00");
      // The browser logs the refused request itself; nothing else.
      assertThat(errors(browser)).singleElement().asString().contains("/move").contains("422");

      // The filters: the cancelled ones only.
      new Select(browser.findElement(By.id("filter-state"))).selectByVisibleText("Cancelled");
      browser.findElement(By.cssSelector("#callbacks-filter button[type='submit']")).click();
      new WebDriverWait(browser, WAIT).until(d -> d.findElements(row(due)).isEmpty());
      assertThat(browser.findElements(By.cssSelector("#callback-list li.callback"))).hasSize(4);
      assertThat(browser.findElements(row(givenUp))).isEmpty();
      assertThat(errors(browser)).isEmpty();

      phone = browser(390, 844);
      openCallbacks(phone, server);
      waitForWhy(phone, toMove, "Due at 16:00");
      assertThat(js(phone, "return window.innerWidth")).isEqualTo(390L);
      assertThat(fitsItsWidth(phone)).as("Callbacks at 390 px").isTrue();
      assertThat(errors(phone)).isEmpty();
    } finally {
      quit(browser, phone);
    }
  }
}
