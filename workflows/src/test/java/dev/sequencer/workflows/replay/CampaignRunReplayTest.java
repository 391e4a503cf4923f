package dev.sequencer.workflows.replay;

import static dev.sequencer.workflows.replay.CampaignHistoryPaths.AUTO_WINNER;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.COMPLETED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.CONTINUED_AS_NEW;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.LEADS_ADDED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.PAUSED_RESUMED_CANCELLED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.RECURRING;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.RESCHEDULED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.SCHEDULED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V0_CONTINUED_AS_NEW;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V0_LEADS_ADDED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V0_PAUSED_RESUMED_CANCELLED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V0_SCHEDULED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V1_COMPLETED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V1_CONTINUED_AS_NEW;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V1_LEADS_ADDED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V1_PAUSED_RESUMED_CANCELLED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V1_RECURRING;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V1_RESCHEDULED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V1_SCHEDULED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V3_AUTO_WINNER;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V3_COMPLETED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V3_CONTINUED_AS_NEW;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V3_LEADS_ADDED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V3_PAUSED_RESUMED_CANCELLED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V3_RECURRING;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V3_RESCHEDULED;
import static dev.sequencer.workflows.replay.CampaignHistoryPaths.V3_SCHEDULED;
import static dev.sequencer.workflows.replay.Histories.activitiesOf;
import static dev.sequencer.workflows.replay.Histories.decode;
import static dev.sequencer.workflows.replay.Histories.signalsOf;
import static dev.sequencer.workflows.replay.Histories.versionMarkersOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.campaign.CampaignRunInput;
import dev.sequencer.workflows.campaign.CampaignRunWorkflowImpl;
import dev.sequencer.workflows.campaign.LeadCommand;
import dev.sequencer.workflows.campaign.LeadCommand.Kind;
import dev.sequencer.workflows.replay.CampaignHistoryPaths.Code;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Determinism of the campaign run: every recorded path, from each version of the code that may
 * still have executions running, replays against the current implementation, and every branch of
 * each {@code Workflow.getVersion} in it has a recorded path. When a change is deliberate, put it
 * behind {@code Workflow.getVersion}, keep these histories (they stand for the executions still
 * running), and add new ones with {@link RecordCampaignHistoriesTest}.
 */
class CampaignRunReplayTest {

  private static final Path SOURCE =
      Path.of("src/main/java/dev/sequencer/workflows/campaign/CampaignRunWorkflowImpl.java");
  private static final Path HISTORIES = Path.of("src/test/resources/histories");

  @ParameterizedTest(name = "campaign-{0}")
  @EnumSource(CampaignHistoryPaths.class)
  void theRecordedPathReplaysAgainstTheCurrentImplementation(CampaignHistoryPaths path)
      throws Exception {
    WorkflowExecutionHistory history = history(path);
    // The file is the path it is named after: it ends the way the path ends, and holds the
    // version markers of the code its name says recorded it.
    assertEndsAsNamed(path, history);
    assertThat(versionMarkersOf(history)).as(path.fileName).isEqualTo(path.markers());

    WorkflowReplayer.replayWorkflowExecution(history, CampaignRunWorkflowImpl.class);
  }

  @Test
  void everyVersionIdInTheWorkflowHasARecordedHistoryOfEachOfItsBranches() throws IOException {
    Map<String, Set<Integer>> branches = versionBranchesIn(Files.readString(SOURCE));
    assertThat(branches).containsKeys("completion-check", "auto-winner");

    // A recurring campaign never reaches a versioned call, so its lack of a marker proves nothing.
    List<Map<String, Integer>> recorded =
        Arrays.stream(CampaignHistoryPaths.values())
            .map(CampaignRunReplayTest::history)
            .filter(history -> !inputOf(history).recurring())
            .map(Histories::versionMarkersOf)
            .toList();
    List<String> missing = new ArrayList<>();
    branches.forEach(
        (id, versions) -> {
          for (int version : versions) {
            // The default branch is an execution from before the id existed: no marker at all.
            Integer marker = version == Workflow.DEFAULT_VERSION ? null : version;
            if (recorded.stream().noneMatch(markers -> Objects.equals(markers.get(id), marker))) {
              missing.add(id + (marker == null ? " (DEFAULT_VERSION)" : " version " + marker));
            }
          }
        });
    assertThat(missing).as("branches without a recorded history").isEmpty();
  }

  @Test
  void theHistoriesCoverTheSignalsAndCommandsTheyAreNamedFor() {
    for (CampaignHistoryPaths path : List.of(V0_SCHEDULED, V1_SCHEDULED, SCHEDULED, V3_SCHEDULED)) {
      // Enrolled for the future start at once; marked running only when the start comes.
      assertThat(activitiesOf(history(path))).as(path.fileName).startsWith("EnrolPending");
      assertThat(activitiesOf(history(path))).as(path.fileName).contains("MarkRunning");
    }
    for (CampaignHistoryPaths path : List.of(V1_RESCHEDULED, RESCHEDULED, V3_RESCHEDULED)) {
      WorkflowExecutionHistory history = history(path);
      assertThat(signalsOf(history)).as(path.fileName).containsExactly("reschedule");
      assertThat(broadcastsOf(history))
          .as(path.fileName)
          .extracting(LeadCommand::kind)
          .containsExactly(Kind.RESCHEDULE);
    }
    for (CampaignHistoryPaths path :
        List.of(V0_LEADS_ADDED, V1_LEADS_ADDED, LEADS_ADDED, V3_LEADS_ADDED)) {
      WorkflowExecutionHistory history = history(path);
      assertThat(signalsOf(history)).as(path.fileName).startsWith("leadsAdded", "leadsAdded");
      assertThat(activitiesOf(history))
          .as(path.fileName)
          .filteredOn("EnrolPending"::equals)
          .hasSize(3);
    }
    for (CampaignHistoryPaths path :
        List.of(
            V0_PAUSED_RESUMED_CANCELLED,
            V1_PAUSED_RESUMED_CANCELLED,
            PAUSED_RESUMED_CANCELLED,
            V3_PAUSED_RESUMED_CANCELLED)) {
      WorkflowExecutionHistory history = history(path);
      assertThat(signalsOf(history)).as(path.fileName).containsExactly("pause", "resume", "cancel");
      assertThat(broadcastsOf(history))
          .as(path.fileName)
          .extracting(LeadCommand::kind)
          .containsExactly(Kind.PAUSE, Kind.RESUME, Kind.STOP);
    }
    for (CampaignHistoryPaths path : List.of(V1_RECURRING, RECURRING, V3_RECURRING)) {
      WorkflowExecutionHistory history = history(path);
      assertThat(inputOf(history).recurring()).as(path.fileName).isTrue();
      assertThat(activitiesOf(history))
          .as(path.fileName)
          .filteredOn("RecordRun"::equals)
          .hasSize(3);
    }
    for (CampaignHistoryPaths path : List.of(V1_COMPLETED, COMPLETED, V3_COMPLETED)) {
      assertThat(resultsOf(history(path), "CompleteIfDone", Boolean.class))
          .as(path.fileName)
          .containsExactly(false, false, false, true);
    }
  }

  @Test
  void theAutoWinnerIsCheckedEachRoundUntilThereIsOne() {
    for (CampaignHistoryPaths path : List.of(AUTO_WINNER, V3_AUTO_WINNER)) {
      assertThat(resultsOf(history(path), "CheckAutoWinner", String.class))
          .containsExactly(null, null, null, "B");
    }
    for (CampaignHistoryPaths path : CampaignHistoryPaths.values()) {
      if (path.recordedBy == Code.V0 || path.recordedBy == Code.V1) {
        assertThat(activitiesOf(history(path))).as(path.fileName).doesNotContain("CheckAutoWinner");
      }
    }
  }

  @Test
  void theRunsThatContinueAsNewHandOnTheirCountAfterTheirRounds() {
    WorkflowExecutionHistory signalled = history(V0_CONTINUED_AS_NEW);
    assertThat(activitiesOf(signalled))
        .filteredOn("EnrolPending"::equals)
        .hasSize(CampaignHistoryPaths.ROUNDS_PER_RUN);
    assertThat(continuedWith(signalled))
        .isEqualTo(new CampaignRunInput("c1", inputOf(signalled).startAt(), 3 + 99));

    for (CampaignHistoryPaths path :
        List.of(V1_CONTINUED_AS_NEW, CONTINUED_AS_NEW, V3_CONTINUED_AS_NEW)) {
      WorkflowExecutionHistory hourly = history(path);
      // The first round enrols, every later one is an hourly completion check.
      assertThat(activitiesOf(hourly))
          .as(path.fileName)
          .filteredOn("CompleteIfDone"::equals)
          .hasSize(CampaignHistoryPaths.ROUNDS_PER_RUN - 1);
      assertThat(continuedWith(hourly))
          .as(path.fileName)
          .isEqualTo(new CampaignRunInput("c1", inputOf(hourly).startAt(), 3));
    }
  }

  @Test
  void everyKeptCampaignHistoryIsAPath() throws IOException {
    Set<String> paths =
        Arrays.stream(CampaignHistoryPaths.values())
            .map(path -> "campaign-" + path.fileName + ".json")
            .collect(Collectors.toCollection(TreeSet::new));
    try (Stream<Path> files = Files.list(HISTORIES)) {
      assertThat(
              files
                  .map(file -> file.getFileName().toString())
                  .filter(name -> name.startsWith("campaign-")))
          .containsExactlyInAnyOrderElementsOf(paths);
    }
  }

  /**
   * The versions each {@code getVersion} id in the source may return: {@code DEFAULT_VERSION} while
   * it is the minimum supported, and 1 up to the maximum (versions count from 1 here).
   */
  private static Map<String, Set<Integer>> versionBranchesIn(String source) {
    Map<String, String> constants = new HashMap<>();
    Matcher constant = Pattern.compile("static final String (\\w+) = \"([^\"]+)\"").matcher(source);
    while (constant.find()) {
      constants.put(constant.group(1), constant.group(2));
    }
    Map<String, Set<Integer>> branches = new TreeMap<>();
    Matcher call =
        Pattern.compile(
                "getVersion\\(\\s*(?:\"([^\"]+)\"|(\\w+))\\s*,\\s*([\\w.]+)\\s*,\\s*(\\d+)\\s*\\)")
            .matcher(source);
    int calls = 0;
    while (call.find()) {
      calls++;
      String id = call.group(1) != null ? call.group(1) : constants.get(call.group(2));
      assertThat(id).as("the change id of %s", call.group()).isNotNull();
      int min =
          call.group(3).endsWith("DEFAULT_VERSION")
              ? Workflow.DEFAULT_VERSION
              : Integer.parseInt(call.group(3));
      int max = Integer.parseInt(call.group(4));
      Set<Integer> versions = branches.computeIfAbsent(id, key -> new TreeSet<>());
      if (min == Workflow.DEFAULT_VERSION) {
        versions.add(Workflow.DEFAULT_VERSION);
      }
      for (int version = Math.max(min, 1); version <= max; version++) {
        versions.add(version);
      }
    }
    // A call this pattern cannot read would otherwise go unchecked.
    assertThat(calls).isEqualTo(source.split("getVersion\\(", -1).length - 1);
    return branches;
  }

  private static void assertEndsAsNamed(
      CampaignHistoryPaths path, WorkflowExecutionHistory history) {
    EventType last = history.getLastEvent().getEventType();
    switch (path.ending) {
      case CONTINUED_AS_NEW ->
          assertThat(last)
              .as(path.fileName)
              .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
      case COMPLETED -> {
        assertThat(last)
            .as(path.fileName)
            .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        assertThat(resultsOf(history, "CompleteIfDone", Boolean.class))
            .as(path.fileName)
            .last()
            .isEqualTo(true);
      }
      case CANCELLED -> {
        assertThat(last)
            .as(path.fileName)
            .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        assertThat(activitiesOf(history)).as(path.fileName).last().isEqualTo("Broadcast");
        assertThat(broadcastsOf(history))
            .as(path.fileName)
            .last()
            .extracting(LeadCommand::kind)
            .isEqualTo(Kind.STOP);
      }
    }
  }

  private static WorkflowExecutionHistory history(CampaignHistoryPaths path) {
    return Histories.read(path.resource(), RecordCampaignHistoriesTest.class);
  }

  private static CampaignRunInput inputOf(WorkflowExecutionHistory history) {
    HistoryEvent started = history.getEvents().get(0);
    return decode(
        started.getWorkflowExecutionStartedEventAttributes().getInput(), 0, CampaignRunInput.class);
  }

  private static CampaignRunInput continuedWith(WorkflowExecutionHistory history) {
    return decode(
        history.getLastEvent().getWorkflowExecutionContinuedAsNewEventAttributes().getInput(),
        0,
        CampaignRunInput.class);
  }

  /** The commands the run broadcast, in order. */
  private static List<LeadCommand> broadcastsOf(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
        .filter(a -> a.getActivityType().getName().equals("Broadcast"))
        .map(a -> decode(a.getInput(), 1, LeadCommand.class))
        .toList();
  }

  /** What the calls of one activity returned, in order (null for an empty result). */
  private static <T> List<T> resultsOf(
      WorkflowExecutionHistory history, String activity, Class<T> type) {
    Set<Long> scheduled = new TreeSet<>();
    List<T> results = new ArrayList<>();
    for (HistoryEvent event : history.getEvents()) {
      if (event.hasActivityTaskScheduledEventAttributes()
          && event
              .getActivityTaskScheduledEventAttributes()
              .getActivityType()
              .getName()
              .equals(activity)) {
        scheduled.add(event.getEventId());
      } else if (event.hasActivityTaskCompletedEventAttributes()
          && scheduled.contains(
              event.getActivityTaskCompletedEventAttributes().getScheduledEventId())) {
        var completed = event.getActivityTaskCompletedEventAttributes();
        results.add(completed.hasResult() ? decode(completed.getResult(), 0, type) : null);
      }
    }
    return results;
  }
}
