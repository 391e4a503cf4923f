package dev.sequencer.workflows.replay;

import static dev.sequencer.workflows.replay.Histories.activitiesOf;
import static dev.sequencer.workflows.replay.Histories.decode;
import static dev.sequencer.workflows.replay.Histories.signalsOf;
import static dev.sequencer.workflows.replay.Histories.versionMarkersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.LeadSequenceWorkflowImpl;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Determinism: every recorded path of a lead's sequence replays against the current implementation,
 * and an unversioned change to the commands it issues is caught. When a change is deliberate, put
 * it behind {@code Workflow.getVersion}, keep these histories (they stand for the executions still
 * running), and add new ones with {@link RecordLeadHistoriesTest}.
 */
class LeadSequenceReplayTest {

  @ParameterizedTest(name = "lead-{0}")
  @EnumSource(LeadHistoryPaths.class)
  void theRecordedPathReplaysAgainstTheCurrentImplementation(LeadHistoryPaths path)
      throws Exception {
    WorkflowExecutionHistory history = history(path);
    // The file is the path it is named after: it ends the way the path ends.
    assertThat(outcomeOf(history).status().wireName()).isEqualTo(path.outcomeStatus);

    WorkflowReplayer.replayWorkflowExecution(history, LeadSequenceWorkflowImpl.class);
  }

  @Test
  void theHistoriesCoverTheSignalsAndRefusalsTheyAreNamedFor() {
    assertThat(signalsOf(history(LeadHistoryPaths.REPLIED))).containsExactly("stop");
    assertThat(signalsOf(history(LeadHistoryPaths.PAUSED_RESUMED)))
        .containsExactly("pause", "resume");
    assertThat(signalsOf(history(LeadHistoryPaths.OUT_OF_OFFICE))).containsExactly("outOfOffice");
    assertThat(activitiesOf(history(LeadHistoryPaths.OPTED_OUT)))
        .containsExactly("SendStep", "SendStep", "FinishSequence");
    assertThat(activitiesOf(history(LeadHistoryPaths.DEFERRED_DAILY_LIMIT)))
        .containsExactly("SendStep", "SendStep", "SendStep", "SendStep", "FinishSequence");
  }

  @Test
  void everyVersionIdInTheWorkflowHasARecordedHistoryOfEachOfItsBranches() throws IOException {
    String source =
        Files.readString(
            Path.of("src/main/java/dev/sequencer/workflows/lead/LeadSequenceWorkflowImpl.java"));
    Set<String> ids = new TreeSet<>();
    Matcher literal = Pattern.compile("getVersion\\(\\s*\"([^\"]+)\"").matcher(source);
    while (literal.find()) {
      ids.add(literal.group(1));
    }
    Matcher constant =
        Pattern.compile("static final String \\w+_VERSION = \"([^\"]+)\"").matcher(source);
    while (constant.find()) {
      ids.add(constant.group(1));
    }
    assertThat(ids).contains("durable-send-path", "store-pause-keeps-gaps");

    Set<String> recorded = new TreeSet<>();
    boolean unversioned = false;
    for (LeadHistoryPaths path : LeadHistoryPaths.values()) {
      Set<String> markers = versionMarkersOf(history(path)).keySet();
      recorded.addAll(markers);
      unversioned |= !markers.contains("durable-send-path");
    }
    // Each id's new branch is in some history, and the executions from before it (no marker) too.
    assertThat(recorded).containsAll(ids);
    assertThat(unversioned).isTrue();
  }

  @Test
  void theContinuedRunCarriesItsStateAndCompletes() {
    WorkflowExecutionHistory history = history(LeadHistoryPaths.V1_CONTINUED_AS_NEW);
    HistoryEvent started = history.getEvents().get(0);
    assertThat(started.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId())
        .isNotEmpty();
    assertThat(history.getEvents()).hasSizeLessThan(LeadSequenceWorkflowImpl.HISTORY_LIMIT + 100);
  }

  @Test
  void anUnversionedChangeToTheCommandsIsNonDeterministic() {
    WorkflowExecutionHistory history = history(LeadHistoryPaths.COMPLETED);

    // SDK 1.38 replays through a "__replay_only" query, and its failure arrives as a plain
    // RuntimeException (no cause) naming the NonDeterministicException the replay raised:
    // the history has the PlanSteps marker where the changed code starts a timer.
    assertThatThrownBy(
            () ->
                WorkflowReplayer.replayWorkflowExecution(
                    history, ChangedLeadSequenceWorkflowImpl.class))
        .isExactlyInstanceOf(RuntimeException.class)
        .hasNoCause()
        .hasMessageContaining("queryType=__replay_only")
        .hasMessageContaining(
            "error=" + NonDeterministicException.class.getName() + ": [TMPRL1100]")
        .hasMessageContaining(
            "Local activity of type PlanSteps is recorded in the history with id");
  }

  @Test
  void theChangeIsCaughtOnEveryRecordedPath() {
    for (LeadHistoryPaths path : LeadHistoryPaths.values()) {
      assertThatThrownBy(
              () ->
                  WorkflowReplayer.replayWorkflowExecution(
                      history(path), ChangedLeadSequenceWorkflowImpl.class))
          .as(path.fileName)
          .hasMessageContaining(NonDeterministicException.class.getName());
    }
  }

  private static WorkflowExecutionHistory history(LeadHistoryPaths path) {
    return Histories.read(path.resource(), RecordLeadHistoriesTest.class);
  }

  private static LeadOutcome outcomeOf(WorkflowExecutionHistory history) {
    HistoryEvent last = history.getLastEvent();
    assertThat(last.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    return decode(
        last.getWorkflowExecutionCompletedEventAttributes().getResult(), 0, LeadOutcome.class);
  }
}
