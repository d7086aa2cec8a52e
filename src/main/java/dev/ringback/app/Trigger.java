package dev.ringback.app;

import dev.ringback.domain.AfterHoursSpread;
import dev.ringback.domain.CallEvent;
import dev.ringback.domain.CallStatus;
import dev.ringback.domain.Customer;
import dev.ringback.domain.LegKind;
import dev.ringback.domain.Order;
import dev.ringback.store.CallStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A webhook that may lead to a callback, as it is written to the database or, when the database
 * cannot take it in time, to the journal: everything needed to apply it later exactly as it
 * would have been applied then, and no more.
 */
public sealed interface Trigger {
  /** The business whose webhook it was. */
  long businessId();

  /** An inbound call arrived during opening hours (its agents are rung). */
  record Inbound(long businessId, long lineId, String callSid, String from, String callerPhone, String to, Long customerId,
                 Instant arrivedAt) implements Trigger {}

  /** An inbound call arrived outside opening hours: called back at {@code opening}. */
  record AfterHours(long businessId, long lineId, String callSid, String from, String callerPhone, String to, Long customerId,
                    Customer.Tier tier, Instant arrivedAt, Instant opening, AfterHoursSpread spread) implements Trigger {}

  /**
   * The {@code <Dial>} to the agents ended with {@code dialStatus}.
   *
   * @param call the call as the action tells it, or null when it is not on one of the business's lines
   */
  record DialEnded(long businessId, String callSid, String dialStatus, Instant at, boolean nobodyAvailable, CallStore.DialedCall call)
      implements Trigger {}

  /**
   * A status callback of a call leg; {@code callbackId} for the legs of Ringback's own callbacks;
   * {@code leg} says whether its answer waits for the agent's key.
   */
  record Status(long businessId, CallEvent event, Long callbackId, LegKind leg) implements Trigger {
    public Status(long businessId, CallEvent event, Long callbackId) {
      this(businessId, event, callbackId, LegKind.PLAIN);
    }
  }

  /**
   * A screened agent's leg of the call {@code parentCallSid} (a caller's, or a callback's) decided:
   * pressed 1 ({@code accepted}, the caller is put through) or another key.
   */
  record Screened(long businessId, String parentCallSid, String legSid, String contact, boolean accepted, Instant at)
      implements Trigger {}

  /** A voicemail, for the callback named in its URL (null: a URL without one). */
  record Recording(long businessId, String callSid, Long callbackId, String url) implements Trigger {}

  /** The customer answered a callback, and no agent took the call. */
  record NoAgent(long businessId, long callbackId, String callSid) implements Trigger {}

  /** A shop reported an order; {@code phone} is its callable number, if it has one. */
  record OrderPlaced(long businessId, Order order, String phone, long lineId, Instant receivedAt) implements Trigger {}

  /** Its name in the journal and on /metrics. */
  default String kind() {
    if (this instanceof Inbound) {
      return "inbound";
    } else if (this instanceof AfterHours) {
      return "after_hours";
    } else if (this instanceof DialEnded) {
      return "dial";
    } else if (this instanceof Status) {
      return "status";
    } else if (this instanceof Recording) {
      return "recording";
    } else if (this instanceof NoAgent) {
      return "no_agent";
    } else if (this instanceof Screened) {
      return "screened";
    }
    return "order";
  }

  /** One line of JSON, for the journal. */
  static String encode(Trigger trigger) {
    JsonObject json = new JsonObject().put("business", trigger.businessId()).put("kind", trigger.kind());
    if (trigger instanceof Inbound t) {
      json.put("line", t.lineId()).put("call", t.callSid()).put("from", t.from())
          .put("caller", t.callerPhone()).put("to", t.to()).put("customer", t.customerId()).put("at", t.arrivedAt().toString());
    } else if (trigger instanceof AfterHours t) {
      json.put("line", t.lineId()).put("call", t.callSid()).put("from", t.from())
          .put("caller", t.callerPhone()).put("to", t.to()).put("customer", t.customerId()).put("tier", t.tier().value())
          .put("at", t.arrivedAt().toString()).put("opening", t.opening() == null ? null : t.opening().toString())
          .put("spread", new JsonObject().put("per_agent", t.spread().secondsPerAgent()).put("minimum", t.spread().minimumSeconds())
              .put("agents", t.spread().configuredAgents()));
    } else if (trigger instanceof DialEnded t) {
      json.put("call", t.callSid()).put("status", t.dialStatus()).put("at", t.at().toString())
          .put("nobody_available", t.nobodyAvailable()).put("dialed", t.call() == null ? null : new JsonObject()
              .put("line", t.call().lineId()).put("from", t.call().from()).put("caller", t.call().callerPhone()).put("to", t.call().to()));
    } else if (trigger instanceof Status t) {
      json.put("callback", t.callbackId()).put("event", event(t.event())).put("leg", t.leg().value());
    } else if (trigger instanceof Recording t) {
      json.put("call", t.callSid()).put("callback", t.callbackId()).put("url", t.url());
    } else if (trigger instanceof NoAgent t) {
      json.put("callback", t.callbackId()).put("call", t.callSid());
    } else if (trigger instanceof Screened t) {
      json.put("call", t.parentCallSid()).put("leg", t.legSid()).put("contact", t.contact()).put("accepted", t.accepted())
          .put("at", t.at().toString());
    } else if (trigger instanceof OrderPlaced t) {
      json.put("order", order(t.order())).put("phone", t.phone()).put("line", t.lineId())
          .put("at", t.receivedAt().toString());
    }
    return json.encode();
  }

  /** The trigger a journal line holds. */
  static Trigger decode(String line) {
    JsonObject json = new JsonObject(line);
    long business = json.getLong("business");
    String kind = json.getString("kind");
    return switch (kind) {
      case "inbound" -> new Inbound(business, json.getLong("line"), json.getString("call"), json.getString("from"), json.getString("caller"),
          json.getString("to"), json.getLong("customer"), Instant.parse(json.getString("at")));
      case "after_hours" -> {
        JsonObject spread = json.getJsonObject("spread");
        yield new AfterHours(business, json.getLong("line"), json.getString("call"), json.getString("from"), json.getString("caller"),
            json.getString("to"), json.getLong("customer"), Customer.Tier.parse(json.getString("tier")).orElse(Customer.Tier.STANDARD),
            Instant.parse(json.getString("at")), instant(json.getString("opening")),
            new AfterHoursSpread(spread.getInteger("per_agent"), spread.getDouble("minimum"), spread.getInteger("agents")));
      }
      case "dial" -> {
        JsonObject dialed = json.getJsonObject("dialed");
        yield new DialEnded(business, json.getString("call"), json.getString("status"), Instant.parse(json.getString("at")),
            json.getBoolean("nobody_available"), dialed == null ? null : new CallStore.DialedCall(dialed.getLong("line"),
                dialed.getString("from"), dialed.getString("caller"), dialed.getString("to")));
      }
      case "status" -> new Status(business, event(json.getJsonObject("event")), json.getLong("callback"),
          LegKind.parse(json.getString("leg", LegKind.PLAIN.value())).orElse(LegKind.PLAIN));
      case "screened" -> new Screened(business, json.getString("call"), json.getString("leg"), json.getString("contact"),
          json.getBoolean("accepted"), Instant.parse(json.getString("at")));
      case "recording" -> new Recording(business, json.getString("call"), json.getLong("callback"), json.getString("url"));
      case "no_agent" -> new NoAgent(business, json.getLong("callback"), json.getString("call"));
      case "order" -> new OrderPlaced(business, order(json.getJsonObject("order")), json.getString("phone"), json.getLong("line"),
          Instant.parse(json.getString("at")));
      default -> throw new IllegalArgumentException("unknown kind of trigger '" + kind + "'");
    };
  }

  private static JsonObject event(CallEvent e) {
    return new JsonObject().put("call", e.callSid()).put("parent", e.parentCallSid()).put("status", e.status().value())
        .put("at", e.timestamp().toString()).put("sequence", e.sequenceNumber()).put("direction", e.direction()).put("from", e.from())
        .put("to", e.to()).put("duration", e.callDuration()).put("answered_by", e.answeredBy());
  }

  private static CallEvent event(JsonObject json) {
    return new CallEvent(json.getString("call"), json.getString("parent"),
        CallStatus.parse(json.getString("status")).orElseThrow(() -> new IllegalArgumentException("unknown status")),
        Instant.parse(json.getString("at")), json.getInteger("sequence"), json.getString("direction"), json.getString("from"),
        json.getString("to"), json.getInteger("duration"), json.getString("answered_by"));
  }

  private static JsonObject order(Order o) {
    JsonArray phones = new JsonArray();
    o.phones().forEach(p -> phones.add(new JsonObject().put("raw", p.raw()).put("region", p.region())));
    return new JsonObject().put("source", o.source()).put("id", o.orderId()).put("number", o.displayNumber()).put("name", o.name())
        .put("phones", phones).put("total", o.total() == null ? null : o.total().toPlainString()).put("currency", o.currency())
        .put("items", o.itemCount()).put("ordered_at", o.orderedAt() == null ? null : o.orderedAt().toString()).put("line", o.line())
        .put("call_at", o.callAt() == null ? null : o.callAt().toString());
  }

  private static Order order(JsonObject json) {
    List<Order.Phone> phones = new ArrayList<>();
    json.getJsonArray("phones").forEach(p -> phones.add(new Order.Phone(((JsonObject) p).getString("raw"),
        ((JsonObject) p).getString("region"))));
    String total = json.getString("total");
    return new Order(json.getString("source"), json.getString("id"), json.getString("number"), json.getString("name"), phones,
        total == null ? null : new BigDecimal(total), json.getString("currency"), json.getInteger("items"),
        instant(json.getString("ordered_at")), json.getString("line"), instant(json.getString("call_at")));
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }
}
