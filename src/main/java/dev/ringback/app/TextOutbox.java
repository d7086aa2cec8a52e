package dev.ringback.app;

import dev.ringback.domain.PhoneNumbers;
import dev.ringback.domain.SmsSegments;
import dev.ringback.domain.TextKind;
import dev.ringback.domain.TextResult;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.TextStore;
import dev.ringback.telephony.OutgoingText;
import dev.ringback.telephony.SentText;
import dev.ringback.telephony.TelephonyException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every text Ringback sends goes through here: written first, then sent by whichever instance
 * claims it, once. A request that got no answer is settled by asking Twilio for the texts sent to
 * that number since it began; only when none has the same words is it sent again. Twilio reports
 * each text's end to {@code /twilio/text-status}.
 */
public final class TextOutbox {
  private static final Logger LOG = LoggerFactory.getLogger(TextOutbox.class);
  /** Requests that fail for now, or get no answer, are tried this often before the text is given up as failed. */
  static final int MAX_TRIES = 5;
  private static final int BATCH = 20;
  /** A little before the request began: Twilio's clock and ours differ. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

  private final TextStore store;
  private final Businesses businesses;
  private final String publicUrl;
  private final Duration lease;
  private final Clock clock;
  private final RingbackMetrics metrics;

  /** @param lease how long an instance holds a text it is sending before another may settle it */
  public TextOutbox(TextStore store, Businesses businesses, String publicUrl, Duration lease, Clock clock, RingbackMetrics metrics) {
    this.store = store;
    this.businesses = businesses;
    this.publicUrl = publicUrl;
    this.lease = lease;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Writes a text and, when it is due now, sends it at once. Empty when the callback already had
   * its text of this kind; the text's result when it is not sent at all (and why).
   */
  Future<Optional<TextStore.Queued>> queue(Business business, TextStore.NewText written) {
    TextStore.NewText text = written.withBody(SmsSegments.gsmFriendly(written.body()));
    return store.queue(text, clock.instant()).compose(queued -> {
      if (queued.isEmpty()) {
        return Future.succeededFuture(queued);
      }
      TextStore.Queued q = queued.get();
      if (q.notSent().isPresent()) {
        metrics.text(business.slug(), text.kind(), q.notSent().get());
        LOG.info("{} text to {} not sent: {}", text.kind().value(), PhoneNumbers.mask(text.phone()), q.notSent().get().value());
        return Future.succeededFuture(queued);
      }
      if (!text.dueAt().isAfter(clock.instant())) {
        // Sent in the background: the caller's work (a webhook's answer) does not wait for Twilio.
        sendNow(q.id());
      } else {
        LOG.info("{} text to {} waits until {}", text.kind().value(), PhoneNumbers.mask(text.phone()), text.dueAt());
      }
      return Future.succeededFuture(queued);
    });
  }

  private void sendNow(long id) {
    store.claim(clock.instant(), lease, 1, id)
        .compose(claimed -> claimed.isEmpty() ? Future.succeededFuture() : send(claimed.get(0)))
        .onFailure(e -> LOG.warn("text #{} not sent now (it is tried again): {}", id, e.getMessage()));
  }

  /** Sends the texts that are due, and settles those whose sender died mid-request; how many were claimed. */
  public Future<Integer> sendDue() {
    return store.claim(clock.instant(), lease, BATCH, null).compose(claimed -> {
      List<Future<Void>> sent = claimed.stream().map(c -> send(c).recover(e -> {
        LOG.warn("text #{}: {}", c.id(), e.getMessage());
        return Future.succeededFuture();
      })).toList();
      return Future.join(sent).map(claimed.size());
    });
  }

  private Future<Void> send(TextStore.Claimed text) {
    Optional<Business> owner = businesses.byId(text.businessId());
    if (owner.isEmpty()) {
      return Future.succeededFuture();
    }
    Business business = owner.get();
    if (text.blocked().isPresent()) {
      return ended(business, text, text.blocked().get(), null);
    }
    if (!text.ambiguous()) {
      return deliver(business, text);
    }
    return business.telephony().findTexts(text.phone(), text.since().minus(CLOCK_SKEW)).compose(found -> {
      Optional<SentText> same = found.stream().filter(t -> text.body().equals(t.body())).findFirst();
      if (same.isPresent()) {
        LOG.info("{} text #{} to {} was sent before its sender stopped ({}): not sent again", text.kind().value(), text.id(),
            PhoneNumbers.mask(text.phone()), same.get().sid());
        return sent(business, text, same.get().sid());
      }
      return deliver(business, text);
    });
  }

  private Future<Void> deliver(Business business, TextStore.Claimed text) {
    boolean service = text.messagingServiceSid() != null && !text.messagingServiceSid().isEmpty();
    OutgoingText outgoing = new OutgoingText(service ? null : text.sender(), service ? text.messagingServiceSid() : null, text.phone(),
        text.body(), business.url(publicUrl, WebhookPaths.TEXT_STATUS + "?text=" + text.id()));
    return business.telephony().sendText(outgoing)
        .compose(sent -> sent(business, text, sent.sid()))
        .recover(e -> {
          TelephonyException.Kind kind = e instanceof TelephonyException t ? t.kind() : TelephonyException.Kind.AMBIGUOUS;
          Integer code = e instanceof TelephonyException t ? t.code() : null;
          LOG.warn("{} text #{} to {}: {} ({})", text.kind().value(), text.id(), PhoneNumbers.mask(text.phone()), e.getMessage(),
              kind.name().toLowerCase(Locale.ROOT));
          return switch (kind) {
            case PERMANENT -> ended(business, text, TextResult.REFUSED, code);
            case RETRYABLE -> text.tries() >= MAX_TRIES ? ended(business, text, TextResult.FAILED, code)
                : store.again(text.id(), clock.instant().plus(backoff(text.tries())));
            // It may have been sent: the lease runs out, and Twilio is asked before it is sent again;
            // a provider that never answers does not keep it in doubt for ever.
            case AMBIGUOUS -> text.tries() >= MAX_TRIES ? ended(business, text, TextResult.FAILED, code) : Future.succeededFuture();
          };
        });
  }

  /** 10 s, 40 s, 90 s, 160 s: a provider's outage passes, a text's moment should not. */
  static Duration backoff(int tries) {
    return Duration.ofSeconds(10L * tries * tries);
  }

  private Future<Void> sent(Business business, TextStore.Claimed text, String sid) {
    return store.sent(text.id(), sid, clock.instant()).map(changed -> {
      if (changed.isPresent()) {
        metrics.text(business.slug(), text.kind(), TextResult.SENT);
        LOG.info("{} text #{} to {} sent: {}", text.kind().value(), text.id(), PhoneNumbers.mask(text.phone()), sid);
      }
      return null;
    });
  }

  private Future<Void> ended(Business business, TextStore.Claimed text, TextResult result, Integer code) {
    return store.ended(text.id(), result, code, clock.instant()).map(changed -> {
      if (changed.isPresent()) {
        metrics.text(business.slug(), text.kind(), result);
        LOG.info("{} text #{} to {} not sent: {}{}", text.kind().value(), text.id(), PhoneNumbers.mask(text.phone()), result.value(),
            code == null ? "" : " (Twilio error " + code + ")");
      }
      return null;
    });
  }

  /**
   * Twilio's report on a text ({@code MessageStatus}, with {@code ErrorCode} when it failed):
   * kept, and its end counted once. A failure that says the number can never take texts, or
   * that it opted out at Twilio, marks the number.
   */
  public Future<Void> status(Business business, long textId, String messageSid, String status, Integer errorCode) {
    TextResult result = TextResult.ofFinalStatus(status).orElse(null);
    return store.status(business.id(), textId, messageSid, status, errorCode, result, clock.instant()).map(changed -> {
      if (changed.isPresent() && result != null) {
        metrics.text(business.slug(), changed.get().kind(), result);
        LOG.info("{} text #{} to {}: {}{}", changed.get().kind().value(), textId, PhoneNumbers.mask(changed.get().phone()), status,
            errorCode == null ? "" : " (Twilio error " + errorCode + ")");
      }
      return null;
    });
  }

  /**
   * A text that answers the customer, sent now, from the line they texted.
   *
   * @param confirmsOptOut the confirmation of an opt-out: the one text a number that just opted out gets
   */
  Future<Void> answer(Business business, long lineKey, String sender, String messagingServiceSid, String phone, TextKind kind,
                      String body, boolean confirmsOptOut) {
    Instant now = clock.instant();
    // An answer's number is the one that just texted us: it takes texts, whatever its numbering plan says.
    return queue(business, new TextStore.NewText(business.id(), lineKey, null, phone, kind, body, sender, messagingServiceSid, now, true,
        confirmsOptOut))
        .mapEmpty();
  }
}
