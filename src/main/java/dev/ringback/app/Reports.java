package dev.ringback.app;

import dev.ringback.store.ReportStore;
import io.vertx.sqlclient.Pool;

/** Figures over a period for the reports API, and whether the database answers at all. */
public final class Reports {
  private final ReportStore store;
  private final Pool pool;

  public Reports(ReportStore store, Pool pool) {
    this.store = store;
    this.pool = pool;
  }
}
