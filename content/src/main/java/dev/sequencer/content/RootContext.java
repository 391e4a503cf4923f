package dev.sequencer.content;

import com.samskivert.mustache.Template;
import java.util.Map;

/**
 * The top of a render's context stack: the caller's variables, where fallbacks apply once no inner
 * section context has the variable.
 */
record RootContext(Map<String, ?> variables) {

  /**
   * The value of {@code name}, or {@link Template#NO_FETCHER_FOUND} when it is missing, null or
   * blank.
   *
   * <p>Blank counts as missing so that {@code {{#company}}} sections, {@code {{^company}}} inverted
   * sections and {@code {{company|fallback}}} agree on whether a lead has a company: CRM exports
   * are full of whitespace-only cells.
   */
  Object lookup(String name) {
    Object value = variables.get(name);
    if (value == null && !variables.containsKey(name) && name.indexOf('.') > 0) {
      value = nested(name);
    }
    return isAbsent(value) ? Template.NO_FETCHER_FOUND : value;
  }

  private Object nested(String dottedName) {
    Object value = variables;
    for (String part : dottedName.split("\\.")) {
      if (!(value instanceof Map<?, ?> map)) {
        return null;
      }
      value = map.get(part);
    }
    return value;
  }

  static boolean isAbsent(Object value) {
    return value == null
        || value == Template.NO_FETCHER_FOUND
        || (value instanceof CharSequence text && text.toString().isBlank());
  }

  @Override
  public String toString() {
    // jmustache may print a context object; never leak the variable map into a message.
    return "";
  }
}
