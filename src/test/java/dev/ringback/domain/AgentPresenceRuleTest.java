package dev.ringback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may set an agent's presence: the agent themselves, or the admin for anyone. */
class AgentPresenceRuleTest {

  @ParameterizedTest(name = "set by {0}, of agent {1}: {2}")
  @CsvSource({
      // setter (- is the admin), agent, may
      "-, 7, true",
      "7, 7, true",
      "8, 7, false",
  })
  void maySetPresence(String setter, long agent, boolean may) {
    Agent by = setter.equals("-") ? null
        : new Agent(Long.parseLong(setter), "Nina", "+14155550101", Presence.AVAILABLE, List.of("main"), Instant.EPOCH, Agent.AGENT, true);
    assertThat(Agent.maySetPresence(by, agent)).isEqualTo(may);
  }
}
