package dev.ringback.domain;

import java.util.List;

/**
 * Whom an incoming call on a line rings: its registered agents who are available; a line without
 * registered agents, or whose registered agents are all busy or away, rings the agents of its
 * configuration, so adding agents never silences a line. When the database cannot say, the
 * configured agents are rung: a caller is never left unconnected because of us.
 *
 * @param registered the line is staffed through registered agents (then an empty list means all
 *     of them are busy or offline, and a person calls back instead of the dialler)
 * @param contacts E.164 numbers or {@code sip:} URIs, in the order they are rung
 */
public record Ringing(boolean registered, List<String> contacts) {
  public Ringing {
    contacts = List.copyOf(contacts);
  }

  /**
   * @param configured the line's agents of its configuration
   * @param registered whether any agent is registered on the line
   * @param available the registered agents' contacts who are available, longest-waiting first
   */
  public static Ringing forLine(List<String> configured, boolean registered, List<String> available) {
    if (!registered) {
      return new Ringing(false, configured);
    }
    return new Ringing(true, available.isEmpty() ? configured : available);
  }

  /**
   * Whether a call on a line rings nobody at all: none of its registered agents is available (or
   * it has none) and it has no number of its own in the configuration. Such a line only promises
   * callbacks; operators are told.
   */
  public static boolean ringsNobody(List<String> configured, long registeredAgents, long availableAgents) {
    return forLine(configured, registeredAgents > 0, availableAgents > 0 ? List.of("available") : List.of()).contacts().isEmpty();
  }

  /** The agents' presence is unknown (the database did not answer in time). */
  public static Ringing presenceUnknown(List<String> configured) {
    return new Ringing(false, configured);
  }
}
