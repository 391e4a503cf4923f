package dev.sequencer.workflows.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Records the histories that {@link CampaignRunReplayTest} replays. Runs only on request, after a
 * deliberate (versioned) change to the campaign workflow:
 *
 * <pre>
 * mvn -B -o -pl workflows test -Dtest=RecordCampaignHistoriesTest -Dsequencer.recordHistories=true
 * </pre>
 *
 * and the files under {@code src/test/resources/histories} are committed with the change.
 */
@EnabledIfSystemProperty(named = "sequencer.recordHistories", matches = "true")
class RecordCampaignHistoriesTest {

  private static final Path HISTORIES = Path.of("src", "test", "resources", "histories");

  @ParameterizedTest(name = "campaign-{0}")
  @EnumSource(CampaignHistoryPaths.class)
  void record(CampaignHistoryPaths path) throws IOException {
    Path file = HISTORIES.resolve("campaign-" + path.fileName + ".json");
    // A kept history stands for executions of its version still running: never record over it.
    assumeFalse(Files.exists(file), file + " is kept");
    // Recorded from this tree's workflow, it would carry a name that says other code recorded it.
    assumeTrue(
        path.recordedBy == CampaignHistoryPaths.RECORDABLE,
        file + " is recorded from a worktree of " + path.recordedBy.commit);
    WorkflowExecutionHistory history = path.record();

    Files.createDirectories(HISTORIES);
    Files.writeString(file, history.toJson(true) + "\n");

    assertThat(WorkflowExecutionHistory.fromJson(Files.readString(file)).getEvents())
        .hasSameSizeAs(history.getEvents());
  }
}
