package dev.sequencer.store.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The language-model budget: per minute and per day, shared, and pruned once over. */
class GenerationUsageTest extends StoreIntegrationTest {

  @Autowired GenerationUsage usage;

  @Test
  void theMinutesRequestsAndTheDaysTokensRunOutAndOldPeriodsArePruned() {
    String org = fixtures().organization();
    Instant monday = Instant.parse("2031-06-02T10:15:10Z");
    assertThat(usage.takeRequest(org, monday, 2)).isTrue();
    assertThat(usage.takeRequest(org, monday.plusSeconds(20), 2)).isTrue();
    assertThat(usage.takeRequest(org, monday.plusSeconds(25), 2)).isFalse();
    // The next minute has its own requests.
    assertThat(usage.takeRequest(org, monday.plusSeconds(60), 2)).isTrue();
    assertThat(usage.takeTokens(org, monday, 700, 1_000)).isTrue();
    assertThat(usage.takeTokens(org, monday, 400, 1_000)).isFalse();
    usage.returnTokens(org, monday, 200);
    assertThat(usage.tokensUsed(org, monday)).isEqualTo(500);

    Instant wednesday = Instant.parse("2031-06-04T10:00:00Z");
    assertThat(usage.takeRequest(org, wednesday, 2)).isTrue();
    usage.pruneBefore(Instant.parse("2031-06-03T00:00:00Z"));

    assertThat(
            jdbc.sql("select period from generation_usage where organization_id = ? order by 1")
                .param(org)
                .query(String.class)
                .list())
        .containsExactly("minute:2031-06-04T10:00");
  }
}
