package dev.sequencer.activities.planning;

import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.content.UsStates;
import dev.sequencer.store.lead.Lead;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The US state whose calling hours an SMS to a lead keeps: the lead's {@code state} attribute (a
 * two-letter code, checked when the lead was imported), else the state of its number's area code.
 * The attribute wins because a number moves with its holder and the area code does not.
 */
public final class LeadStates {

  /** The lead attribute that names the lead's state. */
  public static final String ATTRIBUTE = "state";

  private LeadStates() {}

  /** The lead's state code, upper case; empty when neither the attribute nor the number tells. */
  public static Optional<String> of(Lead lead) {
    return attributeOf(lead.attributes())
        .or(() -> lead.phone() == null ? Optional.empty() : PhoneNumbers.usStateOf(lead.phone()))
        // A lead with only a WhatsApp number keeps that number's state's calling hours.
        .or(
            () ->
                lead.whatsapp() == null
                    ? Optional.empty()
                    : PhoneNumbers.usStateOf(lead.whatsapp()));
  }

  private static Optional<String> attributeOf(String attributes) {
    if (attributes == null || attributes.isBlank()) {
      return Optional.empty();
    }
    JsonNode state = JsonMapper.shared().readTree(attributes).get(ATTRIBUTE);
    return Optional.ofNullable(state)
        .filter(JsonNode::isString)
        .map(JsonNode::asString)
        .filter(UsStates::isCode)
        .map(code -> code.strip().toUpperCase(Locale.ROOT));
  }
}
