package dev.ringback.app;

/**
 * Event-bus addresses on which this instance hears of changes made on any instance: the
 * dialer's NotificationRelay passes PostgreSQL's notifications on to them, and the verticles
 * that cache what changed listen.
 */
public final class Changes {
  /** Agents' tasks changed: every console of this instance refreshes its queue. */
  public static final String TASKS = "ringback.tasks.changed";
  /** A line's opening hours or settings set through the API: every verticle of this instance reloads them. */
  public static final String LINES = "ringback.lines.changed";
  /**
   * An agent's token was replaced or the agent deleted (the message is the agent's id; empty when
   * any may have been, while nobody was listening): the consoles opened with a token that no
   * longer works are signed out.
   */
  public static final String TOKENS = "ringback.tokens.changed";
  /** A business was created, changed or deleted through the API. */
  public static final String BUSINESSES = "ringback.businesses.changed";

  private Changes() {}
}
