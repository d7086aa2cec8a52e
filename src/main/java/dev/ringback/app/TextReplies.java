package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.CallbackTimeChoice;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.Speech;
import dev.ringback.domain.TextKind;
import dev.ringback.domain.TextReply;
import dev.ringback.domain.TimeZones;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.CallbackStore;
import dev.ringback.store.TextStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A customer's text to a line: kept in their file, read ({@link TextReply}) and acted on. A time
 * moves their callback there, under the rules of the phone's time picker; "now" makes it due; STOP
 * and START opt the number out of texts and back in; a digit answers a waiting feedback question;
 * anything else is for a person, and the callback becomes an agent's task with the text attached.
 * Each is answered by text, through the outbox, except Twilio's own keywords, which Twilio answers.
 */
public final class TextReplies {
  private static final Logger LOG = LoggerFactory.getLogger(TextReplies.class);
  static final String TEXT_REPLY = "text_reply";
  private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm");

  private final TextStore store;
  private final CallbackStore callbacks;
  private final TextOutbox outbox;
  private final Customers customers;
  private final Feedback feedback;
  private final RingbackConfig config;
  private final Clock clock;
  private final RingbackMetrics metrics;

  public TextReplies(TextStore store, CallbackStore callbacks, TextOutbox outbox, Customers customers, Feedback feedback,
                     RingbackConfig config, Clock clock, RingbackMetrics metrics) {
    this.store = store;
    this.callbacks = callbacks;
    this.outbox = outbox;
    this.customers = customers;
    this.feedback = feedback;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * A text from {@code phone} (E.164) to {@code called} (the line whose number it was sent to;
   * empty when it came through a Messaging Service's other number: then the line of our newest
   * text to that number). Done once the text is kept and acted on; one Twilio posts again changes
   * nothing.
   */
  public Future<Void> received(Business business, Optional<Line> called, String phone, String body, String messageSid) {
    Instant now = clock.instant();
    Future<Optional<Line>> line = called.isPresent() ? Future.succeededFuture(called)
        : store.lastTexted(business.id(), phone, now.minus(Duration.ofHours(config.texts().replyHours())))
            .map(last -> last.flatMap(l -> business.lineOfKey(l.lineId())));
    return line.compose(l -> {
      if (l.isEmpty()) {
        LOG.info("text from {} to no line of {}: not answered", PhoneNumbers.mask(phone), business.slug());
        return Future.succeededFuture();
      }
      TextReply reply = TextReply.read(body, now.atZone(l.get().timeZone()).toLocalDateTime());
      return store.received(business.id(), business.lineKey(l.get()), phone, messageSid, body, reply.kind().name().toLowerCase(Locale.ROOT),
              now)
          .compose(kept -> {
            if (kept.isEmpty()) {
              LOG.info("text {} from {} was received before: nothing more to do", messageSid, PhoneNumbers.mask(phone));
              return Future.succeededFuture();
            }
            metrics.textReply(business.slug(), reply.kind());
            return customers.findByPhone(business.id(), phone)
                .compose(customer -> act(new Sender(business, l.get(), phone, customer, kept.get(), body), reply, now));
          });
    });
  }

  /** Who texted, on which line, and their text's row. */
  private record Sender(Business business, Line line, String phone, Optional<Customer> customer, long replyId, String body) {
    long lineKey() {
      return business.lineKey(line);
    }
  }

  private Future<Void> act(Sender s, TextReply reply, Instant now) {
    String masked = PhoneNumbers.mask(s.phone());
    return switch (reply.kind()) {
      case OPT_OUT -> store.optOut(s.business().id(), s.phone(), s.body().strip(), now).compose(first -> {
        LOG.info("text from {}: opted out of texts{}", masked, first ? "" : " (again)");
        return first && !TextReply.answeredByTwilio(s.body()) ? answer(s, TextKind.REPLY, "sms.reply.opted-out", Map.of(), true)
            : Future.succeededFuture();
      });
      case OPT_IN -> store.optIn(s.business().id(), s.phone(), now).compose(changed -> {
        LOG.info("text from {}: {}", masked, changed ? "opted in to texts again" : "start, while not opted out");
        return changed && !TextReply.answeredByTwilio(s.body()) ? answer(s, TextKind.REPLY, "sms.reply.opted-in", Map.of())
            : Future.succeededFuture();
      });
      case NOW -> callback(s).compose(open -> {
        Future<Boolean> due = open.isPresent() ? store.dueNow(open.get().id(), now) : create(s, now);
        return due.compose(done -> {
          LOG.info("text from {}: call now -> {}", masked, done ? "due now" : "being called already");
          return answer(s, TextKind.REPLY, "sms.reply.now", Map.of());
        });
      });
      case TIME -> time(s, reply.time().orElseThrow(), now);
      case SCORE, OTHER -> feedback.answerByText(s.business().id(), s.phone(), s.body()).compose(answer -> switch (answer) {
        case SCORED -> answer(s, TextKind.FEEDBACK, "sms.feedback.thanks", Map.of());
        case SCORED_POOR -> answer(s, TextKind.FEEDBACK, "sms.feedback.sorry", Map.of());
        case ASK_AGAIN -> answer(s, TextKind.FEEDBACK, "sms.feedback.again", Map.of());
        case LET_GO -> Future.succeededFuture();
        case NO_QUESTION -> forAPerson(s);
      });
    };
  }

  /** A time: accepted within the line's hours and the customer's calling hours, it moves the callback there. */
  private Future<Void> time(Sender s, TextReply.When when, Instant now) {
    Line line = s.line();
    var opening = s.business().openingHours(line);
    var allowed = config.dialer().allowedHours();
    var zones = TimeZones.forCustomer(s.customer().map(Customer::timeZone).orElse(null), s.phone(), line.timeZone());
    CallbackTimeChoice choice = when.at().isPresent()
        ? CallbackTimeChoice.of(when.at().get().format(HHMM), when.date(), line.timeZone(), now, opening, allowed, zones)
        : CallbackTimeChoice.firstOnDay(when.date(), line.timeZone(), now, opening, allowed, zones);
    String masked = PhoneNumbers.mask(s.phone());
    if (!choice.accepted()) {
      LOG.info("text from {}: a time, refused ({})", masked, choice.refusal());
      return answer(s, TextKind.REPLY, switch (choice.refusal()) {
        case PASSED, NOT_A_TIME -> "sms.reply.passed";
        case CLOSED -> "sms.reply.closed";
        case NOT_CALLING_HOURS -> "sms.reply.not-calling-hours";
      }, Map.of());
    }
    return callback(s).compose(open -> open.isPresent() ? store.move(open.get().id(), choice.at())
            : create(s, choice.at()))
        .compose(moved -> {
          if (!moved) {
            // Being dialled right now: the call that is coming is sooner than the time asked for.
            LOG.info("text from {}: a time, but their callback is being dialled now", masked);
            return answer(s, TextKind.REPLY, "sms.reply.now", Map.of());
          }
          LOG.info("text from {}: callback moved to {}", masked, choice.at());
          LocalDate today = now.atZone(line.timeZone()).toLocalDate();
          LocalDate day = choice.at().atZone(line.timeZone()).toLocalDate();
          Speech speech = speech(s);
          Map<String, Object> values = new HashMap<>();
          values.put("time", speech.time(choice.at(), line.timeZone()));
          values.put("date", speech.catalog().date(day));
          return answer(s, TextKind.REPLY, day.equals(today) ? "sms.reply.today"
              : day.equals(today.plusDays(1)) ? "sms.reply.tomorrow" : "sms.reply.later", values);
        });
  }

  /**
   * Words for a person: the open callback becomes a task for the agents, or a new one is opened as
   * a task, on any line: someone must read the text, staffed line or not.
   */
  private Future<Void> forAPerson(Sender s) {
    Instant now = clock.instant();
    return callback(s)
        .compose(open -> open.isPresent() ? Future.succeededFuture(open)
            : store.openTask(s.business().id(), s.lineKey(), s.phone(), s.customer().map(Customer::id).orElse(null), now, TEXT_REPLY)
                .compose(task -> {
                  task.ifPresent(t -> metrics.callbackScheduled(t.business(), t.trigger(), t.line()));
                  return callback(s);
                }))
        .compose(open -> {
          if (open.isEmpty()) {
            return Future.succeededFuture();
          }
          long callbackId = open.get().id();
          return store.toAgents(callbackId, TEXT_REPLY).compose(raised -> {
            LOG.info("text from {}: for a person, {} #{}", PhoneNumbers.mask(s.phone()), raised ? "task" : "callback being dialled",
                callbackId);
            return answer(s, TextKind.REPLY, "sms.reply.other", Map.of());
          });
        });
  }

  private Future<Optional<TextStore.Open>> callback(Sender s) {
    return store.openCallback(s.business().id(), s.lineKey(), s.phone()).compose(open -> {
      if (open.isPresent()) {
        return store.replyAbout(s.replyId(), open.get().id()).map(open);
      }
      return Future.succeededFuture(open);
    });
  }

  /** A callback the customer asked for by text, when none was open. */
  private Future<Boolean> create(Sender s, Instant due) {
    Instant now = clock.instant();
    return callbacks.schedule(new CallbackStore.Trigger(s.business().id(), s.lineKey(), s.phone(), s.customer().map(Customer::id)
            .orElse(null), CallbackTrigger.SCHEDULED, null, now, due, 0, null))
        .map(scheduled -> {
          if (scheduled.created()) {
            metrics.callbackScheduled(scheduled.business(), scheduled.trigger(), scheduled.line());
          }
          return true;
        });
  }

  private Speech speech(Sender s) {
    return Speech.on(config.catalogs(), s.line(), s.customer().map(Customer::language));
  }

  private Future<Void> answer(Sender s, TextKind kind, String key, Map<String, Object> values) {
    return answer(s, kind, key, values, false);
  }

  private Future<Void> answer(Sender s, TextKind kind, String key, Map<String, Object> values, boolean confirmsOptOut) {
    Map<String, Object> all = new HashMap<>(values);
    all.put("business", s.line().name());
    return outbox.answer(s.business(), s.lineKey(), s.line().number(), s.line().textBack().messagingServiceSid(), s.phone(), kind,
        speech(s).text(key, all), confirmsOptOut);
  }
}
