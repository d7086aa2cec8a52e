package dev.ringback.app;

import dev.ringback.store.TaskStore;

/** Callbacks handed to people: the queue agents claim from, renew, release and complete. */
public final class Tasks {
  private final TaskStore store;

  public Tasks(TaskStore store) {
    this.store = store;
  }
}
