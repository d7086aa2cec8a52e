package dev.ringback.domain;

/** A set-up check's result; the words are the API's. */
public enum CheckResult {
  PASS("pass"),
  FAIL("fail"),
  /** Not checked: what it needs is missing (no Twilio account, a number that is not there). */
  SKIPPED("skipped");

  private final String value;

  CheckResult(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }
}
