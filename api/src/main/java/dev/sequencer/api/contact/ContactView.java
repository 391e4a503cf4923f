package dev.sequencer.api.contact;

import dev.sequencer.store.contact.Contact;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A contact as the API shows it. */
record ContactView(
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
    Instant updatedAt) {

  static ContactView of(Contact c) {
    return new ContactView(
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
        c.updatedAt());
  }
}
