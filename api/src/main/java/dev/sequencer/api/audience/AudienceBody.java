package dev.sequencer.api.audience;

import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.store.audience.AudienceDefinition;
import dev.sequencer.store.audience.AudienceSql;
import dev.sequencer.store.audience.Condition;
import dev.sequencer.store.audience.Filter;
import dev.sequencer.store.audience.InvalidAudienceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the body of {@code POST /audiences} field by field, so every refusal names the field as the
 * caller wrote it ({@code filter.any[1].value}), and checks the definition compiles.
 */
final class AudienceBody {

  static final int MAX_NAME = 200;

  private static final Set<String> FIELDS =
      Set.of("name", "filter", "static_members", "excluded_tags", "not_contacted_within_days");
  private static final Set<String> GROUPS = Set.of("all", "any", "none");
  private static final Set<String> CONDITION_FIELDS = Set.of("field", "op", "value");

  private AudienceBody() {}

  record Parsed(String name, AudienceDefinition definition) {}

  static Parsed parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw InvalidRequestException.of("body", "must be a JSON object");
    }
    for (String field : body.propertyNames()) {
      if (!FIELDS.contains(field)) {
        throw InvalidRequestException.of(field, "is not an audience field");
      }
    }
    AudienceDefinition definition =
        new AudienceDefinition(
            filter(body.get("filter")),
            texts("static_members", body.get("static_members")),
            texts("excluded_tags", body.get("excluded_tags")),
            days(body.get("not_contacted_within_days")));
    try {
      AudienceSql.check(definition);
    } catch (InvalidAudienceException e) {
      throw InvalidRequestException.of(e.field(), e.reason());
    }
    return new Parsed(name(body.get("name")), definition);
  }

  private static String name(JsonNode node) {
    if (node == null || node.isNull()) {
      throw InvalidRequestException.of("name", "is required");
    }
    if (!node.isString() || node.asString().isBlank()) {
      throw InvalidRequestException.of("name", "must be a non-empty string");
    }
    String name = node.asString();
    if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
      throw InvalidRequestException.of(
          "name", "must be one line of at most " + MAX_NAME + " characters");
    }
    return name.strip();
  }

  private static Filter filter(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw InvalidRequestException.of("filter", "must be an object {all, any, none}");
    }
    for (String group : node.propertyNames()) {
      if (!GROUPS.contains(group)) {
        throw InvalidRequestException.of("filter." + group, "is not a group: all, any or none");
      }
    }
    return new Filter(
        group("filter.all", node.get("all")),
        group("filter.any", node.get("any")),
        group("filter.none", node.get("none")));
  }

  private static List<Condition> group(String field, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw InvalidRequestException.of(field, "must be a list of conditions");
    }
    if (node.size() > AudienceSql.MAX_CONDITIONS) {
      throw InvalidRequestException.of(
          "filter", "may have at most " + AudienceSql.MAX_CONDITIONS + " conditions in all");
    }
    List<Condition> conditions = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      conditions.add(condition(field + "[" + i + "]", node.get(i)));
    }
    return conditions;
  }

  private static Condition condition(String at, JsonNode node) {
    if (!node.isObject()) {
      throw InvalidRequestException.of(at, "must be a condition {field, op, value}");
    }
    for (String name : node.propertyNames()) {
      if (!CONDITION_FIELDS.contains(name)) {
        throw InvalidRequestException.of(at + "." + name, "is not a condition field");
      }
    }
    return new Condition(
        string(at + ".field", node.get("field")),
        string(at + ".op", node.get("op")),
        value(node.get("value")));
  }

  private static String string(String field, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw InvalidRequestException.of(field, "must be a string");
    }
    return node.asString();
  }

  /** As Java values: strings, numbers, booleans, lists; an object stays one, to be refused. */
  private static Object value(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isString()) {
      return node.asString();
    }
    if (node.isNumber()) {
      return node.isIntegralNumber() ? node.bigIntegerValue() : node.decimalValue();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(value(item)));
      return list;
    }
    Map<String, Object> object = new LinkedHashMap<>();
    node.properties().forEach(p -> object.put(p.getKey(), value(p.getValue())));
    return object;
  }

  private static List<String> texts(String field, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw InvalidRequestException.of(field, "must be a list of strings");
    }
    List<String> texts = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isString()) {
        throw InvalidRequestException.of(field + "[" + i + "]", "must be a string");
      }
      texts.add(node.get(i).asString());
    }
    return texts;
  }

  private static Integer days(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw InvalidRequestException.of(
          "not_contacted_within_days", "must be a whole number of days");
    }
    return node.intValue();
  }
}
