package dev.sequencer.api.contact;

import dev.sequencer.store.contact.Contact;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A contact with whether its address and number are suppressed in the organization, and the leads
 * that are it in the organization's campaigns.
 */
record ContactDetail(
    String contactId,
    String email,
    String phone,
    String whatsapp,
    String firstName,
    String lastName,
    String company,
    String title,
    String timezone,
    List<String> tags,
    Map<String, Object> attributes,
    Instant lastContactedAt,
    Instant createdAt,
    Instant updatedAt,
    Suppressed suppressed,
    List<LinkedLead> leads) {

  record Suppressed(boolean email, boolean sms, boolean whatsapp) {}

  record LinkedLead(String campaignId, String leadId, String status) {}

  static ContactDetail of(Contact c, Suppressed suppressed, List<LinkedLead> leads) {
    return new ContactDetail(
        c.contactId(),
        c.email(),
        c.phone(),
        c.whatsapp(),
        c.firstName(),
        c.lastName(),
        c.company(),
        c.title(),
        c.timezone(),
        c.tags(),
        c.attributes(),
        c.lastContactedAt(),
        c.createdAt(),
        c.updatedAt(),
        suppressed,
        leads);
  }
}
