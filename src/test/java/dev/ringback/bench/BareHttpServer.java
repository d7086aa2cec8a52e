package dev.ringback.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The HTTP ceiling: Vert.x and vertx-web as Ringback uses them (same number of event-loop
 * verticles, a body handler with the same limit), every POST answered 200 with an empty TwiML
 * document and nothing else done. Run as its own process: {@code BareHttpServer <port>}.
 */
public final class BareHttpServer extends VerticleBase {
  private final int port;

  private BareHttpServer(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int instances = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new BareHttpServer(port), new DeploymentOptions().setInstances(instances))
        .toCompletionStage().toCompletableFuture().join();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(65536));
    router.get("/health").handler(ctx -> ctx.response().end("ok"));
    router.post().handler(ctx -> ctx.response().putHeader("Content-Type", "application/xml")
        .end("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"));
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
  }
}
