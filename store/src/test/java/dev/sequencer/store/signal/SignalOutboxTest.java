package dev.sequencer.store.signal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.StoreIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SignalOutboxTest extends StoreIntegrationTest {

  private static final Duration LEASE = Duration.ofMinutes(1);

  @Autowired SignalOutbox outbox;

  private final String lead = "lead-" + UUID.randomUUID();
  private final String other = "lead-" + UUID.randomUUID();

  @Test
  void eachWorkflowGetsItsOldestSignalFirstAndTheNextOnlyOnceThatIsDelivered() {
    outbox.add(lead, "pause", bytes("\"api\""));
    outbox.add(lead, "resume", null);
    outbox.add(other, "stop", bytes("{}"));

    List<PendingSignal> first = mine(outbox.claim(100, LEASE));
    assertThat(first)
        .extracting(PendingSignal::workflowId, PendingSignal::signal)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(lead, "pause"),
            org.assertj.core.groups.Tuple.tuple(other, "stop"));
    assertThat(mine(outbox.claim(100, LEASE))).as("claimed, and the resume waits").isEmpty();

    outbox.delivered(first.stream().map(PendingSignal::id).toList());

    assertThat(mine(outbox.claim(100, LEASE)))
        .extracting(PendingSignal::workflowId, PendingSignal::signal, PendingSignal::arguments)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(lead, "resume", null));
  }

  @Test
  void aSignalWhoseClaimRanOutIsClaimedAgain() throws Exception {
    outbox.add(lead, "pause", bytes("\"api\""));
    PendingSignal claimed = mine(outbox.claim(100, Duration.ofMillis(1))).get(0);
    Thread.sleep(50);

    List<PendingSignal> again = mine(outbox.claim(100, LEASE));

    assertThat(again).extracting(PendingSignal::id).containsExactly(claimed.id());
    assertThat(again.get(0).attempts()).isEqualTo(2);
    assertThat(new String(again.get(0).arguments(), StandardCharsets.UTF_8)).isEqualTo("\"api\"");
  }

  @Test
  void aSignalGivenBackIsDueAfterItsDelay() {
    outbox.add(lead, "resume", null);
    PendingSignal claimed = mine(outbox.claim(100, LEASE)).get(0);

    outbox.retryLater(claimed.id(), Duration.ofHours(1));
    assertThat(mine(outbox.claim(100, LEASE))).isEmpty();

    outbox.retryLater(claimed.id(), Duration.ZERO);
    assertThat(mine(outbox.claim(100, LEASE)))
        .extracting(PendingSignal::id)
        .containsExactly(claimed.id());
  }

  private List<PendingSignal> mine(List<PendingSignal> claimed) {
    return claimed.stream()
        .filter(s -> s.workflowId().equals(lead) || s.workflowId().equals(other))
        .toList();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
