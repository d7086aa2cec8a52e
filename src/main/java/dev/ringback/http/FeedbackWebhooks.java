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
 * The question after a conversation, by voice or SMS, and the key pressed in answer
 * ({@code /twilio/feedback}); a text's answer comes with the other texts ({@link TextWebhooks}).
 * Anything that is no score 1-5 is asked about once more, then let go; it is never stored as a score.
 */
final class FeedbackWebhooks {
  static final String FEEDBACK = "/twilio/feedback";

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
}
