package dev.sequencer.api.console;

import com.samskivert.mustache.Mustache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The console's templates: a value that is absent (a lead without a phone) renders as nothing. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

  /** Spring Boot's compiler, but with null values empty; a name no model holds still fails. */
  @Bean
  Mustache.Compiler mustacheCompiler(Mustache.TemplateLoader mustacheTemplateLoader) {
    return Mustache.compiler().withLoader(mustacheTemplateLoader).nullValue("");
  }
}
