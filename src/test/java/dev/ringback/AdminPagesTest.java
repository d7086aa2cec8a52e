package dev.ringback;

import static dev.ringback.ConsoleTest.WAIT;
import static dev.ringback.ConsoleTest.assumeBrowser;
import static dev.ringback.ConsoleTest.browser;
import static dev.ringback.ConsoleTest.errors;
import static dev.ringback.ConsoleTest.fitsItsWidth;
import static dev.ringback.ConsoleTest.js;
import static dev.ringback.ConsoleTest.screenshot;
import static dev.ringback.ConsoleTest.text;
import static dev.ringback.ConsoleTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.config.RingbackConfig;
import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The owner's pages in a real headless browser, as {@link ConsoleTest} drives the console: the
 * business's admin signs in, sees the line whose Twilio number points elsewhere in red, presses
 * Connect, reads what will change, confirms, and sees it green; a test call is placed from the
 * line; an agent's token is sent to the console. At a desktop's width and a phone's, with no
 * error in the browser's log. Each run saves the screenshot the README shows.
 */
class AdminPagesTest {
  static final String OLD_VOICE_URL = "https://old-host.example.com/voice";

  /** A server whose public URL is its own address, and the Twilio stand-in holding the main line's number. */
  record Setting(TwilioStandIn twilio, RingbackServer server, String publicUrl, String numberSid) implements AutoCloseable {
    static Setting start() {
      TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
      String sid = twilio.addNumber(RingbackServer.ACCOUNT_SID, RingbackServer.LINE_NUMBER);
      twilio.configureNumber(sid, new JsonObject().put("voice_url", OLD_VOICE_URL));
      int port = freePort();
      String publicUrl = "http://127.0.0.1:" + port;
      Map<String, String> env = new HashMap<>(RingbackServer.environment(TestDatabase.create(), twilio.baseUrl()));
      env.put("RINGBACK_HTTP_PORT", Integer.toString(port));
      env.put("RINGBACK_PUBLIC_URL", publicUrl);
      return new Setting(twilio, RingbackServer.start(RingbackServer.LINES_YAML, env, Clock.systemUTC()), publicUrl, sid);
    }

    @Override
    public void close() {
      server.close();
      twilio.close();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static By check(String line, String check) {
    return By.cssSelector(".line[data-line='" + line + "'] tr[data-check='" + check + "']");
  }

  static String state(WebDriver browser, By row) {
    return browser.findElement(row).findElement(By.cssSelector(".state")).getText();
  }

  static void waitForState(WebDriver browser, By row, String state) {
    new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
        .until(d -> !d.findElements(row).isEmpty() && state(d, row).endsWith(state));
  }

  static void signIn(WebDriver browser, RingbackServer server, String token) {
    browser.get(server.baseUrl() + "/admin");
    WebElement field = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    field.clear();
    // By keyboard: the token, then Enter.
    field.sendKeys(token + Keys.ENTER);
  }

  /** The owner lands on Today; Set-up is one link away. */
  static void openSetUp(WebDriver browser) {
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("today-title")));
    browser.findElement(By.cssSelector("#pages a[data-page='set-up']")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("set-up-title")));
  }

  @Test
  void theOwnerSeesTheLineRedConnectsItAndSeesItGreen() {
    assumeBrowser();
    WebDriver browser = null;
    try (Setting setting = Setting.start()) {
      RingbackServer server = setting.server();
      String agentToken = ConsoleTest.token(server, "Ana", "+14155550121");
      browser = browser(1280, 1100);

      // Before signing in, only the sign-in form: no pages, no sign-out.
      browser.get(server.baseUrl() + "/admin");
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
      assertThat(browser.getCurrentUrl()).isEqualTo(server.baseUrl() + "/admin/");
      assertThat(browser.findElement(By.id("pages")).isDisplayed()).isFalse();
      assertThat(browser.findElement(By.id("logout")).isDisplayed()).isFalse();
      assertThat(js(browser, "return document.querySelector('label[for=token]').textContent")).asString().contains("admin token");

      // An agent's token is sent to the console.
      signIn(browser, server, agentToken);
      waitFor(browser, "login-message", "This is an agent's token; agents use /console");
      assertThat(browser.findElement(By.id("set-up")).isDisplayed()).isFalse();
      assertThat(js(browser, "return sessionStorage.length")).isEqualTo(0L);
      assertThat(errors(browser)).isEmpty();

      signIn(browser, server, RingbackServer.API_TOKEN);
      waitFor(browser, "business", "Business: " + RingbackConfig.DEFAULT_BUSINESS);
      openSetUp(browser);
      By webhooks = check("main", "webhooks");
      waitForState(browser, webhooks, "Needs fixing");
      assertThat(state(browser, By.cssSelector("#general tr[data-check='public_url']"))).endsWith("OK");
      assertThat(state(browser, By.cssSelector("#general tr[data-check='credentials']"))).endsWith("OK");
      assertThat(text(browser, "general")).contains("reaches this server");
      assertThat(state(browser, check("main", "number_in_account"))).endsWith("OK");
      assertThat(browser.findElement(webhooks).getText()).contains("Press Connect").contains(setting.publicUrl() + "/twilio/voice");
      // The support line's number is not in the account: said so, with the fix, and nothing to connect.
      assertThat(state(browser, check("support", "number_in_account"))).endsWith("Needs fixing");
      assertThat(browser.findElement(check("support", "number_in_account")).getText()).contains("Buy or port " + RingbackServer.SUPPORT_NUMBER);
      assertThat(state(browser, check("support", "webhooks"))).endsWith("Not checked");
      assertThat(browser.findElements(By.cssSelector(".line[data-line='support'] button.connect-start"))).isEmpty();
      assertThat(text(browser, "set-up")).doesNotContain("_").doesNotContain("skipped").doesNotContain("pass");

      // The pages to come are named, and only the built ones are links.
      assertThat(browser.findElements(By.cssSelector("#pages a"))).extracting(WebElement::getText)
          .containsExactly("Today", "Set-up", "Callbacks", "Reports");
      assertThat(browser.findElement(By.cssSelector("#pages a[aria-current=page]")).getText()).isEqualTo("Set-up");
      assertThat(text(browser, "pages")).contains("Lines", "Agents", "Customers", "coming");

      // The keyboard reaches the page, and what has the focus shows it.
      assertThat(js(browser, "return document.activeElement.id")).isEqualTo("set-up-title");
      browser.switchTo().activeElement().sendKeys(Keys.TAB);
      assertThat(js(browser, "return document.activeElement.id")).isEqualTo("check-again");
      assertThat(js(browser, "return getComputedStyle(document.activeElement).outlineStyle")).isEqualTo("solid");

      // Connect shows first what it will change, and changes nothing yet.
      browser.findElement(By.cssSelector(".line[data-line='main'] button.connect-start")).click();
      By voiceUrl = By.cssSelector(".line[data-line='main'] .connect tr[data-field='voice_url']");
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(voiceUrl));
      assertThat(browser.findElement(voiceUrl).getText()).contains("\"A call comes in\": URL").contains(OLD_VOICE_URL)
          .contains(setting.publicUrl() + "/twilio/voice");
      assertThat(browser.findElements(By.cssSelector(".line[data-line='main'] .connect th")))
          .extracting(WebElement::getText).startsWith("Field", "Now", "Will be");
      assertThat(browser.findElement(By.cssSelector(".line[data-line='main'] .connect")).getText())
          .contains("\"Call status changes\": URL").contains("\"A message comes in\": URL").doesNotContain("_");
      assertThat(setting.twilio().numberUpdates()).isEmpty();
      screenshot(browser, "admin-setup.png");

      // Cancel leaves it as it was; Connect again, and confirmed.
      browser.findElement(By.cssSelector(".line[data-line='main'] button.connect-cancel")).click();
      assertThat(browser.findElement(By.cssSelector(".line[data-line='main'] .connect")).isDisplayed()).isFalse();
      browser.findElement(By.cssSelector(".line[data-line='main'] button.connect-start")).click();
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.elementToBeClickable(
          By.cssSelector(".line[data-line='main'] button.connect-confirm"))).click();
      waitForState(browser, webhooks, "OK");
      waitFor(browser, "setup-message", RingbackServer.LINE_NUMBER + " is connected");
      assertThat(browser.findElements(By.cssSelector(".line[data-line='main'] button.connect-start"))).isEmpty();

      List<TwilioStandIn.RecordedRequest> updates = setting.twilio().numberUpdates();
      assertThat(updates).hasSize(1);
      TwilioStandIn.RecordedRequest update = updates.get(0);
      assertThat(update.method()).isEqualTo("POST");
      assertThat(update.path()).endsWith("/IncomingPhoneNumbers/" + setting.numberSid() + ".json");
      assertThat(update.param("VoiceUrl")).isEqualTo(setting.publicUrl() + "/twilio/voice");
      assertThat(update.param("StatusCallback")).isEqualTo(setting.publicUrl() + "/twilio/status");
      assertThat(update.param("SmsUrl")).isEqualTo(setting.publicUrl() + "/twilio/sms");

      // A test call: a wrong number is said to be wrong, a right one is called from the line.
      By phone = By.cssSelector(".line[data-line='main'] input[type=tel]");
      By said = By.cssSelector(".line[data-line='main'] .test-call .message");
      assertThat(js(browser, "return document.querySelector(\".line[data-line='main'] .test-call label\").control.type")).isEqualTo("tel");
      browser.findElement(phone).sendKeys("123" + Keys.ENTER);
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(said, "Not called: "));
      assertThat(browser.findElement(said).getText()).contains("'123' is not a valid phone number");
      assertThat(errors(browser)).singleElement().asString().contains("/test-call").contains("422");
      browser.findElement(phone).clear();
      browser.findElement(phone).sendKeys("+1 415 555 0177" + Keys.ENTER);
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(said, "Calling +14155550177…"));
      TwilioStandIn.RecordedRequest call = setting.twilio().awaitRequests(
          r -> r.path().endsWith("/Calls.json") && "+14155550177".equals(r.param("To")), 1, Duration.ofSeconds(10));
      assertThat(call.param("From")).isEqualTo(RingbackServer.LINE_NUMBER);

      // Signed out, the token is gone from the tab.
      browser.findElement(By.id("logout")).click();
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
      assertThat(js(browser, "return sessionStorage.length")).isEqualTo(0L);
      assertThat(browser.findElement(By.id("set-up")).isDisplayed()).isFalse();
      assertThat(errors(browser)).isEmpty();
    } finally {
      if (browser != null) {
        browser.quit();
      }
    }
  }

  @Test
  void onAPhoneNothingSpillsSideways() {
    assumeBrowser();
    WebDriver phone = null;
    try (Setting setting = Setting.start()) {
      phone = browser(390, 844);
      signIn(phone, setting.server(), RingbackServer.API_TOKEN);
      openSetUp(phone);
      By webhooks = check("main", "webhooks");
      waitForState(phone, webhooks, "Needs fixing");
      assertThat(js(phone, "return window.innerWidth")).isEqualTo(390L);
      assertThat(fitsItsWidth(phone)).as("the checks at 390 px").isTrue();

      phone.findElement(By.cssSelector(".line[data-line='main'] button.connect-start")).click();
      new WebDriverWait(phone, WAIT).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector(".line[data-line='main'] .connect tr[data-field='voice_url']")));
      assertThat(fitsItsWidth(phone)).as("the changes Connect makes at 390 px").isTrue();
      phone.findElement(By.cssSelector(".line[data-line='main'] button.connect-confirm")).click();
      waitForState(phone, webhooks, "OK");
      assertThat(setting.twilio().numberUpdates()).hasSize(1);
      assertThat(fitsItsWidth(phone)).as("connected, at 390 px").isTrue();
      assertThat(errors(phone)).isEmpty();
    } finally {
      if (phone != null) {
        phone.quit();
      }
    }
  }
}
