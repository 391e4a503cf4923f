package dev.sequencer.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document behind Swagger UI: the API key as a bearer token on {@code /api/**} only,
 * field names in snake_case as the API reads and writes them, and the problem details every API
 * call may answer.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  private static final Map<String, String> PROBLEMS =
      Map.of(
          "400", "Invalid request: the problem names each field",
          "401", "No valid API key",
          "403", "The key's role may not do this",
          "404", "No such resource in the caller's organization",
          "429", "Over the key's rate limit; see Retry-After");

  @Bean
  OpenAPI sequencerOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Sequencer API")
                .version("v1")
                .description(
                    "Campaigns of Hook → Proof → FOMO sequences by email or SMS. Every /api/**"
                        + " request carries Authorization: Bearer <api key>; the webhook,"
                        + " unsubscribe and tracking routes take none and prove their origin"
                        + " themselves."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer"))
                .addSchemas(
                    "Problem",
                    new Schema<>()
                        .type("object")
                        .description("RFC 9457 problem details")
                        .addProperty("type", new Schema<>().type("string"))
                        .addProperty("title", new Schema<>().type("string"))
                        .addProperty("status", new Schema<>().type("integer"))
                        .addProperty("detail", new Schema<>().type("string"))
                        .addProperty("instance", new Schema<>().type("string"))
                        .addProperty(
                            "errors",
                            new Schema<>()
                                .type("array")
                                .items(
                                    new Schema<>()
                                        .type("object")
                                        .addProperty("field", new Schema<>().type("string"))
                                        .addProperty("message", new Schema<>().type("string"))))));
  }

  /**
   * Swagger reads models with a Jackson 2 mapper of its own, which knows nothing of the service's
   * snake_case naming (set on Spring's Jackson 3 mapper): it gets the same strategy here.
   */
  @Bean
  ModelResolver snakeCaseModelResolver() {
    return new ModelResolver(
        Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
  }

  /** Where a sender another organization registered (or, in production, none) gets 422. */
  private static final java.util.Set<String> SENDER_CHECKED =
      java.util.Set.of(
          "POST /api/v1/campaigns",
          "PATCH /api/v1/campaigns/{id}",
          "POST /api/v1/campaigns/{id}/clone",
          "POST /api/v1/senders");

  /** The key on the API's routes only, and the problems each of them may answer. */
  @Bean
  OpenApiCustomizer securityAndProblems() {
    return openApi ->
        openApi
            .getPaths()
            .forEach(
                (path, item) ->
                    item.readOperationsMap()
                        .forEach(
                            (method, operation) -> {
                              if (!path.startsWith("/api/")) {
                                operation.setSecurity(List.of());
                                return;
                              }
                              operation.setSecurity(
                                  List.of(new SecurityRequirement().addList("apiKey")));
                              PROBLEMS.forEach(
                                  (status, description) ->
                                      operation
                                          .getResponses()
                                          .putIfAbsent(status, problem(description)));
                              if (SENDER_CHECKED.contains(method + " " + path)) {
                                operation
                                    .getResponses()
                                    .putIfAbsent(
                                        "422",
                                        problem(
                                            "A sender address or number the organization may"
                                                + " not use"));
                              }
                            }));
  }

  private static ApiResponse problem(String description) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    "application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
  }
}
