package dev.ringback.http;

import static dev.ringback.http.TwilioForms.lineCalled;
import static dev.ringback.http.TwilioForms.lineCalling;
import static dev.ringback.http.TwilioForms.required;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.Line;
import dev.ringback.domain.Speech;
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

  private final Services services;

  FeedbackWebhooks(Services services) {
    this.services = services;
  }

  /**
   * The {@code <Dial>} to the agents ended after a conversation: by voice the customer, still on
   * the line, hears the question; by SMS it is sent and the call ends. Either is in the
   * customer's language.
   *
   * @param callSid the customer's call
   * @param customer the customer's number
   * @param customerStillThere Twilio's CallStatus for the customer's call is still in progress
   */
  Future<TwimlElement> afterConversation(Business business, String callSid, Line line, Optional<String> customer,
                                         boolean customerStillThere, String agentLegSid) {
    return Speaking.forCaller(services, business, Optional.of(line), customer).compose(speech -> services.feedback()
        .askAfterConversation(business, callSid, line, speech, customerStillThere, agentLegSid)
        .map(byVoice -> byVoice ? Twiml.askFeedback(speech, TwilioGuard.url(services, business, FEEDBACK), false) : Twiml.hangup()));
  }

  /** The key the customer pressed after the question. */
  void keyed(RoutingContext ctx) {
    Business business = TwilioGuard.business(ctx);
    MultiMap form = ctx.request().formAttributes();
    String callSid = required(form, "CallSid");
    String digits = Optional.ofNullable(form.get("Digits")).orElse("").trim();
    Optional<Line> called = lineCalled(services.phoneNumbers(), business, form);
    Optional<Line> calling = lineCalling(services.phoneNumbers(), business, form);
    if (called.isEmpty() && calling.isEmpty()) {
      Responses.twiml(ctx, 200, Twiml.hangup());
      return;
    }
    // The customer called the line, or the line called the customer back.
    Optional<String> customer = services.phoneNumbers().normalize(called.isPresent() ? form.get("From") : form.get("To"));
    Future<Speech> speech = Speaking.forCaller(services, business, called.or(() -> calling), customer);
    services.feedback().answerByKey(business.id(), callSid, digits)
        .compose(answer -> speech.map(s -> switch (answer) {
          case ASK_AGAIN -> Twiml.askFeedback(s, TwilioGuard.url(services, business, FEEDBACK), true);
          case SCORED_POOR -> Twiml.feedbackThanks(s, true);
          case NO_QUESTION, SCORED, LET_GO -> Twiml.feedbackThanks(s, false);
        }))
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
    Future<Speech> speech = Speaking.forCaller(services, business, lineCalled(services.phoneNumbers(), business, form), from);
    services.feedback().answerByText(business.id(), from.get(), body)
        .compose(answer -> speech.map(s -> switch (answer) {
          case SCORED -> s.text("sms.feedback.thanks");
          case SCORED_POOR -> s.text("sms.feedback.sorry");
          case ASK_AGAIN -> s.text("sms.feedback.again");
          case NO_QUESTION, LET_GO -> (String) null;
        }))
        .onSuccess(reply -> Responses.twiml(ctx, 200, Twiml.message(reply)))
        .onFailure(ctx::fail);
  }
}
