package dev.sequencer.activities.messaging;

import dev.sequencer.content.Escaping;
import dev.sequencer.content.TemplateRenderer;
import dev.sequencer.store.campaign.CampaignStep;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON parts of a step rendered for a lead, by the send and by the preview alike: a WhatsApp
 * template's variables and a webhook's payload, whose string values are templates. Rendering the
 * values one by one and writing JSON after keeps the result JSON whatever a lead's fields hold.
 */
public final class StepTemplates {

  private static final TemplateRenderer TEMPLATES = new TemplateRenderer();

  private StepTemplates() {}

  /** The WhatsApp template's variables, rendered, as the JSON object Twilio takes. */
  public static String variables(JsonMapper json, CampaignStep step, Map<String, Object> lead) {
    Map<String, String> rendered = new TreeMap<>();
    if (step.contentVariables() != null) {
      Map<String, String> templates =
          json.readValue(step.contentVariables(), new TypeReference<Map<String, String>>() {});
      templates.forEach((k, t) -> rendered.put(k, TEMPLATES.render(t, lead, Escaping.NONE)));
    }
    return json.writeValueAsString(rendered);
  }

  /** The webhook's payload with each of its string values rendered, as JSON text. */
  public static String payload(JsonMapper json, CampaignStep step, Map<String, Object> lead) {
    return json.writeValueAsString(render(json, json.readTree(step.payload()), lead));
  }

  private static JsonNode render(JsonMapper json, JsonNode node, Map<String, Object> lead) {
    if (node.isString()) {
      return json.getNodeFactory()
          .stringNode(TEMPLATES.render(node.asString(), lead, Escaping.NONE));
    }
    if (node.isObject()) {
      ObjectNode copy = json.createObjectNode();
      for (var property : node.properties()) {
        copy.set(property.getKey(), render(json, property.getValue(), lead));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = json.createArrayNode();
      node.forEach(item -> copy.add(render(json, item, lead)));
      return copy;
    }
    return node;
  }
}
