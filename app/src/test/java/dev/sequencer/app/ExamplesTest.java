package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The repository's {@code examples/}: the tour script runs end to end against the service. */
class ExamplesTest {

  private final RunningService service = RunningService.get();

  @Test
  void theTourRunsEndToEnd() throws Exception {
    Path script = Path.of("..", "examples", "tour.sh").toAbsolutePath().normalize();
    Path output = Files.createTempFile("tour", ".out");
    try {
      ProcessBuilder tour =
          new ProcessBuilder("bash", script.toString())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      tour.environment().put("BASE", service.baseUrl);
      tour.environment().put("KEY", RunningService.KEY);
      Process process = tour.start();
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the tour ends").isTrue();
      String printed = Files.readString(output);
      assertThat(process.exitValue()).as(printed).isZero();
      assertThat(printed)
          .contains("\"accepted\":4")
          .contains("\"status\":\"sent\"")
          .contains("\"classification\":\"interested\"")
          .contains("\"entries\":[");
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
