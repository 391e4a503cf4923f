package dev.sequencer.workflows.lead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import dev.sequencer.workflows.testing.CalendarPlanningActivities;
import dev.sequencer.workflows.testing.ScriptedSendActivities;
import dev.sequencer.workflows.testing.SlottedPlanningActivities;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The size of a lead workflow's history on its longest path ({@link DeferredAndPausedLead}, whose
 * bound {@code LeadSequenceDurabilityTest} proves in every build): the events and bytes of its
 * largest run, since continue-as-new keeps each run, not the chain, under the limit.
 */
class LeadHistoryBenchmarkTest {

  @RegisterExtension
  static final TestWorkflowExtension temporal =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(LeadSequenceWorkflowImpl.class)
          .setInitialTime(DeferredAndPausedLead.START)
          .setDoNotStart(true)
          .build();

  @Test
  void aLeadDeferredThreeHundredTimesAndPausedForAYear(
      TestWorkflowEnvironment testEnv, WorkflowClient client, Worker worker) {
    ScriptedSendActivities sending = new ScriptedSendActivities(testEnv::currentTimeMillis);
    worker.registerActivitiesImplementations(
        new SlottedPlanningActivities(CalendarPlanningActivities.newYork()), sending);
    testEnv.start();

    List<History> runs =
        DeferredAndPausedLead.runToEnd(testEnv, client, worker.getTaskQueue(), sending);

    History largest = runs.stream().max(Comparator.comparingInt(History::getEventsCount)).get();
    System.out.printf(
        "BENCHMARK lead-history deferrals=%d runs=%d events_per_run=%s bytes_per_run=%s%n",
        DeferredAndPausedLead.DEFERRALS,
        runs.size(),
        runs.stream().map(History::getEventsCount).toList(),
        runs.stream().map(History::getSerializedSize).toList());
    Figures.record(
        Figure.of("lead-history-deferred-300", largest.getEventsCount(), "events", "<= 2000"));
    Figures.record(
        Figure.of(
            "lead-history-deferred-300-size", largest.getSerializedSize() / 1024.0, "KB", null));
    assertThat(runs).hasSizeGreaterThan(1);
  }
}
