package dev.ringback.http;

import static dev.ringback.app.WebhookPaths.WHEN;
import static dev.ringback.app.WebhookPaths.forCallback;
import static dev.ringback.http.Twiml.CLOCK_TIME;
import static dev.ringback.http.TwilioForms.blankToNull;
import static dev.ringback.http.TwilioForms.callbackParam;
import static dev.ringback.http.TwilioForms.lineCalled;
import static dev.ringback.http.TwilioForms.required;

import dev.ringback.app.Business;
import dev.ringback.app.Callbacks;
import dev.ringback.app.Services;
import dev.ringback.domain.CallbackTimeChoice;
import dev.ringback.domain.Line;
import dev.ringback.store.CallbackStore;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller chooses when to be called back: 2 during the missed-call or after-hours message,
 * then the day (1 today, 2 tomorrow, 3 the day after), then the time as four digits. A time
 * outside opening hours or the allowed calling hours is refused with the reason, once asked
 * again; the caller's waiting callback moves to the chosen time (trigger {@code scheduled}).
 * The URLs carry the callback the message promised ({@code callback=ID}), and each call's
 * choice is applied once.
 */
final class TimePickerWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(TimePickerWebhooks.class);
  private static final DateTimeFormatter SPOKEN_DAY = DateTimeFormatter.ofPattern("EEEE", Locale.ENGLISH);

  private final Services services;

  TimePickerWebhooks(Services services) {
    this.services = services;
  }

  private String url(Business business, String pathAndQuery) {
    return TwilioGuard.url(services, business, pathAndQuery);
  }

  void when(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    Long callbackId = callbackParam(ctx);
    String digits = Optional.ofNullable(blankToNull(form.get("Digits"))).orElse("");
    String step = Optional.ofNullable(ctx.request().getParam("step")).orElse("offer");
    Optional<Line> found = lineCalled(services.phoneNumbers(), business, form);
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
        chooseTime(ctx, business, callSid, callbackId, line, services.phoneNumbers().normalize(form.get("From")), digits);
      }
      default -> throw HttpFailure.badRequest("step: unknown");
    }
  }

  private void chooseTime(RoutingContext ctx, Business business, String callSid, Long callbackId, Line line, Optional<String> caller,
                          String digits) {
    String day = ctx.request().getParam("day");
    services.callbacks().chooseTime(business, line, callSid, callbackId, caller, Integer.parseInt(day) - 1, digits)
        .onSuccess(chosen -> answerChosenTime(ctx, business, callSid, callbackId, line, day, digits, chosen))
        .onFailure(ctx::fail);
  }

  private void answerChosenTime(RoutingContext ctx, Business business, String callSid, Long callbackId, Line line, String day,
                                String digits, Callbacks.TimeChosen chosen) {
    boolean retried = ctx.request().getParam("retry") != null;
    CallbackTimeChoice choice = chosen.choice();
    if (!choice.accepted()) {
      String problem = switch (choice.refusal()) {
        case NOT_A_TIME -> "Sorry, that is not a time.";
        case PASSED -> "Sorry, that time has passed.";
        case CLOSED -> "Sorry, we are closed then.";
        case NOT_CALLING_HOURS -> "Sorry, we do not call at that hour.";
      };
      LOG.info("when CallSid={} day={} time={} -> refused: {}", callSid, day, digits, problem);
      Responses.twiml(ctx, 200, retried ? Twiml.timeNotChosen(line.language(), problem)
          : Twiml.askTime(line.language(), url(business, forCallback(WHEN + "?step=time&day=" + day + "&retry=1", callbackId)), problem));
      return;
    }
    Instant due = choice.at();
    String spoken = (day.equals("1") ? "today" : day.equals("2") ? "tomorrow" : "on " + SPOKEN_DAY.format(chosen.date()))
        + " at " + CLOCK_TIME.format(due.atZone(line.timeZone()));
    CallbackStore.Rescheduled done = chosen.moved().orElseThrow();
    LOG.info("when CallSid={} callback={} -> {}", callSid, callbackId == null ? "-" : "#" + callbackId, switch (done) {
      case MOVED -> "callback moved to " + due;
      case CHOSEN_BEFORE -> "this call's choice was made before; nothing changed";
      case NOT_FOUND -> "no waiting callback of this call to move";
    });
    // The same request again (Twilio retrying) is answered as the first time.
    Responses.twiml(ctx, 200, done != CallbackStore.Rescheduled.NOT_FOUND ? Twiml.timeChosen(line.language(), spoken)
        : Twiml.timeNotChosen(line.language(), "Sorry, we could not find your request."));
  }
}
