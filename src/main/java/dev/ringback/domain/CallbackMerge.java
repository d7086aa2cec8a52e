package dev.ringback.domain;

import java.time.Instant;

/**
 * How triggers land on the one open callback of a line and caller (a service-recovery callback
 * is kept apart). The first trigger stays the callback's trigger; each further one counts, keeps
 * the latest trigger time and the higher priority, and brings a callback not yet being dialled
 * forward when it wants the customer called sooner (an order after a missed call). A trigger
 * that wants a person turns a waiting callback into a task with its reason; a callback being
 * dialled or already with the agents keeps its state and reason.
 *
 * <p>The store applies this inside the insert itself ({@code store.CallbackStore.MERGE_INTO_OPEN}),
 * so that two instances cannot both create a callback; a store test holds the two together.
 */
public final class CallbackMerge {

  /** An open callback as the merge sees it. */
  public record Open(CallbackTrigger trigger, CallbackState state, String taskReason, Instant lastTriggeredAt, Instant dueAt,
                     int priority, int triggerCount) {}

  /**
   * A trigger arriving.
   *
   * @param taskReason set when a person should call back instead of the dialler
   */
  public record Incoming(CallbackTrigger trigger, Instant triggeredAt, Instant dueAt, int priority, String taskReason) {}

  private CallbackMerge() {}

  /** A trigger that wants a person goes to the agents only on a line where agents are registered. */
  public static CallbackState firstState(Incoming incoming, boolean staffed) {
    return incoming.taskReason() != null && staffed ? CallbackState.AGENT_QUEUE : CallbackState.SCHEDULED;
  }

  /** The callback the first trigger opens. */
  public static Open first(Incoming incoming, boolean staffed) {
    CallbackState state = firstState(incoming, staffed);
    return new Open(incoming.trigger(), state, state == CallbackState.AGENT_QUEUE ? incoming.taskReason() : null,
        incoming.triggeredAt(), incoming.dueAt(), incoming.priority(), 1);
  }

  /** The open callback after one more trigger. */
  public static Open merge(Open open, Incoming incoming, boolean staffed) {
    boolean waiting = open.state() == CallbackState.SCHEDULED;
    boolean toAgents = waiting && firstState(incoming, staffed) == CallbackState.AGENT_QUEUE;
    return new Open(open.trigger(),
        toAgents ? CallbackState.AGENT_QUEUE : open.state(),
        toAgents ? incoming.taskReason() : open.taskReason(),
        later(open.lastTriggeredAt(), incoming.triggeredAt()),
        waiting && incoming.dueAt().isBefore(open.dueAt()) ? incoming.dueAt() : open.dueAt(),
        Math.max(open.priority(), incoming.priority()),
        open.triggerCount() + 1);
  }

  private static Instant later(Instant a, Instant b) {
    return b.isAfter(a) ? b : a;
  }
}
