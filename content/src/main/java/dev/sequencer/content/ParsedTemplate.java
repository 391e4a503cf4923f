package dev.sequencer.content;

import java.util.List;

/**
 * A template checked and rewritten for jmustache.
 *
 * @param mustache the template with every fallback tag replaced by a slot tag that {@link
 *     FallbackCollector} resolves
 * @param references every variable reference in order of appearance, repeats included
 * @param fallbacks the fallback tags, indexed by slot number
 */
record ParsedTemplate(
    String mustache, List<TemplateVariable> references, List<Fallback> fallbacks) {

  ParsedTemplate {
    references = List.copyOf(references);
    fallbacks = List.copyOf(fallbacks);
  }
}
