package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.domain.Agent;
import dev.ringback.domain.Line;
import dev.ringback.domain.Presence;
import dev.ringback.store.AgentStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /api/agents: the admin manages agents (each gets a token of its own, shown once); every
 * agent may read the team and set their own presence.
 */
final class AgentApi {
  private static final Logger LOG = LoggerFactory.getLogger(AgentApi.class);
  private static final Set<String> FIELDS = Set.of("name", "contact", "lines", "role");

  private final Services services;

  AgentApi(Services services) {
    this.services = services;
  }

  void list(RoutingContext ctx) {
    services.agents().list(Caller.business(ctx).id()).onSuccess(agents -> {
      JsonArray items = new JsonArray();
      agents.forEach(a -> items.add(toJson(a)));
      Responses.json(ctx, 200, new JsonObject().put("items", items));
    }).onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    long id = id(ctx);
    services.agents().find(Caller.business(ctx).id(), id)
        .map(found -> found.orElseThrow(() -> HttpFailure.notFound("no agent " + id)))
        .onSuccess(agent -> Responses.json(ctx, 200, toJson(agent)))
        .onFailure(ctx::fail);
  }

  /** {@code {"name", "contact", "lines"?, "role"?}}: 201 with the agent and its token, which is never shown again. */
  void create(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    JsonObject body = Requests.jsonBody(ctx);
    Presence presence = body.getValue("presence") == null ? null : presence(body);
    body.remove("presence");
    Input input = input(Caller.business(ctx), body);
    services.agents().create(Caller.business(ctx), input.name, input.contact, input.role, input.lines, presence)
        .map(created -> created.orElseThrow(() -> new HttpException(409, "contact: another agent has " + input.contact)))
        .onSuccess(issued -> {
          Agent agent = issued.agent();
          LOG.info("agent #{} {} created for line(s) {}", agent.id(), agent.name(), agent.lines());
          ctx.response().putHeader("Location", "/api/agents/" + agent.id());
          Responses.json(ctx, 201, toJson(agent).put("token", issued.token()));
        })
        .onFailure(ctx::fail);
  }

  void replace(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    long id = id(ctx);
    Input input = input(Caller.business(ctx), Requests.jsonBody(ctx));
    services.agents().replace(Caller.business(ctx), id, input.name, input.contact, input.role, input.lines)
        .map(found -> found.orElseThrow(() -> HttpFailure.notFound("no agent " + id)))
        .onSuccess(agent -> Responses.json(ctx, 200, toJson(agent)))
        .onFailure(e -> ctx.fail(e instanceof AgentStore.ContactTaken taken ? new HttpException(409, taken.getMessage()) : e));
  }

  void delete(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    long id = id(ctx);
    services.agents().delete(Caller.business(ctx).id(), id)
        .map(deleted -> found(deleted, id))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** A new token for the agent; the old one stops working at once. */
  void rotateToken(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    long id = id(ctx);
    services.agents().rotateToken(Caller.business(ctx).id(), id)
        .map(found -> found.orElseThrow(() -> HttpFailure.notFound("no agent " + id)))
        .onSuccess(token -> Responses.json(ctx, 200, new JsonObject().put("id", id).put("token", token)))
        .onFailure(ctx::fail);
  }

  /** The agent keeps no token: the old one stops working at once, and nobody signs in as them until {@link #rotateToken}. */
  void revokeToken(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    long id = id(ctx);
    services.agents().revokeToken(Caller.business(ctx).id(), id)
        .map(revoked -> found(revoked, id))
        .onSuccess(v -> {
          LOG.info("agent #{}'s token revoked", id);
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(ctx::fail);
  }

  /** {@code {"presence": "available" | "busy" | "offline"}}: an agent for themselves, the admin for anyone. */
  void presence(RoutingContext ctx) {
    long id = id(ctx);
    Caller caller = Caller.of(ctx);
    if (!Agent.maySetPresence(caller.agent(), id)) {
      throw new HttpException(403, "agents set their own presence only");
    }
    JsonObject body = Requests.jsonBody(ctx);
    Requests.onlyFields(body, Set.of("presence"));
    Presence presence = presence(body);
    services.agents().setPresence(Caller.business(ctx).id(), id, presence)
        .map(found -> found.orElseThrow(() -> HttpFailure.notFound("no agent " + id)))
        .onSuccess(agent -> {
          LOG.info("agent #{} is {}", id, presence.value());
          Responses.json(ctx, 200, toJson(agent));
        })
        .onFailure(ctx::fail);
  }

  /**
   * The calling agent's own figures for today: tasks completed, how many reached the customer, and
   * the average from claiming a task to completing it. The day is the one in {@code time_zone}
   * (the agent's own; by default their first line's).
   */
  void today(RoutingContext ctx) {
    Agent agent = Caller.requireAgent(ctx);
    Business business = Caller.business(ctx);
    String asked = ctx.request().getParam("time_zone");
    ZoneId zone;
    if (asked != null && !asked.isEmpty()) {
      try {
        zone = ZoneId.of(asked);
      } catch (DateTimeException e) {
        throw HttpFailure.badRequest("time_zone: '" + asked + "' is not a time zone such as Europe/Madrid");
      }
    } else {
      zone = agent.lines().stream().map(business::lineById).flatMap(Optional::stream).map(Line::timeZone).findFirst()
          .orElse(ZoneOffset.UTC);
    }
    services.tasks().today(business.id(), agent, zone)
        .onSuccess(day -> Responses.json(ctx, 200, new JsonObject()
            .put("date", day.date().toString())
            .put("time_zone", day.zone().getId())
            .put("tasks_completed", day.work().completed())
            .put("reached", day.work().reached())
            .put("average_handling_seconds", day.work().averageHandlingSeconds() == null ? null
                : Math.round(day.work().averageHandlingSeconds()))))
        .onFailure(ctx::fail);
  }

  /** Failures belong in the future's chain: a throw inside onSuccess would never answer the request. */
  private static boolean found(boolean found, long id) {
    if (!found) {
      throw HttpFailure.notFound("no agent " + id);
    }
    return true;
  }

  /** A role or lines not given are null, for the agents' defaults. */
  private record Input(String name, String contact, String role, List<String> lines) {}

  private Input input(Business business, JsonObject body) {
    Requests.onlyFields(body, FIELDS);
    String name = Requests.text(body, "name", true, 200);
    String rawContact = Requests.text(body, "contact", true, 256);
    String contact = Line.isSipUri(rawContact) ? rawContact : services.phoneNumbers().normalize(rawContact)
        .orElseThrow(() -> HttpFailure.unprocessable("contact: '" + rawContact + "' is neither a valid phone number nor a SIP URI"));
    List<String> lines = null;
    Object rawLines = body.getValue("lines");
    if (rawLines instanceof JsonArray array) {
      lines = new ArrayList<>();
      for (Object line : array) {
        if (!(line instanceof String id) || business.lineById(id).isEmpty()) {
          throw HttpFailure.unprocessable("lines: '" + line + "' is not a configured line");
        }
        if (!lines.contains(id)) {
          lines.add(id);
        }
      }
    } else if (rawLines != null) {
      throw HttpFailure.unprocessable("lines: must be a list of line ids");
    }
    String role = Requests.text(body, "role", false, 20);
    if (role != null && !Agent.ROLES.contains(role)) {
      throw HttpFailure.unprocessable("role: must be agent or supervisor");
    }
    return new Input(name, contact, role, lines);
  }

  private static Presence presence(JsonObject body) {
    return Presence.parse(Requests.text(body, "presence", true, 16)).orElseThrow(() -> HttpFailure.unprocessable(
        "presence: must be one of " + String.join(", ", Stream.of(Presence.values()).map(Presence::value).toList())));
  }

  /** The agent id in the path; {@code me} is the calling agent. */
  static long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    if ("me".equals(raw)) {
      return Caller.requireAgent(ctx).id();
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw HttpFailure.notFound("no agent " + raw);
    }
  }

  static JsonObject toJson(Agent a) {
    return new JsonObject()
        .put("id", a.id())
        .put("name", a.name())
        .put("contact", a.contact())
        .put("presence", a.presence().value())
        .put("presence_changed_at", a.presenceChangedAt().toString())
        .put("role", a.role())
        .put("lines", new JsonArray(a.lines()))
        .put("can_sign_in", a.canSignIn());
  }
}
