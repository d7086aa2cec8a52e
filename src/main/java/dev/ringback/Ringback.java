package dev.ringback;

import dev.ringback.app.Agents;
import dev.ringback.app.Attempts;
import dev.ringback.app.Business;
import dev.ringback.app.Businesses;
import dev.ringback.app.CallEvents;
import dev.ringback.app.CallbackTexts;
import dev.ringback.app.Callbacks;
import dev.ringback.app.Changes;
import dev.ringback.app.Customers;
import dev.ringback.app.Feedback;
import dev.ringback.app.Journal;
import dev.ringback.app.LineSettings;
import dev.ringback.app.Orders;
import dev.ringback.app.Privacy;
import dev.ringback.app.Reports;
import dev.ringback.app.RetentionJob;
import dev.ringback.app.Services;
import dev.ringback.app.Tasks;
import dev.ringback.app.TextJob;
import dev.ringback.app.TextOutbox;
import dev.ringback.app.TextReplies;
import dev.ringback.app.Tokens;
import dev.ringback.app.Triggers;
import dev.ringback.config.RingbackConfig;
import dev.ringback.demo.DemoTraffic;
import dev.ringback.dialer.Dispatcher;
import dev.ringback.domain.Line;
import dev.ringback.domain.PublicUrl;
import dev.ringback.domain.TimeZones;
import dev.ringback.http.Admission;
import dev.ringback.http.HttpVerticle;
import dev.ringback.http.Operations;
import dev.ringback.http.Warmup;
import dev.ringback.metrics.GuardedMetricsFactory;
import dev.ringback.metrics.RingbackMetrics;
import dev.ringback.store.AgentStore;
import dev.ringback.store.BusinessStore;
import dev.ringback.store.CallEventStore;
import dev.ringback.store.CallStore;
import dev.ringback.store.CallbackStore;
import dev.ringback.store.CustomerStore;
import dev.ringback.store.Database;
import dev.ringback.store.DialStore;
import dev.ringback.store.DoNotCallStore;
import dev.ringback.store.FeedbackStore;
import dev.ringback.store.LineOverrides;
import dev.ringback.store.LineStore;
import dev.ringback.store.OrderStore;
import dev.ringback.store.ReportStore;
import dev.ringback.store.SecretBox;
import dev.ringback.store.TaskStore;
import dev.ringback.store.TextStore;
import dev.ringback.store.TimelineStore;
import dev.ringback.store.TokenStore;
import dev.ringback.telephony.BreakerTelephony;
import dev.ringback.telephony.MeteredTelephony;
import dev.ringback.telephony.OpenCircuits;
import dev.ringback.telephony.SimulatedTelephony;
import dev.ringback.telephony.Telephony;
import dev.ringback.telephony.TwilioConnections;
import dev.ringback.telephony.TwilioTelephony;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Ringback: database, Vert.x, HTTP server. Built by {@link #start}, ended by {@link #close}. */
public final class Ringback implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ringback.class);
  private static final String ADMIN_TOKEN = "admin";
  /** How long the start waits for its warm-up (the first requests' paths), at most: it only makes them faster. */
  private static final long WARM_UP_MILLIS = 10_000;
  /** How long the start waits for PostgreSQL to let the pool's connections in, at most. */
  private static final Duration CONNECTIONS_BOUND = Duration.ofSeconds(30);

  private final Database database;
  private final Vertx vertx;
  private final Services services;
  private final int port;
  private final OptionalInt managementPort;
  private final Privacy privacy;
  /** Deployment ids in the order they stop: demo traffic, then HTTP (no new work), the retention job, then the dispatcher. */
  private final List<String> stopOrder;

  private Ringback(Database database, Vertx vertx, Services services, int port, OptionalInt managementPort,
                   Privacy privacy, List<String> stopOrder) {
    this.database = database;
    this.privacy = privacy;
    this.vertx = vertx;
    this.services = services;
    this.port = port;
    this.managementPort = managementPort;
    this.stopOrder = List.copyOf(stopOrder);
  }

  /** Starts everything and returns once the HTTP server listens; blocking, so not for an event loop. */
  public static Ringback start(RingbackConfig configured, Clock clock) throws Exception {
    // A port another process holds fails the start before anything is built or stored.
    requireFree(configured.http().port());
    if (configured.http().managementPort().isPresent()) {
      requireFree(configured.http().managementPort().getAsInt());
    }
    int port = configured.http().port() == 0 ? freePort() : configured.http().port();
    RingbackConfig config = configured.listeningOn(port);
    // PostgreSQL starts (embedded: a child process) and migrates while this thread builds Vert.x
    // and loads what the first requests need: the two together decide how soon we are healthy.
    CompletableFuture<Database> ready = CompletableFuture.supplyAsync(() -> {
      Database started = startDatabase(config.database());
      try {
        started.migrate();
        return started;
      } catch (RuntimeException e) {
        started.close();
        throw e;
      }
    }, onThread("ringback-database-start"));
    Vertx vertx = null;
    Database database = null;
    Pool pool = null;
    Journal journal = null;
    // Admin tokens this start generated: shown once it listens, removed again when it fails.
    List<GeneratedToken> generated = Collections.synchronizedList(new ArrayList<>());
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      registry.config().meterFilter(RingbackMetrics.httpLatencyBuckets());
      // What only the first requests need is loaded on the side, off the path to the database.
      CompletableFuture<Void> preloaded = CompletableFuture.runAsync(() -> {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Operations.preload();
        TimeZones.preload();
      }, onThread("ringback-preload"));
      vertx = Vertx.builder()
          .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
              .setEnabled(true)
              .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME))))
          .withMetrics(new GuardedMetricsFactory(new MicrometerMetricsFactory(registry)))
          .build();
      vertx.exceptionHandler(Ringback::uncaught);
      database = await(ready);
      pool = database.createPool(vertx, config.database());
      // The pool's connections open while twilio-java's client is built: each one's sign-in (SCRAM's key
      // derivation) and its server process's start would otherwise fall on the first webhooks.
      Future<Void> connections = Database.openConnections(pool, config.database().poolSize(), CONNECTIONS_BOUND);
      TwilioConnections twilioConnections = new TwilioConnections(config.twilio());
      OpenCircuits circuits = new OpenCircuits();
      Optional<TwilioTelephony> twilio = config.twilio().configured()
          ? Optional.of(new TwilioTelephony(vertx, config.twilio(), config.twilio().account(), twilioConnections)) : Optional.empty();
      // twilio-java's client, which only calls need, is built on its worker pool while the services are.
      Future<Void> twilioClient = twilio.map(t -> t.prepare()
              .onFailure(e -> LOG.warn("twilio-java's client could not be built: {}", e.toString())).otherwiseEmpty())
          .orElse(Future.succeededFuture());
      Telephony network = twilio.isPresent()
          ? twilio.get()
          : new SimulatedTelephony(vertx, () -> "http://127.0.0.1:" + port, clock, new Random(),
              config.metrics().ringSeconds() * 1000L);
      OptionalInt managementPort = config.http().managementPort().stream().map(p -> p == 0 ? freePort() : p).findFirst();
      journal = Journal.open(config.database().journalDir());
      // The start's queries run once they are in: a query's own wait for a connection is database.wait-timeout-millis only.
      connections.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      Services services = bootstrap(vertx, config, clock, pool, registry, network, twilioConnections, circuits, journal, generated)
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      services.metrics().databaseRestarts(database::restarts);
      services.triggers().start();
      await(preloaded); // before any verticle runs: no event loop reads those resources
      // What the first webhook and order would do for the first time, done before the server answers.
      Warmup.prepare(services);
      int instances = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
      Admission admission = new Admission(config.http());
      services.metrics().bufferedRequestBytes(admission::buffered);
      services.metrics().requestsInFlight(admission::inFlight);
      AtomicBoolean started = new AtomicBoolean();
      // Webhooks are answered from here, before the dialler places any call (a port in use stops the start first);
      // /health says 503 "starting" until the end, so a load balancer's first request does not meet the rest of the start.
      String http = vertx.deployVerticle(() -> new HttpVerticle(services, admission, port, managementPort, started::get),
              new DeploymentOptions().setInstances(instances))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      Future<Void> asked = Warmup.askOnce(vertx, port);
      String dispatcher = vertx.deployVerticle(new Dispatcher(services, database.connectOptions(), circuits))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      Privacy privacy = new Privacy(pool, services.businesses(), clock, config.retention());
      String retention = vertx.deployVerticle(new RetentionJob(privacy))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      String texts = vertx.deployVerticle(new TextJob(services.textOutbox(), services.callbackTexts(), config.dialer().pollMillis()))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      List<String> stopOrder = new ArrayList<>(List.of(http, texts, retention, dispatcher));
      if (config.demo().enabled()) {
        stopOrder.add(0, vertx.deployVerticle(new DemoTraffic(services, "http://127.0.0.1:" + port))
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
      }
      warmedUp(List.of(Map.entry("the warm-up's request through the HTTP pipeline", asked), Map.entry("twilio-java's client", twilioClient)),
          WARM_UP_MILLIS);
      started.set(true);
      LOG.info("Ringback listens on port {} (public URL {}), {} line(s), telephony: {}{}",
          port, config.http().publicUrl(), config.lines().size(), services.telephony().name(),
          managementPort.isPresent() ? "; /health and /metrics on port " + managementPort.getAsInt() : "");
      PublicUrl.cannotReach(config.http().publicUrl(), port).ifPresent(why -> LOG.warn(
          "The public URL {} cannot be this server's: {}. Twilio and shops are sent there; set RINGBACK_PUBLIC_URL (http.public-url)"
              + " to the address they reach this server at, or leave it empty for http://localhost:{}", config.http().publicUrl(), why, port));
      generated.forEach(GeneratedToken::announce);
      return new Ringback(database, vertx, services, port, managementPort, privacy, stopOrder);
    } catch (Exception e) {
      if (pool != null) {
        forget(new TokenStore(pool), generated);
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      if (journal != null) {
        journal.close();
      }
      if (database != null) {
        database.close();
      } else {
        // Failed before the database was ready: stop it once it is.
        ready.thenAccept(Database::close);
      }
      throw e;
    }
  }

  private static Database startDatabase(RingbackConfig.Database config) {
    try {
      return Database.start(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a start-up task on a thread of its own, named for thread dumps. */
  private static Executor onThread(String name) {
    return task -> new Thread(task, name).start();
  }

  /** What a start-up task produced, or the exception that stopped it (not wrapped). */
  private static <T> T await(CompletableFuture<T> ready) throws Exception {
    try {
      return ready.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw e;
    }
  }

  private static Future<Services> bootstrap(Vertx vertx, RingbackConfig config, Clock clock, Pool pool,
                                            PrometheusMeterRegistry registry, Telephony network, TwilioConnections twilioConnections,
                                            OpenCircuits circuits, Journal journal,
                                            List<GeneratedToken> generated) {
    LineStore lines = new LineStore(pool);
    TokenStore tokens = new TokenStore(pool);
    BusinessStore businessStore = new BusinessStore(pool);
    RingbackMetrics metrics = new RingbackMetrics(registry, config.metrics().ringSeconds(), config.metrics().ringToAnswerBucketsRings(),
        config.metrics().target(), config.metrics().serviceLevelObjective(), config.metrics().perLine());
    if (!config.twilio().configured()) {
      LOG.warn("No Twilio credentials: outbound calls are played by the built-in call simulator, "
          + "and /twilio/* requests are not signature-checked");
    }
    Telephony telephony = breaker(config, clock, circuits, new MeteredTelephony(network, metrics, RingbackConfig.DEFAULT_BUSINESS));
    Optional<SecretBox> secrets = config.secrets().configured() ? Optional.of(SecretBox.of(config.secrets().key())) : Optional.empty();
    Optional<SecretBox> previous = config.secrets().previousKey().isEmpty() ? Optional.empty()
        : Optional.of(SecretBox.of(config.secrets().previousKey()));
    AtomicReference<Businesses> served = new AtomicReference<>();
    Businesses businesses = new Businesses(pool, config, businessStore, secrets, previous,
        (slug, account) -> breaker(config, clock, circuits,
            new MeteredTelephony(new TwilioTelephony(vertx, config.twilio(), account, twilioConnections), metrics, slug)),
        business -> served(metrics, served, business), metrics::retire);
    served.set(businesses);
    return lines.businessId(RingbackConfig.DEFAULT_BUSINESS).compose(businessId -> lines.sync(businessId, config.lines())
        .compose(lineKeys -> {
          LineOverrides overrides = new LineOverrides(pool, businessId, config.lines(), new LineSettings(config));
          return adminTokenHash(tokens, businessId, config.api().token(), RingbackConfig.DEFAULT_BUSINESS, generated).map(tokenHash -> {
            Business main = new Business(businessId, RingbackConfig.DEFAULT_BUSINESS, "Default business", true, config.twilio().account(),
                config.dialer().callsPerSecond(), config.orders(), lineKeys, tokenHash, telephony, overrides);
            return main;
          });
        }))
        .compose(main -> configBusinesses(config, pool, lines, tokens, businessStore, businesses, generated).map(others -> {
          List<Business> all = new ArrayList<>(List.of(main));
          all.addAll(others);
          return all;
        }))
        .compose(configured -> {
          Map<String, Long> numbers = new LinkedHashMap<>();
          configured.forEach(b -> b.lines().forEach(line -> numbers.put(line.number(), b.id())));
          return businessStore.claimConfigNumbers(numbers)
              .recover(e -> Future.failedFuture(e instanceof BusinessStore.NumberTaken taken ? numberTaken(taken, configured) : e))
              .compose(v -> LineOverrides.reload(pool, configured.stream().map(Business::overrides).toList()))
              .compose(v -> businesses.start(configured))
              .map(configured.get(0));
        })
        .map(main -> {
          vertx.eventBus().<String>consumer(Changes.LINES, message -> businesses.reloadLines(message.body())
              .onFailure(e -> LOG.warn("Could not reload the lines' opening hours: {}", e.getMessage())));
          vertx.eventBus().consumer(Changes.BUSINESSES, message -> businesses.reload()
              .onFailure(e -> LOG.warn("Could not reload the businesses: {}", e.getMessage())));
          if (businesses.all().size() > 1) {
            LOG.info("Serving {} businesses: {}", businesses.all().size(),
                String.join(", ", businesses.all().stream().map(Business::slug).toList()));
          }
          CallStore calls = new CallStore(pool, config.callbacks().policy());
          CallbackStore callbacks = new CallbackStore(pool);
          OrderStore orders = new OrderStore(pool, config.callbacks().policy());
          AgentStore agents = new AgentStore(pool);
          DoNotCallStore doNotCall = new DoNotCallStore(pool);
          Agents agentDesk = new Agents(agents, businesses);
          Tasks taskQueue = new Tasks(new TaskStore(pool), config, clock, metrics);
          TextStore textStore = new TextStore(pool);
          Customers customers = new Customers(new CustomerStore(pool), doNotCall, new TimelineStore(pool), textStore,
              new Privacy(pool, businesses, clock, config.retention()), clock, metrics);
          TextOutbox outbox = new TextOutbox(textStore, businesses, config.http().publicUrl(),
              Duration.ofSeconds(config.dialer().leaseSeconds()), clock, metrics);
          CallbackTexts callbackTexts = new CallbackTexts(textStore, outbox, businesses, customers, config, clock);
          Feedback feedback = new Feedback(new FeedbackStore(pool), outbox, config.feedback(), clock, metrics);
          TextReplies textReplies = new TextReplies(textStore, callbacks, outbox, customers, feedback, config, clock, metrics);
          Reports reports = new Reports(new ReportStore(pool), pool, config.metrics());
          CallEventStore callEventStore = new CallEventStore(pool, config.callbacks().policy(), config.dialer().policy());
          CallEvents callEvents = new CallEvents(calls, callEventStore, agents, config.phoneNumbers(), metrics,
              config.agents().awayAfterMissed(), businesses::slugOf, callbackTexts);
          Callbacks callbackQueue = new Callbacks(callbacks, calls, orders, doNotCall, customers, metrics, config, clock);
          Orders orderDesk = new Orders(orders, metrics, businesses::slugOf, callbackTexts);
          Attempts attempts = new Attempts(new DialStore(pool), callEventStore, agentDesk, businesses, metrics, config, clock);
          Triggers triggers = new Triggers(vertx, journal, callEvents, callbackQueue, orderDesk, metrics,
              config.database().writeDeadlineMillis());
          metrics.journalBacklog(triggers::backlog);
          return new Services(config, clock, config.phoneNumbers(), metrics, registry, telephony, main.adminTokenHash(), businesses,
              triggers, agentDesk, taskQueue, customers, feedback, reports, callEvents, callbackQueue, orderDesk, attempts, outbox,
              callbackTexts, textReplies, UUID.randomUUID().toString());
        });
  }

  /**
   * Every series of a business, registered when it is first served; its circuit gauge reads the
   * business as it is served now (its telephony is replaced when its account changes).
   */
  private static void served(RingbackMetrics metrics, AtomicReference<Businesses> businesses,
                             Business business) {
    metrics.serve(business.slug(), business.lines().stream().map(Line::id).toList());
    String slug = business.slug();
    metrics.telephonyCircuit(slug, () -> businesses.get().bySlug(slug)
        .map(current -> current.telephony().degraded().isPresent()).orElse(false));
  }

  private static Telephony breaker(RingbackConfig config, Clock clock, OpenCircuits circuits, Telephony telephony) {
    return new BreakerTelephony(telephony, clock, config.twilio().breakerFailures(),
        Duration.ofSeconds(config.twilio().breakerSeconds()), circuits);
  }

  /** The businesses under {@code businesses:}, in their order, each with its row, line keys, token and telephony. */
  private static Future<List<Business>> configBusinesses(RingbackConfig config, Pool pool, LineStore lines, TokenStore tokens,
                                                         BusinessStore store, Businesses businesses,
                                                         List<GeneratedToken> generated) {
    // A few round trips each: as many businesses at once as the pool has connections, not one after the other.
    List<RingbackConfig.BusinessConfig> declared = config.businesses();
    Business[] built = new Business[declared.size()];
    int chains = Math.max(1, Math.min(config.database().poolSize(), declared.size()));
    List<Future<Void>> running = new ArrayList<>();
    for (int chain = 0; chain < chains; chain++) {
      Future<Void> done = Future.succeededFuture();
      for (int i = chain; i < declared.size(); i += chains) {
        int index = i;
        RingbackConfig.BusinessConfig bc = declared.get(i);
        done = done.compose(v -> store.syncConfig(bc.slug(), bc.name())
            .compose(id -> lines.sync(id, bc.lines())
                .compose(keys -> adminTokenHash(tokens, id, bc.apiToken(), bc.slug(), generated)
                    .map(hash -> new Business(id, bc.slug(), bc.name(), true, bc.twilio(), bc.callsPerSecond(), bc.orders(),
                        keys, hash, businesses.telephony(bc.slug(), bc.twilio()), new LineOverrides(pool, id, bc.lines(), new LineSettings(config))))))
            .map(business -> {
              built[index] = business;
              return null;
            }));
      }
      running.add(done);
    }
    // join, not all: a failed start forgets the tokens it generated only once every chain has stopped.
    return Future.join(running).map(v -> new ArrayList<>(Arrays.asList(built)));
  }

  /**
   * Waits a little for what only makes the first requests faster, never long: the start is marked
   * over without a step that did not finish within {@code millis}, and the log names it.
   */
  static void warmedUp(List<Map.Entry<String, Future<Void>>> steps, long millis) throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Map.Entry<String, Future<Void>> step : steps) {
      try {
        step.getValue().toCompletionStage().toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        LOG.warn("{} was not done {} ms into the warm-up; the start is marked over without it", step.getKey(), millis);
      }
    }
  }

  /** Start-up refused: a number of the configuration is a line of another business. */
  private static IllegalStateException numberTaken(BusinessStore.NumberTaken taken, List<Business> configured) {
    String claimant = configured.stream().filter(b -> b.lineByNumber(taken.number()).isPresent()).map(Business::slug).findFirst()
        .orElse("?");
    return new IllegalStateException(taken.number() + " is claimed by two businesses: '" + claimant + "' in the configuration and '"
        + taken.owner() + "'" + (taken.fromConfig() ? "" : " (created through /api/businesses)") + "; a number can be a line of one"
        + " business only");
  }

  /**
   * The configured token, else the one generated at first start: stored hashed at once (so that
   * instances starting together agree on one), shown by {@link GeneratedToken#announce} once this
   * start succeeded, and removed by {@link #forget} when it failed.
   */
  private static Future<byte[]> adminTokenHash(TokenStore tokens, long businessId, String configured, String business,
                                               List<GeneratedToken> generated) {
    if (!configured.isEmpty()) {
      return Future.succeededFuture(Tokens.sha256(configured));
    }
    return tokens.findHash(businessId, ADMIN_TOKEN).compose(found -> {
      if (found.isPresent()) {
        LOG.info("API token{}: the one generated at first start (set {} to choose your own)", whose(business), tokenVariable(business));
        return Future.succeededFuture(found.get());
      }
      String token = Tokens.random(32);
      byte[] hash = Tokens.sha256(token);
      return tokens.insertHash(businessId, ADMIN_TOKEN, hash).compose(inserted -> {
        if (!inserted) {
          return tokens.findHash(businessId, ADMIN_TOKEN).map(again -> again.orElseThrow());
        }
        generated.add(new GeneratedToken(businessId, business, token, hash));
        return Future.succeededFuture(hash);
      });
    });
  }

  private static String whose(String business) {
    return business.equals(RingbackConfig.DEFAULT_BUSINESS) ? "" : " of business '" + business + "'";
  }

  private static String tokenVariable(String business) {
    return business.equals(RingbackConfig.DEFAULT_BUSINESS) ? "RINGBACK_API_TOKEN" : RingbackConfig.businessVariablePrefix(business) + "API_TOKEN";
  }

  /** An admin token this start generated and stored; nobody has seen it yet. */
  private record GeneratedToken(long businessId, String business, String token, byte[] hash) {
    void announce() {
      LOG.warn("Generated the API token{} for /api/*, shown only this once: {} (the admin's token; the console takes an"
          + " agent's token, which POST /api/agents answers with; set {} to choose your own)", whose(business), token,
          tokenVariable(business));
    }
  }

  /**
   * A start that failed removes the admin tokens it generated, so that the next start generates
   * and shows them again; one it cannot remove (the database failed too) is shown now instead.
   */
  private static void forget(TokenStore tokens, List<GeneratedToken> generated) {
    for (GeneratedToken token : List.copyOf(generated)) {
      try {
        tokens.deleteHash(token.businessId(), ADMIN_TOKEN, token.hash()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        token.announce();
      }
    }
  }

  /** Start-up fails at once, naming the port, when another process listens on it. */
  private static void requireFree(int port) throws BindException {
    if (port == 0) {
      return;
    }
    try {
      new ServerSocket(port).close();
    } catch (IOException e) {
      throw HttpVerticle.cannotListen(port, e);
    }
  }

  /**
   * What no handler caught. A JVM out of memory stops at once (to be restarted) rather than serve
   * half-broken. vertx-sql-client's pool completes a query twice when its wait timer fires after the
   * connection attempt failed (eclipse-vertx/vertx-sql-client#1706, open): the query was already
   * answered, so that second completion is logged at DEBUG, not as an error once per query of an outage.
   */
  static void uncaught(Throwable failure) {
    if (failure instanceof OutOfMemoryError) {
      LOG.error("Out of memory; stopping so that the process is started again", failure);
      Runtime.getRuntime().halt(3);
    }
    boolean poolRace = failure instanceof IllegalStateException && Arrays.stream(failure.getStackTrace())
        .anyMatch(frame -> frame.getClassName().startsWith("io.vertx.sqlclient.impl.pool.SqlConnectionPool"));
    if (poolRace) {
      LOG.debug("A pooled query completed twice (vertx-sql-client#1706): {}", failure.toString());
      return;
    }
    LOG.error("Unhandled exception", failure);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The port of /health and /metrics when they have one of their own. */
  public OptionalInt managementPort() {
    return managementPort;
  }

  public Services services() {
    return services;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Erasure and retention, e.g. to run a retention tick now. */
  public Privacy privacy() {
    return privacy;
  }

  /**
   * Stops taking requests, lets the dispatcher hand back or finish its work while the pool is
   * still open, closes Vert.x, then stops an embedded database; within 30 s in all.
   */
  @Override
  public void close() {
    // Before anything stops: PostgreSQL ending now is part of the shutdown, not a death to repair.
    database.stopSupervising();
    try {
      for (String deployment : stopOrder) {
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(25, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Stopping did not finish in time: {}", e.toString());
    }
    // No webhook comes in any more: what the journal holds waits for the next start.
    services.triggers().close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
    database.close();
    LOG.info("Ringback stopped");
  }
}
