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
 * the reference cannot fall behind the code (path parameters compared by position, not name); and
 * the description is the contract as served: snake_case fields, the real bodies and status codes,
 * and no key on the public routes.
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

  @Test
  void theDescriptionNamesFieldsAsTheApiWritesThem() {
    JsonNode schemas = service.get("/v3/api-docs").json().get("components").get("schemas");
    java.util.List<String> camelCase = new java.util.ArrayList<>();
    for (String schema : schemas.propertyNames()) {
      JsonNode properties = schemas.get(schema).get("properties");
      if (properties != null) {
        for (String property : properties.propertyNames()) {
          if (!property.equals(property.toLowerCase(java.util.Locale.ROOT))) {
            camelCase.add(schema + "." + property);
          }
        }
      }
    }
    assertThat(camelCase).isEmpty();
    assertThat(schemas.get("CampaignRequest").get("properties").propertyNames())
        .contains("holdout_percentage", "attribution_window_days", "template_attributes");
  }

  @Test
  void theDescriptionShowsTheRealBodiesAndStatusCodes() {
    JsonNode paths = service.get("/v3/api-docs").json().get("paths");
    JsonNode create = paths.get("/api/v1/campaigns").get("post");
    assertThat(create.at("/requestBody/content/application~1json/schema/$ref").asString())
        .isEqualTo("#/components/schemas/CampaignRequest");
    assertThat(
            paths
                .get("/api/v1/campaigns/{id}")
                .get("patch")
                .at("/requestBody/content/application~1json/schema/$ref")
                .asString())
        .isEqualTo("#/components/schemas/CampaignRequest");
    JsonNode leads = paths.get("/api/v1/campaigns/{campaignId}/leads").get("post");
    assertThat(leads.at("/requestBody/content").propertyNames())
        .contains("application/json", "text/csv");
    assertThat(leads.at("/requestBody/content/application~1json/schema/items/$ref").asString())
        .isEqualTo("#/components/schemas/LeadRow");

    assertThat(create.get("responses").propertyNames()).contains("201").doesNotContain("200");
    assertThat(responses(paths, "/api/v1/campaigns/{id}/clone", "post")).contains("201");
    assertThat(responses(paths, "/api/v1/campaigns/{id}/start", "post")).contains("202");
    assertThat(responses(paths, "/api/v1/campaigns/{campaignId}/pause", "post")).contains("202");
    assertThat(responses(paths, "/api/v1/opt-outs", "post")).contains("202");
    assertThat(responses(paths, "/api/v1/replies", "post")).contains("202");
    assertThat(responses(paths, "/api/v1/organizations", "post")).contains("201");
    assertThat(responses(paths, "/api/v1/keys", "post")).contains("201");
    assertThat(responses(paths, "/api/v1/keys/{keyId}", "delete")).contains("204");
    assertThat(responses(paths, "/api/v1/senders", "post")).contains("201", "422");
    assertThat(responses(paths, "/webhooks/twilio/status", "post")).contains("204");
    assertThat(responses(paths, "/t/c/{token}", "get")).contains("302");
    assertThat(responses(paths, "/api/v1/campaigns", "get")).contains("200", "401", "429");
  }

  @Test
  void thePublicRoutesTakeNoKey() {
    JsonNode paths = service.get("/v3/api-docs").json().get("paths");
    for (String path : paths.propertyNames()) {
      for (String method : paths.get(path).propertyNames()) {
        JsonNode security = paths.get(path).get(method).get("security");
        if (path.startsWith("/api/")) {
          assertThat(security.toString()).as(method + " " + path).contains("apiKey");
        } else {
          assertThat(security).as(method + " " + path).isNotNull();
          assertThat(security.size()).as(method + " " + path).isZero();
        }
      }
    }
  }

  private static java.util.Set<String> responses(JsonNode paths, String path, String method) {
    return new java.util.TreeSet<>(paths.get(path).get(method).get("responses").propertyNames());
  }

  private static String normalised(String path) {
    return path.replaceAll("\\{[^}]*}", "{}");
  }
}
