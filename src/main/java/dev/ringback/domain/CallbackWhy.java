package dev.ringback.domain;

import java.util.List;

/**
 * Why a callback is where it is, in one word the owner's pages and the API share: due at a time,
 * held for the customer's calling hours or for a free agent, being dialled, with the agents (and
 * why), cancelled (and by what), given up after its attempts, done or failed.
 */
public enum CallbackWhy {
  DUE("due"),
  WAITING_FOR_CALLING_HOURS("waiting_for_calling_hours"),
  WAITING_FOR_AGENT("waiting_for_agent"),
  BEING_DIALLED("being_dialled"),
  WITH_AGENTS("with_agents"),
  CANCELLED_GOT_THROUGH("cancelled_got_through"),
  CANCELLED_BY_HAND("cancelled_by_hand"),
  CANCELLED_DO_NOT_CALL("cancelled_do_not_call"),
  CANCELLED_BUSINESS_DELETED("cancelled_business_deleted"),
  /** Cancelled before causes were kept. */
  CANCELLED("cancelled"),
  EXPIRED("expired"),
  DONE("done"),
  FAILED("failed");

  /** What the dialler holds a waiting callback for ({@code callbacks.waiting_for}). */
  public static final String QUIET_HOURS = "quiet_hours";
  public static final String AGENT = "agent";

  private final String value;

  CallbackWhy(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /**
   * @param waitingFor what a scheduled callback is held for, if anything
   * @param cancelCause what cancelled it: got_through, by_hand, do_not_call, business_deleted, or null
   */
  public static CallbackWhy of(CallbackState state, String waitingFor, String cancelCause) {
    return switch (state) {
      case SCHEDULED -> QUIET_HOURS.equals(waitingFor) ? WAITING_FOR_CALLING_HOURS : AGENT.equals(waitingFor) ? WAITING_FOR_AGENT : DUE;
      case DIALING -> BEING_DIALLED;
      case AGENT_QUEUE -> WITH_AGENTS;
      case CANCELLED -> cancelCause == null ? CANCELLED : switch (cancelCause) {
        case "got_through" -> CANCELLED_GOT_THROUGH;
        case "by_hand" -> CANCELLED_BY_HAND;
        case "do_not_call" -> CANCELLED_DO_NOT_CALL;
        case "business_deleted" -> CANCELLED_BUSINESS_DELETED;
        default -> CANCELLED;
      };
      case EXPIRED -> EXPIRED;
      case DONE -> DONE;
      case FAILED -> FAILED;
    };
  }

  /** The reasons that name a time: when the callback is due, or held until. */
  public boolean namesATime() {
    return List.of(DUE, WAITING_FOR_CALLING_HOURS, WAITING_FOR_AGENT).contains(this);
  }
}
