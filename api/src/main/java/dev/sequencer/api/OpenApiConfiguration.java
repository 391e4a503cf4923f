package dev.sequencer.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document behind Swagger UI, with the API key as a bearer token. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI sequencerOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Sequencer API")
                .version("v1")
                .description(
                    "Campaigns of Hook → Proof → FOMO sequences by email or SMS. Every /api/**"
                        + " request carries Authorization: Bearer <api key>."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList("apiKey"));
  }
}
