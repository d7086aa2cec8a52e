package dev.ringback.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The page at {@code /}, for a person who opens the server's address: where to go from here.
 * Plain HTML with nothing loaded from elsewhere, so it works offline and under the data policy.
 */
final class HomePage {
  private final Buffer page;

  /** @param operationsHere whether /health and /metrics answer on this port (not on a management port of their own) */
  HomePage(boolean operationsHere) {
    String operations = operationsHere ? """
          <li><a href="/health">/health</a>: whether this server is up (for load balancers)</li>
          <li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
        """ : """
          <li>/health and /metrics: on the management port (<code>http.management-port</code>)</li>
        """;
    page = Buffer.buffer("""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Ringback</title>
        </head>
        <body>
        <h1>Ringback</h1>
        <p>This server calls back missed callers and new customers, and measures how fast calls are answered.</p>
        <ul>
          <li><a href="/console/">The agents' console</a>: agents sign in with their own token
            (the admin creates an agent, and its token, with <code>POST /api/agents</code>)</li>
          <li><a href="/admin/">The owner's pages</a>: the business's admin signs in with the admin token; today's calls and
            callbacks, and the set-up check, are there now, the other pages are coming (until then, the API)</li>
          <li><a href="/openapi.yaml">The API</a> (OpenAPI description): every <code>/api/*</code> route,
            with <code>Authorization: Bearer &lt;token&gt;</code></li>
        """ + operations + """
        </ul>
        </body>
        </html>
        """);
  }

  void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(page);
  }
}
