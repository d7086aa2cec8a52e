package dev.ringback.app;

import dev.ringback.store.FeedbackStore;

/** Asking a customer how a call went, by phone or by text, and keeping the answer. */
public final class Feedback {
  private final FeedbackStore store;

  public Feedback(FeedbackStore store) {
    this.store = store;
  }
}
