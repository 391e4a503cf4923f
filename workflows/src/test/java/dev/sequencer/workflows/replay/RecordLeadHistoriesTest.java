package dev.sequencer.workflows.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Records the histories that {@link LeadSequenceReplayTest} replays. Runs only on request, after a
 * deliberate (versioned) change to the workflow:
 *
 * <pre>
 * mvn -B -o -pl workflows test -Dtest=RecordLeadHistoriesTest -Dsequencer.recordHistories=true
 * </pre>
 *
 * and the files under {@code src/test/resources/histories} are committed with the change.
 */
@EnabledIfSystemProperty(named = "sequencer.recordHistories", matches = "true")
class RecordLeadHistoriesTest {

  private static final Path HISTORIES = Path.of("src", "test", "resources", "histories");

  @ParameterizedTest(name = "lead-{0}")
  @EnumSource(LeadHistoryPaths.class)
  void record(LeadHistoryPaths path) throws IOException {
    Path file = HISTORIES.resolve("lead-" + path.fileName + ".json");
    // A kept history stands for executions of its version still running: never record over it.
    assumeFalse(Files.exists(file), file + " is kept");
    WorkflowExecutionHistory history = path.record();

    Files.createDirectories(HISTORIES);
    Files.writeString(file, history.toJson(true) + "\n");

    assertThat(WorkflowExecutionHistory.fromJson(Files.readString(file)).getEvents())
        .hasSameSizeAs(history.getEvents());
  }
}
