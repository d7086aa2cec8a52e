package dev.ringback.demo;

import dev.ringback.app.Services;
import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.Customer;
import dev.ringback.domain.CustomerData;
import dev.ringback.domain.Languages;
import dev.ringback.domain.Line;
import dev.ringback.http.WebhookSignature;
import dev.ringback.telephony.TwimlText;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo traffic: inbound calls that are answered, missed, abandoned or dropped, and orders, sent
 * to this server's own webhooks exactly as Twilio and a shop would send them, in real time.
 * The call simulator plays the callbacks they trigger, so every metric and panel moves. Some of
 * the callers and buyers the lines text back answer the text.
 */
public final class DemoTraffic extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);
  private static final DateTimeFormatter TWILIO_TIMESTAMP = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final List<String> NAMES = List.of("Nikolay Petrov", "Anna Schmidt", "Maria Garcia", "James Smith", "Aiko Tanaka",
      "Omar Haddad", "Lena Vogel", "Carlos Silva");
  /** Callers: fictional 555-01xx numbers; the first few are known customers, one of them a VIP. */
  private static final int CALLERS = 50;
  /** Percent of the customers texted back who answer the text, and of those who said STOP who text START after a missed call. */
  private static final int REPLYING = 20;

  /**
   * What demo customers text in one shipped language ({@code language} as {@link #language(Line)}
   * names it): a time for their callback, "call me now", words for a person to read. STOP and
   * START are Twilio's words, the same in every language.
   */
  record Replies(String language, List<String> times, List<String> now, List<String> forAPerson) {}

  static final List<Replies> REPLIES = List.of(
      new Replies("en", List.of("tomorrow 10:30", "in 2 hours", "today at 5pm"), List.of("call me now", "Please call me now"),
          List.of("Are you open on Saturday?", "Is my order ready to pick up?")),
      new Replies("ro", List.of("mâine la 10:30", "peste 2 ore"), List.of("sunați-mă acum"),
          List.of("Sunteți deschiși sâmbătă?", "Comanda mea e gata?")),
      new Replies("ru", List.of("завтра в 10:30", "через 2 часа"), List.of("позвоните сейчас"),
          List.of("Вы работаете в субботу?", "Мой заказ готов?")),
      new Replies("es", List.of("mañana a las 10:30", "en 2 horas"), List.of("llámame ahora"),
          List.of("¿Abren el sábado?", "¿Mi pedido ya está listo?")),
      new Replies("zh", List.of("明天10:30", "2小时后"), List.of("现在打给我"),
          List.of("周六营业吗？", "我的订单好了吗？")));
  static final String STOP = "STOP";
  static final String START = "START";

  private final Services services;
  private final RingbackConfig.Demo demo;
  private final String localBaseUrl;
  private final Random random = new Random();
  /** The callers who texted STOP: their line does not text them; the demo knows it without asking the database. */
  private final Set<String> optedOut = new HashSet<>();
  private WebClient web;
  /** Calls in progress have timers left; after a stop they send nothing more. */
  private boolean stopped;
  private long serial;

  public DemoTraffic(Services services, String localBaseUrl) {
    this.services = services;
    this.demo = services.config().demo();
    this.localBaseUrl = localBaseUrl;
  }

  @Override
  public Future<?> start() {
    web = WebClient.create(vertx);
    List<Future<?>> seeded = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      seeded.add(services.customers().replace(services.businesses().defaultBusiness().id(),
          new CustomerData(caller(i), NAMES.get(i), i == 0 ? Customer.Tier.VIP : Customer.Tier.STANDARD, null, null, "demo customer")));
    }
    return Future.all(seeded).onSuccess(v -> {
      LOG.warn("Demo traffic: about {} simulated call(s) and {} order(s) a minute; the call simulator plays the callbacks",
          demo.callsPerMinute(), demo.ordersPerMinute());
      if (!demo.generatedOrderSecret().isEmpty()) {
        LOG.warn("Demo: POST /orders takes orders signed with this run's order secret, shown only here:"
            + " RINGBACK_ORDER_SECRET={} (export it to sign orders of your own as the README's curl example does:"
            + " X-Ringback-Signature: sha256=<hex HMAC-SHA256 of the body with it>; set it before starting to keep it across restarts)",
            demo.generatedOrderSecret());
      }
      scheduleCall();
      scheduleOrder();
    });
  }

  private static String caller(int i) {
    return "+1415555" + String.format("%04d", 150 + i);
  }

  /** Exponential gaps: arrivals at random, as real callers come. */
  private long gapMillis(int perMinute) {
    return Math.max(50, (long) (-Math.log(1 - random.nextDouble()) * 60_000 / perMinute));
  }

  private void scheduleCall() {
    vertx.setTimer(gapMillis(demo.callsPerMinute()), t -> {
      call();
      scheduleCall();
    });
  }

  private void scheduleOrder() {
    if (demo.ordersPerMinute() > 0) {
      vertx.setTimer(gapMillis(demo.ordersPerMinute()), t -> {
        order();
        scheduleOrder();
      });
    }
  }

  /** One inbound call, from the first webhook to its last status event. */
  private void call() {
    if (stopped) {
      return;
    }
    List<Line> lines = services.config().lines();
    Line line = lines.get(random.nextInt(lines.size()));
    String from = caller(random.nextInt(CALLERS));
    String parent = sid();
    web.postAbs(localBaseUrl + "/twilio/voice").sendForm(form(parent, null, "ringing", from, line.number(), "inbound"))
        .onSuccess(answer -> agentsRing(line, from, parent, Optional.ofNullable(answer.bodyAsString()).orElse("")))
        .onFailure(e -> LOG.debug("Demo call {} not answered: {}", parent, e.getMessage()));
  }

  /**
   * The first agent the TwiML rings answers, lets it ring out, or the caller hangs up first. A
   * screened phone hears the whisper: its agent mostly presses 1; now and then it is their voicemail,
   * which stays silent, or the agent declines with another key.
   */
  private void agentsRing(Line line, String from, String parent, String twiml) {
    Optional<String> agent = TwimlText.element(twiml, "Number").or(() -> TwimlText.element(twiml, "Sip"));
    if (agent.isEmpty()) {
      // After hours, or nobody to ring: the caller hangs up after the message, and is texted back.
      vertx.setTimer(8000, t -> post("/twilio/status", form(parent, null, "completed", from, line.number(), "inbound"))
          .onSuccess(v -> textedBack(line, from, line.textBack().calls())));
      return;
    }
    String noun = TwimlText.element(twiml, "Number").isPresent() ? "Number" : "Sip";
    String statusPath = TwimlText.attribute(twiml, noun, "statusCallback").map(DemoTraffic::local).orElse("/twilio/status");
    Optional<String> screen = TwimlText.attribute(twiml, noun, "url").map(DemoTraffic::local);
    String leg = sid();
    String to = agent.get();
    long ring = services.config().metrics().ringSeconds() * 1000L;
    int roll = random.nextInt(100);
    vertx.setTimer(300, t -> post(statusPath, form(leg, parent, "ringing", from, to, "outbound-dial")));
    if (roll < 65 || roll >= 92) {
      // Answered after one to six rings; 8% of them are cut off within seconds (dropped).
      boolean dropped = roll >= 92;
      int screenRoll = random.nextInt(100);
      // The key a screened agent presses: none (their voicemail answered), 2 (declined) or 1.
      Optional<String> key = screen.isPresent() && screenRoll < 10 ? Optional.empty() : Optional.of(screenRoll < 15 ? "2" : "1");
      long answerAt = (long) (ring * (0.5 + random.nextDouble() * 5.5));
      long talk = dropped ? 3000 + random.nextInt(12_000) : 40_000 + random.nextInt(140_000);
      vertx.setTimer(answerAt, t -> post(statusPath, form(leg, parent, "in-progress", from, to, "outbound-dial"))
          .compose(v -> screen.isPresent() ? whisper(screen.get(), leg, parent, from, to, key) : Future.succeededFuture())
          .onSuccess(v -> {
            if (screen.isPresent() && !key.equals(Optional.of("1"))) {
              // Silence or a decline hangs up that leg; with nobody else to ring, the caller is missed.
              vertx.setTimer(6000, x -> post(statusPath, form(leg, parent, "completed", from, to, "outbound-dial")));
              missed(line, from, parent, leg, to, statusPath, false);
            } else {
              vertx.setTimer(talk, x -> conversationOver(line, from, parent, leg, to, statusPath));
            }
          }));
    } else if (roll < 80) {
      missed(line, from, parent, leg, to, statusPath, true);
    } else {
      // Abandoned: the caller hangs up while the agents ring.
      long hangUp = 2000 + random.nextInt((int) Math.max(1000, line.ringTimeoutSeconds() * 1000L - 3000));
      vertx.setTimer(hangUp, t -> post("/twilio/status", form(parent, null, "completed", from, line.number(), "inbound"))
          .onSuccess(v -> textedBack(line, from, line.textBack().calls()))
          .compose(v -> post(statusPath, form(leg, parent, "canceled", from, to, "outbound-dial"))));
    }
  }

  /** The screened agent's phone plays the whisper; the agent presses {@code key}, or their voicemail stays silent (none). */
  private Future<Void> whisper(String screenPath, String leg, String parent, String from, String to, Optional<String> key) {
    return web.postAbs(localBaseUrl + screenPath).sendForm(form(leg, parent, "in-progress", from, to, "outbound-dial"))
        .compose(heard -> {
          Optional<String> keyUrl = TwimlText.attribute(Optional.ofNullable(heard.bodyAsString()).orElse(""), "Gather", "action");
          return key.isEmpty() || keyUrl.isEmpty() ? Future.<Void>succeededFuture()
              : post(local(keyUrl.get()), form(leg, parent, "in-progress", from, to, "outbound-dial").add("Digits", key.get()));
        });
  }

  /** Nobody took the call before the line's ring timeout: the caller hears the apology, then hangs up. */
  private void missed(Line line, String from, String parent, String leg, String to, String statusPath, boolean legRangOut) {
    long timeout = line.ringTimeoutSeconds() * 1000L;
    vertx.setTimer(timeout, t -> (legRangOut ? post(statusPath, form(leg, parent, "no-answer", from, to, "outbound-dial"))
            : Future.<Void>succeededFuture())
        .compose(v -> post("/twilio/dial", form(parent, null, "in-progress", from, line.number(), "inbound")
            .add("DialCallStatus", "no-answer")))
        .onSuccess(v -> textedBack(line, from, line.textBack().calls())));
    vertx.setTimer(timeout + 9000, t -> post("/twilio/status", form(parent, null, "completed", from, line.number(), "inbound")));
  }

  /** The agent hangs up: the caller may be asked for a score, then the call ends. */
  private void conversationOver(Line line, String from, String parent, String leg, String to, String statusPath) {
    post(statusPath, form(leg, parent, "completed", from, to, "outbound-dial"))
        .compose(v -> stopped ? Future.failedFuture("stopped") : web.postAbs(localBaseUrl + "/twilio/dial")
            .sendForm(form(parent, null, "in-progress", from, line.number(), "inbound").add("DialCallStatus", "completed")))
        .compose(asked -> asked.bodyAsString() != null && asked.bodyAsString().contains("/twilio/feedback")
            ? post("/twilio/feedback", form(parent, null, "in-progress", from, line.number(), "inbound").add("Digits", score()))
            : Future.<Void>succeededFuture())
        .compose(v -> post("/twilio/status", form(parent, null, "completed", from, line.number(), "inbound")))
        .onFailure(e -> LOG.debug("Demo call {} not played to its end: {}", parent, e.getMessage()));
  }

  /** A URL Ringback handed Twilio, as a path on this server: the demo never leaves the machine. */
  private static String local(String url) {
    URI target = URI.create(url);
    return target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
  }

  /** One order through the generic order webhook, signed with its secret. */
  private void order() {
    if (stopped) {
      return;
    }
    int who = random.nextInt(CALLERS);
    RingbackConfig.Shop shop = services.config().orders().shop("generic").orElseThrow();
    List<Line> lines = services.config().lines();
    Line line = lines.stream().filter(l -> l.id().equals(shop.line())).findFirst().orElse(lines.get(0));
    String body = new JsonObject()
        .put("order_id", "demo-" + System.currentTimeMillis() + "-" + (++serial))
        .put("number", Long.toString(1000 + serial))
        .put("phone", caller(who))
        .put("name", NAMES.get(who % NAMES.size()))
        .put("total", Math.round(random.nextDouble() * 20_000) / 100.0)
        .put("currency", "USD")
        .put("items", 1 + random.nextInt(4))
        .encode();
    web.postAbs(localBaseUrl + "/orders")
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Ringback-Signature", WebhookSignature.generic(shop.secret(), body.getBytes(StandardCharsets.UTF_8)))
        .sendBuffer(Buffer.buffer(body))
        .onSuccess(taken -> textedBack(line, caller(who), taken.statusCode() == 200 && line.textBack().orders()))
        .onFailure(e -> LOG.debug("Demo order not delivered: {}", e.getMessage()));
  }

  /**
   * A missed caller or a buyer, whose line texts them when {@code texted}: a few answer the text
   * a little later, with a time, "call me now", STOP or words for a person, in their line's
   * language or another. Those who said STOP were not texted; a few of them text START.
   */
  private void textedBack(Line line, String caller, boolean texted) {
    if (!texted || random.nextInt(100) >= REPLYING) {
      return;
    }
    String body;
    if (optedOut.contains(caller)) {
      body = START;
    } else {
      Replies words = random.nextInt(100) < 70 ? replies(language(line)) : REPLIES.get(random.nextInt(REPLIES.size()));
      int roll = random.nextInt(100);
      body = roll < 10 ? STOP : pick(roll < 50 ? words.times() : roll < 70 ? words.now() : words.forAPerson());
    }
    // A little later: one to ten of the demo's gaps between calls (5 to 50 s at its default pace), at least 1 s.
    long gap = 60_000L / Math.max(1, demo.callsPerMinute());
    vertx.setTimer(Math.max(1000, gap + (long) (random.nextDouble() * 9 * gap)), t -> text(line, caller, body));
  }

  /** The customer's text to the line, as Twilio posts it. */
  private void text(Line line, String from, String body) {
    if (stopped) {
      return;
    }
    if (body.equals(STOP)) {
      optedOut.add(from);
    } else if (body.equals(START)) {
      optedOut.remove(from);
    }
    byte[] id = new byte[16];
    random.nextBytes(id);
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("MessageSid", "SM" + HexFormat.of().formatHex(id))
        .add("From", from)
        .add("To", line.number())
        .add("Body", body)
        .add("NumMedia", "0");
    web.postAbs(localBaseUrl + "/twilio/sms").sendForm(form)
        .onFailure(e -> LOG.debug("Demo text not delivered: {}", e.getMessage()));
  }

  /** A line's language as {@link #REPLIES} names it: its language subtag, Mandarin as zh. */
  static String language(Line line) {
    return Languages.base(Languages.localeTag(line.language()));
  }

  private static Replies replies(String language) {
    return REPLIES.stream().filter(r -> r.language().equals(language)).findFirst().orElse(REPLIES.get(0));
  }

  private String pick(List<String> words) {
    return words.get(random.nextInt(words.size()));
  }

  private MultiMap form(String callSid, String parentSid, String status, String from, String to, String direction) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("CallSid", callSid)
        .add("CallStatus", status)
        .add("From", from)
        .add("To", to)
        .add("Direction", direction)
        .add("Timestamp", TWILIO_TIMESTAMP.format(services.clock().instant()));
    if (parentSid != null) {
      form.add("ParentCallSid", parentSid);
    }
    return form;
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.succeededFuture();
  }

  private Future<Void> post(String path, MultiMap form) {
    if (stopped) {
      return Future.succeededFuture();
    }
    return web.postAbs(localBaseUrl + path).sendForm(form).<Void>mapEmpty()
        .onFailure(e -> LOG.debug("Demo call event {} not delivered: {}", path, e.getMessage()));
  }

  /** Most customers are content; some are not, and those become service-recovery tasks. */
  private String score() {
    int roll = random.nextInt(100);
    return roll < 40 ? "5" : roll < 70 ? "4" : roll < 85 ? "3" : roll < 95 ? "2" : "1";
  }

  private String sid() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return "CA" + HexFormat.of().formatHex(id);
  }
}
