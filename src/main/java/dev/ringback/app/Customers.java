package dev.ringback.app;

import dev.ringback.domain.AttemptOutcome;
import dev.ringback.domain.Customer;
import dev.ringback.domain.CustomerData;
import dev.ringback.domain.CustomerMerge;
import dev.ringback.domain.CustomerQuery;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.CustomerStore;
import dev.ringback.store.DoNotCallStore;
import dev.ringback.store.ErasureStore;
import dev.ringback.store.TextStore;
import dev.ringback.store.TimelineStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The business's customers, the numbers it must not call, and each customer's history. */
public final class Customers {
  private static final Logger LOG = LoggerFactory.getLogger(Customers.class);
  /** Rejections an import lists, and rows of each kind a preview lists; all of them are counted. */
  private static final int MAX_LISTED = 1000;

  /** A row of an import file that was not merged, and why. */
  public record Rejection(long line, String reason) {}

  /**
   * A batch read from an import file: its valid rows, whose phones differ from each other; the
   * rows refused while reading it; whether the file ends with it.
   */
  public record ImportBatch(List<CustomerStore.ImportRow> accepted, List<Rejection> rejected, boolean last) {}

  /** What an import did: customers added and updated, the first thousand rejections in line order, and how many there were. */
  public record Imported(int added, int updated, List<Rejection> rejected, long rejectedCount) {}

  /** A row an import would add: the customer as it would be stored. */
  public record Addition(long line, CustomerData customer) {}

  /** A row an import would update: the customer as stored, and what would change (nothing when the row repeats it). */
  public record Update(long line, Customer stored, List<CustomerMerge.Change> changes) {}

  /**
   * What an import of the file would do, with nothing written: the counts as the import would
   * answer them, and the first thousand rows of each kind in line order.
   */
  public record ImportPreview(Imported counts, List<Addition> additions, List<Update> updates) {}

  /**
   * A number's file: its customer record if it has one, whether it is on the do-not-call list,
   * what it showed about texts (STOP, or a text that could never reach it), and a page of its
   * history, newest first.
   */
  public record Timeline(Optional<Customer> customer, boolean doNotCall, Optional<TextStore.TextNumber> texts,
                         List<TimelineStore.Entry> entries) {}

  private final CustomerStore store;
  private final DoNotCallStore doNotCall;
  private final TimelineStore timeline;
  private final TextStore texts;
  private final Privacy privacy;
  private final Clock clock;
  private final RingbackMetrics metrics;

  public Customers(CustomerStore store, DoNotCallStore doNotCall, TimelineStore timeline, TextStore texts, Privacy privacy, Clock clock,
                   RingbackMetrics metrics) {
    this.texts = texts;
    this.store = store;
    this.doNotCall = doNotCall;
    this.timeline = timeline;
    this.privacy = privacy;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The customer a phone number (E.164) belongs to, if the business knows it. */
  public Future<Optional<Customer>> findByPhone(long businessId, String phone) {
    return store.findByPhone(businessId, phone);
  }

  /** The customer on the call {@code callSid} (an inbound call's caller), or on the callback {@code callbackId}, if known. */
  public Future<Optional<Customer>> onCall(long businessId, String callSid, Long callbackId) {
    return store.findOnCall(businessId, callSid, callbackId);
  }

  /** The business's customers after the one with key {@code afterId}, in the order they were added. */
  public Future<List<Customer>> list(long businessId, long afterId, int limit) {
    return store.list(businessId, afterId, limit);
  }

  /** The business's customers the query finds (by name or number) after the one with key {@code afterId}, in the order they were added. */
  public Future<List<Customer>> search(long businessId, CustomerQuery query, long afterId, int limit) {
    return store.search(businessId, query, afterId, limit);
  }

  /** Adds a customer; empty when the business has a customer with that phone already. */
  public Future<Optional<Customer>> create(long businessId, CustomerData data) {
    return store.create(businessId, data);
  }

  /** Adds the customer at this phone, or replaces everything the business holds on them. */
  public Future<CustomerStore.Saved> replace(long businessId, CustomerData data) {
    return store.replace(businessId, data);
  }

  /** Forgets the customer record (the number's history stays); false when there was none. */
  public Future<Boolean> delete(long businessId, String phone) {
    return store.delete(businessId, phone);
  }

  /**
   * Erases everything the business holds about the number; its recordings are then deleted at
   * Twilio. Refused while a call with the number may be going on.
   */
  public Future<ErasureStore.Erasure> erase(Business business, String phone) {
    return privacy.erase(business, phone);
  }

  /**
   * The number's file, a page of history after {@code after} (null: from the newest); empty when
   * the business knows nothing of the number.
   */
  public Future<Optional<Timeline>> timeline(long businessId, String phone, TimelineStore.Cursor after, int limit) {
    Future<Optional<Customer>> customer = store.findByPhone(businessId, phone);
    Future<List<TimelineStore.Entry>> entries = timeline.timeline(businessId, phone, after, limit);
    Future<Optional<DoNotCallStore.Listing>> listing = doNotCall.find(businessId, phone);
    Future<Optional<TextStore.TextNumber>> textNumber = texts.number(businessId, phone);
    return Future.all(customer, entries, listing, textNumber).map(v -> customer.result().isEmpty() && entries.result().isEmpty()
        && after == null
        ? Optional.empty()
        : Optional.of(new Timeline(customer.result(), listing.result().isPresent(), textNumber.result(), entries.result())));
  }

  /**
   * Puts the number on the do-not-call list (no line of the business dials it again, its waiting
   * callbacks are cancelled, the refusal goes into its file) or takes it off. An agent may do so
   * only for a number with a call or callback on one of their lines.
   *
   * @param agentLines the lines of the agent asking; empty for the admin, who may list any number
   * @return how many waiting callbacks were cancelled; empty when the agent's lines never had the number
   */
  public Future<Optional<Integer>> setDoNotCall(long businessId, String phone, boolean listed, String reason,
                                                Optional<List<Long>> agentLines) {
    Future<Boolean> allowed = agentLines.map(lines -> doNotCall.knownOnLines(businessId, phone, lines))
        .orElse(Future.succeededFuture(true));
    return allowed.compose(known -> {
      if (!known) {
        return Future.succeededFuture(Optional.empty());
      }
      Future<Integer> cancelled = listed
          ? doNotCall.add(businessId, phone, clock.instant(), reason).map(callbacks -> {
            callbacks.forEach(c -> metrics.callbackFinished(c.business(), c.trigger(), c.line(), AttemptOutcome.CANCELLED));
            return callbacks.size();
          })
          : doNotCall.remove(businessId, phone).map(removed -> 0);
      return cancelled.map(count -> {
        LOG.info("customer {} {}{}", PhoneNumbers.mask(phone), listed ? "put on the do-not-call list" : "may be called again",
            count > 0 ? ", " + count + " waiting callback(s) cancelled" : "");
        return Optional.of(count);
      });
    });
  }

  /**
   * Merges an import's customers in one transaction, whole or not at all: each batch is asked for
   * once the one before is merged, so a large file never sits in memory. Cells left empty keep
   * what is stored; a phone an earlier row gave is rejected.
   */
  public Future<Imported> importCustomers(long businessId, Supplier<Future<ImportBatch>> nextBatch) {
    return store.importing(businessId, target -> merge(target, nextBatch, new ImportTotals()));
  }

  private static Future<Imported> merge(CustomerStore.Import target, Supplier<Future<ImportBatch>> nextBatch, ImportTotals totals) {
    return nextBatch.get().compose(batch -> target.merge(batch.accepted()).compose(merged -> {
      totals.add(merged, batch.rejected());
      return batch.last() ? Future.succeededFuture(totals.imported()) : merge(target, nextBatch, totals);
    }));
  }

  /**
   * What an import of the same rows would do, writing nothing: the batches are read and validated
   * as the import reads them, a phone an earlier batch gave is found as the import finds it (in a
   * transaction rolled back at the end), and each batch's phones are looked up in one query to
   * tell the customers it would add from those it would update.
   */
  public Future<ImportPreview> previewImport(long businessId, Supplier<Future<ImportBatch>> nextBatch) {
    return store.previewing(businessId, source -> preview(source, nextBatch, new ImportTotals(), new PreviewRows()));
  }

  private static Future<ImportPreview> preview(CustomerStore.Import source, Supplier<Future<ImportBatch>> nextBatch, ImportTotals totals,
                                               PreviewRows rows) {
    return nextBatch.get().compose(batch -> source.claim(batch.accepted()).compose(claimed -> {
      List<CustomerStore.ImportRow> fresh = claimed.fresh();
      return source.stored(fresh.stream().map(r -> r.data().phone()).toList()).compose(stored -> {
        int added = 0;
        for (CustomerStore.ImportRow row : fresh) {
          Customer known = stored.get(row.data().phone());
          if (known == null) {
            added++;
            rows.add(rows.additions, new Addition(row.line(), CustomerMerge.added(row.data())));
          } else {
            rows.add(rows.updates, new Update(row.line(), known, CustomerMerge.changes(known, row.data())));
          }
        }
        totals.add(added, fresh.size() - added, batch.rejected(), claimed.repeated());
        return batch.last()
            ? Future.succeededFuture(new ImportPreview(totals.imported(), List.copyOf(rows.additions), List.copyOf(rows.updates)))
            : preview(source, nextBatch, totals, rows);
      });
    }));
  }

  /** The rows a preview lists: the first thousand of each kind. */
  private static final class PreviewRows {
    private final List<Addition> additions = new ArrayList<>();
    private final List<Update> updates = new ArrayList<>();

    <T> void add(List<T> listed, T row) {
      if (listed.size() < MAX_LISTED) {
        listed.add(row);
      }
    }
  }

  /** What an import did so far; rejections beyond the first thousand are only counted. */
  private static final class ImportTotals {
    private int added;
    private int updated;
    private long rejectedCount;
    private final List<Rejection> rejected = new ArrayList<>();

    void add(CustomerStore.Batch merged, List<Rejection> refused) {
      add(merged.added(), merged.updated(), refused, merged.repeated());
    }

    void add(int addedRows, int updatedRows, List<Rejection> refused, List<CustomerStore.Repeated> repeated) {
      added += addedRows;
      updated += updatedRows;
      List<Rejection> all = new ArrayList<>(refused);
      repeated.forEach(r -> all.add(new Rejection(r.line(), "phone " + r.phone() + " is already on line " + r.firstLine())));
      all.sort(Comparator.comparingLong(Rejection::line));
      rejectedCount += all.size();
      all.stream().limit(Math.max(0, MAX_LISTED - rejected.size())).forEach(rejected::add);
    }

    Imported imported() {
      return new Imported(added, updated, List.copyOf(rejected), rejectedCount);
    }
  }
}
