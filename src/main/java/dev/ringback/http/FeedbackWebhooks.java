package dev.ringback.http;

import static dev.ringback.http.TwilioForms.lineCalled;
import static dev.ringback.http.TwilioForms.lineCalling;
import static dev.ringback.http.TwilioForms.required;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.Line;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The question after a conversation, by voice or SMS, and the answers: {@code /twilio/feedback}
 * takes the key pressed, {@code /twilio/sms} the text replied. Anything that is no score 1-5 is
 * asked about once more, then let go; it is never stored as a score.
 */
final class FeedbackWebhooks {
  static final String FEEDBACK = "/twilio/feedback";
  static final String SMS = "/twilio/sms";
  private static final String SAY_AGAIN = "Sorry, that is not one of the choices.";
  private static final String TEXT_AGAIN = "Sorry, we did not understand. Please reply with one number from 1 (poor) to 5 (excellent).";

  private final Services services;

  FeedbackWebhooks(Services services) {
    this.services = services;
  }

  /**
   * The {@code <Dial>} to the agents ended after a conversation: by voice the customer, still on
   * the line, hears the question; by SMS it is sent and the call ends.
   *
   * @param callSid the customer's call
   * @param customerStillThere Twilio's CallStatus for the customer's call is still in progress
   */
  Future<TwimlElement> afterConversation(Business business, String callSid, Line line, boolean customerStillThere, String agentLegSid) {
    return services.feedback().askAfterConversation(business, callSid, line, customerStillThere, agentLegSid)
        .map(byVoice -> byVoice ? Twiml.askFeedback(line, TwilioGuard.url(services, business, FEEDBACK), null) : Twiml.hangup());
  }

  /** The key the customer pressed after the question. */
  void keyed(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    String digits = Optional.ofNullable(form.get("Digits")).orElse("").trim();
    Optional<Line> found = lineOfCall(business, form);
    if (found.isEmpty()) {
      Responses.twiml(ctx, 200, Twiml.hangup());
      return;
    }
    Line line = found.get();
    services.feedback().answerByKey(business.id(), callSid, digits)
        .map(answer -> switch (answer) {
          case ASK_AGAIN -> Twiml.askFeedback(line, TwilioGuard.url(services, business, FEEDBACK), SAY_AGAIN);
          case SCORED_POOR -> Twiml.feedbackThanks(line.language(), true);
          case NO_QUESTION, SCORED, LET_GO -> Twiml.feedbackThanks(line.language(), false);
        })
        .onSuccess(twiml -> Responses.twiml(ctx, 200, twiml))
        .onFailure(ctx::fail);
  }

  /** An SMS to one of the lines: the reply to the question, if one is waiting; other texts get no answer. */
  void texted(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    Optional<String> from = services.phoneNumbers().normalize(form.get("From"));
    String body = Optional.ofNullable(form.get("Body")).orElse("");
    if (from.isEmpty()) {
      Responses.twiml(ctx, 200, Twiml.message(null));
      return;
    }
    services.feedback().answerByText(business.id(), from.get(), body)
        .map(answer -> switch (answer) {
          case SCORED -> "Thank you for your answer!";
          case SCORED_POOR -> "Thank you, and we are sorry we let you down. Someone will call you about it soon.";
          case ASK_AGAIN -> TEXT_AGAIN;
          case NO_QUESTION, LET_GO -> (String) null;
        })
        .onSuccess(reply -> Responses.twiml(ctx, 200, Twiml.message(reply)))
        .onFailure(ctx::fail);
  }

  /** The line of a call in either direction: the number called (inbound) or calling (a callback). */
  private Optional<Line> lineOfCall(Business business, MultiMap form) {
    return lineCalled(services.phoneNumbers(), business, form).or(() -> lineCalling(services.phoneNumbers(), business, form));
  }
}
