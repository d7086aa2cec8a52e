package dev.ringback.http;

import static dev.ringback.app.WebhookPaths.*;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.app.Trigger;
import dev.ringback.app.Triggers;
import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.CallEvent;
import dev.ringback.domain.CallStatus;
import dev.ringback.domain.Customer;
import dev.ringback.domain.DialPolicy;
import dev.ringback.domain.InboundCalls;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.RecordingUrls;
import dev.ringback.domain.TimeZones;
import dev.ringback.store.CallStore;
import dev.ringback.store.CallbackStore;
import dev.ringback.store.DoNotCallStore;
import dev.ringback.store.OrderStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Twilio's voice webhooks: answer inbound calls, follow the {@code <Dial>} and record every leg's events. */
final class TwilioWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);
  private static final DateTimeFormatter SPOKEN_DAY =
      DateTimeFormatter.ofPattern("EEEE", Locale.ENGLISH);
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm");

  private static final String BUSINESS = "ringback.business";
  /**
   * How long /twilio/voice waits for the caller's name and the agents' presence: the caller must
   * hear the greeting within 2 s however slow the database is (with the call's record, which has
   * the trigger deadline, this stays under it).
   */
  private static final long LOOKUP_MILLIS = 500;

  private final Services services;
  private final FeedbackWebhooks feedback;
  private final TrustedProxies proxies;

  TwilioWebhooks(Services services, FeedbackWebhooks feedback) {
    this.services = services;
    this.feedback = feedback;
    this.proxies = TrustedProxies.parse(services.config().http().trustedProxies());
  }

  /** The business a verified /twilio/* request is about. */
  static Business business(RoutingContext ctx) {
    return ctx.get(BUSINESS);
  }

  /** An absolute URL for Twilio to call back about this business's calls. */
  private String url(Business business, String pathAndQuery) {
    return business.url(services.config().http().publicUrl(), pathAndQuery);
  }

  /**
   * A webhook path naming the callback it is about, when known: the time chosen and the voicemail
   * left then go to that callback only, and the same request again finds its choice made.
   */
  /**
   * The business a webhook is about: the one Ringback named in its own callback URLs
   * ({@code business=<slug>}), else the one whose line the call is on (the number called on an
   * inbound call, the calling number on an outbound one), else the one of the Twilio account
   * ({@code AccountSid}), else the default business. Empty: a business nobody serves.
   */
  private Optional<Business> resolve(RoutingContext ctx, MultiMap form) {
    List<String> named = ctx.queryParam("business");
    if (!named.isEmpty()) {
      return services.businesses().bySlug(named.get(0));
    }
    if (services.businesses().all().size() == 1) {
      // A server of one business: every webhook is that business's.
      return Optional.of(services.businesses().defaultBusiness());
    }
    PhoneNumbers numbers = services.phoneNumbers();
    String direction = Optional.ofNullable(form.get("Direction")).orElse("");
    List<String> order = direction.startsWith("outbound") ? List.of("From", "To") : List.of("To", "From");
    for (String field : order) {
      // Twilio sends E.164: looked up as sent first, parsed only when that finds nothing.
      String raw = form.get(field);
      Optional<Business> byLine = services.businesses().byNumber(raw)
          .or(() -> numbers.normalize(raw).flatMap(services.businesses()::byNumber));
      if (byLine.isPresent()) {
        return byLine;
      }
    }
    String accountSid = form.get("AccountSid");
    List<Business> byAccount = services.businesses().byAccountSid(accountSid);
    if (!byAccount.isEmpty()) {
      return Optional.of(byAccount.get(0));
    }
    Business fallback = services.businesses().defaultBusiness();
    if (accountSid != null && !accountSid.isBlank() && fallback.twilio().configured()) {
      // An account none of the businesses has.
      return Optional.empty();
    }
    return Optional.of(fallback);
  }

  /**
   * Runs before the body of a /twilio/* request is read: it must be a form, and a request that
   * can only be for businesses with Twilio credentials must carry a signature (checked once the
   * body, which it covers, is read).
   */
  void precheck(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      ctx.fail(HttpFailure.badRequest("expected a form-encoded body"));
      return;
    }
    if (ctx.request().getHeader("X-Twilio-Signature") == null && onlySignedSenders(ctx)) {
      LOG.warn("{} rejected before its body: no X-Twilio-Signature", ctx.request().path());
      ctx.fail(new HttpException(403, "invalid Twilio signature"));
      return;
    }
    ctx.next();
  }

  /** Whether every business this request could be for checks signatures; without the body only its query says which. */
  private boolean onlySignedSenders(RoutingContext ctx) {
    List<String> named = ctx.queryParam("business");
    if (!named.isEmpty()) {
      return services.businesses().bySlug(named.get(0)).map(b -> b.twilio().configured()).orElse(false);
    }
    return services.businesses().all().stream().allMatch(b -> b.twilio().configured());
  }

  /**
   * Runs before every /twilio/* handler, once the form is read: with Twilio credentials set it
   * must carry Twilio's signature for the public URL of this exact request (as a trusted proxy
   * names it, else RINGBACK_PUBLIC_URL).
   */
  void verify(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    Optional<Business> found = resolve(ctx, form);
    if (found.isEmpty()) {
      LOG.warn("{} for a business this server does not serve (business={}, AccountSid={}): told the number is not in service",
          ctx.request().path(), String.join(",", ctx.queryParam("business")), form.get("AccountSid"));
      Responses.twiml(ctx, 404, Twiml.notInService());
      return;
    }
    Business business = found.get();
    if (business.twilio().configured()) {
      // Only this business's auth token is tried: a request signed for another business is refused.
      String signature = ctx.request().getHeader("X-Twilio-Signature");
      String url = proxies.baseUrl(ctx.request(), services.config().http().publicUrl()) + ctx.request().uri();
      if (!TwilioSignature.valid(business.twilio().authToken(), url, form, signature)) {
        LOG.warn("{} rejected: {} X-Twilio-Signature for {} (business {})", ctx.request().path(), signature == null ? "missing" : "wrong",
            url, business.slug());
        ctx.fail(new HttpException(403, "invalid Twilio signature"));
        return;
      }
    }
    ctx.put(BUSINESS, business);
    ctx.next();
  }

  /** A call comes in: greet, by name when known, and ring the line's agents. */
  void voice(RoutingContext ctx) {
    Business business = business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    PhoneNumbers numbers = services.phoneNumbers();
    Optional<Line> line = numbers.normalize(form.get("To")).flatMap(business::lineByNumber);
    if (line.isEmpty()) {
      LOG.warn("voice CallSid={} to={} -> not a configured line: told the number is not in service",
          callSid, PhoneNumbers.mask(form.get("To")));
      Responses.twiml(ctx, 200, Twiml.notInService());
      return;
    }
    Optional<String> caller = numbers.normalize(form.get("From"));
    Instant arrivedAt = services.clock().instant();
    String from = caller.orElse(Optional.ofNullable(form.get("From")).orElse("unknown"));
    Future<Optional<Customer>> customer = caller
        .map(phone -> services.customers().findByPhone(business.id(), phone))
        .orElse(Future.succeededFuture(Optional.empty()))
        // A caller must never be cut off or kept waiting because the database is slow or down.
        .timeout(LOOKUP_MILLIS, TimeUnit.MILLISECONDS)
        .recover(e -> {
          // The database's trouble is logged where it is noticed first; each call says "greeted generically".
          LOG.debug("voice CallSid={}: customer lookup failed, greeting without a name: {}", callSid, e.getMessage());
          return Future.succeededFuture(Optional.empty());
        });
    if (!business.hours().of(line.get()).isOpen(arrivedAt)) {
      afterHours(ctx, business, callSid, line.get(), from, caller, customer, arrivedAt);
      return;
    }
    Future<Ring> ring = whomToRing(business, line.get());
    Future.all(customer, ring).map(v -> customer.result())
        .compose(known -> services.triggers()
            .inbound(new Trigger.Inbound(business.id(), business.lineKey(line.get()), callSid, from, caller.orElse(null),
                line.get().number(), known.map(Customer::id).orElse(null), arrivedAt))
            .recover(e -> {
              // Neither the database nor the journal took it: the <Dial> action records the call later.
              LOG.error("voice CallSid={}: could not record the call: {}", callSid, e.getMessage());
              return Future.succeededFuture();
            })
            .map(known))
        .onSuccess(known -> {
          LOG.info("voice CallSid={} line={} from={} -> greeted {}, ringing {} agent(s)", callSid, line.get().id(),
              PhoneNumbers.mask(from), known.filter(Customer::hasName).isPresent() ? "by name" : "generically",
              ring.result().contacts().size());
          Responses.twiml(ctx, 200, Twiml.inbound(line.get(), known, ring.result().contacts(), ring.result().registered(), url(business, DIAL),
              url(business, STATUS)));
        })
        .onFailure(ctx::fail);
  }

  private CallStore.Spread afterHoursSpread(Business business, Line line) {
    int cps = business.callsPerSecond();
    return new CallStore.Spread(services.config().callbacks().afterHoursSecondsPerAgent(), cps > 0 ? 1.0 / cps : 0, line.agents().size());
  }

  /**
   * A call outside opening hours: the after-hours message (by name when the caller is known),
   * then a voicemail; every such caller is called back when the line opens.
   */
  private void afterHours(RoutingContext ctx, Business business, String callSid, Line line, String from, Optional<String> caller,
                          Future<Optional<Customer>> customer, Instant arrivedAt) {
    Instant opening = business.hours().of(line).nextOpening(arrivedAt).orElse(null);
    customer.compose(known -> services.triggers()
            .afterHours(new Trigger.AfterHours(business.id(), business.lineKey(line), callSid, from, caller.orElse(null), line.number(),
                known.map(Customer::id).orElse(null), known.map(Customer::tier).orElse(Customer.Tier.STANDARD), arrivedAt, opening,
                afterHoursSpread(business, line)))
            .map(outcome -> {
              Optional<CallbackStore.Scheduled> scheduled = outcome.value().flatMap(s -> s);
              LOG.info("voice CallSid={} line={} from={} -> after hours: message and voicemail, {}", callSid, line.id(),
                  PhoneNumbers.mask(from), outcome.journalled() ? "kept in the journal for its callback"
                      : scheduled.map(sc -> "callback #" + sc.id() + " due " + sc.dueAt()).orElse("no callback"));
              return scheduled.map(CallbackStore.Scheduled::id).orElse(null);
            })
            .recover(e -> {
              LOG.error("voice CallSid={}: could not record the after-hours call: {}", callSid, e.getMessage());
              return Future.succeededFuture((Long) null);
            })
            .map(callbackId -> Twiml.afterHours(line, known, services.config().callbacks().voicemailMaxSeconds(),
                url(business, forCallback(RECORDING, callbackId)), url(business, forCallback(WHEN, callbackId)))))
        .onSuccess(twiml -> Responses.twiml(ctx, 200, twiml))
        .onFailure(ctx::fail);
  }

  /**
   * The {@code <Dial>} to the agents ended. Nobody answered: the caller hears an apology and
   * the promise of a callback, and may leave a voicemail.
   */
  void dial(RoutingContext ctx) {
    Business business = business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    String dialStatus = Optional.ofNullable(form.get("DialCallStatus")).orElse(ctx.request().getParam("DialCallStatus"));
    if (dialStatus == null || dialStatus.isBlank()) {
      throw HttpFailure.badRequest("missing DialCallStatus");
    }
    Long callbackId = callbackParam(ctx);
    if (callbackId != null) {
      callbackDial(ctx, business, form, callSid, callbackId, dialStatus);
      return;
    }
    Optional<Line> line = services.phoneNumbers().normalize(form.get("To")).flatMap(business::lineByNumber);
    Optional<String> caller = services.phoneNumbers().normalize(form.get("From"));
    boolean callable = caller.isPresent();
    // Rung nobody because no registered agent was available: a person calls back, not the dialler.
    boolean nobodyAvailable = "available".equals(ctx.request().getParam("nobody"));
    CallStore.DialedCall call = line.map(l -> new CallStore.DialedCall(business.lineKey(l),
        caller.orElse(Optional.ofNullable(form.get("From")).orElse("unknown")), caller.orElse(null), l.number())).orElse(null);
    Trigger.DialEnded ended = new Trigger.DialEnded(business.id(), callSid, dialStatus, services.clock().instant(), nobodyAvailable, call);
    services.triggers().dialEnded(ended)
        .onSuccess(outcome -> {
          Optional<CallbackStore.Scheduled> scheduled = outcome.value().flatMap(s -> s);
          if (InboundCalls.dialAnswered(dialStatus)) {
            LOG.info("dial CallSid={} DialCallStatus={} -> conversation over", callSid, dialStatus);
            Future<TwimlElement> next = line.isPresent() && services.config().feedback().afterInbound()
                ? feedback.afterConversation(business, callSid, line.get(), customerStillThere(form), form.get("DialCallSid"))
                : Future.succeededFuture(Twiml.hangup());
            next.onSuccess(twiml -> Responses.twiml(ctx, 200, twiml));
          } else if (line.isEmpty()) {
            Responses.twiml(ctx, 200, Twiml.apology());
          } else if (!callable) {
            LOG.info("dial CallSid={} DialCallStatus={} -> caller cannot be called back: apologised", callSid, dialStatus);
            Responses.twiml(ctx, 200, Twiml.notAnswered(line.get()));
          } else {
            LOG.info("dial CallSid={} DialCallStatus={} -> callback {}, voicemail offered", callSid, dialStatus,
                outcome.journalled() ? "kept in the journal" : scheduled.map(s -> "#" + s.id() + " due " + s.dueAt()).orElse("already promised"));
            var callbacks = services.config().callbacks();
            // A Twilio retry finds the dial status set and no callback to name: its URLs go without one.
            Long promised = scheduled.map(CallbackStore.Scheduled::id).orElse(null);
            Responses.twiml(ctx, 200, Twiml.missed(line.get(), callbacks.promiseMinutes(), callbacks.voicemailMaxSeconds(),
                url(business, forCallback(RECORDING, promised)), url(business, forCallback(WHEN, promised))));
          }
        })
        .onFailure(ctx::fail);
  }

  /** The agents did not take a callback the customer answered: tell them, and try again later. */
  private void callbackDial(RoutingContext ctx, Business business, MultiMap form, String callSid, long callbackId, String dialStatus) {
    if (InboundCalls.dialAnswered(dialStatus)) {
      // A callback's call goes from the line to the customer.
      Optional<Line> line = services.phoneNumbers().normalize(form.get("From")).flatMap(business::lineByNumber);
      Future<TwimlElement> next = line.isPresent()
          ? feedback.afterConversation(business, callSid, line.get(), customerStillThere(form), form.get("DialCallSid"))
          : Future.succeededFuture(Twiml.hangup());
      next.onSuccess(twiml -> Responses.twiml(ctx, 200, twiml));
      return;
    }
    services.triggers().noAgent(new Trigger.NoAgent(business.id(), callbackId, callSid))
        .onSuccess(v -> {
          LOG.info("dial CallSid={} (callback) DialCallStatus={} -> no agent took it; the callback will be retried", callSid, dialStatus);
          Responses.twiml(ctx, 200, Twiml.noAgent());
        })
        .onFailure(ctx::fail);
  }

  /**
   * An outbound callback was answered: a person is greeted by name and connected to the
   * line's agents; an answering machine gets a short message.
   */
  void callback(RoutingContext ctx) {
    Business business = business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    long callbackId = requiredCallbackParam(ctx);
    String answeredBy = blankToNull(form.get("AnsweredBy"));
    boolean machine = DialPolicy.isMachine(answeredBy);
    services.callbacks().find(business.id(), callbackId)
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.succeededFuture(Twiml.apology());
          }
          var cb = found.get();
          Optional<Line> line = business.lineOfKey(cb.lineId());
          if (line.isEmpty()) {
            return Future.succeededFuture(Twiml.apology());
          }
          Future<Optional<Customer>> customer = services.customers().findByPhone(business.id(), cb.phone())
              .recover(e -> Future.succeededFuture(Optional.empty()));
          Future<Optional<String>> orderNumber = services.orders().ofCallback(callbackId)
              .map(o -> o.flatMap(OrderStore.OrderFacts::spokenNumber))
              .recover(e -> Future.succeededFuture(Optional.empty()));
          return Future.all(customer, orderNumber).compose(v ->
              answerCallback(business, callSid, callbackId, cb, line.get(), customer.result(), orderNumber.result(), machine));
        })
        .onSuccess(twiml -> {
          LOG.info("callback CallSid={} callback=#{} AnsweredBy={} -> {}", callSid, callbackId, answeredBy == null ? "-" : answeredBy,
              machine ? "left a message" : "greeted");
          Responses.twiml(ctx, 200, twiml);
        })
        .onFailure(ctx::fail);
  }

  private Future<TwimlElement> answerCallback(Business business, String callSid, long callbackId, CallbackStore.Callback cb, Line line,
                                              Optional<Customer> customer, Optional<String> orderNumber, boolean machine) {
    if (machine) {
      return Future.succeededFuture(Twiml.callbackMachine(line, customer, orderNumber));
    }
    return whomToRing(business, line).compose(ring -> {
      if (ring.contacts().isEmpty()) {
        if (orderNumber.isPresent()) {
          // Confirming the order is the call's purpose: nobody is left waiting for an agent.
          return Future.succeededFuture(Twiml.orderWithoutAgents(line, customer, orderNumber.get(),
              url(business, GATHER + "?callback=" + callbackId)));
        }
        if (ring.registered()) {
          // The line has agents, all busy or offline: a person calls back instead of the dialler.
          return services.callbacks().markNoAgent(business.id(), callbackId, callSid)
              .compose(v -> services.callbacks().handToAgents(business.id(), callbackId, "no_agent_available"))
              .map(v -> Twiml.callbackToAgentQueue(line, customer));
        }
        return services.callbacks().markNoAgent(business.id(), callbackId, callSid).map(v -> Twiml.callbackWithoutAgents(line, customer));
      }
      String when = CLOCK_TIME.format(cb.triggeredAt().atZone(line.timeZone()));
      return Future.succeededFuture(Twiml.callback(line, customer, Twiml.why(cb.trigger(), when, orderNumber), ring.contacts(),
          services.config().callbacks().agentAnswerSeconds(), url(business, DIAL + "?callback=" + callbackId),
          url(business, STATUS), url(business, GATHER + "?callback=" + callbackId)));
    });
  }

  /**
   * Whom to ring on a line: its registered agents who are available; a line without registered
   * agents rings the agents of its configuration. When the database cannot say, the configured
   * agents are rung: a caller is never left unconnected because of us.
   */
  record Ring(boolean registered, List<String> contacts) {}

  private Future<Ring> whomToRing(Business business, Line line) {
    return services.agents().staff(business.lineKey(line))
        .map(staff -> staff.registered() ? new Ring(true, staff.available()) : new Ring(false, line.agents()))
        .timeout(LOOKUP_MILLIS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture(new Ring(false, line.agents())));
  }

  /**
   * A key pressed during a callback: 9 puts the number on the do-not-call list; 1, after an order
   * call on a line without agents, hands the callback to the agents' queue.
   */
  void gather(RoutingContext ctx) {
    Business business = business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    long callbackId = requiredCallbackParam(ctx);
    String digits = blankToNull(form.get("Digits"));
    String language = languageOf(business, form);
    if ("9".equals(digits)) {
      services.callbacks().find(business.id(), callbackId)
          .compose(cb -> cb.isEmpty() ? Future.succeededFuture(Optional.<List<DoNotCallStore.Cancelled>>empty())
              : services.doNotCall().addPressed(business.id(), cb.get().phone(), services.clock().instant(),
                  "Pressed 9 during a callback to stop these calls.", callSid, callbackId))
          .onSuccess(listed -> {
            listed.ifPresent(cancelled -> cancelled.forEach(c -> services.metrics().callbackFinished(c.business(), c.trigger(), c.line(),
                AttemptOutcome.CANCELLED)));
            // The same key press again (a Twilio retry, a replay) is answered alike and lists nothing.
            LOG.info("gather CallSid={} callback=#{} Digits=9 -> {}", callSid, callbackId,
                listed.isPresent() ? "the number is on the do-not-call list"
                    : "no such callback, or pressed before in this call: nothing changed");
            Responses.twiml(ctx, 200, Twiml.stoppedCalling(language));
          })
          .onFailure(ctx::fail);
      return;
    }
    boolean wantsAgent = "1".equals(digits);
    Future<Boolean> handed = wantsAgent ? services.callbacks().handToAgents(business.id(), callbackId, "asked_for_agent") : Future.succeededFuture(false);
    handed.onSuccess(queued -> {
      LOG.info("gather CallSid={} callback=#{} Digits={} -> {}", callSid, callbackId, digits == null ? "-" : digits,
          queued ? "waiting for an agent" : "order confirmed");
      Responses.twiml(ctx, 200, Twiml.orderGathered(wantsAgent, language));
    }).onFailure(ctx::fail);
  }

  /**
   * The caller chooses when to be called back: 2 during the missed-call or after-hours message,
   * then the day (1 today, 2 tomorrow, 3 the day after), then the time as four digits. A time
   * outside opening hours or the allowed calling hours is refused with the reason, once asked
   * again; the caller's waiting callback moves to the chosen time (trigger {@code scheduled}).
   * The URLs carry the callback the message promised ({@code callback=ID}), and each call's
   * choice is applied once.
   */
  void when(RoutingContext ctx) {
    Business business = business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    Long callbackId = callbackParam(ctx);
    String digits = Optional.ofNullable(blankToNull(form.get("Digits"))).orElse("");
    String step = Optional.ofNullable(ctx.request().getParam("step")).orElse("offer");
    Optional<Line> found = services.phoneNumbers().normalize(form.get("To")).flatMap(business::lineByNumber);
    if (found.isEmpty()) {
      Responses.twiml(ctx, 200, Twiml.apology());
      return;
    }
    Line line = found.get();
    String language = line.language();
    switch (step) {
      case "offer" -> Responses.twiml(ctx, 200, "2".equals(digits)
          ? Twiml.askDay(language, url(business, forCallback(WHEN + "?step=day", callbackId)))
          : Twiml.timeNotChosen(language, "Thank you."));
      case "day" -> Responses.twiml(ctx, 200, digits.matches("[123]")
          ? Twiml.askTime(language, url(business, forCallback(WHEN + "?step=time&day=" + digits, callbackId)), null)
          : Twiml.timeNotChosen(language, "Sorry, that is not one of the choices."));
      case "time" -> {
        if (!Optional.ofNullable(ctx.request().getParam("day")).orElse("").matches("[123]")) {
          throw HttpFailure.badRequest("day: must be 1, 2 or 3");
        }
        Optional<String> caller = services.phoneNumbers().normalize(form.get("From"));
        Future<Optional<Customer>> customer = caller.isEmpty() ? Future.succeededFuture(Optional.empty())
            : services.customers().findByPhone(business.id(), caller.get());
        customer.map(c -> TimeZones.forCustomer(c.map(Customer::timeZone).orElse(null), caller.orElse(null), line.timeZone()))
            .onSuccess(zones -> chooseTime(ctx, business, callSid, callbackId, line, zones, digits))
            .onFailure(ctx::fail);
      }
      default -> throw HttpFailure.badRequest("step: unknown");
    }
  }

  /** @param callerZones where the caller is, for the allowed calling hours */
  private void chooseTime(RoutingContext ctx, Business business, String callSid, Long callbackId, Line line, List<ZoneId> callerZones,
                          String digits) {
    String day = ctx.request().getParam("day");
    boolean retried = ctx.request().getParam("retry") != null;
    Instant now = services.clock().instant();
    LocalDate date = now.atZone(line.timeZone()).toLocalDate().plusDays(Long.parseLong(day) - 1);
    String problem = null;
    Instant chosen = null;
    if (!digits.matches("([01][0-9]|2[0-3])[0-5][0-9]")) {
      problem = "Sorry, that is not a time.";
    } else {
      chosen = date.atTime(Integer.parseInt(digits.substring(0, 2)), Integer.parseInt(digits.substring(2))).atZone(line.timeZone())
          .toInstant();
      if (!chosen.isAfter(now.plusSeconds(120))) {
        problem = "Sorry, that time has passed.";
      } else if (!business.hours().of(line).isOpen(chosen)) {
        problem = "Sorry, we are closed then.";
      } else if (services.config().dialer().allowedHours().firstCallable(chosen, callerZones, line.timeZone()).isAfter(chosen)) {
        problem = "Sorry, we do not call at that hour.";
      }
    }
    if (problem != null) {
      LOG.info("when CallSid={} day={} time={} -> refused: {}", callSid, day, digits, problem);
      Responses.twiml(ctx, 200, retried ? Twiml.timeNotChosen(line.language(), problem)
          : Twiml.askTime(line.language(), url(business, forCallback(WHEN + "?step=time&day=" + day + "&retry=1", callbackId)), problem));
      return;
    }
    Instant due = chosen;
    String spoken = (day.equals("1") ? "today" : day.equals("2") ? "tomorrow" : "on " + SPOKEN_DAY.format(date))
        + " at " + CLOCK_TIME.format(due.atZone(line.timeZone()));
    services.callbacks().reschedule(business.id(), callSid, callbackId, due, now).onSuccess(done -> {
      LOG.info("when CallSid={} callback={} -> {}", callSid, callbackId == null ? "-" : "#" + callbackId, switch (done) {
        case MOVED -> "callback moved to " + due;
        case CHOSEN_BEFORE -> "this call's choice was made before; nothing changed";
        case NOT_FOUND -> "no waiting callback of this call to move";
      });
      // The same request again (Twilio retrying) is answered as the first time.
      Responses.twiml(ctx, 200, done != CallbackStore.Rescheduled.NOT_FOUND ? Twiml.timeChosen(line.language(), spoken)
          : Twiml.timeNotChosen(line.language(), "Sorry, we could not find your request."));
    }).onFailure(ctx::fail);
  }

  /**
   * An agent answered their click-to-connect call: they hear who and why, then the customer is
   * dialled with the line's number and bridged. The customer leg reports as a callback attempt.
   * With {@code ended}, it is the {@code <Dial>} action: the agent hears how it went.
   */
  void connect(RoutingContext ctx) {
    Business business = business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    long taskId = longParam(ctx, "task");
    long agentId = longParam(ctx, "agent");
    if (ctx.request().getParam("ended") != null) {
      String dialStatus = blankToNull(form.get("DialCallStatus"));
      boolean talked = InboundCalls.dialAnswered(dialStatus);
      LOG.info("connect CallSid={} task=#{} DialCallStatus={}", callSid, taskId, dialStatus == null ? "-" : dialStatus);
      Responses.twiml(ctx, 200, talked ? Twiml.hangup() : Twiml.customerNotReached());
      return;
    }
    Instant now = services.clock().instant();
    services.tasks().find(business.id(), now, taskId)
        .compose(found -> {
          if (found.isEmpty() || found.get().holder() == null || found.get().holder() != agentId) {
            return Future.succeededFuture(Twiml.taskGone());
          }
          var task = found.get();
          Optional<Line> line = business.lineById(task.line());
          if (line.isEmpty()) {
            return Future.succeededFuture(Twiml.taskGone());
          }
          String when = CLOCK_TIME.format(task.triggeredAt().atZone(line.get().timeZone()));
          return services.orders().ofCallback(taskId).map(o -> o.flatMap(OrderStore.OrderFacts::spokenNumber))
              .recover(e -> Future.succeededFuture(Optional.empty()))
              .compose(order -> services.tasks().startAttempt(business.id(), now, agentId, taskId, callSid).map(started -> started
                  ? Twiml.whisperAndConnect(line.get(), task.customerName(), "vip".equals(task.customerTier()),
                      Twiml.whisperReason(task.trigger(), task.reason(), when, order), task.phone(),
                      services.config().dialer().ringTimeoutSeconds(),
                      url(business, CONNECT + "?task=" + taskId + "&agent=" + agentId + "&ended=1"),
                      url(business, STATUS + "?callback=" + taskId))
                  : Twiml.taskGone()));
        })
        .onSuccess(twiml -> {
          LOG.info("connect CallSid={} task=#{} agent=#{} -> whisper, dialling the customer", callSid, taskId, agentId);
          Responses.twiml(ctx, 200, twiml);
        })
        .onFailure(ctx::fail);
  }

  private static long longParam(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest(name + ": missing or not a number");
    }
  }

  /** The language of the line a call is on, by its number. */
  private String languageOf(Business business, MultiMap form) {
    return services.phoneNumbers().normalize(form.get("From")).flatMap(business::lineByNumber)
        .or(() -> services.phoneNumbers().normalize(form.get("To")).flatMap(business::lineByNumber))
        .map(Line::language).orElse("en-US");
  }

  /**
   * A voicemail: both the {@code <Record>} action (the caller is still on the line) and the
   * recording status callback (the file is ready) come here; either attaches it, to the call of
   * this business and the callback its URL names ({@code callback=ID}). Only a recording on
   * Twilio's media hosts is kept: an agent's browser loads it.
   */
  void recording(RoutingContext ctx) {
    Business business = business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    Long callbackId = callbackParam(ctx);
    String url = blankToNull(form.get("RecordingUrl"));
    String status = blankToNull(form.get("RecordingStatus"));
    boolean offered = url != null && (status == null || status.equals("completed"));
    boolean usable = offered && RecordingUrls.isTwilioMedia(url);
    Future<Triggers.Outcome<Boolean>> attached = usable
        ? services.triggers().recording(new Trigger.Recording(business.id(), callSid, callbackId, url))
        : Future.succeededFuture(new Triggers.Outcome<>(false, false));
    attached.onSuccess(outcome -> {
      LOG.info("recording CallSid={} callback={} RecordingStatus={} -> {}", callSid, callbackId == null ? "-" : "#" + callbackId,
          status == null ? "-" : status, !offered ? "nothing to attach"
              : !usable ? "not stored: RecordingUrl is not on Twilio's media hosts (https, api.twilio.com or a regional api host)"
              : outcome.journalled() ? "kept in the journal" : outcome.written() ? "attached to the callback" : "kept with the call");
      // Only the <Record> action is heard by the caller; the status callback gets an empty document.
      Responses.twiml(ctx, 200, status == null ? Twiml.voicemailThanks() : Twiml.empty());
    }).onFailure(ctx::fail);
  }

  /** A status callback for any leg: stored once, then applied to its call. */
  void status(RoutingContext ctx) {
    Business business = business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    String rawStatus = required(form, "CallStatus");
    CallStatus status = CallStatus.parse(rawStatus)
        .orElseThrow(() -> HttpFailure.badRequest("unknown CallStatus '" + rawStatus + "'"));
    CallEvent event = new CallEvent(
        callSid,
        blankToNull(form.get("ParentCallSid")),
        status,
        timestamp(form.get("Timestamp")),
        integer(form.get("SequenceNumber")),
        blankToNull(form.get("Direction")),
        blankToNull(form.get("From")),
        blankToNull(form.get("To")),
        integer(form.get("CallDuration")),
        blankToNull(form.get("AnsweredBy")));
    services.triggers().status(new Trigger.Status(business.id(), event, callbackParam(ctx)))
        .onSuccess(outcome -> {
          String what = outcome.journalled() ? "kept in the journal" : describe(outcome.written());
          // A call sends several events; its outcome is worth a line at INFO, the steps before it at DEBUG.
          if (status.isFinal()) {
            LOG.info("status CallSid={} CallStatus={} -> {}", callSid, status.value(), what);
          } else if (LOG.isDebugEnabled()) {
            LOG.debug("status CallSid={} CallStatus={} -> {}", callSid, status.value(), what);
          }
          Responses.twiml(ctx, 200, Twiml.empty());
        })
        .onFailure(ctx::fail);
  }

  private static long requiredCallbackParam(RoutingContext ctx) {
    Long callbackId = callbackParam(ctx);
    if (callbackId == null) {
      throw HttpFailure.badRequest("missing callback");
    }
    return callbackId;
  }

  /** The callback id Ringback put in the URLs of its own outbound calls. */
  static Long callbackParam(RoutingContext ctx) {
    String value = ctx.request().getParam("callback");
    if (value == null) {
      return null;
    }
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest("callback: not a callback id");
    }
  }

  private static String describe(CallStore.Applied applied) {
    if (applied.duplicate()) {
      return "duplicate, ignored";
    }
    StringBuilder text = new StringBuilder("stored");
    applied.answer().ifPresent(a -> text.append(", ").append(a.direction()).append(" call answered after ")
        .append(a.ringToAnswer().toMillis() / 1000.0).append(" s"));
    applied.ended().ifPresent(e -> text.append(", ").append(e.direction()).append(" call ended: ").append(e.outcome().value()));
    applied.scheduled().ifPresent(sc -> text.append(", callback #").append(sc.id()).append(" (").append(sc.trigger().value())
        .append(sc.created() ? ") due " + sc.dueAt() : ") counted again"));
    applied.cancelled().ifPresent(c -> text.append(", callback #").append(c.id()).append(" cancelled: the customer got through"));
    return text.toString();
  }

  /** The {@code <Dial>}'s action comes when either side hung up; only a caller still on the line can be asked. */
  private static boolean customerStillThere(MultiMap form) {
    return "in-progress".equals(form.get("CallStatus"));
  }

  static String required(MultiMap form, String name) {
    String value = form.get(name);
    if (value == null || value.isBlank()) {
      throw HttpFailure.badRequest("missing " + name);
    }
    if (value.length() > 64) {
      throw HttpFailure.badRequest(name + " is too long");
    }
    return value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static Integer integer(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw HttpFailure.badRequest("'" + value + "' is not a whole number");
    }
  }

  /** Twilio's Timestamp, e.g. "Tue, 21 Nov 2023 10:11:12 +0000"; our clock when absent. */
  private Instant timestamp(String value) {
    if (value == null || value.isBlank()) {
      return services.clock().instant();
    }
    return TwilioTimestamp.parse(value.trim())
        .orElseThrow(() -> HttpFailure.badRequest("Timestamp '" + value + "' is not an RFC 1123 date"));
  }
}
