package dev.sequencer.app;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bench's figure of limits at scale: 10,000 leads against {@code daily_limit: 125},
 * time-skipped to the end of their 80 days, with every check of {@link DailyLimitAtScaleTest}; the
 * figure is the send activity's executions per message sent (goal at most 1.05: a deferred step
 * wakes once, at its slot, instead of polling for room).
 */
class DailyLimitBenchmarkTest {

  private static final int LEADS = 10_000;

  private static RunningService service;

  @BeforeAll
  static void start() {
    service = RunningService.start("--sequencer.embedded.temporal-time-skipping=true");
  }

  @AfterAll
  static void stop() {
    service.context.close();
  }

  @Test
  void tenThousandLeadsAgainstADailyLimitOf125() throws Exception {
    double ratio = DailyLimitAtScaleTest.run(service, LEADS);
    Figures.record(
        Figure.of("daily-limit-10k-send-executions-per-message", ratio, "executions", "<= 1.05"));
  }
}
