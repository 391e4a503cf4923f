package dev.sequencer.api.trigger;

import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.store.audience.Condition;
import dev.sequencer.store.trigger.Trigger;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Reads a campaign's {@code trigger} and says which of its fields are wrong. */
public final class TriggerValidator {

  static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern HHMM = Pattern.compile("\\d{2}:\\d{2}");
  static final Set<String> LEAD_FIELDS =
      Set.of(
          "contact_id",
          "email",
          "phone",
          "whatsapp",
          "first_name",
          "last_name",
          "company",
          "title",
          "timezone");
  static final Set<String> OPS = Set.of("eq", "neq", "in", "contains", "exists", "gt", "lt");
  private static final Set<String> FIELDS =
      Set.of("event", "conditions", "delay_minutes", "frequency", "quiet_hours");
  private static final int MAX_CONDITIONS = 50;
  private static final int MAX_DELAY_MINUTES = 366 * 24 * 60;
  private static final int MAX_WINDOW_HOURS = 10 * 366 * 24;

  private TriggerValidator() {}

  /**
   * @param node the {@code trigger} value of a campaign body
   * @return the trigger, or null for {@code null}
   */
  public static Trigger validate(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    List<FieldError> errors = new ArrayList<>();
    if (!node.isObject()) {
      throw InvalidRequestException.of("trigger", "must be an object or null");
    }
    for (String name : node.propertyNames()) {
      if (!FIELDS.contains(name)) {
        errors.add(new FieldError("trigger." + name, "is not a field of a trigger"));
      }
    }
    JsonNode event = node.path("event");
    if (!event.isString() || !EVENT_TYPE.matcher(event.asString()).matches()) {
      errors.add(
          new FieldError(
              "trigger.event",
              "is required: an event type of 1-100 letters, digits or _ . : - such as signed_up"));
    }
    List<Condition> conditions = conditions(node.path("conditions"), errors);
    int delay = 0;
    JsonNode delayNode = node.path("delay_minutes");
    if (!delayNode.isMissingNode() && !delayNode.isNull()) {
      if (!delayNode.isIntegralNumber()
          || delayNode.asLong() < 0
          || delayNode.asLong() > MAX_DELAY_MINUTES) {
        errors.add(
            new FieldError(
                "trigger.delay_minutes",
                "must be a whole number of minutes from 0 to " + MAX_DELAY_MINUTES));
      } else {
        delay = delayNode.asInt();
      }
    }
    Trigger.Frequency frequency = frequency(node.path("frequency"), errors);
    Trigger.QuietHours quietHours = quietHours(node.path("quiet_hours"), errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new Trigger(event.asString(), conditions, delay, frequency, quietHours);
  }

  private static List<Condition> conditions(JsonNode node, List<FieldError> errors) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      errors.add(new FieldError("trigger.conditions", "must be a list of conditions"));
      return List.of();
    }
    if (node.size() > MAX_CONDITIONS) {
      errors.add(
          new FieldError(
              "trigger.conditions", "has " + node.size() + "; at most " + MAX_CONDITIONS));
      return List.of();
    }
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "trigger.conditions[" + i + "]";
      JsonNode c = node.get(i);
      if (!c.isObject()) {
        errors.add(new FieldError(at, "must be an object {field, op, value}"));
        continue;
      }
      int before = errors.size();
      for (String name : c.propertyNames()) {
        if (!Set.of("field", "op", "value").contains(name)) {
          errors.add(new FieldError(at + "." + name, "is not a field of a condition"));
        }
      }
      String field = c.path("field").isString() ? c.path("field").asString() : null;
      if (field == null || !isField(field)) {
        errors.add(
            new FieldError(
                at + ".field",
                "must be tags, properties.<key>, attributes.<key> or a contact field ("
                    + String.join(", ", LEAD_FIELDS.stream().sorted().toList())
                    + ")"));
      }
      String op = c.path("op").isString() ? c.path("op").asString() : null;
      if (op == null || !OPS.contains(op)) {
        errors.add(
            new FieldError(at + ".op", "must be one of eq, neq, in, contains, exists, gt, lt"));
      }
      JsonNode value = c.path("value");
      Object parsed = null;
      if (op != null && OPS.contains(op) && !"exists".equals(op)) {
        if ("in".equals(op)) {
          if (!value.isArray() || value.isEmpty()) {
            errors.add(new FieldError(at + ".value", "must be a non-empty list for in"));
          } else {
            List<Object> values = new ArrayList<>();
            for (JsonNode v : value) {
              if (!isScalar(v)) {
                errors.add(new FieldError(at + ".value", "must list strings, numbers or booleans"));
                break;
              }
              values.add(scalar(v));
            }
            parsed = values;
          }
        } else if (!isScalar(value)) {
          errors.add(new FieldError(at + ".value", "must be a string, number or boolean"));
        } else {
          parsed = scalar(value);
        }
      }
      if (errors.size() == before) {
        conditions.add(new Condition(field, op, parsed));
      }
    }
    return conditions;
  }

  private static boolean isField(String field) {
    if (field.equals("tags") || LEAD_FIELDS.contains(field)) {
      return true;
    }
    for (String prefix : List.of("properties.", "attributes.")) {
      if (field.startsWith(prefix) && KEY.matcher(field.substring(prefix.length())).matches()) {
        return true;
      }
    }
    return false;
  }

  private static boolean isScalar(JsonNode v) {
    return v.isString() || v.isNumber() || v.isBoolean();
  }

  private static Object scalar(JsonNode v) {
    if (v.isString()) {
      return v.asString();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return v.isIntegralNumber() ? (Object) v.asLong() : (Object) v.decimalValue();
  }

  private static Trigger.Frequency frequency(JsonNode node, List<FieldError> errors) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      errors.add(new FieldError("trigger.frequency", "must be {limit, window_hours} or null"));
      return null;
    }
    for (String name : node.propertyNames()) {
      if (!Set.of("limit", "window_hours").contains(name)) {
        errors.add(new FieldError("trigger.frequency." + name, "is not a field of frequency"));
      }
    }
    JsonNode limit = node.path("limit");
    JsonNode window = node.path("window_hours");
    boolean ok = true;
    if (!limit.isIntegralNumber() || limit.asLong() < 1 || limit.asLong() > 1000) {
      errors.add(
          new FieldError("trigger.frequency.limit", "must be a whole number from 1 to 1000"));
      ok = false;
    }
    if (!window.isIntegralNumber() || window.asLong() < 1 || window.asLong() > MAX_WINDOW_HOURS) {
      errors.add(
          new FieldError(
              "trigger.frequency.window_hours",
              "must be a whole number of hours from 1 to " + MAX_WINDOW_HOURS));
      ok = false;
    }
    return ok ? new Trigger.Frequency(limit.asInt(), window.asInt()) : null;
  }

  private static Trigger.QuietHours quietHours(JsonNode node, List<FieldError> errors) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      errors.add(new FieldError("trigger.quiet_hours", "must be {start, end} or null"));
      return null;
    }
    for (String name : node.propertyNames()) {
      if (!Set.of("start", "end").contains(name)) {
        errors.add(new FieldError("trigger.quiet_hours." + name, "is not a field of quiet_hours"));
      }
    }
    LocalTime start = time(node.path("start"), "trigger.quiet_hours.start", errors);
    LocalTime end = time(node.path("end"), "trigger.quiet_hours.end", errors);
    if (start == null || end == null) {
      return null;
    }
    if (start.equals(end)) {
      errors.add(new FieldError("trigger.quiet_hours.end", "must differ from start"));
      return null;
    }
    return new Trigger.QuietHours(node.path("start").asString(), node.path("end").asString());
  }

  private static LocalTime time(JsonNode node, String field, List<FieldError> errors) {
    if (node.isString() && HHMM.matcher(node.asString()).matches()) {
      try {
        return LocalTime.parse(node.asString());
      } catch (DateTimeParseException e) {
        // falls through to the error
      }
    }
    errors.add(new FieldError(field, "must be a local time \"HH:MM\""));
    return null;
  }
}
