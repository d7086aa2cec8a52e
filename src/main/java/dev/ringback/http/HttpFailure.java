package dev.ringback.http;

import io.vertx.ext.web.handler.HttpException;

/** Failures a handler raises for what the caller sent; rendered by the failure handler. */
final class HttpFailure {
  private HttpFailure() {}

  static HttpException badRequest(String message) {
    return new HttpException(400, message);
  }

  static HttpException unprocessable(String message) {
    return new HttpException(422, message);
  }

  static HttpException notFound(String message) {
    return new HttpException(404, message);
  }
}
