package dev.sequencer.api.contact;

import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.lead.LeadFields;
import dev.sequencer.store.contact.Contact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Validates and normalises one imported contact: the lead fields' rules, plus its id and tags. */
final class ContactValidator {

  /**
   * The country of a number written without a country code, as a campaign's default holiday
   * calendar: the contact book has no schedule of its own to say otherwise.
   */
  static final String PHONE_REGION = "US";

  static final int MAX_TAGS = 100;
  static final int MAX_TAG = 100;

  private ContactValidator() {}

  /**
   * @return the contact, or the row's errors in {@code errors} and empty
   */
  static Optional<Contact> validate(
      ContactRow row, String organizationId, Instant at, List<FieldError> errors) {
    String contactId = row.contactId() == null ? null : row.contactId().trim();
    if (contactId == null || contactId.isEmpty()) {
      errors.add(new FieldError("contact_id", "is required"));
    } else if (!Ids.ID.matcher(contactId).matches()) {
      errors.add(
          new FieldError(
              "contact_id",
              "must be 1-128 letters, digits or . _ : @ - starting with a letter or digit"));
    }
    String email = LeadFields.email(row.email(), errors);
    String phone = LeadFields.phone(row.phone(), PHONE_REGION, errors);
    String whatsapp = LeadFields.phone("whatsapp", row.whatsapp(), PHONE_REGION, errors);
    if (LeadFields.blankToNull(row.email()) == null
        && LeadFields.blankToNull(row.phone()) == null
        && LeadFields.blankToNull(row.whatsapp()) == null) {
      errors.add(new FieldError("email", "a contact needs an email, a phone or a whatsapp number"));
    }
    String timezone =
        LeadFields.timezone(row.timezone(), phone != null ? phone : whatsapp, null, errors);
    String firstName = LeadFields.text("first_name", row.firstName(), errors);
    String lastName = LeadFields.text("last_name", row.lastName(), errors);
    String company = LeadFields.text("company", row.company(), errors);
    String title = LeadFields.text("title", row.title(), errors);
    Map<String, Object> attributes = LeadFields.attributes(row.attributes(), errors);
    List<String> tags = tags(row.tags(), errors);
    if (!errors.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Contact(
            null,
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
            null,
            at,
            at,
            whatsapp));
  }

  /** Trimmed, without blanks and repeats, in the caller's order. */
  private static List<String> tags(List<String> raw, List<FieldError> errors) {
    if (raw == null) {
      return List.of();
    }
    Set<String> tags = new LinkedHashSet<>();
    for (String tag : raw) {
      if (tag == null || tag.isBlank()) {
        continue;
      }
      String trimmed = tag.trim();
      if (trimmed.length() > MAX_TAG) {
        errors.add(new FieldError("tags", "each tag must be at most " + MAX_TAG + " characters"));
        return List.of();
      }
      if (trimmed.chars().anyMatch(Character::isISOControl)) {
        errors.add(new FieldError("tags", "a tag must be one line, without control characters"));
        return List.of();
      }
      tags.add(trimmed);
    }
    if (tags.size() > MAX_TAGS) {
      errors.add(new FieldError("tags", "has " + tags.size() + "; at most " + MAX_TAGS));
      return List.of();
    }
    return new ArrayList<>(tags);
  }

  static List<FieldError> newErrors() {
    return new ArrayList<>();
  }
}
