package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Full three-step email sequences (hook, proof on day 3, fomo on day 7) through the whole service
 * on a time-skipping Temporal server: planning, rendering, PostgreSQL writes and SMTP to the
 * embedded GreenMail. The baseline is measured in the same run: {@link BareSequence}, as many bare
 * sequences of three timers and three empty activities, on a time-skipping server of its own of the
 * same kind (port-bound, reached over gRPC as the service reaches its own).
 *
 * <p>Time skipping moves the clock only while no task is outstanding, so on both sides the leads'
 * wake-ups on days 3 and 7 run one after another: the ratio is what a step of the real sequence
 * costs against a bare timer and activity.
 *
 * <p>{@code -Dsequencer.benchmark.sequenceLeads=N} runs it with another number of leads.
 */
@Timeout(1200)
class SequenceBenchmarkTest {

  static final int LEADS = Integer.getInteger("sequencer.benchmark.sequenceLeads", 1_000);

  /** As many callers as the enrolment activity starts leads with. */
  private static final int STARTERS = 16;

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
  void threeStepSequencesAgainstBareTimersAndActivities() throws Exception {
    double bare = LEADS / bareSequencesSeconds();

    String campaign = service.createOpenEmailCampaign("Sequences benchmark");
    service.importLeads(campaign, "seq", "sequences.test", LEADS);
    JdbcClient jdbc = service.bean(JdbcClient.class);

    long began = System.nanoTime();
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/start", "{}").status())
        .isEqualTo(202);
    awaitCount(
        "leads completed",
        () ->
            jdbc.sql("select count(*) from leads where campaign_id = ? and status = 'COMPLETED'")
                .param(campaign)
                .query(Long.class)
                .single());
    double seconds = (System.nanoTime() - began) / 1e9;

    long sent =
        jdbc.sql(
                "select count(distinct (lead_pk, step_type)) from messages"
                    + " where campaign_id = ? and status = 'SENT'")
            .param(campaign)
            .query(Long.class)
            .single();
    System.out.printf(
        "BENCHMARK sequences leads=%d seconds=%.1f sequences_per_second=%.2f"
            + " bare_sequences_per_second=%.2f ratio=%.3f steps_sent=%d%n",
        LEADS, seconds, LEADS / seconds, bare, LEADS / seconds / bare, sent);
    Figures.record(
        Figure.against("sequences-three-steps", LEADS / seconds, "seq/s", bare, ">= 0.5"));
    assertThat(sent).isEqualTo(3L * LEADS);
  }

  /**
   * Runs the baseline: starts the bare sequences from as many callers as enrolment uses and returns
   * the seconds until the last one's last step ran.
   */
  private static double bareSequencesSeconds() throws Exception {
    try (BareTemporal bare = new BareTemporal(false)) {
      Worker worker = bare.worker("bare-sequence");
      worker.registerWorkflowImplementationTypes(BareSequence.Timers.class);
      BareSequence.EmptyStep steps = new BareSequence.EmptyStep();
      worker.registerActivitiesImplementations(steps);
      bare.workers.start();
      long began = System.nanoTime();
      bare.startAll(BareSequence.class, "bare-sequence", LEADS, STARTERS, stub -> stub::run);
      awaitCount("bare sequences finished", steps::finished);
      return (System.nanoTime() - began) / 1e9;
    }
  }

  private static void awaitCount(String what, LongSupplier count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
    long last;
    while ((last = count.getAsLong()) < LEADS) {
      assertThat(System.nanoTime()).as("%s: %d of %d", what, last, LEADS).isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(last).as(what).isEqualTo(LEADS);
  }
}
