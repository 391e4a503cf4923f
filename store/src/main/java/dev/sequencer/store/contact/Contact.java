package dev.sequencer.store.contact;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A contact of an organization's contact book.
 *
 * @param pk the row's key, null before it is stored
 * @param contactId the caller's id, unique in the organization
 * @param attributes string, number or boolean values by key
 * @param lastContactedAt when a campaign last sent to the contact, or null
 * @param whatsapp the contact's WhatsApp number (E.164), or null
 */
public record Contact(
    Long pk,
    String organizationId,
    String contactId,
    String email,
    String phone,
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
    String whatsapp) {

  public Contact(
      Long pk,
      String organizationId,
      String contactId,
      String email,
      String phone,
      String firstName,
      String lastName,
      String company,
      String title,
      String timezone,
      List<String> tags,
      Map<String, Object> attributes,
      Instant lastContactedAt,
      Instant createdAt,
      Instant updatedAt) {
    this(
        pk,
        organizationId,
        contactId,
        email,
        phone,
        firstName,
        lastName,
        company,
        title,
        timezone,
        tags,
        attributes,
        lastContactedAt,
        createdAt,
        updatedAt,
        null);
  }

  public Contact {
    tags = tags == null ? List.of() : List.copyOf(tags);
    attributes = attributes == null ? Map.of() : attributes;
  }
}
