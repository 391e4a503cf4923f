package dev.sequencer.api.lead;

import java.util.Map;

/** One lead as the caller sends it, in a JSON array or a CSV row. */
public record LeadRow(
    String leadId,
    String email,
    String phone,
    String firstName,
    String lastName,
    String company,
    String title,
    String timezone,
    Map<String, Object> attributes,
    String whatsapp) {

  public LeadRow(
      String leadId,
      String email,
      String phone,
      String firstName,
      String lastName,
      String company,
      String title,
      String timezone,
      Map<String, Object> attributes) {
    this(leadId, email, phone, firstName, lastName, company, title, timezone, attributes, null);
  }
}
