package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Phone numbers inside free text are masked to their last four digits; ids, times and counts are not numbers. */
class PhoneMaskingTest {

  @Test
  void everyWayANumberIsWrittenIsMasked() {
    assertThat(PhoneNumbers.maskWithin("voice from=+14155550123 to +442079460958.")).isEqualTo("voice from=********0123 to *********0958.");
    assertThat(PhoneNumbers.maskWithin("GET /api/customers/%2B14155550123/timeline")).isEqualTo("GET /api/customers/**********0123/timeline");
    assertThat(PhoneNumbers.maskWithin("+1 415 555 0123")).isEqualTo("***********0123");
    assertThat(PhoneNumbers.maskWithin("call (415) 555-0123 now")).isEqualTo("call **********0123 now");
    assertThat(PhoneNumbers.maskWithin("4155550123")).isEqualTo("******0123");
    assertThat(PhoneNumbers.maskWithin("sip:+14155550123@acme.sip.twilio.com")).isEqualTo("sip:********0123@acme.sip.twilio.com");
    assertThat(PhoneNumbers.maskWithin("Key (line_id, customer_phone)=(1, +14155550123) already exists."))
        .isEqualTo("Key (line_id, customer_phone)=(1, ********0123) already exists.");
    assertThat(PhoneNumbers.maskWithin("030 12345678")).isEqualTo("********5678");
  }

  @Test
  void whatIsNotAPhoneNumberIsLeftAlone() {
    for (String text : new String[] {
        "status CallSid=CA0123456789abcdef0123456789abcdef CallStatus=completed",
        "Dispatcher ringback-88863955-be95-40bc-ae5b-02e2e189e95e",
        "callback #12 attempt 3 due 2026-11-23T18:05:00Z",
        "at 2026-12-02 09:29:21+00",
        "Ringback listens on port 39523, pid 1234567",
        "from 192.168.100.200 after 12345678.5 ms",
        "ERROR: invalid byte sequence (22021)",
        "order shopify 820982911946154508 (#1001)"}) {
      assertThat(PhoneNumbers.maskWithin(text)).isEqualTo(text);
    }
    assertThat(PhoneNumbers.maskWithin(null)).isNull();
  }
}
