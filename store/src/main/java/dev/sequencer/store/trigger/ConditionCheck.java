package dev.sequencer.store.trigger;

import dev.sequencer.store.audience.Condition;
import dev.sequencer.store.contact.Contact;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides a trigger's conditions on an event and its contact, with the same meaning the audiences'
 * SQL gives each operator: for {@code tags}, {@code eq}/{@code contains} = has the tag, {@code neq}
 * = lacks it, {@code in} = has any of the list, {@code exists} = has any tag; for any other field
 * (a lead field of the contact, {@code attributes.<key>}, {@code properties.<key>} of the event),
 * {@code eq}/{@code neq}/{@code in} compare as text, {@code contains} is a case-insensitive
 * substring, {@code gt}/{@code lt} compare numerically when both sides are numbers and else as
 * text, {@code exists} means present and not null; {@code neq} on a missing value holds.
 */
public final class ConditionCheck {

  private ConditionCheck() {}

  /** Whether every condition holds. */
  public static boolean all(
      List<Condition> conditions, Contact contact, Map<String, Object> properties) {
    for (Condition condition : conditions) {
      if (!holds(condition, contact, properties)) {
        return false;
      }
    }
    return true;
  }

  public static boolean holds(
      Condition condition, Contact contact, Map<String, Object> properties) {
    if ("tags".equals(condition.field())) {
      return tags(condition, contact == null ? List.of() : contact.tags());
    }
    return scalar(
        condition.op(), valueOf(condition.field(), contact, properties), condition.value());
  }

  private static boolean tags(Condition condition, List<String> tags) {
    return switch (condition.op()) {
      case "eq", "contains" -> tags.contains(text(condition.value()));
      case "neq" -> !tags.contains(text(condition.value()));
      case "in" -> listOf(condition.value()).stream().anyMatch(v -> tags.contains(text(v)));
      case "exists" -> !tags.isEmpty();
      default -> false;
    };
  }

  static boolean scalar(String op, Object actual, Object expected) {
    if ("exists".equals(op)) {
      return actual != null;
    }
    if (actual == null) {
      return "neq".equals(op);
    }
    String text = text(actual);
    return switch (op) {
      case "eq" -> text.equals(text(expected));
      case "neq" -> !text.equals(text(expected));
      case "in" -> listOf(expected).stream().anyMatch(v -> text.equals(text(v)));
      case "contains" ->
          text.toLowerCase(Locale.ROOT).contains(text(expected).toLowerCase(Locale.ROOT));
      case "gt" -> compare(actual, expected) > 0;
      case "lt" -> compare(actual, expected) < 0;
      default -> false;
    };
  }

  /** Numerically when both are numbers (or numeric text), else as text. */
  private static int compare(Object actual, Object expected) {
    BigDecimal a = number(actual);
    BigDecimal b = number(expected);
    if (a != null && b != null) {
      return a.compareTo(b);
    }
    return text(actual).compareTo(text(expected));
  }

  private static BigDecimal number(Object value) {
    if (value instanceof Boolean || value == null) {
      return null;
    }
    try {
      return new BigDecimal(text(value).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** As PostgreSQL's text of a jsonb scalar: {@code 5}, {@code 2.5}, {@code true}. */
  private static String text(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d)
          ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
          : BigDecimal.valueOf(d).toPlainString();
    }
    return String.valueOf(value);
  }

  private static List<?> listOf(Object value) {
    if (value instanceof Collection<?> values) {
      return List.copyOf(values);
    }
    return value == null ? List.of() : List.of(value);
  }

  /** The field's value on the contact or the event; null when absent. */
  static Object valueOf(String field, Contact contact, Map<String, Object> properties) {
    if (field.startsWith("properties.")) {
      return properties == null ? null : properties.get(field.substring("properties.".length()));
    }
    if (contact == null) {
      return null;
    }
    if (field.startsWith("attributes.")) {
      return contact.attributes().get(field.substring("attributes.".length()));
    }
    return switch (field) {
      case "contact_id" -> contact.contactId();
      case "email" -> contact.email();
      case "phone" -> contact.phone();
      case "whatsapp" -> contact.whatsapp();
      case "first_name" -> contact.firstName();
      case "last_name" -> contact.lastName();
      case "company" -> contact.company();
      case "title" -> contact.title();
      case "timezone" -> contact.timezone();
      default -> null;
    };
  }
}
