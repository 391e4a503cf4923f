package dev.sequencer.api.trigger;

import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.PhoneNumbers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A valid body of {@code POST /events}: the contact named by id, else by normalised email, else by
 * E.164 number.
 *
 * @param occurredAt when it happened; null when the caller did not say
 */
record EventRequest(
    String eventId,
    String contactId,
    String email,
    String phone,
    String type,
    Map<String, Object> properties,
    Instant occurredAt) {

  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,119}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Set<String> FIELDS =
      Set.of("event_id", "contact_id", "email", "phone", "type", "properties", "occurred_at");
  private static final int MAX_PROPERTIES = 50;
  private static final int MAX_VALUE = 1_000;

  static EventRequest of(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw InvalidRequestException.of("body", "must be a JSON object");
    }
    List<FieldError> errors = new ArrayList<>();
    for (String name : body.propertyNames()) {
      if (!FIELDS.contains(name)) {
        errors.add(new FieldError(name, "is not a field of an event"));
      }
    }
    String eventId = text(body, "event_id");
    if (eventId == null || !ID.matcher(eventId).matches()) {
      errors.add(
          new FieldError(
              "event_id",
              "is required: 1-120 letters, digits or . _ : @ - starting with a letter or digit"));
    }
    String contactId = text(body, "contact_id");
    if (contactId != null && !ID.matcher(contactId).matches()) {
      errors.add(
          new FieldError(
              "contact_id", "must be 1-120 letters, digits or . _ : @ - starting with a letter"));
    }
    String email = text(body, "email");
    if (email != null) {
      try {
        email = EmailAddresses.normalize(email);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("email", "is not a valid email address"));
      }
    }
    String phone = text(body, "phone");
    if (phone != null) {
      try {
        phone = PhoneNumbers.toE164(phone, "US");
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("phone", "is not a valid phone number: " + e.getMessage()));
      }
    }
    for (String field : List.of("event_id", "contact_id", "email", "phone", "type")) {
      JsonNode value = body.path(field);
      if (!value.isMissingNode() && !value.isNull() && !value.isString()) {
        errors.add(new FieldError(field, "must be a string"));
      }
    }
    if (contactId == null && email == null && phone == null) {
      errors.add(new FieldError("contact_id", "one of contact_id, email or phone is required"));
    }
    String type = text(body, "type");
    if (type == null || !TriggerValidator.EVENT_TYPE.matcher(type).matches()) {
      errors.add(
          new FieldError(
              "type",
              "is required: an event type of 1-100 letters, digits or _ . : - such as signed_up"));
    }
    Map<String, Object> properties = properties(body.path("properties"), errors);
    Instant occurredAt = null;
    JsonNode occurred = body.path("occurred_at");
    if (!occurred.isMissingNode() && !occurred.isNull()) {
      try {
        occurredAt = Instant.parse(occurred.asString());
      } catch (DateTimeParseException | UnsupportedOperationException e) {
        errors.add(
            new FieldError(
                "occurred_at", "must be an ISO-8601 instant such as 2027-11-24T15:00:00Z"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new EventRequest(eventId, contactId, email, phone, type, properties, occurredAt);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (!value.isString() || value.asString().isBlank()) {
      return null;
    }
    return value.asString().trim();
  }

  private static Map<String, Object> properties(JsonNode node, List<FieldError> errors) {
    Map<String, Object> properties = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return properties;
    }
    if (!node.isObject()) {
      errors.add(new FieldError("properties", "must be an object"));
      return properties;
    }
    if (node.size() > MAX_PROPERTIES) {
      errors.add(
          new FieldError("properties", "has " + node.size() + "; at most " + MAX_PROPERTIES));
      return properties;
    }
    for (var entry : node.properties()) {
      String field = "properties." + entry.getKey();
      JsonNode v = entry.getValue();
      if (!KEY.matcher(entry.getKey()).matches()) {
        errors.add(new FieldError(field, "is not a valid property name"));
      } else if (v.isString()) {
        if (v.asString().length() > MAX_VALUE || v.asString().indexOf('\u0000') >= 0) {
          errors.add(
              new FieldError(field, "must be at most " + MAX_VALUE + " characters, without NUL"));
        }
        properties.put(entry.getKey(), v.asString());
      } else if (v.isIntegralNumber() && v.canConvertToLong()) {
        properties.put(entry.getKey(), v.asLong());
      } else if (v.isNumber()) {
        properties.put(entry.getKey(), v.decimalValue());
      } else if (v.isBoolean()) {
        properties.put(entry.getKey(), v.asBoolean());
      } else if (v.isNull()) {
        properties.put(entry.getKey(), null);
      } else {
        errors.add(new FieldError(field, "must be a string, number, boolean or null"));
      }
    }
    return properties;
  }
}
