package dev.ringback.app;

import dev.ringback.domain.Agent;
import dev.ringback.domain.Line;
import dev.ringback.domain.Presence;
import dev.ringback.domain.RingStrategy;
import dev.ringback.domain.Ringing;
import dev.ringback.store.AgentStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The business's agents: who they are, how they sign in, and whether they can take a call now. */
public final class Agents {
  /** An agent with the bearer token just made for them; only its hash is kept, so it is shown once. */
  public record Issued(Agent agent, String token) {}

  /** The agent a bearer token belongs to, and the business they serve. */
  public record Bearer(Agent agent, Business business) {}

  private final AgentStore store;
  private final Businesses businesses;
  /** The lines that ring nobody, as last read ("business/line"), for /health. */
  private volatile List<String> ringingNobody = List.of();

  public Agents(AgentStore store, Businesses businesses) {
    this.store = store;
    this.businesses = businesses;
  }

  /** The business's agents, in the order they were registered. */
  public Future<List<Agent>> list(long businessId) {
    return store.list(businessId);
  }

  /** One agent of the business, if there is one. */
  public Future<Optional<Agent>> find(long businessId, long id) {
    return store.find(businessId, id);
  }

  /** Registers an agent with a token of their own (role and lines, when null: agent, every line); empty when the contact is taken. */
  public Future<Optional<Issued>> create(Business business, String name, String contact, String role, List<String> lines,
                                         Presence presence) {
    String token = newToken();
    // A new agent's phone is reachable: unless told otherwise, they take calls at once.
    return store.create(business.id(), name, contact, roleOrAgent(role), linesOrEvery(business, lines), Tokens.sha256(token),
            presence == null ? Presence.AVAILABLE : presence)
        .map(created -> created.map(agent -> new Issued(agent, token)));
  }

  /** Rewrites an agent, with {@link #create}'s defaults; empty when there is none, {@link AgentStore.ContactTaken} if the contact is. */
  public Future<Optional<Agent>> replace(Business business, long id, String name, String contact, String role, List<String> lines) {
    return store.replace(business.id(), id, name, contact, roleOrAgent(role), linesOrEvery(business, lines));
  }

  /** Removes an agent; false when there was no such agent. */
  public Future<Boolean> delete(long businessId, long id) {
    return store.delete(businessId, id);
  }

  /** A new token for the agent, the old one stopping at once; empty when there is no such agent. */
  public Future<Optional<String>> rotateToken(long businessId, long id) {
    String token = newToken();
    return store.setToken(businessId, id, Tokens.sha256(token)).map(found -> found ? Optional.of(token) : Optional.empty());
  }

  /** Takes the agent's token away, signing out their consoles, with no new one; false when there is no such agent. */
  public Future<Boolean> revokeToken(long businessId, long id) {
    return store.revokeToken(businessId, id);
  }

  /** Sets whether the agent takes calls, over whatever call made them busy; the database tells every console. Empty: no such agent. */
  public Future<Optional<Agent>> setPresence(long businessId, long id, Presence presence) {
    return store.setPresence(businessId, id, presence);
  }

  /** The agent a bearer token (by its hash) belongs to, if their business is still served. */
  public Future<Optional<Bearer>> bearer(byte[] tokenHash) {
    return store.byToken(tokenHash).map(found -> found.flatMap(holder ->
        businesses.byId(holder.businessId()).map(business -> new Bearer(holder.agent(), business))));
  }

  /** The agent pressed 1 on a call that rang them: their count of calls left unanswered starts again. */
  public Future<Void> tookCall(long businessId, String contact) {
    return store.tookCall(businessId, contact);
  }

  /**
   * Whom a call on the line rings ({@link Ringing#forLine}): its available agents, in the order its
   * ring strategy takes them, else its configured numbers.
   */
  public Future<Ringing> ringing(Business business, Line line) {
    return store.staff(business.lineKey(line)).map(staff -> ringing(line, staff));
  }

  private static Ringing ringing(Line line, AgentStore.Staff staff) {
    return Ringing.forLine(line.agents(), staff.registered(),
        line.ringStrategy() == RingStrategy.SEQUENTIAL ? staff.availableByRegistration() : staff.available());
  }

  /** Whom a call on the line rings now, and every agent it has (configured, or registered whether free or not). */
  public record LineStaff(Ringing ringing, List<String> everyone) {}

  public Future<LineStaff> staff(Business business, Line line) {
    return store.staff(business.lineKey(line)).map(staff -> {
      List<String> everyone = new ArrayList<>(line.agents());
      everyone.addAll(staff.everyone());
      return new LineStaff(ringing(line, staff), everyone);
    });
  }

  /**
   * Reads every served line's staffing: which lines ring nobody now ({@link Ringing#ringsNobody}). Kept for {@link #linesRingingNobody}, and each line's verdict is handed
   * to {@code each}.
   */
  public Future<List<String>> checkLinesRingNobody(LineVerdict each) {
    return store.staffingByLine().map(byLine -> {
      List<String> nobody = new ArrayList<>();
      for (Business business : businesses.all()) {
        for (Line line : business.lines()) {
          AgentStore.Staffing staffing = byLine.getOrDefault(business.lineKey(line), AgentStore.Staffing.NONE);
          boolean ringsNobody = Ringing.ringsNobody(line.agents(), staffing.registered(), staffing.available());
          each.ringsNobody(business.slug(), line.id(), ringsNobody);
          if (ringsNobody) {
            nobody.add(business.slug() + "/" + line.id());
          }
        }
      }
      ringingNobody = List.copyOf(nobody);
      return ringingNobody;
    });
  }

  /** What {@link #checkLinesRingNobody} found of one line. */
  @FunctionalInterface
  public interface LineVerdict {
    void ringsNobody(String business, String line, boolean nobody);
  }

  /** The lines ("business/line") that rang nobody when last checked. */
  public List<String> linesRingingNobody() {
    return ringingNobody;
  }

  /** Each business's agents (by its key) by presence; a business without agents is absent. */
  public Future<Map<Long, Map<Presence, Long>>> countByPresence() {
    return store.countByPresence();
  }

  private static String roleOrAgent(String role) {
    return role == null ? Agent.AGENT : role;
  }

  private static List<String> linesOrEvery(Business business, List<String> lines) {
    return lines == null ? business.lines().stream().map(Line::id).toList() : lines;
  }

  private static String newToken() {
    return "rba_" + Tokens.random(24);
  }
}
