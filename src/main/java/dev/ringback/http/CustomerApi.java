package dev.ringback.http;

import dev.ringback.app.Customers;
import dev.ringback.app.Services;
import dev.ringback.domain.Agent;
import dev.ringback.domain.Customer;
import dev.ringback.domain.CustomerData;
import dev.ringback.domain.CustomerQuery;
import dev.ringback.domain.PhoneNumbers;
import dev.ringback.store.CustomerStore;
import dev.ringback.store.TextStore;
import dev.ringback.store.TimelineStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** /api/customers: create, read, replace, delete, list and import customers. */
final class CustomerApi {
  static final Set<String> FIELDS = Set.of("phone", "name", "tier", "language", "time_zone", "notes");
  private static final int DEFAULT_PAGE = 50;
  private static final int MAX_PAGE = 500;
  private static final int MAX_NAME = 200;
  private static final int MAX_NOTES = 4000;

  private final Services services;
  private final Customers customers;
  private final Admission admission;

  CustomerApi(Services services, Admission admission) {
    this.services = services;
    this.customers = services.customers();
    this.admission = admission;
  }

  /** A page of the business's customers; with {@code q}, of those whose name or number holds what was typed. */
  void list(RoutingContext ctx) {
    int limit = Requests.intParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    long after = Requests.cursor(ctx.request().getParam("cursor"));
    String typed = ctx.request().getParam("q");
    if (typed != null && typed.length() > CustomerQuery.MAX_LENGTH) {
      throw HttpFailure.badRequest("q: at most " + CustomerQuery.MAX_LENGTH + " characters");
    }
    long businessId = Caller.business(ctx).id();
    CustomerQuery.parse(typed).map(query -> customers.search(businessId, query, after, limit + 1))
        .orElseGet(() -> customers.list(businessId, after, limit + 1))
        .onSuccess(found -> {
          boolean more = found.size() > limit;
          List<Customer> page = more ? found.subList(0, limit) : found;
          JsonArray items = new JsonArray();
          page.forEach(c -> items.add(toJson(c)));
          JsonObject body = new JsonObject().put("items", items)
              .put("next_cursor", more ? Long.toString(page.get(page.size() - 1).id()) : null);
          Responses.json(ctx, 200, body);
        })
        .onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    String phone = pathPhone(ctx);
    customers.findByPhone(Caller.business(ctx).id(), phone)
        .onSuccess(found -> found.ifPresentOrElse(
            c -> Responses.json(ctx, 200, toJson(c)),
            () -> ctx.fail(HttpFailure.notFound("no customer with phone " + phone))))
        .onFailure(ctx::fail);
  }

  /**
   * The customer's file: the customer (null when the number has history but no record) and every
   * call, callback, attempt, order and note, newest first, a page at a time.
   */
  void timeline(RoutingContext ctx) {
    String phone = pathPhone(ctx);
    int limit = Requests.intParam(ctx, "limit", 50, 1, 500);
    TimelineStore.Cursor after = timelineCursor(ctx.request().getParam("cursor"));
    customers.timeline(Caller.business(ctx).id(), phone, after, limit + 1).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(HttpFailure.notFound("no customer and no history for " + phone));
        return;
      }
      Customers.Timeline timeline = found.get();
      boolean more = timeline.entries().size() > limit;
      List<TimelineStore.Entry> page = more ? timeline.entries().subList(0, limit) : timeline.entries();
      JsonArray items = new JsonArray();
      int ringSeconds = services.config().metrics().ringSeconds();
      Caller caller = Caller.of(ctx);
      page.forEach(e -> items.add(new JsonObject().put("at", e.at().toString()).put("kind", e.kind()).put("id", e.ref())
          .put("detail", withPlayback(caller, e, withRings(e.detail(), ringSeconds)))));
      TimelineStore.Entry last = page.isEmpty() ? null : page.get(page.size() - 1);
      Responses.json(ctx, 200, new JsonObject()
          .put("phone", phone)
          .put("do_not_call", timeline.doNotCall())
          .put("texts", texts(timeline.texts()))
          .put("customer", timeline.customer().map(CustomerApi::toJson).orElse(null))
          .put("items", items)
          .put("next_cursor", more ? Base64.getUrlEncoder().withoutPadding().encodeToString(
              (last.at() + "|" + last.kind() + "|" + last.ref()).getBytes(StandardCharsets.UTF_8)) : null));
    }).onFailure(ctx::fail);
  }

  /**
   * A voicemail is played through Ringback, never from Twilio's URL; it is offered on the lines
   * the caller serves, where its playback route lets them hear it.
   */
  private static JsonObject withPlayback(Caller caller, TimelineStore.Entry entry, JsonObject detail) {
    if (detail != null && detail.getValue("recording_url") != null) {
      boolean playable = caller.serves(detail.getString("line"));
      detail.put("recording_url", !playable ? null : entry.kind().equals("call") ? RecordingApi.ofCall(detail.getString("call_sid"))
          : RecordingApi.ofCallback(entry.ref()));
    }
    return detail;
  }

  /** Ring-to-answer in rings too, as the service level counts it. */
  private static JsonObject withRings(JsonObject detail, int ringSeconds) {
    if (detail != null && detail.getValue("ring_seconds") instanceof Number seconds) {
      detail.put("rings", Math.round(seconds.doubleValue() / ringSeconds * 10) / 10.0);
    }
    return detail;
  }

  /** Whether the number takes texts from us: STOP (apart from do-not-call), or a text that could never reach it. */
  private static JsonObject texts(Optional<TextStore.TextNumber> number) {
    TextStore.TextNumber n = number.orElse(new TextStore.TextNumber(null, null, null, null, null));
    return new JsonObject()
        .put("opted_out", n.optedOutAt() != null)
        .put("opted_out_at", n.optedOutAt() == null ? null : n.optedOutAt().toString())
        .put("opted_in_at", n.optedInAt() == null ? null : n.optedInAt().toString())
        .put("unable", n.unableAt() != null)
        .put("unable_code", n.unableCode());
  }

  private static TimelineStore.Cursor timelineCursor(String value) {
    if (value == null) {
      return null;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split("\\|");
      return new TimelineStore.Cursor(Instant.parse(parts[0]), parts[1], Long.parseLong(parts[2]));
    } catch (RuntimeException e) {
      throw HttpFailure.badRequest("cursor: not one this API returned");
    }
  }

  /**
   * {@code {"do_not_call": true, "reason"?}}: the number is never dialled again by any line of the
   * business (waiting callbacks are cancelled, the refusal goes into the file); {@code false} lifts
   * it. Inbound calls always work. The admin may do either for any number; an agent lists only a
   * number with a call or callback on one of their lines, and only supervisors lift one, likewise.
   */
  void doNotCall(RoutingContext ctx) {
    String phone = pathPhone(ctx);
    JsonObject body = Requests.jsonBody(ctx);
    Requests.onlyFields(body, Set.of("do_not_call", "reason"));
    if (!(body.getValue("do_not_call") instanceof Boolean listed)) {
      throw HttpFailure.unprocessable("do_not_call: required, true or false");
    }
    String reason = Requests.text(body, "reason", false, 500);
    Caller caller = Caller.of(ctx);
    if (!listed && !caller.isAdmin() && !Agent.SUPERVISOR.equals(caller.agent().role())) {
      throw new HttpException(403, "only the admin and supervisors take a number off the do-not-call list");
    }
    Optional<List<Long>> agentLines = caller.isAdmin() ? Optional.empty() : Optional.of(caller.lineKeys());
    customers.setDoNotCall(caller.business().id(), phone, listed, reason, agentLines)
        .onSuccess(changed -> changed.ifPresentOrElse(
            cancelled -> Responses.json(ctx, 200,
                new JsonObject().put("phone", phone).put("do_not_call", listed).put("cancelled_callbacks", cancelled)),
            () -> ctx.fail(new HttpException(403, phone + " has no call or callback on your lines"))))
        .onFailure(ctx::fail);
  }

  void create(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    CustomerData data = fromJson(body, null);
    customers.create(Caller.business(ctx).id(), data)
        .onSuccess(created -> created.ifPresentOrElse(
            c -> {
              ctx.response().putHeader("Location", "/api/customers/" + c.phone());
              Responses.json(ctx, 201, toJson(c));
            },
            () -> ctx.fail(new HttpException(409, "a customer with phone " + data.phone() + " exists already"))))
        .onFailure(ctx::fail);
  }

  /** Creates or replaces the customer at this phone; absent fields are cleared. */
  void replace(RoutingContext ctx) {
    String phone = pathPhone(ctx);
    CustomerData data = fromJson(Requests.jsonBody(ctx), phone);
    customers.replace(Caller.business(ctx).id(), data)
        .onSuccess(saved -> Responses.json(ctx, saved.created() ? 201 : 200, toJson(saved.customer())))
        .onFailure(ctx::fail);
  }

  /** Deletes the customer record; with {@code erase=true} (admin only), everything about the number. */
  void delete(RoutingContext ctx) {
    String erase = ctx.request().getParam("erase");
    if (erase != null && !erase.equals("true") && !erase.equals("false")) {
      throw HttpFailure.badRequest("erase: true or false");
    }
    if ("true".equals(erase)) {
      erase(ctx);
      return;
    }
    String phone = pathPhone(ctx);
    customers.delete(Caller.business(ctx).id(), phone)
        .onSuccess(deleted -> {
          if (deleted) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(HttpFailure.notFound("no customer with phone " + phone));
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * Erases everything the business holds about the number: 204 once the database holds nothing
   * naming it (its recordings are then deleted at Twilio), 404 when nothing was known, 409 while
   * a call with it may be going on.
   */
  private void erase(RoutingContext ctx) {
    Caller.requireAdmin(ctx);
    String phone = pathPhone(ctx);
    customers.erase(Caller.business(ctx), phone)
        .onSuccess(erased -> {
          switch (erased.result()) {
            case ERASED -> ctx.response().setStatusCode(204).end();
            case UNKNOWN -> ctx.fail(HttpFailure.notFound("nothing is known about " + phone));
            case CALL_IN_PROGRESS -> ctx.fail(new HttpException(409, "a call with " + phone
                + " may be going on (its end is not reported yet); erase it once the call has ended"));
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * CSV with a header row naming any of {@link #FIELDS} ({@code phone} is required), separated
   * by commas or, as spreadsheets in many locales save it, semicolons. The upload goes to a
   * temporary file as it arrives (never into memory), then is read and merged a batch at a time
   * in one transaction; each rejected row is reported with its reason. With {@code preview=true}
   * the file is read the same way and the answer says what the import would do; nothing is written.
   */
  void importCsv(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String previewParam = request.getParam("preview");
    if (previewParam != null && !previewParam.equals("true") && !previewParam.equals("false")) {
      throw HttpFailure.badRequest("preview: true or false");
    }
    boolean preview = "true".equals(previewParam);
    int maxBytes = services.config().http().maxImportBytes();
    if (Requests.declaredLength(request) > maxBytes) {
      ctx.fail(413);
      return;
    }
    if (!admission.tryStartImport()) {
      ctx.response().putHeader("Retry-After", "5");
      ctx.fail(new HttpException(503, "as many imports as the server runs at once are running; try again shortly"));
      return;
    }
    ctx.addEndHandler(done -> admission.importDone());
    // Nothing may arrive unread while the file is being created.
    request.pause();
    long businessId = Caller.business(ctx).id();
    FileSystem files = ctx.vertx().fileSystem();
    files.createTempFile("ringback-import-", ".csv")
        .compose(path -> spool(request, files, path, maxBytes)
            .compose(v -> preview ? preview(ctx.vertx(), businessId, Path.of(path)) : merge(ctx.vertx(), businessId, Path.of(path)))
            .eventually(() -> files.delete(path)))
        .onSuccess(body -> Responses.json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  /**
   * A file to start from: every column, and rows that import as they are (a number as people
   * write it, a quoted name with a comma, empty cells); CRLF as spreadsheets write it.
   */
  static final String IMPORT_SAMPLE = """
      phone,name,tier,language,time_zone,notes\r
      +14155550123,Ada Lovelace,vip,en-US,America/Los_Angeles,Prefers mornings\r
      (415) 555-0124,"Babbage, Charles",standard,en-GB,Europe/London,"After 5 pm, he goes by ""Charlie"" on the phone"\r
      +34 912 345 678,Lucía García,,es-ES,Europe/Madrid,\r
      """;

  /** {@code GET /api/customers/import/sample.csv}: the import's columns, as a file a spreadsheet opens. */
  void importSample(RoutingContext ctx) {
    ctx.response().putHeader("Content-Disposition", "attachment; filename=\"ringback-customers-sample.csv\"");
    Responses.end(ctx, 200, "text/csv; charset=utf-8", IMPORT_SAMPLE);
  }

  /** Writes the request's body to the file, with back-pressure; more than {@code maxBytes} is a 413. */
  private static Future<Void> spool(HttpServerRequest request, FileSystem files, String path, int maxBytes) {
    return files.open(path, new OpenOptions().setWrite(true).setTruncateExisting(true)).compose(file -> {
      Promise<Void> received = Promise.promise();
      long[] bytes = {0};
      request.handler(chunk -> {
        bytes[0] += chunk.length();
        if (bytes[0] > maxBytes) {
          received.tryFail(new HttpException(413, "request body larger than allowed"));
          return;
        }
        if (!received.future().isComplete()) {
          file.write(chunk);
          if (file.writeQueueFull()) {
            request.pause();
            file.drainHandler(v -> request.resume());
          }
        }
      });
      request.exceptionHandler(received::tryFail);
      request.endHandler(v -> received.tryComplete());
      request.resume();
      return received.future().eventually(file::close);
    });
  }

  /** Reads the file on worker threads a batch at a time, each batch merged before the next is read. */
  private Future<JsonObject> merge(Vertx vertx, long businessId, Path file) {
    return readBatches(vertx, file, batches -> customers.importCustomers(businessId, batches).map(CustomerApi::toJson));
  }

  /** Reads and validates the file exactly as {@link #merge} does, and says what it would do; nothing is written. */
  private Future<JsonObject> preview(Vertx vertx, long businessId, Path file) {
    return readBatches(vertx, file, batches -> customers.previewImport(businessId, batches).map(CustomerApi::toJson));
  }

  /** The file's rows, a batch at a time on worker threads, to {@code use}; the file is closed once it is done. */
  private <T> Future<T> readBatches(Vertx vertx, Path file, Function<Supplier<Future<Customers.ImportBatch>>, Future<T>> use) {
    return vertx.executeBlocking(() -> new CsvRows(file), false).compose(rows ->
        use.apply(() -> vertx.executeBlocking(() -> rows.next(IMPORT_BATCH), false))
            .eventually(() -> vertx.executeBlocking(() -> {
              rows.close();
              return null;
            }, false)));
  }

  private static final int IMPORT_BATCH = 500;

  private static JsonObject toJson(Customers.Imported imported) {
    JsonArray rejected = new JsonArray();
    imported.rejected().forEach(r -> rejected.add(new JsonObject().put("line", r.line()).put("reason", r.reason())));
    return new JsonObject().put("added", imported.added()).put("updated", imported.updated()).put("rejected", rejected)
        .put("rejected_count", imported.rejectedCount());
  }

  private static JsonObject toJson(Customers.ImportPreview preview) {
    JsonArray additions = new JsonArray();
    preview.additions().forEach(a -> additions.add(new JsonObject().put("line", a.line()).put("customer", toJson(a.customer()))));
    JsonArray updates = new JsonArray();
    preview.updates().forEach(u -> {
      JsonArray changes = new JsonArray();
      u.changes().forEach(c -> changes.add(new JsonObject().put("field", c.field()).put("from", c.from()).put("to", c.to())));
      updates.add(new JsonObject().put("line", u.line()).put("phone", u.stored().phone()).put("name", u.stored().name())
          .put("changes", changes));
    });
    return toJson(preview.counts()).put("preview", true).put("added_rows", additions).put("updated_rows", updates);
  }

  /** A customer an import would add, as it would be stored. */
  private static JsonObject toJson(CustomerData c) {
    return new JsonObject().put("phone", c.phone()).put("name", c.name()).put("tier", c.tier().value()).put("language", c.language())
        .put("time_zone", c.timeZone()).put("notes", c.notes());
  }

  /** An uploaded CSV file read a batch at a time; used by one worker thread after another, never at once. */
  private final class CsvRows implements Closeable {
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;

    CsvRows(Path file) throws IOException {
      BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
      try {
        skipByteOrderMark(reader);
        String headerLine = firstLine(reader);
        if (headerLine == null) {
          throw HttpFailure.badRequest("empty file");
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(separator(headerLine)).setHeader().setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true).setTrim(true).get();
        this.parser = CSVParser.builder().setReader(reader).setFormat(format).get();
        this.header = parser.getHeaderNames();
        this.records = parser.iterator();
      } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
        reader.close();
        throw unreadable(e);
      } catch (HttpException e) {
        reader.close();
        throw e;
      }
      for (String column : header) {
        if (!FIELDS.contains(column)) {
          close();
          throw HttpFailure.unprocessable("unknown column '" + column + "'; columns are " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
      }
      if (!header.contains("phone")) {
        close();
        throw HttpFailure.unprocessable("the header row must name a 'phone' column");
      }
    }

    Customers.ImportBatch next(int size) {
      List<CustomerStore.ImportRow> accepted = new ArrayList<>();
      List<Customers.Rejection> rejected = new ArrayList<>();
      Map<String, Long> seen = new HashMap<>();
      try {
        while (accepted.size() < size && records.hasNext()) {
          CSVRecord record = records.next();
          long line = parser.getCurrentLineNumber();
          try {
            if (!record.isConsistent()) {
              throw HttpFailure.unprocessable("expected " + header.size() + " cells, found " + record.size());
            }
            JsonObject row = new JsonObject();
            record.toMap().forEach((column, value) -> {
              if (value != null && !value.isEmpty()) {
                row.put(column, value);
              }
            });
            CustomerData data = fromJson(row, null);
            Long earlier = seen.putIfAbsent(data.phone(), line);
            if (earlier != null) {
              throw HttpFailure.unprocessable("phone " + data.phone() + " is already on line " + earlier);
            }
            accepted.add(new CustomerStore.ImportRow(line, data));
          } catch (HttpException e) {
            rejected.add(new Customers.Rejection(line, e.getPayload()));
          }
        }
        return new Customers.ImportBatch(accepted, rejected, !records.hasNext());
      } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
        throw unreadable(e);
      }
    }

    @Override
    public void close() throws IOException {
      parser.close();
    }
  }

  /** Spreadsheets save "CSV UTF-8" with a byte-order mark first; it is not part of the first column's name. */
  private static void skipByteOrderMark(BufferedReader reader) throws IOException {
    reader.mark(1);
    if (reader.read() != '\uFEFF') {
      reader.reset();
    }
  }

  /** How far the header line is looked for; a header is a few dozen characters. */
  private static final int HEADER_LOOKAHEAD = 64 * 1024;

  /** The first line that is not blank, or null when the file holds nothing else; the reader is left where it was. */
  private static String firstLine(BufferedReader reader) throws IOException {
    reader.mark(HEADER_LOOKAHEAD);
    StringBuilder line = new StringBuilder();
    try {
      for (int read = 0; read < HEADER_LOOKAHEAD; read++) {
        int c = reader.read();
        if (c == -1 || c == '\n' || c == '\r') {
          if (!line.toString().isBlank()) {
            return line.toString();
          }
          if (c == -1) {
            return null;
          }
          line.setLength(0);
        } else {
          line.append((char) c);
        }
      }
      return line.toString();
    } finally {
      reader.reset();
    }
  }

  /**
   * The header line's separator: a semicolon when it has more of them than commas outside quotes
   * (as spreadsheets export CSV where the comma is the decimal mark), else a comma.
   */
  private static char separator(String headerLine) {
    int commas = 0;
    int semicolons = 0;
    boolean quoted = false;
    for (char c : headerLine.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == ',') {
        commas++;
      } else if (!quoted && c == ';') {
        semicolons++;
      }
    }
    return semicolons > commas ? ';' : ',';
  }

  /** A file that is not UTF-8 text says so, since a spreadsheet can save it as such. */
  private static HttpException unreadable(Exception e) {
    Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
    if (cause instanceof CharacterCodingException) {
      return HttpFailure.badRequest("not UTF-8 text: save the file as CSV UTF-8");
    }
    return HttpFailure.badRequest("not readable as CSV: " + e.getMessage());
  }

  private String pathPhone(RoutingContext ctx) {
    String raw = ctx.pathParam("phone");
    return services.phoneNumbers().normalize(raw)
        .orElseThrow(() -> HttpFailure.unprocessable("phone: '" + raw + "' is not a valid phone number"));
  }

  /** Validates every field; {@code pathPhone}, when given, is the phone and the body may omit it. */
  private CustomerData fromJson(JsonObject body, String pathPhone) {
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field) && !field.equals("id") && !field.equals("created_at") && !field.equals("updated_at")) {
        throw HttpFailure.unprocessable(field + ": unknown field");
      }
    }
    PhoneNumbers numbers = services.phoneNumbers();
    String rawPhone = Requests.text(body, "phone", false, 64);
    String phone;
    if (pathPhone != null) {
      if (rawPhone != null && !numbers.normalize(rawPhone).map(pathPhone::equals).orElse(false)) {
        throw HttpFailure.unprocessable("phone: the body's phone differs from the one in the path");
      }
      phone = pathPhone;
    } else {
      if (rawPhone == null) {
        throw HttpFailure.unprocessable("phone: required");
      }
      phone = numbers.normalize(rawPhone)
          .orElseThrow(() -> HttpFailure.unprocessable("phone: '" + rawPhone + "' is not a valid phone number"));
    }
    String tierText = Requests.text(body, "tier", false, 20);
    Customer.Tier tier = tierText == null ? null : Customer.Tier.parse(tierText)
        .orElseThrow(() -> HttpFailure.unprocessable("tier: must be 'standard' or 'vip'"));
    String language = Requests.text(body, "language", false, 35);
    if (language != null && !language.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")) {
      throw HttpFailure.unprocessable("language: '" + language + "' is not a language tag such as en-US");
    }
    String timeZone = Requests.text(body, "time_zone", false, 64);
    if (timeZone != null) {
      try {
        ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        throw HttpFailure.unprocessable("time_zone: '" + timeZone + "' is not a time zone such as Europe/Berlin");
      }
    }
    return new CustomerData(phone, Requests.text(body, "name", false, MAX_NAME), tier, language, timeZone,
        Requests.text(body, "notes", false, MAX_NOTES));
  }

  static JsonObject toJson(Customer c) {
    return new JsonObject()
        .put("id", c.id())
        .put("phone", c.phone())
        .put("name", c.name())
        .put("tier", c.tier().value())
        .put("language", c.language())
        .put("time_zone", c.timeZone())
        .put("notes", c.notes())
        .put("created_at", c.createdAt().toString())
        .put("updated_at", c.updatedAt().toString());
  }
}
