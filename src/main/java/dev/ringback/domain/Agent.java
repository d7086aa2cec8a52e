package dev.ringback.domain;

import java.time.Instant;
import java.util.List;

/**
 * A person who takes calls and works the callback queue.
 *
 * @param contact what Ringback dials to reach them: an E.164 number or a SIP URI
 * @param lines the ids of the lines they serve
 * @param role agent or supervisor
 * @param canSignIn false once the admin revoked their token: nobody signs in as them until a new one is made
 */
public record Agent(long id, String name, String contact, Presence presence, List<String> lines, Instant presenceChangedAt,
                    String role, boolean canSignIn) {
  public static final String AGENT = "agent";
  /** Supervisors also take their lines' service-recovery tasks. */
  public static final String SUPERVISOR = "supervisor";
  public static final List<String> ROLES = List.of(AGENT, SUPERVISOR);

  /** The task outcome that sends the callback back to the dialler instead of closing it. */
  public static final String NO_ANSWER = "no_answer";
  /** How an agent completes a task. */
  public static final List<String> TASK_OUTCOMES = List.of("reached", NO_ANSWER, "wrong_number", "resolved_other_way");

  /** The {@code ringback_callbacks_finished_total} outcome of a task an agent completed. */
  public static AttemptOutcome callbackOutcome(String taskOutcome) {
    return switch (taskOutcome) {
      case "reached" -> AttemptOutcome.CONNECTED;
      case NO_ANSWER -> AttemptOutcome.NO_ANSWER;
      case "wrong_number" -> AttemptOutcome.FAILED;
      default -> AttemptOutcome.CANCELLED;
    };
  }

  /**
   * Whether a presence may be set by this caller: an agent sets their own only, the admin anyone's.
   *
   * @param setter the agent setting it, or null for the admin
   */
  public static boolean maySetPresence(Agent setter, long agentId) {
    return setter == null || setter.id() == agentId;
  }

  public Agent {
    lines = List.copyOf(lines);
  }
}
