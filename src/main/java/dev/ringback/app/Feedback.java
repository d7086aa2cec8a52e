package dev.ringback.app;

import static dev.ringback.domain.Feedback.NONE;
import static dev.ringback.domain.Feedback.VOICE;
import static dev.ringback.domain.Feedback.isPoor;
import static dev.ringback.domain.Feedback.keyed;
import static dev.ringback.domain.Feedback.texted;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.Speech;
import dev.ringback.domain.TextKind;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.FeedbackStore;
import dev.ringback.store.TextStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asking a customer how a call went, by phone or by text, and keeping the answer. */
public final class Feedback {
  private static final Logger LOG = LoggerFactory.getLogger(Feedback.class);

  /** What became of an answer to the question. */
  public enum Answer {
    /** No question waits for this answer. */
    NO_QUESTION,
    SCORED,
    /** A poor score: a service-recovery task is in the queue. */
    SCORED_POOR,
    /** Not a score: the customer is asked once more. */
    ASK_AGAIN,
    /** Not a score a second time: the question is dropped. */
    LET_GO
  }

  private final FeedbackStore store;
  private final RingbackConfig.Feedback config;
  private final Clock clock;
  private final RingbackMetrics metrics;
  private final TextOutbox outbox;

  public Feedback(FeedbackStore store, TextOutbox outbox, RingbackConfig.Feedback config, Clock clock, RingbackMetrics metrics) {
    this.store = store;
    this.outbox = outbox;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * After a conversation, asks the customer how it went on the line's channel: by voice while
   * they are still on the line, or by SMS, sent while the call ends. True when the customer is to
   * hear the question now; a failure to ask is logged and the call simply ends.
   *
   * @param callSid the customer's call
   * @param speech how the customer is spoken to: the SMS is written in its language
   * @param agentLegSid the {@code <Dial>}'s answered leg, if known
   */
  public Future<Boolean> askAfterConversation(Business business, String callSid, Line line, Speech speech, boolean customerStillThere,
                                              String agentLegSid) {
    String channel = line.feedbackChannel();
    if (channel.equals(VOICE) && !customerStillThere || channel.equals(NONE)) {
      return Future.succeededFuture(false);
    }
    return store.ask(business.id(), callSid, channel, clock.instant(), agentLegSid)
        .map(asked -> {
          if (asked.isEmpty()) {
            return false;
          }
          if (channel.equals(VOICE)) {
            LOG.info("feedback CallSid={} -> asked by voice", callSid);
            return true;
          }
          String text = speech.text("sms.feedback.question", Map.of("business", line.name()));
          // The call is over either way: the text goes through the outbox, and the customer hears nothing of it.
          outbox.queue(business, new TextStore.NewText(business.id(), business.lineKey(line), null, asked.get(), TextKind.FEEDBACK, text,
                  line.number(), line.textBack().messagingServiceSid(), clock.instant(), PhoneNumbers.canTakeTexts(asked.get()),
                  false))
              .onSuccess(v -> LOG.info("feedback CallSid={} -> asked by SMS to {}", callSid, PhoneNumbers.mask(asked.get())))
              .onFailure(e -> LOG.warn("feedback CallSid={}: the SMS to {} was not written: {}", callSid, PhoneNumbers.mask(asked.get()),
                  e.getMessage()));
          return false;
        })
        .recover(e -> {
          LOG.error("feedback CallSid={}: could not ask: {}", callSid, e.getMessage());
          return Future.succeededFuture(false);
        });
  }

  /** The key the customer pressed after the question asked on this call. */
  public Future<Answer> answerByKey(long businessId, String callSid, String digits) {
    OptionalInt score = keyed(digits);
    return store.waitingOnCall(businessId, callSid).compose(waiting -> {
      if (waiting.isEmpty()) {
        return Future.succeededFuture(Answer.NO_QUESTION);
      }
      if (score.isPresent()) {
        return scored(waiting.get(), score.getAsInt(), "CallSid=" + callSid);
      }
      return notAScore(waiting.get(), "feedback CallSid=" + callSid + " Digits=" + digits);
    });
  }

  /** A text from this number: the reply to the newest SMS question sent to it, if one still waits. */
  public Future<Answer> answerByText(long businessId, String from, String body) {
    Instant since = clock.instant().minus(Duration.ofHours(config.replyHours()));
    OptionalInt score = texted(body);
    String who = "sms from " + PhoneNumbers.mask(from);
    return store.waitingForSms(businessId, from, since).compose(waiting -> {
      if (waiting.isEmpty()) {
        LOG.info("{} -> no question waiting; not answered", who);
        return Future.succeededFuture(Answer.NO_QUESTION);
      }
      if (score.isPresent()) {
        return scored(waiting.get(), score.getAsInt(), who);
      }
      return notAScore(waiting.get(), who);
    });
  }

  /** Stores the score, counts it and, for a poor one, its recovery task. */
  private Future<Answer> scored(long id, int score, String who) {
    return store.score(id, score, clock.instant()).map(stored -> {
      stored.ifPresent(s -> {
        metrics.feedbackScored(s.business(), s.score());
        s.recovery().filter(task -> task.created())
            .ifPresent(task -> metrics.callbackScheduled(task.business(), task.trigger(), task.line()));
        LOG.info("feedback {} -> score {}{}", who, s.score(), s.recovery().map(t -> ", service-recovery task #" + t.id()).orElse(""));
      });
      return isPoor(score) ? Answer.SCORED_POOR : Answer.SCORED;
    });
  }

  private Future<Answer> notAScore(long id, String what) {
    return store.notAScore(id).map(again -> {
      LOG.info("{} -> no score; {}", what, again ? "asked again" : "let go");
      return again ? Answer.ASK_AGAIN : Answer.LET_GO;
    });
  }
}
