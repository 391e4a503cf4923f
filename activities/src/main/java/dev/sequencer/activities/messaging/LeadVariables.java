package dev.sequencer.activities.messaging;

import dev.sequencer.store.lead.Lead;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The template variables of a lead: its standard fields and every key of its attributes. */
public final class LeadVariables {

  private LeadVariables() {}

  public static Map<String, Object> of(Lead lead, JsonMapper json) {
    Map<String, Object> variables = new HashMap<>();
    if (lead.attributes() != null && !lead.attributes().isBlank()) {
      json.readTree(lead.attributes())
          .properties()
          .forEach(
              e ->
                  variables.put(
                      e.getKey(),
                      e.getValue().isValueNode()
                          ? e.getValue().asString()
                          : e.getValue().toString()));
    }
    putIfPresent(variables, "first_name", lead.firstName());
    putIfPresent(variables, "last_name", lead.lastName());
    putIfPresent(variables, "company", lead.company());
    putIfPresent(variables, "email", lead.email());
    putIfPresent(variables, "phone", lead.phone());
    putIfPresent(variables, "title", lead.title());
    return variables;
  }

  private static void putIfPresent(Map<String, Object> variables, String name, String value) {
    if (value != null) {
      variables.put(name, value);
    }
  }
}
