package dev.ringback.app;

/**
 * The paths on which Twilio reaches this server: the routes serve them, and the TwiML and the
 * dialler hand them to Twilio. One list, so a route and the URLs that name it cannot drift apart.
 */
public final class WebhookPaths {
  public static final String VOICE = "/twilio/voice";
  public static final String DIAL = "/twilio/dial";
  public static final String STATUS = "/twilio/status";
  public static final String RECORDING = "/twilio/recording";
  public static final String CALLBACK = "/twilio/callback";
  public static final String GATHER = "/twilio/gather";
  public static final String CONNECT = "/twilio/connect";
  public static final String WHEN = "/twilio/when";
  /** A screened agent's phone answered: the whisper, and "press 1". */
  public static final String SCREEN = "/twilio/screen";
  /** An agent-first callback's agent answered: the whisper, then their key, then the customer's call ({@code step}). */
  public static final String AGENT_FIRST = "/twilio/agent-first";
  /** The screened agent's key: 1 takes the call. */
  public static final String SCREENED = "/twilio/screened";
  /** A text to a line: a reply to ours, a STOP, a score. */
  public static final String SMS = "/twilio/sms";
  /** A test call from the set-up check answered: the line's greeting ({@code line} names it). */
  public static final String TEST_CALL = "/twilio/test-call";
  /** Twilio's report on a text we sent ({@code text} names it). */
  public static final String TEXT_STATUS = "/twilio/text-status";

  private WebhookPaths() {}

  /** A path and query naming the callback it was issued for; unchanged when there is none. */
  public static String forCallback(String pathAndQuery, Long callbackId) {
    return callbackId == null ? pathAndQuery : pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "callback=" + callbackId;
  }
}
