package dev.ringback.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentFirstTest {
  private static List<String> list(String spaced) {
    return spaced.isBlank() ? List.of() : Arrays.asList(spaced.trim().split(" +"));
  }

  @ParameterizedTest(name = "ringing [{0}], tried [{1}] -> {2}")
  @CsvSource({
      "'+1501 +1502', '',            ring +1501",
      "'+1501 +1502', '+1501',       ring +1502",
      "'+1502 +1501', '+1501',       ring +1502",
      "'+1501 +1502', '+1501 +1502', agents' queue",
      "'',            '',            wait",
      "'',            '+1501',       wait",
      "'+1503',       '+1501 +1502', ring +1503",
  })
  void theFirstAgentNotYetTriedIsRungElseTheCallbackWaitsOrGoesToAPerson(String ringing, String tried, String expected) {
    AgentFirst choice = AgentFirst.choose(list(ringing), list(tried));
    String got = choice.agent().map(a -> "ring " + a).orElse(choice.waitForAgent() ? "wait" : "agents' queue");
    assertEquals(expected, got);
    assertEquals(expected.equals("agents' queue"), choice.toAgentQueue());
  }

  @ParameterizedTest(name = "{0} with [{1}] -> agent first: {2}")
  @CsvSource({
      "auto,           '+1501 sip:desk@acme.example', true",
      "auto,           'sip:desk@acme.example',        false",
      "auto,           '',                             false",
      "agent-first,    'sip:desk@acme.example',        true",
      "agent-first,    '',                             true",
      "customer-first, '+1501',                        false",
  })
  void phonesAreCalledFirstAndSoftphonesAfterTheCustomer(String mode, String agents, boolean agentFirst) {
    assertEquals(agentFirst, CallbackMode.parse(mode).orElseThrow().agentFirst(list(agents)));
  }

  @ParameterizedTest
  @CsvSource({"Auto", "agent_first", "''"})
  void onlyTheConfigurationsWordsAreModes(String word) {
    assertEquals(Optional.empty(), CallbackMode.parse(word));
  }
}
