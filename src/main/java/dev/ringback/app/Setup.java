package dev.ringback.app;

import dev.ringback.domain.CheckResult;
import dev.ringback.domain.Line;
import dev.ringback.domain.NumberWiring;
import dev.ringback.telephony.NumberSettings;
import dev.ringback.telephony.NumberWebhooks;
import dev.ringback.telephony.OutboundCall;
import dev.ringback.telephony.PlacedCall;
import dev.ringback.telephony.TelephonyException;
import dev.ringback.telephony.TwilioAccountInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a business is wired to this server, line by line, each check with the fix written out:
 * the Twilio credentials open the account, each line's number is in it, its webhooks point here,
 * and the public URL reaches this server. Connect sets a number's webhooks through Twilio.
 */
public final class Setup {
  private static final int PROBE_TIMEOUT_MILLIS = 5_000;
  /** The header /health names the process that answered in. */
  public static final String INSTANCE_HEADER = "X-Ringback-Instance";
  private static final int TEST_CALL_RING_SECONDS = 30;

  /** One check: its result, what was found, and what to do when it failed. */
  public record Check(CheckResult result, String detail, String fix) {
    static Check pass(String detail) {
      return new Check(CheckResult.PASS, detail, null);
    }

    static Check fail(String detail, String fix) {
      return new Check(CheckResult.FAIL, detail, fix);
    }

    static Check skipped(String detail) {
      return new Check(CheckResult.SKIPPED, detail, null);
    }
  }

  /**
   * A line's checks: is its number in the account, and does it point here.
   *
   * @param numberSid the number's SID at Twilio, when it is there
   * @param changes what Connect would change; empty when the number points here, or is not there
   */
  public record LineSetup(Line line, Check number, Check webhooks, Optional<String> numberSid, NumberWiring wiring,
                          List<NumberWiring.Change> changes) {}

  public record BusinessSetup(Check publicUrl, Check credentials, List<LineSetup> lines) {}

  /** What Connect did: the changes it made (none when the number pointed here already). */
  public record Connected(Line line, String numberSid, List<NumberWiring.Change> changed) {}

  /** The number is not in the account, or the account cannot be reached: nothing to connect. */
  public static final class CannotConnect extends RuntimeException {
    CannotConnect(String message) {
      super(message);
    }
  }

  private final Services services;
  private final WebClient client;

  public Setup(Vertx vertx, Services services) {
    this.services = services;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(PROBE_TIMEOUT_MILLIS).setFollowRedirects(false));
  }

  /** Where a line's number should send its calls, their progress and its texts. */
  public NumberWiring wiring(Business business) {
    String publicUrl = services.config().http().publicUrl();
    return new NumberWiring(business.url(publicUrl, WebhookPaths.VOICE), business.url(publicUrl, WebhookPaths.STATUS),
        business.url(publicUrl, WebhookPaths.SMS));
  }

  public Future<BusinessSetup> check(Business business) {
    Future<Check> publicUrl = publicUrl();
    if (isSimulated(business)) {
      Check none = Check.fail("no Twilio account: the built-in simulator plays every call",
          business.isDefault() ? "Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or an API key) and restart Ringback"
              : "Give the business its twilio account-sid and auth-token");
      List<LineSetup> lines = business.lines().stream().map(line -> new LineSetup(line,
          Check.skipped("needs a Twilio account"), Check.skipped("needs a Twilio account"), Optional.empty(), wiring(business),
          List.of())).toList();
      return publicUrl.map(p -> new BusinessSetup(p, none, lines));
    }
    Future<Check> credentials = business.telephony().fetchAccount().map(Setup::account).recover(e -> Future.succeededFuture(
        Check.fail("Twilio did not open the account: " + e.getMessage(), credentialsFix(e))));
    return credentials.compose(account -> {
      List<Future<LineSetup>> lines = new ArrayList<>();
      for (Line line : business.lines()) {
        lines.add(account.result() == CheckResult.PASS ? line(business, line)
            : Future.succeededFuture(new LineSetup(line, Check.skipped("needs the account"), Check.skipped("needs the account"),
                Optional.empty(), wiring(business), List.of())));
      }
      return Future.all(lines).compose(all -> publicUrl.map(p -> new BusinessSetup(p, account, all.list())));
    });
  }

  private static Check account(TwilioAccountInfo account) {
    if (!"active".equals(account.status())) {
      return Check.fail("the account " + account.sid() + " is " + account.status(),
          "Reactivate the account in Twilio's console (Billing), or use another");
    }
    return Check.pass("account " + account.sid() + " (" + account.friendlyName() + ") is active");
  }

  private static String credentialsFix(Throwable e) {
    if (e instanceof TelephonyException t && t.kind() == TelephonyException.Kind.PERMANENT) {
      return "Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) against Twilio's console"
          + " (Account Info), then restart Ringback";
    }
    return "Twilio could not be reached just now; check this server's internet access and try again";
  }

  private Future<LineSetup> line(Business business, Line line) {
    NumberWiring wiring = wiring(business);
    return business.telephony().findNumber(line.number()).map(found -> {
      if (found.isEmpty()) {
        return new LineSetup(line, Check.fail(line.number() + " is not a number of this Twilio account",
                "Buy or port " + line.number() + " in Twilio's console (Phone Numbers), or correct the line's number"),
            Check.skipped("needs the number"), Optional.empty(), wiring, List.of());
      }
      NumberSettings settings = found.get();
      List<NumberWiring.Change> changes = wiring.changes(current(settings));
      Check webhooks = changes.isEmpty() ? Check.pass("calls, call progress and texts come to this server")
          : Check.fail(describe(changes), "Press Connect, or in Twilio's console set the number's \"A call comes in\" to POST "
              + wiring.voiceUrl() + ", \"Call status changes\" to POST " + wiring.statusCallback() + " and \"A message comes in\" to POST "
              + wiring.smsUrl());
      return new LineSetup(line, Check.pass(line.number() + " is in the account (" + settings.sid() + ")"), webhooks,
          Optional.of(settings.sid()), wiring, changes);
    }).recover(e -> Future.succeededFuture(new LineSetup(line, Check.fail("Twilio did not answer about " + line.number() + ": "
        + e.getMessage(), "Try again in a moment"), Check.skipped("needs the number"), Optional.empty(), wiring, List.of())));
  }

  private static String describe(List<NumberWiring.Change> changes) {
    List<String> parts = new ArrayList<>();
    for (NumberWiring.Change c : changes) {
      parts.add(c.field().label() + " is " + (c.now().isEmpty() ? "not set" : "'" + c.now() + "'"));
    }
    return String.join("; ", parts);
  }

  private static NumberWiring.Current current(NumberSettings s) {
    return new NumberWiring.Current(s.voiceUrl(), s.voiceMethod(), s.statusCallback(), s.statusCallbackMethod(), s.smsUrl(),
        s.smsMethod(), s.voiceApplicationSid(), s.smsApplicationSid());
  }

  /** What Connect would change on the line's number now. */
  public Future<LineSetup> preview(Business business, Line line) {
    if (isSimulated(business)) {
      return Future.failedFuture(new CannotConnect("no Twilio account: the built-in simulator plays every call"));
    }
    return line(business, line).compose(found -> found.numberSid().isPresent() ? Future.succeededFuture(found)
        : Future.failedFuture(new CannotConnect(found.number().detail())));
  }

  /** Sets the line's number's webhooks to this server; nothing is sent when they point here already. */
  public Future<Connected> connect(Business business, Line line) {
    return preview(business, line).compose(found -> {
      if (found.changes().isEmpty()) {
        return Future.succeededFuture(new Connected(line, found.numberSid().get(), List.of()));
      }
      NumberWiring wiring = found.wiring();
      return business.telephony().connectNumber(found.numberSid().get(),
              new NumberWebhooks(wiring.voiceUrl(), wiring.statusCallback(), wiring.smsUrl()))
          .map(now -> new Connected(line, now.sid(), found.changes()));
    });
  }

  /**
   * Calls {@code to} from the line's number; answered, it hears the line's greeting and that the
   * line is connected. On the simulator the call is simulated.
   */
  public Future<String> testCall(Business business, Line line, String to) {
    String publicUrl = services.config().http().publicUrl();
    return business.telephony().placeCall(new OutboundCall(line.number(), to,
            business.url(publicUrl, WebhookPaths.TEST_CALL + "?line=" + line.id()), business.url(publicUrl, WebhookPaths.STATUS), null,
            TEST_CALL_RING_SECONDS))
        .map(PlacedCall::callSid);
  }

  private static boolean isSimulated(Business business) {
    return "simulator".equals(business.telephony().name());
  }

  /**
   * Whether the public URL reaches this server: its {@code /health} answers with this instance's
   * id (or another instance's, when several share the URL). Skipped while /health is served on the
   * management port only.
   */
  private Future<Check> publicUrl() {
    String url = services.config().http().publicUrl();
    if (services.config().http().managementPort().isPresent()) {
      return Future.succeededFuture(Check.skipped("/health is served on the management port only, so " + url
          + " cannot be asked for it"));
    }
    String fix = "Set RINGBACK_PUBLIC_URL (http.public-url) to the address Twilio reaches this server at, and make sure that address"
        + " is reachable from the internet (a reverse proxy or a tunnel), then restart Ringback";
    return client.getAbs(url + "/health").timeout(PROBE_TIMEOUT_MILLIS).send().map(response -> {
      String instance = response.getHeader(INSTANCE_HEADER);
      if (instance == null) {
        return Check.fail(url + "/health answered " + response.statusCode() + ", not as Ringback does", fix);
      }
      return Check.pass(url + " reaches " + (instance.equals(services.instanceId()) ? "this server"
          : "Ringback instance " + instance + " (another instance behind the same address)"));
    }).recover(e -> Future.succeededFuture(Check.fail(url + " did not answer: " + e.getMessage(), fix)));
  }
}
