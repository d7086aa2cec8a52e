package dev.ringback.http;

import static dev.ringback.app.WebhookPaths.WHEN;
import static dev.ringback.app.WebhookPaths.forCallback;
import static dev.ringback.http.TwilioForms.blankToNull;
import static dev.ringback.http.TwilioForms.callbackParam;
import static dev.ringback.http.TwilioForms.lineCalled;
import static dev.ringback.http.TwilioForms.required;

import dev.ringback.app.Business;
import dev.ringback.app.Callbacks;
import dev.ringback.app.Services;
import dev.ringback.domain.CallbackTimeChoice;
import dev.ringback.domain.Line;
import dev.ringback.domain.Speech;
import dev.ringback.http.Twiml.Sentence;
import dev.ringback.store.CallbackStore;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
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
    if (step.equals("time") && !Optional.ofNullable(ctx.request().getParam("day")).orElse("").matches("[123]")) {
      throw HttpFailure.badRequest("day: must be 1, 2 or 3");
    }
    if (!List.of("offer", "day", "time").contains(step)) {
      throw HttpFailure.badRequest("step: unknown");
    }
    Optional<Line> found = lineCalled(services.phoneNumbers(), business, form);
    Optional<String> caller = services.phoneNumbers().normalize(form.get("From"));
    Speaking.forCaller(services, business, found, caller).onSuccess(speech -> {
      if (found.isEmpty()) {
        Responses.twiml(ctx, 200, Twiml.goodbye("apology", speech));
        return;
      }
      Line line = found.get();
      switch (step) {
        case "offer" -> Responses.twiml(ctx, 200, "2".equals(digits)
            ? Twiml.askDay(speech, url(business, forCallback(WHEN + "?step=day", callbackId)))
            : Twiml.timeNotChosen(speech, Sentence.of("picker.no-choice")));
        case "day" -> Responses.twiml(ctx, 200, digits.matches("[123]")
            ? Twiml.askTime(speech, url(business, forCallback(WHEN + "?step=time&day=" + digits, callbackId)), null, example(speech))
            : Twiml.timeNotChosen(speech, Sentence.of("picker.not-a-choice")));
        default -> chooseTime(ctx, business, callSid, callbackId, line, caller, digits, speech);
      }
    }).onFailure(ctx::fail);
  }

  /** 14:30, as the example of a time, in the caller's language. */
  private static String example(Speech speech) {
    return speech.catalog().timeOfDay(LocalTime.of(14, 30));
  }

  private void chooseTime(RoutingContext ctx, Business business, String callSid, Long callbackId, Line line, Optional<String> caller,
                          String digits, Speech speech) {
    String day = ctx.request().getParam("day");
    services.callbacks().chooseTime(business, line, callSid, callbackId, caller, Integer.parseInt(day) - 1, digits)
        .onSuccess(chosen -> answerChosenTime(ctx, business, callSid, callbackId, line, day, digits, chosen, speech))
        .onFailure(ctx::fail);
  }

  private void answerChosenTime(RoutingContext ctx, Business business, String callSid, Long callbackId, Line line, String day,
                                String digits, Callbacks.TimeChosen chosen, Speech speech) {
    boolean retried = ctx.request().getParam("retry") != null;
    CallbackTimeChoice choice = chosen.choice();
    if (!choice.accepted()) {
      Sentence problem = Sentence.of(switch (choice.refusal()) {
        case NOT_A_TIME -> "picker.not-a-time";
        case PASSED -> "picker.passed";
        case CLOSED -> "picker.closed";
        case NOT_CALLING_HOURS -> "picker.not-calling-hours";
      });
      LOG.info("when CallSid={} day={} time={} -> refused: {}", callSid, day, digits, problem.key());
      Responses.twiml(ctx, 200, retried ? Twiml.timeNotChosen(speech, problem)
          : Twiml.askTime(speech, url(business, forCallback(WHEN + "?step=time&day=" + day + "&retry=1", callbackId)), problem,
              example(speech)));
      return;
    }
    Instant due = choice.at();
    CallbackStore.Rescheduled done = chosen.moved().orElseThrow();
    LOG.info("when CallSid={} callback={} -> {}", callSid, callbackId == null ? "-" : "#" + callbackId, switch (done) {
      case MOVED -> "callback moved to " + due;
      case CHOSEN_BEFORE -> "this call's choice was made before; nothing changed";
      case NOT_FOUND -> "no waiting callback of this call to move";
    });
    // The same request again (Twilio retrying) is answered as the first time.
    Responses.twiml(ctx, 200, done != CallbackStore.Rescheduled.NOT_FOUND
        ? Twiml.timeChosen(speech, readBack(speech, day, chosen.date(), due, line))
        : Twiml.timeNotChosen(speech, Sentence.of("picker.not-found")));
  }

  /** The chosen time read back as the caller's language says it: today, tomorrow, or the day after with its date. */
  static Sentence readBack(Speech speech, String day, LocalDate date, Instant due, Line line) {
    String time = speech.time(due, line.timeZone());
    return switch (day) {
      case "1" -> Sentence.of("picker.chosen.today", "time", time);
      case "2" -> Sentence.of("picker.chosen.tomorrow", "time", time);
      default -> new Sentence("picker.chosen.later", Map.of("time", time, "date", speech.catalog().date(date)));
    };
  }
}
