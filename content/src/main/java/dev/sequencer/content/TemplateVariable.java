package dev.sequencer.content;

import java.util.Objects;

/**
 * A variable a template refers to, as in {@code {{first_name|there}}}.
 *
 * @param name the variable name, e.g. {@code first_name}
 * @param fallback the text used when the variable is missing, null or blank; {@code null} when the
 *     template gives none
 */
public record TemplateVariable(String name, String fallback) {

  public TemplateVariable {
    Objects.requireNonNull(name, "name");
  }

  public boolean hasFallback() {
    return fallback != null;
  }
}
