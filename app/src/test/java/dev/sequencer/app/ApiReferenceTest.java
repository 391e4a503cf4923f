package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code docs/api.md} and the OpenAPI description the service serves name the same endpoints, so
 * the reference cannot fall behind the code (path parameters compared by position, not name).
 */
class ApiReferenceTest {

  private static final Pattern HEADING =
      Pattern.compile("^### `(GET|POST|PUT|PATCH|DELETE) (/[^`]*)`$", Pattern.MULTILINE);

  private final RunningService service = RunningService.get();

  @Test
  void theReferenceAndTheOpenApiDescriptionListTheSameEndpoints() throws Exception {
    Set<String> documented = new TreeSet<>();
    Matcher heading =
        HEADING.matcher(Files.readString(Path.of("..", "docs", "api.md").toAbsolutePath()));
    while (heading.find()) {
      documented.add(heading.group(1) + " " + normalised(heading.group(2)));
    }

    Set<String> served = new TreeSet<>();
    JsonNode paths = service.get("/v3/api-docs").json().get("paths");
    for (String path : paths.propertyNames()) {
      for (String method : paths.get(path).propertyNames()) {
        served.add(method.toUpperCase(java.util.Locale.ROOT) + " " + normalised(path));
      }
    }
    assertThat(served).as("served by the service").isNotEmpty();
    assertThat(documented).isEqualTo(served);
  }

  private static String normalised(String path) {
    return path.replaceAll("\\{[^}]*}", "{}");
  }
}
