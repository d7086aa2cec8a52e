package dev.ringback.telephony;

import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dialling ceiling: the same twilio-java {@code Calls.json} request the dispatcher sends,
 * through the same HTTP client class, from {@code threads} threads as fast as the stand-in
 * answers, with no database at all. The dispatcher cannot place calls faster than this.
 * Bench-only (Maven profile {@code bench}).
 */
public final class DialCeiling {
  private DialCeiling() {}

  /** Places {@code count} calls and returns calls per second. */
  public static double run(String twilioUrl, String accountSid, String authToken, int count, int threads) throws Exception {
    TwilioRestClient client = new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid)
        .httpClient(new RebasedHttpClient(twilioUrl, 10)).build();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long started = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        for (int n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
          Call.creator(new PhoneNumber(String.format("+1628%07d", n % 10_000_000)), new PhoneNumber("+14155550100"),
                  URI.create("https://ringback.example.com/twilio/callback?callback=" + n))
              .setMethod(HttpMethod.POST)
              .setStatusCallback(URI.create("https://ringback.example.com/twilio/status?callback=" + n))
              .setStatusCallbackMethod(HttpMethod.POST)
              .setStatusCallbackEvent(OutboundCall.STATUS_EVENTS)
              .setTimeout(25)
              .setMachineDetection("DetectMessageEnd")
              .create(client);
        }
      });
    }
    pool.shutdown();
    if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the dial ceiling run did not finish in 10 minutes");
    }
    return count * 1e9 / (System.nanoTime() - started);
  }
}
