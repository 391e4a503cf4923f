package dev.sequencer.content;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheParseException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders Mustache message templates with {@code {{name|fallback}}} support.
 *
 * <p>Besides plain Mustache ({@code {{name}}}, {@code {{{name}}}}, {@code {{&name}}}, sections
 * {@code {{#name}}...{{/name}}}, inverted sections {@code {{^name}}...{{/name}}} and comments), a
 * variable may carry a fallback: {@code {{first_name|there}}} renders "there" when {@code
 * first_name} is missing, null or blank. Whitespace around the name and the fallback is ignored;
 * the fallback runs up to the closing <code>}}</code> and is written as authored (it is template
 * text, so it is not HTML-escaped). A missing variable without a fallback renders as the empty
 * string. Partials, delimiter changes and template inheritance are rejected.
 *
 * <p>Instances hold no state: one can be shared by any number of threads.
 */
public final class TemplateRenderer {

  /** The variables every lead exposes; any key of a lead's attributes may be used as well. */
  public static final Set<String> STANDARD_VARIABLES =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(
              List.of("first_name", "last_name", "company", "email", "phone", "title")));

  private static final Mustache.Compiler PLAIN =
      Mustache.compiler().escapeHTML(false).defaultValue("").emptyStringIsFalse(true);
  private static final Mustache.Compiler HTML = PLAIN.escapeHTML(true);

  /**
   * Renders {@code template} with {@code variables}.
   *
   * @param variables values by variable name; nested maps are reachable with dotted names ({@code
   *     {{account.city}}}); {@code null} means none
   * @throws TemplateSyntaxException if the template cannot be parsed
   */
  public String render(String template, Map<String, ?> variables, Escaping escaping) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(escaping, "escaping");
    ParsedTemplate parsed = TemplateParser.parse(template);
    Mustache.Compiler compiler =
        (escaping == Escaping.HTML ? HTML : PLAIN)
            .withCollector(new FallbackCollector(parsed.fallbacks(), escaping));
    RootContext root = new RootContext(variables == null ? Map.of() : variables);
    try {
      return compiler.compile(parsed.mustache()).execute(root);
    } catch (MustacheParseException e) {
      // The parser rejects everything jmustache does; this only guards against a gap between them.
      throw new TemplateSyntaxException(e.getMessage(), 0, 0);
    }
  }

  /**
   * Every variable the template refers to, in order of first appearance; a reference repeated with
   * the same fallback is listed once. Section names count as variables.
   *
   * @throws TemplateSyntaxException if the template cannot be parsed
   */
  public List<TemplateVariable> variables(String template) {
    Objects.requireNonNull(template, "template");
    return List.copyOf(new LinkedHashSet<>(TemplateParser.parse(template).references()));
  }

  /**
   * Names the template uses without a fallback that are not in {@code knownVariables}, in order of
   * first appearance, without repeats. Section names are checked too, and so are names used inside
   * a section, even when the section iterates over items that would supply them.
   *
   * @throws TemplateSyntaxException if the template cannot be parsed
   */
  public List<String> unknownVariables(String template, Set<String> knownVariables) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(knownVariables, "knownVariables");
    Set<String> unknown = new LinkedHashSet<>();
    for (TemplateVariable variable : TemplateParser.parse(template).references()) {
      if (!variable.hasFallback() && !knownVariables.contains(variable.name())) {
        unknown.add(variable.name());
      }
    }
    return List.copyOf(unknown);
  }
}
