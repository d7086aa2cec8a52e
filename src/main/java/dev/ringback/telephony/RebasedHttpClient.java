package dev.ringback.telephony;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * twilio-java's HTTP client, sending every request to a configurable base URL (a proxy or a
 * local stand-in) instead of api.twilio.com, once: retries are Ringback's decision, not the SDK's.
 */
final class RebasedHttpClient extends NetworkHttpClient {
  private final URI base;

  RebasedHttpClient(String baseUrl, int timeoutSeconds) {
    // twilio-java resets the per-request config on every call, so the timeouts live on the
    // connection manager; automatic retries are off because a re-sent POST could dial twice.
    // Twilio's REST API sets no cookies and answers with no redirects: those steps of the
    // request chain only cost time on every call.
    super(HttpClientBuilder.create()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableRedirectHandling()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(64)
            .setMaxConnPerRoute(64)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofSeconds(timeoutSeconds))
                .setSocketTimeout(Timeout.ofSeconds(timeoutSeconds))
                .build())
            .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.ofSeconds(timeoutSeconds)).build())
            .build()));
    this.base = URI.create(baseUrl);
  }

  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  @Override
  public Response makeRequest(Request request) {
    return super.makeRequest(rebase(request));
  }

  private Request rebase(Request original) {
    URI target = URI.create(original.getUrl());
    String url = base.getScheme() + "://" + base.getRawAuthority() + stripSlash(base.getRawPath()) + target.getRawPath()
        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    Request copy = new Request(original.getMethod(), url);
    copyParams(original.getQueryParams(), copy::addQueryParam);
    copyParams(original.getPostParams(), copy::addPostParam);
    copyParams(original.getHeaderParams(), copy::addHeaderParam);
    copy.setContentType(original.getContentType());
    copy.setBody(original.getBody());
    copy.setUserAgentExtensions(original.getUserAgentExtensions());
    if (original.getAuthStrategy() != null) {
      copy.setAuth(original.getAuthStrategy());
    } else if (original.getUsername() != null) {
      copy.setAuth(original.getUsername(), original.getPassword());
    }
    return copy;
  }

  private static String stripSlash(String path) {
    return path == null || path.equals("/") ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static void copyParams(Map<String, List<String>> params, BiConsumer<String, String> add) {
    params.forEach((name, values) -> values.forEach(value -> add.accept(name, value)));
  }
}
