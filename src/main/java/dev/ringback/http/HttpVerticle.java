package dev.ringback.http;

import dev.ringback.app.Services;
import dev.ringback.app.WebhookPaths;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.net.BindException;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/** The HTTP face of Ringback: every route, wired in one place. */
public final class HttpVerticle extends VerticleBase {
  private final Services services;
  private final Admission admission;
  private final int port;
  private final OptionalInt managementPort;
  private final BooleanSupplier started;

  /**
   * @param admission shared by every instance of this verticle: what all of them hold in memory at once
   * @param managementPort where /health and /metrics listen, when not on {@code port}
   * @param started whether the whole start is over: until then /health answers 503 "starting"
   */
  public HttpVerticle(Services services, Admission admission, int port, OptionalInt managementPort, BooleanSupplier started) {
    this.services = services;
    this.admission = admission;
    this.port = port;
    this.managementPort = managementPort;
    this.started = started;
  }

  @Override
  public Future<?> start() {
    Router router = router(vertx, services, admission, started);
    var http = services.config().http();
    Future<HttpServer> main = vertx.createHttpServer(new HttpServerOptions().setPort(port).setCompressionSupported(true)
            // A form field may be as large as the body that carries it: Vert.x's own 8 KiB cap answered 500.
            .setMaxFormAttributeSize(http.maxBodyBytes())
            .setIdleTimeout(http.idleTimeoutSeconds()))
        .invalidRequestHandler(Failures::invalidRequest)
        .requestHandler(router)
        .listen()
        .recover(e -> Future.failedFuture(cannotListen(port, e)));
    if (managementPort.isEmpty()) {
      return main;
    }
    Future<HttpServer> management = vertx.createHttpServer(new HttpServerOptions().setPort(managementPort.getAsInt())
            .setIdleTimeout(http.idleTimeoutSeconds()))
        .invalidRequestHandler(Failures::invalidRequest)
        .requestHandler(managementRouter(vertx, services, started))
        .listen()
        .recover(e -> Future.failedFuture(cannotListen(managementPort.getAsInt(), e)));
    return Future.all(main, management);
  }

  /** Why the server cannot listen on {@code port}, in one line naming it ({@code port 8080 is in use}), without a cause. */
  public static BindException cannotListen(int port, Throwable failure) {
    String reason = String.valueOf(failure.getMessage());
    return new BindException("port " + port + (reason.contains("in use") ? " is in use" : " cannot be opened: " + reason));
  }

  /** /health and /metrics on a port of their own, for load balancers and Prometheus inside the network. */
  static Router managementRouter(Vertx vertx, Services services, BooleanSupplier started) {
    Router router = Router.router(vertx);
    router.route().handler(SecurityHeaders::apply);
    router.route().handler(Requests::wellFormedQuery);
    Operations operations = new Operations(services, started);
    router.get("/health").handler(operations::health);
    router.get("/health/live").handler(operations::live);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(services.registry()));
    errors(router, services);
    return router;
  }

  private static void errors(Router router, Services services) {
    router.route().failureHandler(ctx -> Failures.json(services, ctx));
    router.errorHandler(404, ctx -> Failures.render(services, ctx, 404, "no such resource: " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> Failures.render(services, ctx, 405, "method " + ctx.request().method() + " is not allowed here"));
  }

  /** All routes, with limits from the configuration; public so tests can compare them with openapi.yaml. */
  public static Router router(Vertx vertx, Services services) {
    return router(vertx, services, new Admission(services.config().http()), () -> true);
  }

  static Router router(Vertx vertx, Services services, Admission admission, BooleanSupplier started) {
    Router router = Router.router(vertx);
    FeedbackWebhooks feedback = new FeedbackWebhooks(services);
    TwilioGuard guard = new TwilioGuard(services);
    WhomToRing whomToRing = new WhomToRing(services);
    CallbackCallWebhooks callbackCalls = new CallbackCallWebhooks(services, whomToRing, feedback);
    InboundCallWebhooks inboundCalls = new InboundCallWebhooks(services, whomToRing, callbackCalls, feedback);
    TimePickerWebhooks timePicker = new TimePickerWebhooks(services);
    StatusWebhooks statuses = new StatusWebhooks(services);
    TextWebhooks texts = new TextWebhooks(services);
    SetupApi setup = new SetupApi(vertx, services);
    ScreeningWebhooks screening = new ScreeningWebhooks(services);
    AgentFirstWebhooks agentFirst = new AgentFirstWebhooks(services, feedback);
    ApiRoutes api = new ApiRoutes(services);
    CustomerApi customers = new CustomerApi(services, admission);
    CallbackApi callbacks = new CallbackApi(services);
    RecordingApi recordings = new RecordingApi(vertx, services);
    OrderWebhooks orders = new OrderWebhooks(services);
    AgentApi agents = new AgentApi(services);
    TaskApi tasks = new TaskApi(services);
    ConsoleEvents events = new ConsoleEvents(vertx, services);
    LineApi lines = new LineApi(services);
    ReportApi reports = new ReportApi(services);
    BusinessApi businesses = new BusinessApi(services);
    Operations operations = new Operations(services, started);
    var http = services.config().http();

    router.route().handler(SecurityHeaders::apply);
    // Past capacity a request is refused at once, not queued; operators' /health and /metrics always get through.
    router.route().handler(ctx -> {
      String path = ctx.request().path();
      if (path.equals("/health") || path.equals("/health/live") || path.equals("/metrics")) {
        ctx.next();
      } else if (admission.tryEnter()) {
        ctx.addEndHandler(done -> admission.exit());
        ctx.next();
      } else {
        ctx.response().putHeader("Retry-After", "1");
        ctx.fail(new HttpException(503, "the server is busy; try again shortly"));
      }
    });
    // A query that does not decode is refused before the body handler reads it (there it threw and never answered).
    router.route().handler(Requests::wellFormedQuery);
    // Every answer comes within Twilio's 15 s, however slow what is behind it: 503 (TwiML on /twilio/*) after this long.
    // The live queue is a stream and the CSV import an upload of its own pace: neither has the limit.
    TimeoutHandler deadline = TimeoutHandler.create(http.responseTimeoutSeconds() * 1000L, 503);
    router.route().handler(ctx -> {
      String path = ctx.request().path();
      if (path.equals("/api/events") || path.equals("/api/customers/import")) {
        ctx.next();
      } else {
        deadline.handle(ctx);
      }
    });

    // Who may send a body is settled before any of it is read: a stranger's upload costs nothing.
    router.route("/api/*").handler(api::authenticate);
    router.route("/twilio/*").handler(guard::precheck).failureHandler(ctx -> Failures.twiml(services, ctx));
    router.post(OrderWebhooks.GENERIC).handler(orders.precheck("generic"));
    router.post(OrderWebhooks.SHOPIFY).handler(orders.precheck("shopify"));
    router.post(OrderWebhooks.WOOCOMMERCE).handler(orders.precheck("woocommerce"));
    router.post(OrderWebhooks.GENERIC_OF).handler(orders.precheck("generic"));
    router.post(OrderWebhooks.SHOPIFY_OF).handler(orders.precheck("shopify"));
    router.post(OrderWebhooks.WOOCOMMERCE_OF).handler(orders.precheck("woocommerce"));
    router.route("/orders*").failureHandler(orders::rejected);
    // The CSV import streams its body to a file of its own, never into memory.
    router.post("/api/customers/import").handler(ApiRoutes.requireContentType("text/csv")).handler(customers::importCsv);
    router.route().handler(new BoundedBodies(admission, http.maxBodyBytes(), http.bodyTimeoutSeconds() * 1000L));

    router.route("/twilio/*").handler(guard::verify);
    router.post(WebhookPaths.VOICE).handler(inboundCalls::voice);
    // A callback's <Dial> ends here too: the handler passes it on when its URL names the callback.
    router.post(WebhookPaths.DIAL).handler(inboundCalls::dial);
    router.post(WebhookPaths.STATUS).handler(statuses::status);
    router.post(WebhookPaths.RECORDING).handler(inboundCalls::recording);
    router.post(WebhookPaths.CALLBACK).handler(callbackCalls::callback);
    router.post(WebhookPaths.GATHER).handler(callbackCalls::gather);
    router.post(WebhookPaths.CONNECT).handler(callbackCalls::connect);
    router.post(WebhookPaths.WHEN).handler(timePicker::when);
    router.post(WebhookPaths.SCREEN).handler(screening::whisper);
    router.post(WebhookPaths.SCREENED).handler(screening::decided);
    router.post(WebhookPaths.AGENT_FIRST).handler(agentFirst::handle);
    router.post(FeedbackWebhooks.FEEDBACK).handler(feedback::keyed);
    router.post(WebhookPaths.SMS).handler(texts::texted);
    router.post(WebhookPaths.TEXT_STATUS).handler(texts::status);
    router.post(WebhookPaths.TEST_CALL).handler(setup::testCallAnswered);

    router.post(OrderWebhooks.GENERIC).handler(orders::generic);
    router.post(OrderWebhooks.SHOPIFY).handler(orders::shopify);
    router.post(OrderWebhooks.WOOCOMMERCE).handler(orders::woocommerce);
    router.post(OrderWebhooks.GENERIC_OF).handler(orders::generic);
    router.post(OrderWebhooks.SHOPIFY_OF).handler(orders::shopify);
    router.post(OrderWebhooks.WOOCOMMERCE_OF).handler(orders::woocommerce);

    router.get("/api/customers").handler(customers::list);
    router.get("/api/customers/import/sample.csv").handler(customers::importSample);
    router.post("/api/customers").handler(ApiRoutes.requireContentType("application/json")).handler(customers::create);
    router.get("/api/customers/:phone").handler(customers::get);
    router.get("/api/customers/:phone/timeline").handler(customers::timeline);
    router.put("/api/customers/:phone/do-not-call").handler(ApiRoutes.requireContentType("application/json")).handler(customers::doNotCall);
    router.put("/api/customers/:phone").handler(ApiRoutes.requireContentType("application/json")).handler(customers::replace);
    router.delete("/api/customers/:phone").handler(customers::delete);

    router.get("/api/callbacks").handler(callbacks::list);
    router.post("/api/callbacks").handler(ApiRoutes.requireContentType("application/json")).handler(callbacks::create);
    router.get("/api/callbacks/:id").handler(callbacks::get);
    router.post("/api/callbacks/:id/cancel").handler(callbacks::cancel);
    router.post("/api/callbacks/:id/move").handler(ApiRoutes.requireContentType("application/json")).handler(callbacks::move);
    router.get("/api/callbacks/:id/recording").handler(recordings::callback);
    router.get("/api/calls/:callSid/recording").handler(recordings::call);

    router.get("/api/agents").handler(agents::list);
    router.get("/api/agents/me/today").handler(agents::today);
    router.post("/api/agents").handler(ApiRoutes.requireContentType("application/json")).handler(agents::create);
    router.get("/api/agents/:id").handler(agents::get);
    router.put("/api/agents/:id").handler(ApiRoutes.requireContentType("application/json")).handler(agents::replace);
    router.delete("/api/agents/:id").handler(agents::delete);
    router.post("/api/agents/:id/token").handler(agents::rotateToken);
    router.delete("/api/agents/:id/token").handler(agents::revokeToken);
    router.put("/api/agents/:id/presence").handler(ApiRoutes.requireContentType("application/json")).handler(agents::presence);

    router.get("/api/tasks").handler(tasks::list);
    router.post("/api/tasks").handler(ApiRoutes.requireContentType("application/json")).handler(tasks::create);
    router.post("/api/tasks/next").handler(tasks::claimNext);
    router.get("/api/tasks/:id").handler(tasks::get);
    router.post("/api/tasks/:id/claim").handler(tasks::claim);
    router.post("/api/tasks/:id/renew").handler(tasks::renew);
    router.post("/api/tasks/:id/release").handler(tasks::release);
    router.post("/api/tasks/:id/call").handler(tasks::call);
    router.get("/api/tasks/:id/call").handler(tasks::agentCall);
    router.post("/api/tasks/:id/complete").handler(ApiRoutes.requireContentType("application/json")).handler(tasks::complete);

    router.get("/api/events").handler(events::stream);
    router.get("/api/lines").handler(lines::list);
    router.get("/api/lines/:id/hours").handler(lines::hours);
    router.get("/api/lines/:id/connect").handler(setup::preview);
    router.post("/api/lines/:id/connect").handler(setup::connect);
    router.get("/api/setup").handler(setup::check);
    router.get("/api/today").handler(reports::today);
    router.post("/api/lines/:id/test-call").handler(ApiRoutes.requireContentType("application/json")).handler(setup::testCall);
    router.put("/api/lines/:id/hours").handler(ApiRoutes.requireContentType("application/json")).handler(lines::setHours);
    router.delete("/api/lines/:id/hours").handler(lines::clearHours);
    router.get("/api/lines/:id/settings").handler(lines::settings);
    router.put("/api/lines/:id/settings").handler(ApiRoutes.requireContentType("application/json")).handler(lines::setSettings);
    router.delete("/api/lines/:id/settings").handler(lines::clearSettings);
    router.get("/api/reports/agents").handler(reports::agents);
    router.get("/api/reports/lines").handler(reports::lines);

    router.get("/api/me").handler(businesses::me);
    router.get("/api/businesses").handler(businesses::list);
    router.post("/api/businesses").handler(ApiRoutes.requireContentType("application/json")).handler(businesses::create);
    router.get("/api/businesses/:slug").handler(businesses::get);
    router.put("/api/businesses/:slug").handler(ApiRoutes.requireContentType("application/json")).handler(businesses::replace);
    router.delete("/api/businesses/:slug").handler(businesses::delete);
    router.post("/api/businesses/:slug/token").handler(businesses::newToken);

    // The agents' console: static files from the jar; it signs in with the agent's token.
    router.get("/console").handler(ctx -> {
      // "/console" also matches "/console/": only the bare path is redirected.
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect("/console/");
      }
    });
    router.get("/console/*").handler(StaticHandler.create("console").setCachingEnabled(false).setIndexPage("index.html"));
    // The owner's pages: the same, signed in with the business's admin token.
    router.get("/admin").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect("/admin/");
      }
    });
    router.get("/admin/*").handler(StaticHandler.create("admin").setCachingEnabled(false).setIndexPage("index.html"));
    // Browsers ask the site's root for its icon.
    router.get("/favicon.ico").handler(ctx -> ctx.redirect("/console/favicon.svg"));

    if (http.managementPort().isEmpty()) {
      router.get("/health").handler(operations::publicHealth);
      router.get("/health/live").handler(operations::live);
      router.get("/metrics").handler(PrometheusScrapingHandler.create(services.registry()));
    }
    router.get("/openapi.yaml").handler(operations::openapi);
    router.get("/").handler(new HomePage(http.managementPort().isEmpty())::serve);

    errors(router, services);
    return router;
  }
}
