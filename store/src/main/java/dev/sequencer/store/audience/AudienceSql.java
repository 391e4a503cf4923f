package dev.sequencer.store.audience;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compiles an audience's definition to a WHERE clause over {@code contacts c} and its bound
 * parameters. Nothing the caller wrote is ever part of the SQL text: a field is one of a fixed set
 * of columns, or {@code attributes.<key>} whose key is itself a bound parameter ({@code
 * c.attributes ->> ?}) and must be a plain identifier besides; every value is a parameter.
 *
 * <p>The semantics of each operator are {@link Condition}'s. Equality on an attribute is written as
 * {@code c.attributes @> ?::jsonb} (for the value as a string, and as a number or boolean when its
 * text is one), so the GIN index on attributes serves it, and rechecked as text.
 */
public final class AudienceSql {

  public static final int MAX_CONDITIONS = 50;
  public static final int MAX_IN_VALUES = 100;
  public static final int MAX_STATIC_MEMBERS = 10_000;
  public static final int MAX_EXCLUDED_TAGS = 100;
  public static final int MAX_DAYS = 3_650;
  public static final int MAX_VALUE_LENGTH = 1_000;

  /** A key of {@code attributes.<key>}: a plain identifier, so no key can carry anything else. */
  public static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  /**
   * The text of a number, for gt/lt; written without {@code ?} so no driver takes it for a
   * placeholder.
   */
  public static final String NUMBER = "^-{0,1}[0-9]+([.][0-9]+){0,1}([eE][-+]{0,1}[0-9]+){0,1}$";

  public static final Set<String> OPS = Set.of("eq", "neq", "in", "contains", "exists", "gt", "lt");

  /** The lead fields a condition may name, and their columns: the only names that reach SQL. */
  private static final Map<String, String> COLUMNS =
      Map.of(
          "email", "c.email",
          "phone", "c.phone",
          "whatsapp", "c.whatsapp",
          "first_name", "c.first_name",
          "last_name", "c.last_name",
          "company", "c.company",
          "title", "c.title",
          "timezone", "c.timezone");

  private static final JsonMapper JSON = JsonMapper.shared();

  private AudienceSql() {}

  /** A WHERE clause and its parameters, in order. */
  public record Clause(String sql, List<Object> params) {}

  /**
   * The members of the organization's audience, as of {@code now} (for "not contacted within").
   *
   * @throws InvalidAudienceException naming the first part that cannot be compiled
   */
  public static Clause members(String organizationId, AudienceDefinition definition, Instant now) {
    check(definition);
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("c.organization_id = ?");
    params.add(organizationId);
    String[] statics = definition.staticMembers().toArray(String[]::new);
    if (definition.filtersContacts()) {
      String filter = filter(definition.filter(), params);
      if (statics.length > 0) {
        sql.append(" and ((").append(filter).append(") or c.contact_id = any(?::text[]))");
        params.add(statics);
      } else if (!"true".equals(filter)) {
        sql.append(" and (").append(filter).append(')');
      }
    } else {
      sql.append(" and c.contact_id = any(?::text[])");
      params.add(statics);
    }
    if (!definition.excludedTags().isEmpty()) {
      sql.append(" and not (c.tags && ?::text[])");
      params.add(definition.excludedTags().toArray(String[]::new));
    }
    if (definition.notContactedWithinDays() != null) {
      sql.append(" and (c.last_contacted_at is null or c.last_contacted_at < ?)");
      params.add(Timestamp.from(now.minus(Duration.ofDays(definition.notContactedWithinDays()))));
    }
    return new Clause(sql.toString(), params);
  }

  /**
   * Checks every part of the definition: fields, operators, the shape of values, the caps.
   *
   * @throws InvalidAudienceException naming the first part that is wrong
   */
  public static void check(AudienceDefinition definition) {
    if (definition.filterConditions() > MAX_CONDITIONS) {
      throw new InvalidAudienceException(
          "filter", "may have at most " + MAX_CONDITIONS + " conditions in all");
    }
    checkGroup("filter.all", definition.filter().all());
    checkGroup("filter.any", definition.filter().any());
    checkGroup("filter.none", definition.filter().none());
    if (definition.staticMembers().size() > MAX_STATIC_MEMBERS) {
      throw new InvalidAudienceException(
          "static_members", "may name at most " + MAX_STATIC_MEMBERS + " contacts");
    }
    checkTexts("static_members", definition.staticMembers(), 128);
    if (definition.excludedTags().size() > MAX_EXCLUDED_TAGS) {
      throw new InvalidAudienceException(
          "excluded_tags", "may name at most " + MAX_EXCLUDED_TAGS + " tags");
    }
    checkTexts("excluded_tags", definition.excludedTags(), 100);
    Integer days = definition.notContactedWithinDays();
    if (days != null && (days < 1 || days > MAX_DAYS)) {
      throw new InvalidAudienceException(
          "not_contacted_within_days", "must be between 1 and " + MAX_DAYS);
    }
  }

  private static void checkTexts(String field, List<String> texts, int maxLength) {
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null || text.isBlank() || text.length() > maxLength) {
        throw new InvalidAudienceException(
            field + "[" + i + "]", "must be a text of 1 to " + maxLength + " characters");
      }
    }
  }

  private static void checkGroup(String group, List<Condition> conditions) {
    for (int i = 0; i < conditions.size(); i++) {
      checkCondition(group + "[" + i + "]", conditions.get(i));
    }
  }

  private static void checkCondition(String at, Condition condition) {
    if (condition == null) {
      throw new InvalidAudienceException(at, "must be a condition {field, op, value}");
    }
    String field = condition.field();
    if (field == null) {
      throw new InvalidAudienceException(at + ".field", "is required");
    }
    boolean tags = field.equals("tags");
    if (!tags && !COLUMNS.containsKey(field) && attributeKey(field) == null) {
      throw new InvalidAudienceException(
          at + ".field",
          "must be tags, attributes.<key> (a key of letters, digits and _ not starting with a"
              + " digit, at most 64) or one of "
              + String.join(", ", COLUMNS.keySet().stream().sorted().toList()));
    }
    String op = condition.op();
    if (op == null || !OPS.contains(op)) {
      throw new InvalidAudienceException(
          at + ".op", "must be one of eq, neq, in, contains, exists, gt, lt");
    }
    Object value = condition.value();
    String valueField = at + ".value";
    switch (op) {
      case "exists" -> {
        if (value != null) {
          throw new InvalidAudienceException(valueField, "must be absent for exists");
        }
      }
      case "in" -> {
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > MAX_IN_VALUES) {
          throw new InvalidAudienceException(
              valueField, "must be a list of 1 to " + MAX_IN_VALUES + " values for in");
        }
        for (int i = 0; i < list.size(); i++) {
          checkScalar(valueField + "[" + i + "]", list.get(i), tags);
        }
      }
      case "gt", "lt" -> {
        if (tags) {
          throw new InvalidAudienceException(at + ".op", "tags take eq, neq, in, contains, exists");
        }
        if (!(value instanceof Number)) {
          throw new InvalidAudienceException(valueField, "must be a number for " + op);
        }
      }
      default -> checkScalar(valueField, value, tags);
    }
  }

  private static void checkScalar(String field, Object value, boolean tag) {
    if (tag ? !(value instanceof String) : !isScalar(value)) {
      throw new InvalidAudienceException(
          field, tag ? "must be a tag (a string)" : "must be a string, number or boolean");
    }
    if (text(value).length() > MAX_VALUE_LENGTH) {
      throw new InvalidAudienceException(
          field, "must be at most " + MAX_VALUE_LENGTH + " characters");
    }
  }

  private static boolean isScalar(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean;
  }

  /** The key of {@code attributes.<key>}, or null when the field is not one. */
  static String attributeKey(String field) {
    if (!field.startsWith("attributes.")) {
      return null;
    }
    String key = field.substring("attributes.".length());
    return ATTRIBUTE_KEY.matcher(key).matches() ? key : null;
  }

  /**
   * A value as text, as PostgreSQL's {@code ->>} writes a JSON value: strings as they are, {@code
   * true}/{@code false}, numbers in plain decimal notation.
   */
  public static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Number n) {
      return new BigDecimal(n.toString()).toPlainString();
    }
    return String.valueOf(value);
  }

  private static String filter(Filter filter, List<Object> params) {
    List<String> parts = new ArrayList<>(3);
    if (!filter.all().isEmpty()) {
      parts.add(joined(filter.all(), " and ", params));
    }
    if (!filter.any().isEmpty()) {
      parts.add(joined(filter.any(), " or ", params));
    }
    if (!filter.none().isEmpty()) {
      // A condition may be null (unknown) in SQL: "none" means not known to match.
      parts.add("not coalesce(" + joined(filter.none(), " or ", params) + ", false)");
    }
    return parts.isEmpty() ? "true" : String.join(" and ", parts);
  }

  private static String joined(List<Condition> conditions, String by, List<Object> params) {
    List<String> sql = new ArrayList<>(conditions.size());
    for (Condition condition : conditions) {
      sql.add(condition(condition, params));
    }
    return "(" + String.join(by, sql) + ")";
  }

  private static String condition(Condition c, List<Object> params) {
    if (c.field().equals("tags")) {
      return tagCondition(c, params);
    }
    String key = attributeKey(c.field());
    // A column's name comes from the fixed map, never from the request.
    Operand x = key == null ? new Operand(COLUMNS.get(c.field()), List.of()) : attribute(key);
    return switch (c.op()) {
      case "eq" ->
          key == null
              ? x.bind(params) + " = ?" + param(params, text(c.value()))
              : attributeEquals(key, c.value(), params);
      case "neq" -> x.bind(params) + " is distinct from ?" + param(params, text(c.value()));
      case "in" ->
          x.bind(params)
              + " = any(?::text[])"
              + param(
                  params,
                  ((List<?>) c.value()).stream().map(AudienceSql::text).toArray(String[]::new));
      case "contains" ->
          "strpos(lower(" + x.bind(params) + "), lower(?)) > 0" + param(params, text(c.value()));
      case "exists" -> x.bind(params) + " is not null";
      case "gt", "lt" ->
          key == null
              ? compare(x, c.op().equals("gt") ? ">" : "<", c.value(), params)
              : compareAttribute(key, x, c.op().equals("gt") ? ">" : "<", c.value(), params);
      default -> throw new IllegalStateException("checked before: " + c.op());
    };
  }

  /**
   * As {@link #compare}, with a JSON number compared at once: the pattern match, costly over a
   * million rows, is left for strings (and booleans, compared as text).
   */
  private static String compareAttribute(
      String key, Operand x, String operator, Object value, List<Object> params) {
    String sql =
        "(case when jsonb_typeof(c.attributes -> ?) = 'number' then (c.attributes ->> ?)::numeric "
            + operator
            + " ? else "
            + compare(
                x, operator, value, paramsAfter(params, key, key, new BigDecimal(text(value))))
            + " end)";
    return sql;
  }

  /** Adds the parameters in order; returns the list, for a call whose SQL follows them. */
  private static List<Object> paramsAfter(List<Object> params, Object... values) {
    params.addAll(List.of(values));
    return params;
  }

  /**
   * Numerically when the stored text is a number (the value always is), else as text in code point
   * order (collation "C"), as a comparison of Java strings would.
   */
  private static String compare(Operand x, String operator, Object value, List<Object> params) {
    StringBuilder sql = new StringBuilder("(case when ");
    sql.append(x.bind(params)).append(" ~ '").append(NUMBER).append("' then ");
    sql.append(x.bind(params)).append("::numeric ").append(operator).append(" ?");
    params.add(new BigDecimal(text(value)));
    sql.append(" else ").append(x.bind(params)).append(" collate \"C\" ").append(operator);
    sql.append(" ? end)");
    params.add(text(value));
    return sql.toString();
  }

  /**
   * Containment for the GIN index (the value as a JSON string, and as the number or boolean its
   * text spells), then the text comparison that defines eq.
   */
  private static String attributeEquals(String key, Object value, List<Object> params) {
    String text = text(value);
    Set<String> candidates = new LinkedHashSet<>();
    candidates.add(JSON.writeValueAsString(Map.of(key, text)));
    if (text.matches(NUMBER.substring(1, NUMBER.length() - 1))) {
      candidates.add(JSON.writeValueAsString(Map.of(key, new BigDecimal(text))));
    } else if (text.equals("true") || text.equals("false")) {
      candidates.add(JSON.writeValueAsString(Map.of(key, Boolean.parseBoolean(text))));
    }
    List<String> contains = new ArrayList<>();
    for (String candidate : candidates) {
      contains.add("c.attributes @> ?::jsonb");
      params.add(candidate);
    }
    if (candidates.size() == 1 || !text.matches(NUMBER.substring(1, NUMBER.length() - 1))) {
      // Containment of a JSON string or boolean is already text equality; of a number, it is
      // numeric (5 contains 5.0), hence the text recheck for numbers only.
      return "(" + String.join(" or ", contains) + ")";
    }
    params.add(key);
    params.add(text);
    return "((" + String.join(" or ", contains) + ") and c.attributes ->> ? = ?)";
  }

  private static String tagCondition(Condition c, List<Object> params) {
    return switch (c.op()) {
      case "eq", "contains" -> "c.tags @> ?::text[]" + param(params, tag(c.value()));
      case "neq" -> "not (c.tags @> ?::text[])" + param(params, tag(c.value()));
      case "in" -> {
        params.add(((List<?>) c.value()).stream().map(String.class::cast).toArray(String[]::new));
        yield "c.tags && ?::text[]";
      }
      case "exists" -> "cardinality(c.tags) > 0";
      default -> throw new IllegalStateException("checked before: " + c.op());
    };
  }

  private static String[] tag(Object value) {
    return new String[] {(String) value};
  }

  /** Adds the parameter; returns "" so it reads in line with the SQL it belongs to. */
  private static String param(List<Object> params, Object value) {
    params.add(value);
    return "";
  }

  /** A column, or an attribute's text whose key is bound each time it is written. */
  private record Operand(String sql, List<Object> keyParams) {

    String bind(List<Object> params) {
      params.addAll(keyParams);
      return sql;
    }
  }

  private static Operand attribute(String key) {
    return new Operand("(c.attributes ->> ?)", List.of(key));
  }
}
