package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.domain.Agent;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Objects;

/**
 * Who sent an /api/* request: a business's admin token, or an agent's own token; either way
 * the request reaches that business's data only.
 *
 * @param agent the agent, or null for the admin
 * @param business the business whose data the request reaches
 * @param serverAdmin the server admin's token (RINGBACK_API_TOKEN), which reaches any business it names
 */
record Caller(Agent agent, Business business, boolean serverAdmin) {
  private static final String KEY = "ringback.caller";

  static Caller admin(Business business) {
    return new Caller(null, business, false);
  }

  static Caller agent(Agent agent, Business business) {
    return new Caller(agent, business, false);
  }

  /** The server admin, acting on the default business or on the one their request names. */
  static Caller serverAdmin(Business business) {
    return new Caller(null, business, true);
  }

  boolean isAdmin() {
    return agent == null;
  }

  /** The default business's admin token (RINGBACK_API_TOKEN) also manages the businesses. */
  boolean isServerAdmin() {
    return serverAdmin;
  }

  static void requireServerAdmin(RoutingContext ctx) {
    if (!of(ctx).isServerAdmin()) {
      throw new HttpException(403, "only the server's admin token (RINGBACK_API_TOKEN) may manage businesses");
    }
  }

  void put(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  static Caller of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The business whose data the request reaches. */
  static Business business(RoutingContext ctx) {
    return of(ctx).business();
  }

  static void requireAdmin(RoutingContext ctx) {
    if (!of(ctx).isAdmin()) {
      throw new HttpException(403, "only the admin token may do this");
    }
  }

  /** The admin serves every line; an agent the lines they are assigned to. */
  boolean serves(String lineId) {
    return isAdmin() || agent.lines().contains(lineId);
  }

  /** The database keys of the agent's lines (the admin's: null, every line). */
  List<Long> lineKeys() {
    return isAdmin() ? null : agent.lines().stream().map(business.lineKeys()::get).filter(Objects::nonNull).toList();
  }

  /** Agents see and act on their own lines' tasks and callbacks only. */
  static void requireLine(RoutingContext ctx, String lineId, String what) {
    if (!of(ctx).serves(lineId)) {
      throw new HttpException(403, what + " is on line " + lineId + ", not one of yours");
    }
  }

  /** The agent behind the request; the admin holds no tasks. */
  static Agent requireAgent(RoutingContext ctx) {
    Caller caller = of(ctx);
    if (caller.isAdmin()) {
      throw new HttpException(403, "this needs an agent's token, not the admin token: the console and the task queue are for"
          + " agents; create an agent with POST /api/agents and sign in with the token it answers with");
    }
    return caller.agent();
  }
}
