package dev.ringback.telephony;

import dev.ringback.domain.CallStatus;
import dev.ringback.domain.PhoneNumbers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays outbound calls when no Twilio account is configured: each call rings for 1-5 rings,
 * then a person answers, nobody does, or a machine picks up, and every event is reported to
 * this server's own {@code /twilio/*} endpoints exactly as Twilio would report it. An agent
 * called first for a callback presses 1 (and the customer's leg is played as Twilio dials it),
 * declines, or is their voicemail. Texts are logged and reported sent, then delivered. Its
 * account is "Simulator", and every number is one of its own.
 */
public final class SimulatedTelephony implements Telephony {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedTelephony.class);
  private static final DateTimeFormatter TWILIO_TIMESTAMP = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  /** The carrier's done date of a delivery receipt, as Twilio passes it on: YYMMDDhhmm. */
  private static final DateTimeFormatter DLR_DONE_DATE = DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final String API_VERSION = "2010-04-01";
  /** The sender of a text sent through a Messaging Service: a number of the service's, as Twilio would pick one. */
  private static final String SERVICE_SENDER = "+15005550006";

  private final Vertx vertx;
  private final WebClient web;
  private final Supplier<String> localBaseUrl;
  private final Clock clock;
  private final Random random;
  private final long ringMillis;
  /** The simulator's own record of its recent calls, so lost status reports can be looked up as at Twilio. */
  private final Map<String, CallProgress> recent = Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CallProgress> eldest) {
      return size() > 10_000;
    }
  });
  /** The texts it sent lately, oldest first, so findTexts answers as Twilio's list would. */
  private final Map<String, SentText> texts = Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SentText> eldest) {
      return size() > 10_000;
    }
  });
  /** The account its texts' status callbacks name, as Twilio names the account that sent the text. */
  private final String accountSid;
  /** The numbers asked for, by number, with the webhooks last set on them. */
  private final Map<String, NumberSettings> numbers = Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, NumberSettings> eldest) {
      return size() > 10_000;
    }
  });

  /**
   * @param localBaseUrl where this server listens, e.g. {@code http://127.0.0.1:8080}
   * @param ringMillis length of one ring cycle
   */
  public SimulatedTelephony(Vertx vertx, Supplier<String> localBaseUrl, Clock clock, Random random, long ringMillis) {
    this.vertx = vertx;
    this.web = WebClient.create(vertx);
    this.localBaseUrl = localBaseUrl;
    this.clock = clock;
    this.random = random;
    this.ringMillis = ringMillis;
    this.accountSid = sid("AC");
  }

  @Override
  public String name() {
    return "simulator";
  }

  private String sid(String prefix) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return prefix + HexFormat.of().formatHex(id);
  }

  @Override
  public Future<PlacedCall> placeCall(OutboundCall call) {
    String callSid = sid("CA");
    SimulatedCall simulated = new SimulatedCall(call, callSid);
    vertx.runOnContext(v -> simulated.play());
    return Future.succeededFuture(new PlacedCall(callSid, "queued"));
  }

  /**
   * Nobody reads the simulator's texts: each is logged, kept for {@link #findTexts}, and reported
   * {@code sent}, then {@code delivered}, to its status callback as Twilio reports them.
   */
  @Override
  public Future<SentText> sendText(OutgoingText text) {
    String sid = sid("SM");
    // Twilio creates a text sent through a Messaging Service as accepted, with no sender until it
    // picks one of the service's numbers; any other as queued.
    SentText sent = new SentText(sid, text.from(), text.to(), text.body(), text.messagingServiceSid() == null ? "queued" : "accepted",
        clock.instant());
    texts.put(sid, sent);
    LOG.info("simulated SMS {} from {} to {}: {}", sid, text.from() != null ? text.from() : text.messagingServiceSid(),
        PhoneNumbers.mask(text.to()), text.body());
    vertx.runOnContext(v -> advance(sid, text, "sent").transform(done -> advance(sid, text, "delivered")));
    return Future.succeededFuture(sent);
  }

  @Override
  public Future<List<SentText>> findTexts(String to, Instant since) {
    List<SentText> found;
    synchronized (texts) {
      found = new ArrayList<>(texts.values().stream().filter(t -> t.to().equals(to) && !t.created().isBefore(since)).toList());
    }
    Collections.reverse(found);
    return Future.succeededFuture(found);
  }

  /** The text moves on to {@code status}, reported to its status callback, if it has one, with Twilio's parameters. */
  private Future<Void> advance(String sid, OutgoingText text, String status) {
    SentText sent = texts.computeIfPresent(sid, (key, before) ->
        new SentText(key, before.from() != null ? before.from() : SERVICE_SENDER, before.to(), before.body(), status, before.created()));
    if (sent == null || text.statusCallback() == null) {
      return Future.succeededFuture();
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("MessageSid", sent.sid())
        .add("SmsSid", sent.sid())
        .add("MessageStatus", status)
        .add("SmsStatus", status)
        .add("AccountSid", accountSid)
        .add("From", sent.from())
        .add("To", sent.to())
        .add("ApiVersion", API_VERSION);
    if (text.messagingServiceSid() != null) {
      form.add("MessagingServiceSid", text.messagingServiceSid());
    }
    if (status.equals("delivered")) {
      form.add("RawDlrDoneDate", DLR_DONE_DATE.format(clock.instant()));
    }
    return post(text.statusCallback(), form)
        .onFailure(e -> LOG.warn("Simulated SMS {} could not report {}: {}", sid, status, e.getMessage()))
        .mapEmpty();
  }

  /** Sends to this server whatever host the URL names (the simulator never leaves the machine); answers the body it got back. */
  private Future<String> post(String url, MultiMap form) {
    URI target = URI.create(url);
    String local = localBaseUrl.get() + target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    return web.postAbs(local).sendForm(form).map(response -> Optional.ofNullable(response.bodyAsString()).orElse(""));
  }

  @Override
  public Future<TwilioAccountInfo> fetchAccount() {
    return Future.succeededFuture(new TwilioAccountInfo(accountSid, "Simulator", "active"));
  }

  /**
   * Every number is the simulator's: it calls from any number and plays the calls itself, so no
   * number needs webhooks. Until Connect sets others, a number's URLs are where the simulated
   * traffic goes: this server's local address, with POST.
   */
  @Override
  public Future<Optional<NumberSettings>> findNumber(String e164) {
    String local = localBaseUrl.get();
    return Future.succeededFuture(Optional.of(numbers.computeIfAbsent(e164, number -> new NumberSettings(sid("PN"), number,
        local + "/twilio/voice", "POST", local + "/twilio/status", "POST", local + "/twilio/sms", "POST", null, null))));
  }

  /** Records the webhooks, as Twilio would keep them, and answers them; a SID it never gave out is not found (20404). */
  @Override
  public Future<NumberSettings> connectNumber(String numberSid, NumberWebhooks webhooks) {
    NumberSettings connected;
    synchronized (numbers) {
      Optional<NumberSettings> number = numbers.values().stream().filter(n -> n.sid().equals(numberSid)).findFirst();
      if (number.isEmpty()) {
        return Future.failedFuture(new TelephonyException(TelephonyException.Kind.PERMANENT, 20404,
            "The simulator has no number " + numberSid, null));
      }
      connected = new NumberSettings(numberSid, number.get().phoneNumber(), webhooks.voiceUrl(), "POST", webhooks.statusCallback(),
          "POST", webhooks.smsUrl(), "POST", null, null);
      numbers.put(connected.phoneNumber(), connected);
    }
    LOG.info("simulated number {} connected: calls to {}, their status to {}, texts to {}", connected.phoneNumber(),
        webhooks.voiceUrl(), webhooks.statusCallback(), webhooks.smsUrl());
    return Future.succeededFuture(connected);
  }

  /** The simulator records nothing, so there is nothing to delete. */
  @Override
  public Future<Void> deleteRecording(String recordingSid) {
    return Future.succeededFuture();
  }

  /** The simulator always answers its requests, so nothing is ever ambiguous. */
  @Override
  public Future<List<PlacedCall>> findCalls(String from, String to, Instant since) {
    return Future.succeededFuture(List.of());
  }

  @Override
  public Future<Optional<CallProgress>> fetchCall(String callSid) {
    return Future.succeededFuture(Optional.ofNullable(recent.get(callSid)));
  }

  private final class SimulatedCall {
    private final OutboundCall call;
    private final String callSid;
    private int sequence;

    SimulatedCall(OutboundCall call, String callSid) {
      this.call = call;
      this.callSid = callSid;
    }

    void play() {
      long rings = 1 + random.nextInt(5);
      int roll = random.nextInt(100);
      report("initiated", null, null)
          .compose(v -> report("ringing", null, null))
          .onComplete(v -> vertx.setTimer(rings * ringMillis, t -> {
            if (roll < 60) {
              answer("human", 20 + random.nextInt(100));
            } else if (roll < 80 && call.machineDetection() != null) {
              answer("machine_end_beep", 10);
            } else {
              report("no-answer", null, 0);
            }
          }));
    }

    private void answer(String answeredBy, int talkSeconds) {
      report("in-progress", answeredBy, null)
          .compose(v -> post(call.twimlUrl(), params("in-progress", answeredBy, null)))
          .onComplete(answered -> {
            if (answered.succeeded() && call.twimlUrl().contains("/twilio/agent-first")) {
              agentDecides(answered.result());
            } else {
              vertx.setTimer(talkSeconds * 1000L, t -> report("completed", answeredBy, talkSeconds));
            }
          });
    }

    /**
     * An agent-first callback's agent heard the whisper: most press 1 and the customer is dialled
     * as Twilio would dial the {@code <Dial>}; some decline, and some are their voicemail, silent.
     */
    private void agentDecides(String whisper) {
      Optional<String> keyUrl = TwimlText.attribute(whisper, "Gather", "action");
      int roll = random.nextInt(100);
      if (keyUrl.isEmpty() || roll >= 90) {
        vertx.setTimer(6000, t -> report("completed", null, 8));
        return;
      }
      String digits = roll < 80 ? "1" : "2";
      vertx.setTimer(1000 + random.nextInt(2000), t -> post(keyUrl.get(), params("in-progress", null, null).add("Digits", digits))
          .onComplete(dialled -> {
            Optional<String> customer = dialled.succeeded() ? TwimlText.element(dialled.result(), "Number") : Optional.empty();
            if (customer.isEmpty()) {
              report("completed", null, 4);
              return;
            }
            new CustomerLeg(customer.get(), TwimlText.attribute(dialled.result(), "Number", "statusCallback").orElseThrow(),
                TwimlText.attribute(dialled.result(), "Dial", "action").orElseThrow()).play();
          }));
    }

    /** The customer leg an agent's 1 dials: it rings, then the customer answers and talks, or nobody answers. */
    private final class CustomerLeg {
      private final String to;
      private final String statusUrl;
      private final String dialActionUrl;
      private final String legSid = sid("CA");
      private int legSequence;

      CustomerLeg(String to, String statusUrl, String dialActionUrl) {
        this.to = to;
        this.statusUrl = statusUrl;
        this.dialActionUrl = dialActionUrl;
      }

      void play() {
        long rings = 1 + random.nextInt(4);
        boolean answers = random.nextInt(100) < 70;
        int talk = 20 + random.nextInt(100);
        leg("initiated", null).compose(v -> leg("ringing", null)).onComplete(v -> vertx.setTimer(rings * ringMillis, t -> {
          if (!answers) {
            leg("no-answer", 0).compose(x -> post(dialActionUrl, params("in-progress", null, null).add("DialCallStatus", "no-answer")))
                .onComplete(x -> report("completed", null, (int) (rings * ringMillis / 1000) + 8));
            return;
          }
          leg("in-progress", null).onComplete(x -> vertx.setTimer(talk * 1000L, e -> leg("completed", talk)
              .compose(y -> post(dialActionUrl, params("in-progress", null, null).add("DialCallStatus", "completed")))
              .onComplete(y -> report("completed", null, talk + 10))));
        }));
      }

      private Future<String> leg(String status, Integer duration) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
            .add("CallSid", legSid)
            .add("ParentCallSid", callSid)
            .add("CallStatus", status)
            .add("Direction", "outbound-dial")
            .add("From", call.from())
            .add("To", to)
            .add("Timestamp", TWILIO_TIMESTAMP.format(clock.instant()))
            .add("SequenceNumber", Integer.toString(legSequence++));
        if (duration != null) {
          form.add("CallDuration", duration.toString());
        }
        return post(statusUrl, form);
      }
    }

    private Future<String> report(String status, String answeredBy, Integer duration) {
      Instant now = clock.instant();
      recent.compute(callSid, (sid, before) -> {
        CallStatus parsed = CallStatus.parse(status).orElseThrow();
        Instant start = before != null && before.startTime() != null ? before.startTime() : parsed.isAnswer() ? now : null;
        return new CallProgress(sid, parsed, start, parsed.isFinal() ? now : null, duration, answeredBy);
      });
      return post(call.statusCallbackUrl(), params(status, answeredBy, duration));
    }

    private MultiMap params(String status, String answeredBy, Integer duration) {
      MultiMap form = MultiMap.caseInsensitiveMultiMap()
          .add("CallSid", callSid)
          .add("CallStatus", status)
          .add("Direction", "outbound-api")
          .add("From", call.from())
          .add("To", call.to())
          .add("Timestamp", TWILIO_TIMESTAMP.format(clock.instant()))
          .add("SequenceNumber", Integer.toString(sequence++));
      if (answeredBy != null) {
        form.add("AnsweredBy", answeredBy);
      }
      if (duration != null) {
        form.add("CallDuration", duration.toString());
      }
      return form;
    }

    /** Posts to this server; answers the TwiML it got back. */
    private Future<String> post(String url, MultiMap form) {
      return SimulatedTelephony.this.post(url, form)
          .onFailure(e -> LOG.warn("Simulated call {} could not report {}: {}", callSid, form.get("CallStatus"), e.getMessage()));
    }
  }
}
