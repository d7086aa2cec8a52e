package dev.ringback.http;

import dev.ringback.app.Business;
import dev.ringback.app.Services;
import dev.ringback.telephony.TwilioRecordings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/callbacks/{id}/recording} and {@code GET /api/calls/{callSid}/recording}: a
 * voicemail played through Ringback, for the same tokens and lines as the callback or call it
 * belongs to. The audio is fetched from Twilio with the business's own credentials and streamed
 * on as it arrives; the browser never learns Twilio's URL.
 */
final class RecordingApi {
  private static final Logger LOG = LoggerFactory.getLogger(RecordingApi.class);

  private final Services services;
  private final TwilioRecordings recordings;

  RecordingApi(Vertx vertx, Services services) {
    this.services = services;
    this.recordings = new TwilioRecordings(vertx, services.config().twilio());
  }

  /** Where the API sends a client for a callback's voicemail. */
  static String ofCallback(long id) {
    return "/api/callbacks/" + id + "/recording";
  }

  /** Where the API sends a client for a call's voicemail. */
  static String ofCall(String callSid) {
    return "/api/calls/" + URLEncoder.encode(callSid, StandardCharsets.UTF_8) + "/recording";
  }

  void callback(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    long id;
    try {
      id = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw HttpFailure.notFound("no callback " + raw);
    }
    Business business = Caller.business(ctx);
    services.callbacks().find(business.id(), id)
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(HttpFailure.notFound("no callback " + id));
          }
          Caller.requireLine(ctx, business.lineId(found.get().lineId()).orElse(null), "callback " + id);
          return play(ctx, business, found.get().recordingUrl(), "callback " + id, "callback-" + id);
        })
        .onFailure(ctx::fail);
  }

  void call(RoutingContext ctx) {
    String callSid = ctx.pathParam("callSid");
    Business business = Caller.business(ctx);
    services.callbacks().recordingOfCall(business.id(), callSid)
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(HttpFailure.notFound("no call " + callSid));
          }
          Caller.requireLine(ctx, business.lineId(found.get().lineKey()).orElse(null), "call " + callSid);
          return play(ctx, business, found.get().recordingUrl(), "call " + callSid, "call-" + callSid.replaceAll("[^A-Za-z0-9]", ""));
        })
        .onFailure(ctx::fail);
  }

  private Future<Void> play(RoutingContext ctx, Business business, String recordingUrl, String what, String fileName) {
    if (recordingUrl == null) {
      return Future.failedFuture(HttpFailure.notFound(what + " has no recording"));
    }
    return recordings.fetch(recordingUrl, business.twilio())
        .recover(e -> {
          if (!(e instanceof TwilioRecordings.Unavailable unavailable)) {
            return Future.failedFuture(e);
          }
          LOG.warn("recording of {} (business {}) not played: {}", what, business.slug(), e.getMessage());
          return Future.failedFuture(unavailable.missing()
              ? HttpFailure.notFound("the recording of " + what + " is not available: " + e.getMessage())
              : new HttpException(502, "the recording of " + what + " could not be fetched from Twilio: " + e.getMessage()));
        })
        .map(media -> {
          stream(ctx, media, fileName);
          return null;
        });
  }

  /** The audio as it arrives, never held whole; a listener who leaves stops the download from Twilio. */
  private static void stream(RoutingContext ctx, HttpClientResponse media, String fileName) {
    HttpServerResponse response = ctx.response();
    if (response.closed()) {
      media.request().reset();
      return;
    }
    String type = media.getHeader("Content-Type");
    response.setStatusCode(200)
        .putHeader("Content-Type", type != null && type.startsWith("audio/") ? type : "audio/mpeg")
        .putHeader("Content-Disposition", "inline; filename=\"" + fileName + ".mp3\"")
        .putHeader("Cache-Control", "private, no-store")
        // Audio does not compress: the server's gzip is skipped for it.
        .putHeader("Content-Encoding", "identity");
    String length = media.getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,15}")) {
      response.putHeader("Content-Length", length);
    } else {
      response.setChunked(true);
    }
    media.pipeTo(response).onFailure(e -> {
      LOG.debug("recording stream for {} ended early: {}", ctx.request().path(), e.toString());
      media.request().reset();
      response.reset();
    });
  }
}
