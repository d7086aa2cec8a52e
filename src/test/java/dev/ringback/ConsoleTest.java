package dev.ringback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import dev.ringback.support.TwilioStandIn;
import dev.ringback.support.Xml;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The agents' console in a real headless browser (Debian's chromium and chromium-driver), at a
 * desktop's width and a phone's: a missed call shows up live in two consoles, one agent claims
 * it and it leaves the other, a call is followed step by step, the note written on completion
 * appears in the customer's file, and a revoked token signs the console out at once. The
 * browser's log must hold no errors. Each run saves the screenshots the README shows
 * (docs/screenshots). Skipped, with the reason, where the browser is not installed; .ci/run installs it.
 */
class ConsoleTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("docs/screenshots");
  static final DateTimeFormatter TWILIO = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final Duration WAIT = Duration.ofSeconds(5);

  static void assumeBrowser() {
    assumeThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver): the console test is skipped")
        .isTrue();
  }

  static WebDriver browser() {
    return browser(1280, 800);
  }

  static WebDriver browser(int width, int height) {
    return browser(width, height, null);
  }

  /** @param downloads where the browser saves downloads without asking, or null for its own place */
  static WebDriver browser(int width, int height, Path downloads) {
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=" + width + "," + height);
    if (downloads != null) {
      options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
          "download.prompt_for_download", false));
    }
    if (width < 500) {
      // A window is at least 500 px wide: a phone's screen is emulated.
      options.setExperimentalOption("mobileEmulation",
          Map.of("deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 1.0, "mobile", true, "touch", true)));
    }
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    if (width >= 500) {
      // The page gets the whole size, whatever the window keeps for itself.
      browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
          Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }
    return browser;
  }

  /** What the page wrote to the browser's console as errors since last asked. */
  /** Closes the browsers a test opened (those it got to open). */
  static void quit(WebDriver... browsers) {
    for (WebDriver browser : browsers) {
      if (browser != null) {
        browser.quit();
      }
    }
  }

  static List<String> errors(WebDriver browser) {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
  }

  static Object js(WebDriver browser, String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  static boolean fitsItsWidth(WebDriver browser) {
    return (Boolean) js(browser, "return document.documentElement.scrollWidth <= document.documentElement.clientWidth");
  }

  static void screenshot(WebDriver browser, String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject agent(RingbackServer server, String name, String contact) {
    var created = server.api("POST", "/api/agents", "application/json",
        new JsonObject().put("name", name).put("contact", contact).put("lines", List.of("main")).put("presence", "offline").encode());
    assertThat(created.statusCode()).isEqualTo(201);
    return new JsonObject(created.body());
  }

  static String token(RingbackServer server, String name, String contact) {
    return agent(server, name, contact).getString("token");
  }

  static void signIn(WebDriver browser, RingbackServer server, String token, String name) {
    browser.get(server.baseUrl() + "/console");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
    browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBe(By.id("agent-name"), name));
    wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
  }

  static By row(long taskId) {
    return By.cssSelector("#queue tr[data-task-id='" + taskId + "']");
  }

  /** Claims the task from the queue, which each live update draws again. */
  static void claim(WebDriver browser, long task) {
    new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
      d.findElement(row(task)).findElement(By.cssSelector("button.claim")).click();
      return true;
    });
  }

  static long task(RingbackServer server, String phone) {
    var created = server.api("POST", "/api/tasks", "application/json", "{\"phone\":\"" + phone + "\",\"line\":\"main\"}");
    assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
    return new JsonObject(created.body()).getLong("id");
  }

  static void customer(RingbackServer server, String phone, String name, String tier, String notes) {
    JsonObject body = new JsonObject().put("name", name).put("tier", tier);
    if (notes != null) {
      body.put("notes", notes);
    }
    assertThat(server.api("PUT", "/api/customers/" + phone.replace("+", "%2B"), "application/json", body.encode()).statusCode())
        .isIn(200, 201);
  }

  static void waitFor(WebDriver browser, String id, String text) {
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
  }

  static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }

  @Test
  void aMissedCallAppearsLiveInTwoConsolesAndTheNoteGoesIntoTheFile() {
    assumeBrowser();
    TestDatabase db = TestDatabase.create();
    List<WebDriver> browsers = new ArrayList<>();
    // The line has no numbers of its own: while Ana and Ben are away, a caller rings nobody.
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML_AGENTS_ONLY, RingbackServer.environment(db,
        "http://127.0.0.1:9"), Clock.systemUTC())) {
      String ana = token(server, "Ana", "+14155550121");
      String ben = token(server, "Ben", "+14155550122");
      WebDriver anaConsole = browser();
      browsers.add(anaConsole);
      WebDriver benConsole = browser();
      browsers.add(benConsole);

      // Before signing in, nothing but the sign-in form: no presence, no sign-out.
      anaConsole.get(server.baseUrl() + "/console");
      new WebDriverWait(anaConsole, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
      assertThat(anaConsole.findElement(By.id("who")).isDisplayed()).isFalse();
      assertThat(anaConsole.findElement(By.id("logout")).isDisplayed()).isFalse();
      assertThat(anaConsole.findElement(By.id("presence")).isDisplayed()).isFalse();
      assertThat(js(anaConsole, "return document.querySelector('link[rel=icon]').href")).asString().endsWith("/console/favicon.svg");
      assertThat(server.get("/console/favicon.svg").statusCode()).isEqualTo(200);
      assertThat(server.get("/favicon.ico").statusCode()).as("redirected to the console's icon").isEqualTo(302);

      signIn(anaConsole, server, ana, "Ana");
      signIn(benConsole, server, ben, "Ben");
      assertThat(new Select(anaConsole.findElement(By.id("presence"))).getFirstSelectedOption().getText()).isEqualTo("offline");
      // Presence set elsewhere (here by the admin; Ringback does it on calls) shows up live.
      long anaId = new JsonObject(server.request("GET", "/api/agents/me", null, null, "Bearer " + ana).body()).getLong("id");
      server.api("PUT", "/api/agents/" + anaId + "/presence", "application/json", "{\"presence\":\"busy\"}");
      new WebDriverWait(anaConsole, WAIT).until(d ->
          "busy".equals(new Select(d.findElement(By.id("presence"))).getFirstSelectedOption().getText()));
      server.api("PUT", "/api/agents/" + anaId + "/presence", "application/json", "{\"presence\":\"offline\"}");
      new WebDriverWait(anaConsole, WAIT).until(d ->
          "offline".equals(new Select(d.findElement(By.id("presence"))).getFirstSelectedOption().getText()));

      // Both agents are offline: the caller is told nobody is free, and a person must call back.
      String caller = "+14155550197";
      var voice = server.twilio("/twilio/voice", "CallSid", "CAconsole01", "From", caller, "To", RingbackServer.LINE_NUMBER);
      String redirect = Xml.child(Xml.parse(voice.body()), "Redirect").getTextContent().trim();
      assertThat(redirect).contains("nobody=available");
      server.twilio(redirect.substring(RingbackServer.PUBLIC_URL.length()), "CallSid", "CAconsole01", "From", caller,
          "To", RingbackServer.LINE_NUMBER);
      long missedAt = System.nanoTime();
      long task = (Long) db.query("SELECT id FROM callbacks WHERE customer_phone = ? AND state = 'agent_queue'", caller).get(0).get("id");

      // Within a second of the missed call, in both consoles, in words.
      new WebDriverWait(anaConsole, Duration.ofSeconds(1)).until(ExpectedConditions.presenceOfElementLocated(row(task)));
      new WebDriverWait(benConsole, Duration.ofSeconds(1)).until(ExpectedConditions.presenceOfElementLocated(row(task)));
      long shownAfterMillis = (System.nanoTime() - missedAt) / 1_000_000;
      assertThat(shownAfterMillis).as("shown in both consoles after %d ms", shownAfterMillis).isLessThan(1000);
      assertThat(anaConsole.findElement(row(task)).getText()).contains("missed call · nobody was free").doesNotContain("_");

      claim(anaConsole, task);
      new WebDriverWait(anaConsole, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("task-panel")));
      new WebDriverWait(benConsole, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(row(task)));
      assertThat(text(anaConsole, "task-summary")).contains(caller);
      assertThat(db.query("SELECT task_agent_id IS NOT NULL AS held FROM callbacks WHERE id = ?", task).get(0)).containsEntry("held", true);

      // The work goes in order: Call, then Complete, which waits for an outcome the agent chooses.
      assertThat((Boolean) js(anaConsole, "return !!(document.getElementById('call').compareDocumentPosition("
          + "document.getElementById('complete')) & Node.DOCUMENT_POSITION_FOLLOWING)")).isTrue();
      assertThat(new Select(anaConsole.findElement(By.id("outcome"))).getFirstSelectedOption().getAttribute("value")).isEmpty();
      assertThat(anaConsole.findElement(By.id("complete")).isEnabled()).isFalse();
      new Select(anaConsole.findElement(By.id("outcome"))).selectByValue("reached");
      assertThat(anaConsole.findElement(By.id("complete")).isEnabled()).isTrue();
      anaConsole.findElement(By.id("note")).sendKeys("Prefers a call in the morning.");
      anaConsole.findElement(By.id("complete")).click();
      waitFor(anaConsole, "timeline", "Prefers a call in the morning.");
      assertThat(text(anaConsole, "timeline")).contains("Note by Ana (reached)")
          .contains("Callback (missed call · nobody was free): done, reached by Ana")
          .contains("Called in")
          .doesNotContain("_");
      assertThat(text(anaConsole, "task-message")).isEqualTo("Completed.");
      assertThat(anaConsole.findElement(By.id("task-message")).getCssValue("color")).as("a success, not an error")
          .isEqualTo("rgba(29, 107, 54, 1)");
      assertThat(db.query("SELECT state, outcome FROM callbacks WHERE id = ?", task).get(0))
          .containsEntry("state", "done").containsEntry("outcome", "reached");
      waitFor(anaConsole, "today-completed", "1");
      assertThat(text(anaConsole, "today-reached")).isEqualTo("1");

      // "Do not call again" from the console: the number is listed, the refusal is in the file, and it reads once.
      long second = task(server, "+14155550198");
      new WebDriverWait(anaConsole, WAIT).until(ExpectedConditions.presenceOfElementLocated(row(second)));
      claim(anaConsole, second);
      waitFor(anaConsole, "task-summary", "+14155550198");
      anaConsole.findElement(By.id("do-not-call")).click();
      new WebDriverWait(anaConsole, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
      waitFor(anaConsole, "timeline", "not to be called again");
      assertThat(text(anaConsole, "timeline")).contains("Callback (by hand): cancelled").doesNotContain("cancelled, cancelled")
          .doesNotContain("_");
      assertThat(text(anaConsole, "customer-card")).contains("On the do-not-call list");
      assertThat(db.count("SELECT count(*) FROM do_not_call WHERE phone = '+14155550198'")).isEqualTo(1);
      assertThat(db.query("SELECT state FROM callbacks WHERE id = ?", second).get(0)).containsEntry("state", "cancelled");

      // A token revoked while the console is open signs it out at once, with nothing done in it.
      long benId = new JsonObject(server.request("GET", "/api/agents/me", null, null, "Bearer " + ben).body()).getLong("id");
      server.api("POST", "/api/agents/" + benId + "/token", null, null);
      new WebDriverWait(benConsole, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
      assertThat(text(benConsole, "login-message")).contains("sign in again");
      assertThat(benConsole.findElement(By.id("who")).isDisplayed()).isFalse();
      assertThat(benConsole.findElements(By.cssSelector("#queue tbody tr"))).allMatch(r -> !r.isDisplayed());

      assertThat(errors(anaConsole)).isEmpty();
      assertThat(errors(benConsole)).isEmpty();
    } finally {
      browsers.forEach(WebDriver::quit);
    }
  }

  /**
   * Holds the live queue's bytes back while {@code heldEvents.hold} is true, so a test can deliver a queue sent before
   * something the agent did after it: the stream and the API's answers travel on different connections.
   */
  static final String HOLD_EVENTS = """
      (() => {
        const real = window.fetch.bind(window);
        const held = window.heldEvents = { hold: false, chunks: [], release: () => {} };
        window.fetch = async (url, init) => {
          const response = await real(url, init);
          if (!String(url).startsWith('/api/events') || !response.ok) { return response; }
          const reader = response.body.getReader();
          const body = new ReadableStream({ start(controller) {
            held.release = () => { held.hold = false; held.chunks.splice(0).forEach((c) => controller.enqueue(c)); };
            (async () => {
              for (;;) {
                const { value, done } = await reader.read();
                if (done) { controller.close(); return; }
                if (held.hold) { held.chunks.push(value); } else { controller.enqueue(value); }
              }
            })().catch((e) => controller.error(e));
          } });
          return new Response(body, { status: response.status, headers: response.headers });
        };
      })();
      """;

  @Test
  void aQueueSentBeforeTheAgentClosedATaskDoesNotOpenItAgain() {
    assumeBrowser();
    TestDatabase db = TestDatabase.create();
    WebDriver console = null;
    try (RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML_AGENTS_ONLY, RingbackServer.environment(db,
        "http://127.0.0.1:9"), Clock.systemUTC())) {
      String ana = token(server, "Ana", "+14155550121");
      console = browser();
      console.get(server.baseUrl() + "/console");
      new WebDriverWait(console, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(ana);
      js(console, HOLD_EVENTS);
      console.findElement(By.cssSelector("#login-form button[type=submit]")).click();
      new WebDriverWait(console, WAIT).until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));

      long task = task(server, "+14155550198");
      new WebDriverWait(console, WAIT).until(ExpectedConditions.presenceOfElementLocated(row(task)));
      // From here the queue is held: the one sent after the claim (the task is Ana's) arrives after she has closed it.
      js(console, "heldEvents.hold = true;");
      claim(console, task);
      waitFor(console, "task-summary", "+14155550198");
      new WebDriverWait(console, WAIT).until(d -> (Boolean) js(d, "const text = new TextDecoder().decode(new Uint8Array("
          + "heldEvents.chunks.flatMap((c) => Array.from(c)))); return text.includes('\"mine\":true');"));
      console.findElement(By.id("do-not-call")).click();
      new WebDriverWait(console, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
      waitFor(console, "timeline", "not to be called again");
      // The queue after the cancellation is held too: both arrive now, the older first.
      new WebDriverWait(console, WAIT).until(d -> (Boolean) js(d, "const text = new TextDecoder().decode(new Uint8Array("
          + "heldEvents.chunks.flatMap((c) => Array.from(c)))); return text.includes('\"items\":[]');"));
      js(console, "heldEvents.release();");
      waitFor(console, "queue-count", "(0)");

      assertThat(console.findElement(By.id("task-panel")).isDisplayed()).as("the closed task's file stays on screen").isTrue();
      assertThat(text(console, "task-title")).isEqualTo("Last task");
      assertThat(text(console, "task-message")).isEqualTo("On the do-not-call list.");
      assertThat(text(console, "timeline")).contains("not to be called again");
      assertThat(errors(console)).isEmpty();
    } finally {
      quit(console);
    }
  }

  /** One second of silence as 8 kHz, 16-bit mono PCM in a WAV file: audio any browser decodes. */
  static byte[] silence() {
    int samples = 8000;
    java.nio.ByteBuffer wav = java.nio.ByteBuffer.allocate(44 + samples * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + samples * 2)
        .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(samples * 2);
    return wav.array();
  }

  @Test
  void aVoicemailPlaysInTheConsoleThroughRingbackNeverFromTwilio() {
    assumeBrowser();
    TestDatabase db = TestDatabase.create();
    WebDriver console = null;
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
         RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML_AGENTS_ONLY, RingbackServer.environment(db, twilio.baseUrl()),
             Clock.systemUTC())) {
      String recording = twilio.addRecording(RingbackServer.ACCOUNT_SID, "RE" + "c0".repeat(16), silence());
      String cy = token(server, "Cy", "+14155550123");
      console = browser();
      signIn(console, server, cy, "Cy");

      // Nobody is free: the caller leaves a voicemail, and a person must call back.
      String caller = "+14155550196";
      var voice = server.twilio("/twilio/voice", "CallSid", "CAconsole02", "From", caller, "To", RingbackServer.LINE_NUMBER);
      String redirect = Xml.child(Xml.parse(voice.body()), "Redirect").getTextContent().trim();
      server.twilio(redirect.substring(RingbackServer.PUBLIC_URL.length()), "CallSid", "CAconsole02", "From", caller,
          "To", RingbackServer.LINE_NUMBER);
      server.twilio("/twilio/recording", "CallSid", "CAconsole02", "RecordingUrl", recording, "RecordingStatus", "completed");
      long task = (Long) db.query("SELECT id FROM callbacks WHERE customer_phone = ? AND recording_url IS NOT NULL", caller).get(0).get("id");

      new WebDriverWait(console, WAIT).until(ExpectedConditions.presenceOfElementLocated(row(task)));
      claim(console, task);
      // The task's voicemail: fetched with the agent's token, played from a blob: URL, and the browser decodes it.
      WebDriverWait wait = new WebDriverWait(console, Duration.ofSeconds(10));
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("voicemail")));
      assertThat(console.findElement(By.id("voicemail")).getDomProperty("src")).startsWith("blob:");
      wait.until(d -> js(d, "return document.getElementById('voicemail').readyState >= 1"
          + " && document.getElementById('voicemail').duration > 0.9"));
      assertThat(twilio.mediaRequests()).isNotEmpty().allSatisfy(r -> assertThat(r.basicUser()).isEqualTo(RingbackServer.ACCOUNT_SID));

      // In the customer's file each voicemail loads when asked for.
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#timeline button.voicemail")));
      int fetched = twilio.mediaRequests().size();
      console.findElement(By.cssSelector("#timeline button.voicemail")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#timeline audio")));
      assertThat(console.findElement(By.cssSelector("#timeline audio")).getDomProperty("src")).startsWith("blob:");
      assertThat(twilio.mediaRequests()).hasSize(fetched + 1);
      assertThat(console.getPageSource()).doesNotContain("twilio.com");
      assertThat(errors(console)).isEmpty();
    } finally {
      if (console != null) {
        console.quit();
      }
    }
  }

  static void agentLeg(RingbackServer server, String sid, String status, String contact) {
    server.twilio("/twilio/status", "CallSid", sid, "CallStatus", status, "To", contact, "Direction", "outbound-api",
        "Timestamp", TWILIO.format(Instant.now()));
  }

  static void customerLeg(RingbackServer server, long task, String agentSid, String sid, String status, String phone) {
    server.twilio("/twilio/status?callback=" + task, "CallSid", sid, "ParentCallSid", agentSid, "CallStatus", status, "To", phone,
        "Direction", "outbound-dial", "Timestamp", TWILIO.format(Instant.now()));
  }

  /** The CallSid of the newest call Ringback asked Twilio to place to {@code to}. */
  static String placedTo(TwilioStandIn twilio, String to, int before) {
    RingbackServer.await("a call to " + to, WAIT, () -> twilio.calls().size() > before);
    return twilio.calls().get(twilio.calls().size() - 1).getString("sid");
  }

  @Test
  void aCallIsFollowedStepByStepAndNewTasksAreAnnounced() {
    assumeBrowser();
    TestDatabase db = TestDatabase.create();
    WebDriver console = null;
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
         RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML_AGENTS_ONLY, RingbackServer.environment(db, twilio.baseUrl()),
             Clock.systemUTC())) {
      String contact = "+14155550124";
      JsonObject dora = agent(server, "Dora Lindqvist", contact);
      String customer = "+14155550191";
      customer(server, customer, "Nikolay Petrov", "vip", "Prefers Russian. Ask about the order of the 12th.");
      customer(server, "+14155550192", "Olga Petrova", "standard", null);
      long task = task(server, customer);
      task(server, "+14155550192");
      console = browser();
      signIn(console, server, dora.getString("token"), "Dora Lindqvist");

      // New tasks, once the agent opted in: a line on screen, two tones and a notification.
      ((ChromeDriver) console).executeCdpCommand("Browser.grantPermissions",
          Map.of("origin", server.baseUrl(), "permissions", List.of("notifications")));
      js(console, """
          window.shown = [];
          const RealNotification = window.Notification;
          window.Notification = function (title, options) { window.shown.push(title + ': ' + options.body); };
          Object.defineProperty(window.Notification, 'permission', { get: () => RealNotification.permission });
          window.Notification.requestPermission = () => RealNotification.requestPermission();
          window.tones = 0;
          const createOscillator = AudioContext.prototype.createOscillator;
          AudioContext.prototype.createOscillator = function () { window.tones++; return createOscillator.call(this); };""");
      assertThat(console.findElement(By.id("alerts")).isSelected()).isFalse();
      long quick = task(server, "+14155550193");
      waitFor(console, "queue-news", "New task: +14155550193");
      assertThat(js(console, "return window.shown.length + window.tones")).isEqualTo(0L);
      console.findElement(By.id("alerts")).click();
      task(server, "+14155550194");
      waitFor(console, "queue-news", "New task: +14155550194 (by hand)");
      new WebDriverWait(console, WAIT).until(d -> ((Long) js(d, "return window.shown.length")) == 1);
      assertThat(js(console, "return window.shown[0]")).isEqualTo("New task for you: New task: +14155550194 (by hand)");
      assertThat((Long) js(console, "return window.tones")).isEqualTo(2L);

      // One done already today.
      claim(console, quick);
      waitFor(console, "task-summary", "+14155550193");
      new Select(console.findElement(By.id("outcome"))).selectByValue("resolved_other_way");
      console.findElement(By.id("complete")).click();
      waitFor(console, "task-message", "Completed.");
      waitFor(console, "today-completed", "1");
      assertThat(text(console, "today-reached")).isEqualTo("0");

      // Nobody answered: the agent says when to try again, and the dialler has it back.
      long again = task(server, "+14155550195");
      claim(console, again);
      waitFor(console, "task-summary", "+14155550195");
      assertThat(console.findElement(By.id("retry-at-field")).isDisplayed()).isFalse();
      new Select(console.findElement(By.id("outcome"))).selectByValue("no_answer");
      assertThat(console.findElement(By.id("retry-at-field")).isDisplayed()).isTrue();
      js(console, "const at = new Date(Date.now() + 2 * 3600 * 1000); at.setSeconds(0, 0);"
          + " document.getElementById('retry-at').value = new Date(at - at.getTimezoneOffset() * 60000).toISOString().slice(0, 16);"
          + " window.retryAt = at.toISOString();");
      String retryAt = (String) js(console, "return window.retryAt");
      console.findElement(By.id("complete")).click();
      waitFor(console, "task-message", "Back to the dialler: it calls again at");
      Map<String, Object> retried = db.query("SELECT state, due_at FROM callbacks WHERE id = ?", again).get(0);
      assertThat(retried.get("state")).isEqualTo("scheduled");
      assertThat(((java.sql.Timestamp) retried.get("due_at")).toInstant()).isEqualTo(java.time.Instant.parse(retryAt));
      waitFor(console, "today-completed", "2");
      assertThat(text(console, "today-average")).matches("\\d+ s");

      // The task: who, their tier and notes, then Call and each step of it.
      claim(console, task);
      waitFor(console, "task-summary", "Nikolay Petrov");
      assertThat(text(console, "task-summary")).contains("VIP");
      waitFor(console, "customer-card", "Prefers Russian. Ask about the order of the 12th.");
      assertThat(text(console, "customer-card")).contains("VIP customer");

      // Her phone is not answered: the customer was never called.
      int placed = twilio.calls().size();
      console.findElement(By.id("call")).click();
      waitFor(console, "call-stage", "Calling your phone…");
      String unanswered = placedTo(twilio, contact, placed);
      assertThat(console.findElement(By.id("call")).isEnabled()).isFalse();
      agentLeg(server, unanswered, "ringing", contact);
      waitFor(console, "call-stage", "Your phone is ringing");
      agentLeg(server, unanswered, "no-answer", contact);
      waitFor(console, "call-stage", "Call ended: your phone was not answered: the customer was not called");
      waitFor(console, "task-message", "Choose how it went");

      // Again, and this time they talk.
      placed = twilio.calls().size();
      new WebDriverWait(console, WAIT).until(ExpectedConditions.elementToBeClickable(By.id("call"))).click();
      String agentSid = placedTo(twilio, contact, placed);
      waitFor(console, "call-stage", "Calling your phone…");
      agentLeg(server, agentSid, "ringing", contact);
      waitFor(console, "call-stage", "Your phone is ringing");
      agentLeg(server, agentSid, "in-progress", contact);
      waitFor(console, "call-stage", "Connected to you: dialling the customer");
      server.twilio("/twilio/connect?task=" + task + "&agent=" + dora.getLong("id"), "CallSid", agentSid, "To", contact);
      String leg = "CAconsolecustomer01";
      customerLeg(server, task, agentSid, leg, "ringing", customer);
      waitFor(console, "call-stage", "Ringing the customer");
      customerLeg(server, task, agentSid, leg, "in-progress", customer);
      waitFor(console, "call-stage", "Talking with the customer");
      waitFor(console, "call-timer", "0:0");
      String first = text(console, "call-timer");
      new WebDriverWait(console, WAIT).until(d -> !text(d, "call-timer").equals(first));
      assertThat(text(console, "call-timer")).matches("0:0[1-9]");
      new Select(console.findElement(By.id("outcome"))).selectByValue("reached");
      console.findElement(By.id("note")).sendKeys("Wants the order sent on Friday.");
      screenshot(console, "console-desktop.png");

      customerLeg(server, task, agentSid, leg, "completed", customer);
      agentLeg(server, agentSid, "completed", contact);
      waitFor(console, "call-stage", "Call ended: you talked with the customer");
      console.findElement(By.id("complete")).click();
      waitFor(console, "task-message", "Completed.");
      waitFor(console, "timeline", "Wants the order sent on Friday.");
      assertThat(text(console, "timeline"))
          .contains("Called back, attempt 1: talked with Dora Lindqvist")
          .contains("Dora Lindqvist's phone was not answered: the customer was not called")
          .doesNotContain(contact)
          .doesNotContain("_");
      waitFor(console, "today-completed", "3");
      assertThat(text(console, "today-reached")).isEqualTo("1");
      assertThat(db.query("SELECT outcome FROM callback_attempts WHERE callback_id = ? ORDER BY id", task))
          .containsExactly(Map.of("outcome", "agent_not_accepted"), Map.of("outcome", "connected"));

      // Finding a customer, and a callback task for them.
      console.findElement(By.id("search")).sendKeys("petrova");
      console.findElement(By.cssSelector("#search-form button[type=submit]")).click();
      waitFor(console, "search-results", "Olga Petrova");
      assertThat(console.findElements(By.cssSelector("#search-results > li"))).hasSize(1);
      console.findElement(By.cssSelector("#search-results button.open-file")).click();
      waitFor(console, "search-results", "Callback (by hand): in the agents' queue");
      console.findElement(By.cssSelector("#search-results button.add-task")).click();
      waitFor(console, "search-results", "Already in the queue.");
      console.findElement(By.id("search")).clear();
      console.findElement(By.id("search")).sendKeys("(415) 555-0199");
      console.findElement(By.cssSelector("#search-form button[type=submit]")).click();
      waitFor(console, "search-message", "Nobody found");

      assertThat(errors(console)).isEmpty();
    } finally {
      if (console != null) {
        console.quit();
      }
    }
  }

  @Test
  void onAPhoneNothingSpillsSidewaysAndAWrongTokenIsSaidToBeWrong() {
    assumeBrowser();
    TestDatabase db = TestDatabase.create();
    WebDriver phone = null;
    try (TwilioStandIn twilio = TwilioStandIn.start(RingbackServer.ACCOUNT_SID, RingbackServer.AUTH_TOKEN);
         RingbackServer server = RingbackServer.start(RingbackServer.LINES_YAML_AGENTS_ONLY, RingbackServer.environment(db,
             twilio.baseUrl()), Clock.systemUTC())) {
      String contact = "+14155550125";
      String eve = token(server, "Evelyn Castellanos-Whitfield", contact);
      customer(server, "+14155550181", "Maximiliano Alejandro Fernández-Rodríguez", "vip",
          "Calls from work between 12:00 and 13:00; his assistant answers otherwise and takes messages.");
      customer(server, "+14155550182", "Анастасия Владимировна Кузнецова", "standard", null);
      long first = task(server, "+14155550181");
      task(server, "+14155550182");
      task(server, "+14155550183");
      phone = browser(390, 844);

      // A token that never worked is said to be wrong, not a session that ended.
      phone.get(server.baseUrl() + "/console");
      new WebDriverWait(phone, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys("rba_mistyped");
      assertThat(js(phone, "return window.innerWidth")).isEqualTo(390L);
      phone.findElement(By.cssSelector("#login-form button[type=submit]")).click();
      waitFor(phone, "login-message", "not accepted");
      assertThat(text(phone, "login-message")).doesNotContain("session");
      assertThat(phone.findElement(By.id("who")).isDisplayed()).isFalse();
      assertThat(fitsItsWidth(phone)).isTrue();
      // The refused token's 401 is the only error the browser logged.
      assertThat(errors(phone)).singleElement().asString().contains("/api/agents/me").contains("401");

      phone.findElement(By.id("token")).sendKeys(eve);
      phone.findElement(By.cssSelector("#login-form button[type=submit]")).click();
      new WebDriverWait(phone, WAIT).until(ExpectedConditions.textToBe(By.id("agent-name"), "Evelyn Castellanos-Whitfield"));
      new WebDriverWait(phone, WAIT).until(ExpectedConditions.presenceOfElementLocated(row(first)));
      assertThat(fitsItsWidth(phone)).as("the queue at 390 px").isTrue();

      claim(phone, first);
      waitFor(phone, "customer-card", "his assistant answers otherwise");
      waitFor(phone, "timeline", "Callback (by hand): in the agents' queue");
      assertThat(fitsItsWidth(phone)).as("a task and its file at 390 px").isTrue();
      assertThat(phone.findElement(By.id("task-panel")).getLocation().getY())
          .as("the task in hand comes first").isLessThan(phone.findElement(By.id("queue-panel")).getLocation().getY());
      screenshot(phone, "console-phone.png");

      // A call followed on the phone, to its end.
      int placed = twilio.calls().size();
      phone.findElement(By.id("call")).click();
      String agentSid = placedTo(twilio, contact, placed);
      agentLeg(server, agentSid, "ringing", contact);
      waitFor(phone, "call-stage", "Your phone is ringing");
      assertThat(fitsItsWidth(phone)).as("a call under way at 390 px").isTrue();
      agentLeg(server, agentSid, "busy", contact);
      waitFor(phone, "call-stage", "your phone was not answered: the customer was not called");
      waitFor(phone, "timeline", "Evelyn Castellanos-Whitfield's phone was not answered");
      assertThat(fitsItsWidth(phone)).as("how the call ended at 390 px").isTrue();

      // The day's figures, and a customer found with their file open.
      assertThat(phone.findElement(By.id("today-completed")).getText()).isEqualTo("0");
      phone.findElement(By.id("search")).sendKeys("Кузнецова");
      phone.findElement(By.cssSelector("#search-form button[type=submit]")).click();
      waitFor(phone, "search-results", "Анастасия Владимировна Кузнецова");
      phone.findElement(By.cssSelector("#search-results button.open-file")).click();
      waitFor(phone, "search-results", "Callback (by hand): in the agents' queue");
      assertThat(fitsItsWidth(phone)).as("a customer's file found at 390 px").isTrue();
      assertThat(errors(phone)).isEmpty();
    } finally {
      if (phone != null) {
        phone.quit();
      }
    }
  }
}
