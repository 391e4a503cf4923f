package dev.sequencer.api.lead;

import dev.sequencer.activities.planning.LeadStates;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.content.UsStates;
import dev.sequencer.content.Zones;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validates and normalises one imported lead against its campaign. */
final class LeadValidator {

  private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final int MAX_FIELD = 500;

  /** Attributes a lead may carry, and the length of each value. */
  static final int MAX_ATTRIBUTES = 100;

  static final int MAX_ATTRIBUTE_VALUE = 2_000;

  /** A lead that passed: normalised values, ready to store. */
  record ValidLead(
      String leadId,
      String email,
      String phone,
      String firstName,
      String lastName,
      String company,
      String title,
      String timezone,
      Map<String, Object> attributes) {}

  private LeadValidator() {}

  /**
   * @return the normalised lead, or the errors of the row in {@code errors} and empty
   */
  static Optional<ValidLead> validate(
      LeadRow row, Campaign campaign, List<String> requiredAttributes, List<FieldError> errors) {
    String leadId = row.leadId() == null ? null : row.leadId().trim();
    if (leadId != null && !Ids.ID.matcher(leadId).matches()) {
      errors.add(
          new FieldError(
              "lead_id",
              "must be 1-128 letters, digits or . _ : @ - starting with a letter or digit"));
    }
    String email = blankToNull(row.email());
    if (email != null) {
      try {
        email = EmailAddresses.normalize(email);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("email", "is not a valid email address"));
      }
    } else if (campaign.channel() == Channel.EMAIL) {
      errors.add(new FieldError("email", "is required for an email campaign"));
    }
    String phone = blankToNull(row.phone());
    if (phone != null) {
      try {
        phone = PhoneNumbers.toE164(phone, campaign.schedule().holidayCalendar());
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("phone", "is not a valid phone number: " + e.getMessage()));
        phone = null;
      }
    } else if (campaign.channel() == Channel.SMS) {
      errors.add(new FieldError("phone", "is required for an sms campaign"));
    }
    String timezone = blankToNull(row.timezone());
    if (timezone != null) {
      try {
        timezone = Zones.parse(timezone).getId();
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("timezone", "must be an IANA time zone such as America/Chicago"));
      }
    } else {
      timezone =
          Optional.ofNullable(phone)
              .flatMap(PhoneNumbers::zoneOf)
              .map(ZoneId::getId)
              .orElse(campaign.schedule().timezone());
    }
    text("first_name", row.firstName(), errors);
    text("last_name", row.lastName(), errors);
    text("company", row.company(), errors);
    text("title", row.title(), errors);
    Map<String, Object> attributes = row.attributes() == null ? Map.of() : row.attributes();
    if (attributes.size() > MAX_ATTRIBUTES) {
      errors.add(
          new FieldError("attributes", "has " + attributes.size() + "; at most " + MAX_ATTRIBUTES));
      attributes = Map.of();
    }
    for (var entry : attributes.entrySet()) {
      if (entry.getValue() instanceof String value && value.length() > MAX_ATTRIBUTE_VALUE) {
        errors.add(
            new FieldError(
                "attributes." + entry.getKey(),
                "must be at most " + MAX_ATTRIBUTE_VALUE + " characters"));
      } else if (entry.getValue() instanceof String value && value.indexOf('\u0000') >= 0) {
        errors.add(
            new FieldError("attributes." + entry.getKey(), "must not contain NUL characters"));
      }
      if (!ATTRIBUTE_KEY.matcher(entry.getKey()).matches()) {
        errors.add(new FieldError("attributes." + entry.getKey(), "is not a valid attribute name"));
      } else if (entry.getValue() != null
          && !(entry.getValue() instanceof String
              || entry.getValue() instanceof Number
              || entry.getValue() instanceof Boolean)) {
        errors.add(
            new FieldError("attributes." + entry.getKey(), "must be a string, number or boolean"));
      }
    }
    Object state = attributes.get(LeadStates.ATTRIBUTE);
    if (state != null
        && !(state instanceof String code && (code.isBlank() || UsStates.isCode(code)))) {
      // The state decides the hours its texts may go out in: a typo must not pass for none.
      errors.add(
          new FieldError(
              "attributes." + LeadStates.ATTRIBUTE,
              "must be a US state or territory code such as FL"));
    }
    for (String required : requiredAttributes) {
      Object value = attributes.get(required);
      if (value == null || value.toString().isBlank()) {
        errors.add(
            new FieldError(
                "attributes." + required, "is required: the campaign's templates use it"));
      }
    }
    if (!errors.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ValidLead(
            leadId,
            email,
            phone,
            blankToNull(row.firstName()),
            blankToNull(row.lastName()),
            blankToNull(row.company()),
            blankToNull(row.title()),
            timezone,
            attributes));
  }

  private static void text(String field, String value, List<FieldError> errors) {
    if (value != null && value.length() > MAX_FIELD) {
      errors.add(new FieldError(field, "must be at most " + MAX_FIELD + " characters"));
    } else if (value != null && value.chars().anyMatch(Character::isISOControl)) {
      // Names go into subjects and greetings: a line break there could start a mail header.
      errors.add(new FieldError(field, "must be one line, without control characters"));
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  static List<FieldError> newErrors() {
    return new ArrayList<>();
  }
}
