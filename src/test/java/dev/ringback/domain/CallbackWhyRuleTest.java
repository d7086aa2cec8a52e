package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Why a callback is where it is, from its state, what it is held for and what cancelled it. */
class CallbackWhyRuleTest {

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
      "scheduled,   ,            , due",
      "scheduled,   quiet_hours, , waiting_for_calling_hours",
      "scheduled,   agent,       , waiting_for_agent",
      "dialing,     ,            , being_dialled",
      "agent_queue, ,            , with_agents",
      "cancelled,   ,            got_through,      cancelled_got_through",
      "cancelled,   ,            by_hand,          cancelled_by_hand",
      "cancelled,   do_not_call, do_not_call,      cancelled_do_not_call",
      "cancelled,   ,            business_deleted, cancelled_business_deleted",
      "cancelled,   ,            ,                 cancelled",
      "expired,     ,            , expired",
      "done,        ,            , done",
      "failed,      ,            , failed",
  })
  void eachStateHasItsReason(String state, String waitingFor, String cancelCause, String why) {
    assertThat(CallbackWhy.of(CallbackState.parse(state).orElseThrow(), waitingFor, cancelCause).value()).isEqualTo(why);
  }
}
