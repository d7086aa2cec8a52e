package dev.ringback.http;

import static dev.ringback.http.TwilioForms.lineCalled;
import static dev.ringback.http.TwilioForms.lineCalling;
import static dev.ringback.http.TwilioForms.required;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.Feedback;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The question after a conversation, by voice or SMS, and the answers: {@code /twilio/feedback}
 * takes the key pressed, {@code /twilio/sms} the text replied. Anything that is no score 1-5 is
 * asked about once more, then let go; it is never stored as a score.
 */
final class FeedbackWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackWebhooks.class);
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
    String channel = line.feedbackChannel();
    if (channel.equals(Feedback.VOICE) && !customerStillThere || channel.equals(Feedback.NONE)) {
      return Future.succeededFuture(Twiml.hangup());
    }
    Instant now = services.clock().instant();
    return services.feedbackStore().ask(business.id(), callSid, channel, now, agentLegSid)
        .compose(asked -> {
          if (asked.isEmpty()) {
            return Future.succeededFuture(Twiml.hangup());
          }
          if (channel.equals(Feedback.VOICE)) {
            LOG.info("feedback CallSid={} -> asked by voice", callSid);
            return Future.succeededFuture(Twiml.askFeedback(line, TwilioGuard.url(services, business, FEEDBACK), null));
          }
          String text = services.config().feedback().smsText().replace("{line}", line.name());
          // The call is over either way: a failed SMS is logged, and the customer hears nothing of it.
          business.telephony().sendMessage(line.number(), asked.get(), text)
              .compose(messageSid -> services.feedbackStore().messageSent(business.id(), callSid, messageSid))
              .onSuccess(v -> LOG.info("feedback CallSid={} -> asked by SMS to {}", callSid, PhoneNumbers.mask(asked.get())))
              .onFailure(e -> LOG.warn("feedback CallSid={}: the SMS to {} failed: {}", callSid, PhoneNumbers.mask(asked.get()),
                  e.getMessage()));
          return Future.succeededFuture(Twiml.hangup());
        })
        .recover(e -> {
          LOG.error("feedback CallSid={}: could not ask: {}", callSid, e.getMessage());
          return Future.succeededFuture(Twiml.hangup());
        });
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
    OptionalInt score = Feedback.keyed(digits);
    services.feedbackStore().waitingOnCall(business.id(), callSid)
        .compose(waiting -> {
          if (waiting.isEmpty()) {
            return Future.succeededFuture(Twiml.feedbackThanks(line.language(), false));
          }
          if (score.isPresent()) {
            return scored(waiting.get(), score.getAsInt(), "CallSid=" + callSid)
                .map(poor -> Twiml.feedbackThanks(line.language(), poor));
          }
          return services.feedbackStore().notAScore(waiting.get()).map(again -> {
            LOG.info("feedback CallSid={} Digits={} -> no score; {}", callSid, digits, again ? "asked again" : "let go");
            return again ? Twiml.askFeedback(line, TwilioGuard.url(services, business, FEEDBACK), SAY_AGAIN)
                : Twiml.feedbackThanks(line.language(), false);
          });
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
    Instant since = services.clock().instant().minus(Duration.ofHours(services.config().feedback().replyHours()));
    OptionalInt score = Feedback.texted(body);
    services.feedbackStore().waitingForSms(business.id(), from.get(), since)
        .compose(waiting -> {
          if (waiting.isEmpty()) {
            LOG.info("sms from {} -> no question waiting; not answered", PhoneNumbers.mask(from.get()));
            return Future.succeededFuture((String) null);
          }
          if (score.isPresent()) {
            return scored(waiting.get(), score.getAsInt(), "sms from " + PhoneNumbers.mask(from.get()))
                .map(poor -> poor ? "Thank you, and we are sorry we let you down. Someone will call you about it soon."
                    : "Thank you for your answer!");
          }
          return services.feedbackStore().notAScore(waiting.get()).map(again -> {
            LOG.info("sms from {} -> no score; {}", PhoneNumbers.mask(from.get()), again ? "asked again" : "let go");
            return again ? TEXT_AGAIN : null;
          });
        })
        .onSuccess(reply -> Responses.twiml(ctx, 200, Twiml.message(reply)))
        .onFailure(ctx::fail);
  }

  /** Stores the score, counts it and, for a poor one, its recovery task; true when it was poor. */
  private Future<Boolean> scored(long id, int score, String who) {
    return services.feedbackStore().score(id, score, services.clock().instant()).map(stored -> {
      stored.ifPresent(s -> {
        services.metrics().feedbackScored(s.business(), s.score());
        s.recovery().filter(task -> task.created())
            .ifPresent(task -> services.metrics().callbackScheduled(task.business(), task.trigger(), task.line()));
        LOG.info("feedback {} -> score {}{}", who, s.score(), s.recovery().map(t -> ", service-recovery task #" + t.id()).orElse(""));
      });
      return Feedback.isPoor(score);
    });
  }

  /** The line of a call in either direction: the number called (inbound) or calling (a callback). */
  private Optional<Line> lineOfCall(Business business, MultiMap form) {
    return lineCalled(services.phoneNumbers(), business, form).or(() -> lineCalling(services.phoneNumbers(), business, form));
  }
}
