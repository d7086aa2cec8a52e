package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an outbound attempt's end means, and when the next one goes. */
class DialPolicyTest {

  @ParameterizedTest(name = "{0}, answered {1} by {2}, no agent {3}: {4}")
  @CsvSource(nullValues = "null", value = {
      "COMPLETED, true,  human,              false, connected",
      "COMPLETED, true,  null,               false, connected",
      "COMPLETED, true,  unknown,            false, connected",
      "COMPLETED, true,  human,              true,  no_agent",
      "COMPLETED, true,  machine_start,      false, machine",
      "COMPLETED, true,  machine_end_beep,   true,  machine",
      "COMPLETED, true,  fax,                false, machine",
      "BUSY,      true,  human,              false, connected",
      "BUSY,      false, null,               false, busy",
      "FAILED,    false, null,               false, failed",
      "NO_ANSWER, false, null,               false, no_answer",
      "CANCELED,  false, null,               false, no_answer",
      "COMPLETED, false, null,               false, no_answer",
      "NO_ANSWER, false, machine_start,      false, no_answer",
  })
  void attemptOutcome(CallStatus status, boolean answered, String answeredBy, boolean noAgent, String outcome) {
    assertThat(DialPolicy.attemptOutcome(status, answered, answeredBy, noAgent).value()).isEqualTo(outcome);
  }

  @ParameterizedTest(name = "{0}: machine {1}")
  @CsvSource(nullValues = "null", value = {
      "machine_start,       true",
      "machine_end_beep,    true",
      "machine_end_silence, true",
      "machine_end_other,   true",
      "fax,                 true",
      "human,               false",
      "unknown,             false",
      "'',                  false",
      "null,                false",
  })
  void isMachine(String answeredBy, boolean machine) {
    assertThat(DialPolicy.isMachine(answeredBy)).isEqualTo(machine);
  }

  @ParameterizedTest(name = "{0}: done {1}, counted as {2}")
  @CsvSource({
      "connected, true,  answered",
      "machine,   true,  machine",
      "no_agent,  false, answered",
      "no_answer, false, missed",
      "busy,      false, busy",
      "failed,    false, failed",
      "expired,   false, missed",
  })
  void doneAndCounted(String outcome, boolean done, String counted) {
    AttemptOutcome attemptOutcome = AttemptOutcome.parse(outcome).orElseThrow();
    assertThat(DialPolicy.isDone(attemptOutcome)).as("done").isEqualTo(done);
    assertThat(DialPolicy.callOutcome(attemptOutcome).value()).as("counted").isEqualTo(counted);
  }

  @ParameterizedTest(name = "{0} attempts of {1}, delays {2} min: next after {3} min")
  @CsvSource(nullValues = "null", value = {
      // attempts so far, max attempts, retry delays (minutes, ';'), next delay (minutes) or give up
      "0, 3, 1;5, 1",
      "1, 3, 1;5, 1",
      "2, 3, 1;5, 5",
      "3, 3, 1;5, null",
      "4, 3, 1;5, null",
      "1, 5, 1;5, 1",
      "3, 5, 1;5, 5",
      "4, 5, 1;5, 5",
      "5, 5, 1;5, null",
      "1, 1, 1;5, null",
      "1, 3, '',  0",
      "2, 3, '',  0",
      "3, 3, '',  null",
  })
  void nextAttemptDelay(int attempts, int maxAttempts, String delays, Integer nextMinutes) {
    List<Duration> retryDelays = delays.isEmpty() ? List.of()
        : java.util.Arrays.stream(delays.split(";")).map(m -> Duration.ofMinutes(Long.parseLong(m))).toList();
    DialPolicy policy = new DialPolicy(maxAttempts, retryDelays);
    if (nextMinutes == null) {
      assertThat(policy.nextAttemptDelay(attempts)).isEmpty();
    } else {
      assertThat(policy.nextAttemptDelay(attempts)).contains(Duration.ofMinutes(nextMinutes));
    }
  }

  @ParameterizedTest(name = "{0} after {1} of 3 attempts, staffed {2}: {3}")
  @CsvSource(nullValues = "null", value = {
      // attempt outcome, attempts so far, staffed line; callback state, its outcome, due (minutes after the end), task reason, used up
      "connected, 1, false, done,        connected, null, null,              false",
      "machine,   3, true,  done,        machine,   null, null,              false",
      "no_answer, 1, false, scheduled,   null,      1,    null,              false",
      "busy,      2, true,  scheduled,   null,      5,    null,              false",
      "no_agent,  2, false, scheduled,   null,      5,    null,              false",
      "failed,    3, false, expired,     expired,   null, null,              true",
      "no_answer, 3, true,  agent_queue, null,      null, retries_exhausted, true",
      "no_agent,  4, false, expired,     expired,   null, null,              true",
  })
  void afterAttempt(String outcome, int attempts, boolean staffed, String state, String callbackOutcome, Integer dueMinutes,
                    String taskReason, boolean usedUp) {
    Instant ended = Instant.parse("2026-11-24T15:00:00Z");
    DialPolicy policy = new DialPolicy(3, List.of(Duration.ofMinutes(1), Duration.ofMinutes(5)));
    assertThat(policy.afterAttempt(AttemptOutcome.parse(outcome).orElseThrow(), attempts, staffed, ended))
        .isEqualTo(new DialPolicy.AfterAttempt(CallbackState.parse(state).orElseThrow(),
            callbackOutcome == null ? null : AttemptOutcome.parse(callbackOutcome).orElseThrow(),
            dueMinutes == null ? null : ended.plus(Duration.ofMinutes(dueMinutes)), taskReason, usedUp));
  }

  @ParameterizedTest(name = "a person's unanswered call, {0} of 3 attempts, retry at {1}: {2}")
  @CsvSource(nullValues = "null", value = {
      // attempts so far (the person's call included), the time the person chose (minutes after the end);
      // callback state, its outcome, due (minutes after the end), used up
      "1, null, scheduled, null,    1,    false",
      "2, null, scheduled, null,    5,    false",
      "3, null, expired,   expired, null, true",
      "4, null, expired,   expired, null, true",
      "1, 90,   scheduled, null,    90,   false",
      "3, 90,   scheduled, null,    90,   false",
      "4, 1440, scheduled, null,    1440, false",
  })
  void afterPersonNoAnswer(int attempts, Integer retryMinutes, String state, String callbackOutcome, Integer dueMinutes,
                           boolean usedUp) {
    Instant ended = Instant.parse("2026-11-24T15:00:00Z");
    DialPolicy policy = new DialPolicy(3, List.of(Duration.ofMinutes(1), Duration.ofMinutes(5)));
    java.util.Optional<Instant> retryAt = java.util.Optional.ofNullable(retryMinutes).map(m -> ended.plus(Duration.ofMinutes(m)));
    assertThat(policy.afterPersonNoAnswer(attempts, ended, retryAt))
        .isEqualTo(new DialPolicy.AfterAttempt(CallbackState.parse(state).orElseThrow(),
            callbackOutcome == null ? null : AttemptOutcome.parse(callbackOutcome).orElseThrow(),
            dueMinutes == null ? null : ended.plus(Duration.ofMinutes(dueMinutes)), null, usedUp));
  }

  @ParameterizedTest(name = "retry {0} s after now: {1}")
  @CsvSource({
      "-60,     false",
      "0,       false",
      "1,       true",
      "3600,    true",
      "2592000, true",
      "2592001, false",
  })
  void mayRetryAt(long secondsAhead, boolean allowed) {
    Instant now = Instant.parse("2026-11-24T15:00:00Z");
    assertThat(DialPolicy.mayRetryAt(now.plusSeconds(secondsAhead), now)).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "streak {0}: {1} s")
  @CsvSource({
      "0,   5",
      "1,   10",
      "2,   20",
      "3,   40",
      "4,   80",
      "5,   160",
      "6,   300",
      "10,  300",
      "11,  300",
      "100, 300",
  })
  void apiBackoff(int errorStreak, long seconds) {
    assertThat(DialPolicy.apiBackoff(errorStreak)).isEqualTo(Duration.ofSeconds(seconds));
  }
}
