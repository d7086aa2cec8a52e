package dev.ringback.app;

import dev.ringback.config.RingbackConfig;
import dev.ringback.domain.CallbackTrigger;
import dev.ringback.domain.Customer;
import dev.ringback.domain.Line;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.Speech;
import dev.ringback.domain.TextBack;
import dev.ringback.domain.TextKind;
import dev.ringback.domain.TimeZones;
import dev.ringback.store.CallbackStore;
import dev.ringback.store.TextStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The texts about a callback: the text-back within seconds of the trigger that created it, and
 * the text after its last attempt failed. Each is written once per callback. The instance that
 * writes the callback texts at once; a safety net finds callbacks of the last minutes whose text
 * was never written (the instance died in between) and writes it.
 */
public final class CallbackTexts {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackTexts.class);
  /** How far back the safety net looks, and how long it leaves a new callback to the instance that wrote it. */
  static final Duration WINDOW = Duration.ofMinutes(10);
  static final Duration SETTLE = Duration.ofSeconds(3);
  private static final String[] CALL_TRIGGERS = Stream.of(CallbackTrigger.values())
      .filter(t -> t != CallbackTrigger.ORDER && new TextBack(true, false, "").wanted(t)).map(CallbackTrigger::value)
      .toArray(String[]::new);

  private final TextStore store;
  private final TextOutbox outbox;
  private final Businesses businesses;
  private final Customers customers;
  private final RingbackConfig config;
  private final Clock clock;

  public CallbackTexts(TextStore store, TextOutbox outbox, Businesses businesses, Customers customers, RingbackConfig config,
                       Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.businesses = businesses;
    this.customers = customers;
    this.config = config;
    this.clock = clock;
  }

  /** A trigger created a callback: its text-back, when its line wants one. Never fails the trigger. */
  void created(CallbackStore.Scheduled scheduled) {
    if (!scheduled.created()) {
      return;
    }
    Optional<Line> line = businesses.bySlug(scheduled.business()).flatMap(b -> b.lineById(scheduled.line()));
    if (line.isEmpty() || !line.get().textBack().wanted(scheduled.trigger())) {
      return;
    }
    textBack(scheduled.id()).onFailure(e -> LOG.warn("text-back for callback #{} not written now (the safety net will): {}",
        scheduled.id(), e.getMessage()));
  }

  /** The safety net: callbacks of the last minutes on lines that text, without the text they should have had. */
  public Future<Void> sweep() {
    List<Long> callLines = new ArrayList<>();
    List<Long> orderLines = new ArrayList<>();
    List<Long> lastAttemptLines = new ArrayList<>();
    for (Business business : businesses.all()) {
      for (Line line : business.lines()) {
        TextBack texts = line.textBack();
        if (texts.calls()) {
          callLines.add(business.lineKey(line));
        }
        if (texts.orders()) {
          orderLines.add(business.lineKey(line));
        }
        if (texts.any() && config.texts().afterLastAttempt()) {
          lastAttemptLines.add(business.lineKey(line));
        }
      }
    }
    if (callLines.isEmpty() && orderLines.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<Void> textBacks = store.withoutTextBack(callLines.toArray(Long[]::new), CALL_TRIGGERS, orderLines.toArray(Long[]::new),
            WINDOW, SETTLE)
        .compose(ids -> each(ids, this::textBack));
    return textBacks.compose(v -> lastAttemptLines.isEmpty() ? Future.<Void>succeededFuture()
        : store.withoutLastAttemptText(lastAttemptLines.toArray(Long[]::new), WINDOW, SETTLE).compose(ids -> each(ids, this::lastAttempt)));
  }

  private static Future<Void> each(List<Long> ids, LongFunction<Future<Void>> write) {
    Future<Void> done = Future.succeededFuture();
    for (long id : ids) {
      done = done.compose(v -> write.apply(id).recover(e -> {
        LOG.warn("text for callback #{} not written: {}", id, e.getMessage());
        return Future.succeededFuture();
      }));
    }
    return done;
  }

  /** Sorry we missed you, and when we will call: within the promised minutes, or the day and time. */
  Future<Void> textBack(long callbackId) {
    return about(callbackId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      Context c = found.get();
      Instant now = clock.instant();
      Map<String, Object> values = c.values();
      String key;
      if (c.about().trigger() == CallbackTrigger.ORDER) {
        key = "sms.text-back.order";
        values.put("order", c.about().orderNumber() == null ? "" : c.about().orderNumber());
      } else if (TextBack.callsWithin(c.about().dueAt(), now, config.callbacks().promiseMinutes())) {
        key = "sms.text-back";
        values.put("minutes", config.callbacks().promiseMinutes());
      } else {
        key = "sms.text-back.later";
        values.put("date", c.speech().catalog().date(c.about().dueAt().atZone(c.line().timeZone()).toLocalDate()));
        values.put("time", c.speech().time(c.about().dueAt(), c.line().timeZone()));
      }
      String body = c.speech().text(c.named() ? key + ".known" : key, values);
      return write(c, TextKind.TEXT_BACK, body, now);
    });
  }

  /** We tried at these times: reply with a good time, or call us. Sent in the customer's calling hours. */
  Future<Void> lastAttempt(long callbackId) {
    return about(callbackId).compose(found -> {
      if (found.isEmpty() || !"expired".equals(found.get().about().state()) || found.get().about().triedAt().isEmpty()) {
        return Future.succeededFuture();
      }
      Context c = found.get();
      Map<String, Object> values = c.values();
      values.put("times", c.speech().catalog().list(c.about().triedAt().stream()
          .map(at -> c.speech().time(at, c.line().timeZone())).distinct().toList()));
      values.put("phone", PhoneNumbers.written(c.line().number()));
      String body = c.speech().text(c.named() ? "sms.last-attempt.known" : "sms.last-attempt", values);
      Instant now = clock.instant();
      Instant due = config.dialer().allowedHours().firstCallable(now,
          TimeZones.forCustomer(c.customer().map(Customer::timeZone).orElse(null), c.about().phone(), c.line().timeZone()),
          c.line().timeZone());
      return write(c, TextKind.LAST_ATTEMPT, body, due);
    });
  }

  private Future<Void> write(Context c, TextKind kind, String body, Instant due) {
    TextBack texts = c.line().textBack();
    return outbox.queue(c.business(), new TextStore.NewText(c.business().id(), c.about().lineId(), c.about().callbackId(),
            c.about().phone(), kind, body, c.line().number(), texts.messagingServiceSid(), due, PhoneNumbers.canTakeTexts(c.about().phone()),
            false))
        .mapEmpty();
  }

  /** A callback, its business and line as configured now, the customer, and how they are written to. */
  private record Context(Business business, Line line, TextStore.About about, Optional<Customer> customer, Speech speech) {
    boolean named() {
      return customer.filter(Customer::hasName).isPresent();
    }

    /** The values every text has: the business's name, and the customer's names when known. */
    Map<String, Object> values() {
      Map<String, Object> values = new HashMap<>(customer.filter(Customer::hasName).map(Customer::names).orElse(Map.of()));
      values.put("business", line.name());
      return values;
    }
  }

  private Future<Optional<Context>> about(long callbackId) {
    return store.about(callbackId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.<Context>empty());
      }
      TextStore.About about = found.get();
      Optional<Business> business = businesses.byId(about.businessId());
      Optional<Line> line = business.flatMap(b -> b.lineOfKey(about.lineId()));
      if (line.isEmpty()) {
        return Future.succeededFuture(Optional.<Context>empty());
      }
      return customers.findByPhone(about.businessId(), about.phone()).map(customer -> Optional.of(new Context(business.get(), line.get(),
          about, customer, Speech.on(config.catalogs(), line.get(), customer.map(Customer::language)))));
    });
  }
}
