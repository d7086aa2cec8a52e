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

import dev.ringback.support.MutableClock;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The owner's Agents page in a real headless browser, on Wednesday 2 December 2026 in Los
 * Angeles: Ben answered a call today and was scored 4, and his numbers say so. The owner creates
 * Ana (her token shown once, and it signs her in), edits her lines and role, sets her presence,
 * revokes her token (it stops working) and gives her a new one, makes Ben a new token after a yes,
 * and deletes Ana after a yes. At a desktop's width and a phone's, with no error in the browser's
 * log. Each run saves the screenshot the README shows.
 */
class AdminAgentsTest {
  static final String BEN = "+14155550181";

  static By agent(long id) {
    return By.cssSelector("#agent-list li.agent[data-agent='" + id + "']");
  }

  static WebElement in(WebDriver browser, long id, String css) {
    return browser.findElement(agent(id)).findElement(By.cssSelector(css));
  }

  /** Waits until the agent's entry (drawn again after each change) says {@code expected}. */
  static void waitForAgent(WebDriver browser, long id, String expected) {
    new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
        .until(d -> !d.findElements(agent(id)).isEmpty() && d.findElement(agent(id)).getText().contains(expected));
  }

  static void click(WebDriver browser, long id, String css) {
    new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement button = in(d, id, css);
      if (!button.isDisplayed() || !button.isEnabled()) {
        return false;
      }
      button.click();
      return true;
    });
  }

  static List<String> figures(WebDriver browser, long id) {
    return browser.findElement(agent(id)).findElements(By.cssSelector(".figures dd")).stream().map(WebElement::getText).toList();
  }

  static int as(RingbackServer server, String token) {
    return server.request("GET", "/api/me", null, null, "Bearer " + token).statusCode();
  }

  static JsonObject read(RingbackServer server, long id) {
    return new JsonObject(server.api("GET", "/api/agents/" + id, null, null).body());
  }

  /** The token the page shows, once it shows one other than {@code before}. */
  static String shownToken(WebDriver browser, String before) {
    // The page draws the panel again as the list reloads: an element found just before is gone.
    new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
      List<WebElement> field = d.findElements(By.id("agent-token-value"));
      return !field.isEmpty() && field.get(0).isDisplayed() && !field.get(0).getDomProperty("value").equals(before);
    });
    return browser.findElement(By.id("agent-token-value")).getDomProperty("value");
  }

  static void openAgents(WebDriver browser, RingbackServer server) {
    AdminPagesTest.signIn(browser, server, RingbackServer.API_TOKEN);
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("today-title")));
    browser.findElement(By.cssSelector("#pages a[data-page='agents']")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("agents-title")));
  }

  /** A call to the main line that Ben answers after 6 s and scores 4. */
  static void benAnswersACall(RingbackServer server, Instant at) {
    String sid = "CAagt0001";
    String caller = "+14155550481";
    String main = RingbackServer.LINE_NUMBER;
    server.twilio("/twilio/voice", "CallSid", sid, "From", caller, "To", main);
    assertThat(server.twilio("/twilio/status", "CallSid", sid + "leg", "ParentCallSid", sid, "CallStatus", "in-progress",
        "To", BEN, "Direction", "outbound-dial", "Timestamp", TWILIO.format(at.plusSeconds(6))).statusCode()).isEqualTo(200);
    server.twilio("/twilio/dial", "CallSid", sid, "From", caller, "To", main, "CallStatus", "in-progress",
        "DialCallStatus", "completed", "DialCallSid", sid + "leg");
    server.twilio("/twilio/feedback", "CallSid", sid, "From", caller, "To", main, "Digits", "4");
    server.twilio("/twilio/status", "CallSid", sid + "leg", "ParentCallSid", sid, "CallStatus", "completed",
        "To", BEN, "Direction", "outbound-dial", "Timestamp", TWILIO.format(at.plusSeconds(90)));
    server.twilio("/twilio/status", "CallSid", sid, "CallStatus", "completed", "Timestamp", TWILIO.format(at.plusSeconds(95)));
  }

  @Test
  void theOwnerCreatesEditsRevokesAndDeletesAnAgent() {
    assumeBrowser();
    Instant now = la("2026-12-02T10:00");
    MutableClock clock = new MutableClock(now);
    TestDatabase db = TestDatabase.create();
    WebDriver browser = null;
    WebDriver phone = null;
    try (RingbackServer server = RingbackServer.start("feedback:\n  after-inbound: true\n" + RingbackServer.LINES_YAML,
        RingbackServer.environment(db, "http://127.0.0.1:9"), clock)) {
      JsonObject ben = ConsoleTest.agent(server, "Ben Ode", BEN);
      long benId = ben.getLong("id");
      assertThat(server.api("PUT", "/api/agents/" + benId + "/presence", "application/json", "{\"presence\":\"available\"}")
          .statusCode()).isEqualTo(200);
      benAnswersACall(server, now);
      RingbackServer.await("Ben's score", WAIT, () -> db.count("SELECT count(*) FROM feedback WHERE score = 4") == 1);
      RingbackServer.await("Ben free again", WAIT, () -> db.count("SELECT count(*) FROM agents WHERE id = ? AND presence = 'available'", benId) == 1);

      browser = browser(1280, 1100);
      openAgents(browser, server);
      assertThat(browser.findElement(By.cssSelector("#pages a[aria-current=page]")).getText()).isEqualTo("Agents");
      waitForAgent(browser, benId, "Ben Ode");
      waitFor(browser, "agents-day", "Today's numbers are for Wednesday, December 2, 2026 in America/Los_Angeles");
      assertThat(browser.findElement(agent(benId)).getText()).contains(BEN).contains("Agent").contains("Available")
          .contains("Lines: Acme (main)").doesNotContain("Cannot sign in");
      assertThat(figures(browser, benId)).containsExactly("1", "100%", "0", "4.0");
      assertThat(browser.findElement(agent(benId)).findElements(By.cssSelector(".figures dt")))
          .extracting(WebElement::getText).containsExactly("Calls answered", "Service level", "Callbacks connected", "Feedback average");

      // A new agent: every line is ticked at first; Ana takes the main line's calls only.
      browser.findElement(By.id("new-agent-name")).sendKeys("Ana Lima");
      browser.findElement(By.id("new-agent-contact")).sendKeys("+1 415 555 0131");
      assertThat(browser.findElement(By.id("new-agent-line-main")).isSelected()).isTrue();
      browser.findElement(By.id("new-agent-line-support")).click();
      browser.findElement(By.cssSelector("#agent-new button[type='submit']")).click();

      // Her token, shown once, read-only, with Copy; and it signs her in.
      String token = shownToken(browser, "");
      assertThat(token).startsWith("rba_");
      assertThat(browser.findElement(By.id("agent-token-value")).getDomAttribute("readonly")).isNotNull();
      assertThat(js(browser, "return document.activeElement.id")).isEqualTo("agent-token-value");
      assertThat(text(browser, "agent-token")).contains("Ana Lima's token")
          .contains("This token will not be shown again").contains("They sign in with it at /console.");
      waitFor(browser, "agents-said", "Ana Lima is created.");
      assertThat(as(server, token)).isEqualTo(200);
      JsonObject me = new JsonObject(server.request("GET", "/api/me", null, null, "Bearer " + token).body());
      assertThat(me.getString("role")).isEqualTo("agent");
      assertThat(me.getJsonObject("agent").getString("name")).isEqualTo("Ana Lima");
      long anaId = me.getJsonObject("agent").getLong("id");
      assertThat(read(server, anaId).getJsonArray("lines").getList()).containsExactly("main");
      waitForAgent(browser, anaId, "+14155550131");
      assertThat(figures(browser, anaId)).as("no calls yet: dashes").containsExactly("—", "—", "—", "—");
      screenshot(browser, "admin-agents.png");

      // Copy puts it on the clipboard, or selects it for the keyboard where the browser will not.
      browser.findElement(By.cssSelector("#agent-token button.copy")).click();
      new WebDriverWait(browser, WAIT).until(d -> text(d, "agent-token").contains("Copied.")
          || text(d, "agent-token").contains("Selected: press Ctrl+C"));
      // Once put away, the token is nowhere on the page.
      browser.findElement(By.cssSelector("#agent-token button.hide")).click();
      assertThat(browser.findElement(By.id("agent-token")).isDisplayed()).isFalse();
      assertThat(browser.getPageSource()).doesNotContain(token);

      // Every field of the page has its label.
      assertThat(js(browser, "return [...document.querySelectorAll('#agents input, #agents select')]"
          + ".filter((c) => !c.labels || c.labels.length === 0).map((c) => c.id).join(' ')")).isEqualTo("");

      // Edited: the support line instead of main, and a supervisor.
      click(browser, anaId, "button.edit");
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("edit-" + anaId + "-name")));
      assertThat(browser.findElement(By.id("edit-" + anaId + "-line-main")).isSelected()).isTrue();
      browser.findElement(By.id("edit-" + anaId + "-line-main")).click();
      browser.findElement(By.id("edit-" + anaId + "-line-support")).click();
      new Select(browser.findElement(By.id("edit-" + anaId + "-role"))).selectByVisibleText("Supervisor");
      click(browser, anaId, "button.save");
      waitForAgent(browser, anaId, "Ana Lima is saved.");
      JsonObject edited = read(server, anaId);
      assertThat(edited.getJsonArray("lines").getList()).containsExactly("support");
      assertThat(edited.getString("role")).isEqualTo("supervisor");
      assertThat(browser.findElement(agent(anaId)).getText()).contains("Supervisor").contains("Lines: Acme Support (support)");

      // Her presence.
      new Select(in(browser, anaId, "select")).selectByVisibleText("Offline");
      click(browser, anaId, "button.set-presence");
      waitForAgent(browser, anaId, "Ana Lima is now offline.");
      assertThat(read(server, anaId).getString("presence")).isEqualTo("offline");
      assertThat(in(browser, anaId, ".presence").getText()).isEqualTo("Offline");
      assertThat(new Select(in(browser, anaId, "select")).getOptions()).extracting(WebElement::getText)
          .containsExactly("Available", "Busy", "Offline", "Away");

      // Her token revoked, after a yes: it no longer signs her in, and no token is shown.
      click(browser, anaId, "button.revoke");
      assertThat(in(browser, anaId, ".confirm.revoke").getText()).contains("Revoke Ana Lima's token?");
      click(browser, anaId, "button.revoke-yes");
      waitForAgent(browser, anaId, "Cannot sign in: token revoked");
      assertThat(as(server, token)).isEqualTo(401);
      assertThat(read(server, anaId).getBoolean("can_sign_in")).isFalse();
      assertThat(browser.findElement(By.id("agent-token")).isDisplayed()).isFalse();
      assertThat(in(browser, anaId, "button.revoke").isDisplayed()).isFalse();

      // A token given back: shown once, and it works.
      assertThat(in(browser, anaId, "button.rotate").getText()).isEqualTo("Give a token");
      click(browser, anaId, "button.rotate");
      String again = shownToken(browser, "");
      assertThat(again).isNotEqualTo(token);
      assertThat(as(server, again)).isEqualTo(200);
      waitForAgent(browser, anaId, "Revoke token");

      // Ben's token replaced, after a yes: the new one is shown, and his old one stops.
      click(browser, benId, "button.rotate");
      assertThat(in(browser, benId, ".confirm.rotate").getText()).contains("Make a new token for Ben Ode?");
      click(browser, benId, "button.rotate-yes");
      String bens = shownToken(browser, again);
      assertThat(text(browser, "agent-token")).contains("Ben Ode's token");
      assertThat(as(server, ben.getString("token"))).isEqualTo(401);
      assertThat(as(server, bens)).isEqualTo(200);

      // Deleted, after a yes; Keep first takes it back.
      click(browser, anaId, "button.delete");
      assertThat(in(browser, anaId, ".confirm.delete").getText()).contains("Delete Ana Lima?");
      click(browser, anaId, "button.delete-keep");
      assertThat(in(browser, anaId, ".confirm.delete").isDisplayed()).isFalse();
      assertThat(read(server, anaId).getString("name")).isEqualTo("Ana Lima");
      click(browser, anaId, "button.delete");
      click(browser, anaId, "button.delete-yes");
      new WebDriverWait(browser, WAIT).until(d -> d.findElements(agent(anaId)).isEmpty());
      waitFor(browser, "agents-said", "Ana Lima is deleted.");
      assertThat(server.api("GET", "/api/agents/" + anaId, null, null).statusCode()).isEqualTo(404);
      assertThat(as(server, again)).isEqualTo(401);
      assertThat(text(browser, "agent-list")).doesNotContain("null").doesNotContain("undefined").doesNotContain("_");
      assertThat(errors(browser)).isEmpty();

      phone = browser(390, 844);
      openAgents(phone, server);
      waitForAgent(phone, benId, "Ben Ode");
      assertThat(js(phone, "return window.innerWidth")).isEqualTo(390L);
      assertThat(fitsItsWidth(phone)).as("Agents at 390 px").isTrue();
      click(phone, benId, "button.edit");
      new WebDriverWait(phone, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("edit-" + benId + "-name")));
      assertThat(fitsItsWidth(phone)).as("editing an agent at 390 px").isTrue();
      assertThat(errors(phone)).isEmpty();
    } finally {
      quit(browser, phone);
    }
  }
}
