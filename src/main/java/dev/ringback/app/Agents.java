package dev.ringback.app;

import dev.ringback.store.AgentStore;

/** The business's agents: who they are, how they sign in, and whether they can take a call now. */
public final class Agents {
  private final AgentStore store;

  public Agents(AgentStore store) {
    this.store = store;
  }
}
