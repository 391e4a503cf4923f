package dev.sequencer.api.campaign;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A step's JSON parts (webhook payload, WhatsApp template variables) as stored text and back. */
final class StepJson {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private StepJson() {}

  static JsonNode payload(String stored) {
    return stored == null ? null : JSON.readTree(stored);
  }

  static String payload(JsonNode payload) {
    return payload == null || payload.isNull() ? null : JSON.writeValueAsString(payload);
  }

  static Map<String, String> variables(String stored) {
    return stored == null ? null : JSON.readValue(stored, new TypeReference<>() {});
  }

  static String variables(Map<String, String> variables) {
    return variables == null ? null : JSON.writeValueAsString(new LinkedHashMap<>(variables));
  }
}
