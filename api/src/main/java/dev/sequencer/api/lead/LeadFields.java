package dev.sequencer.api.lead;

import dev.sequencer.activities.planning.LeadStates;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.content.UsStates;
import dev.sequencer.content.Zones;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of a person's fields wherever they are imported (leads of a campaign, contacts of the
 * contact book): each check adds its errors to the row's list and returns the normalised value.
 */
public final class LeadFields {

  private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final int MAX_FIELD = 500;

  /** Attributes a row may carry, and the length of each value. */
  public static final int MAX_ATTRIBUTES = 100;

  public static final int MAX_ATTRIBUTE_VALUE = 2_000;

  private LeadFields() {}

  /**
   * @return the normalised address, or null when there is none (or it is not valid: then with an
   *     error)
   */
  public static String email(String raw, List<FieldError> errors) {
    String email = blankToNull(raw);
    if (email == null) {
      return null;
    }
    try {
      return EmailAddresses.normalize(email);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("email", "is not a valid email address"));
      return null;
    }
  }

  /**
   * @param region the ISO country a number without a country code belongs to
   * @return the number in E.164, or null when there is none (or it is not valid: then with an
   *     error)
   */
  public static String phone(String raw, String region, List<FieldError> errors) {
    return phone("phone", raw, region, errors);
  }

  /** A number in field {@code field} (phone, whatsapp) as E.164, like {@link #phone}. */
  public static String phone(String field, String raw, String region, List<FieldError> errors) {
    String phone = blankToNull(raw);
    if (phone == null) {
      return null;
    }
    try {
      return PhoneNumbers.toE164(phone, region);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(field, "is not a valid phone number: " + e.getMessage()));
      return null;
    }
  }

  /**
   * @param phone the row's valid E.164 number or null: its zone when the row names none
   * @param fallback the zone when neither gives one (may be null)
   * @return the IANA zone id
   */
  public static String timezone(
      String raw, String phone, String fallback, List<FieldError> errors) {
    String timezone = blankToNull(raw);
    if (timezone != null) {
      try {
        return Zones.parse(timezone).getId();
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("timezone", "must be an IANA time zone such as America/Chicago"));
        return null;
      }
    }
    return Optional.ofNullable(phone)
        .flatMap(PhoneNumbers::zoneOf)
        .map(ZoneId::getId)
        .orElse(fallback);
  }

  /** A one-line text field (a name, company, title); returns it trimmed, or null when blank. */
  public static String text(String field, String value, List<FieldError> errors) {
    if (value != null && value.length() > MAX_FIELD) {
      errors.add(new FieldError(field, "must be at most " + MAX_FIELD + " characters"));
    } else if (value != null && value.chars().anyMatch(Character::isISOControl)) {
      // Names go into subjects and greetings: a line break there could start a mail header.
      errors.add(new FieldError(field, "must be one line, without control characters"));
    }
    return blankToNull(value);
  }

  /** Checks the attributes' count, names and values; returns them (empty for none). */
  public static Map<String, Object> attributes(Map<String, Object> raw, List<FieldError> errors) {
    Map<String, Object> attributes = raw == null ? Map.of() : raw;
    if (attributes.size() > MAX_ATTRIBUTES) {
      errors.add(
          new FieldError("attributes", "has " + attributes.size() + "; at most " + MAX_ATTRIBUTES));
      return Map.of();
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
    return attributes;
  }

  public static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
