package dev.sequencer.store.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.audience.Condition;
import dev.sequencer.store.contact.Contact;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operators' meaning, written out case by case (the audiences' SQL means the same). */
class ConditionCheckTest {

  private static final Instant T = Instant.parse("2027-03-01T00:00:00Z");

  private static final Contact GRACE =
      new Contact(
          1L,
          "org",
          "c-1",
          "grace@example.com",
          null,
          "Grace",
          "Hopper",
          "Navy",
          null,
          "America/New_York",
          List.of("vip", "beta"),
          Map.of("plan", "pro", "seats", 12, "city", "Arlington"),
          null,
          T,
          T);

  private static final Contact BARE =
      new Contact(
          2L, "org", "c-2", null, null, null, null, null, null, null, null, null, null, T, T);

  private static Map<String, Object> properties() {
    Map<String, Object> p = new HashMap<>();
    p.put("amount", 250);
    p.put("price", new BigDecimal("9.5"));
    p.put("source", "Google Ads");
    p.put("trial", true);
    p.put("missing_value", null);
    return p;
  }

  private static boolean holds(Contact contact, String field, String op, Object value) {
    return ConditionCheck.holds(new Condition(field, op, value), contact, properties());
  }

  @Test
  void tags() {
    assertThat(holds(GRACE, "tags", "eq", "vip")).isTrue();
    assertThat(holds(GRACE, "tags", "eq", "churned")).isFalse();
    assertThat(holds(GRACE, "tags", "contains", "beta")).isTrue();
    assertThat(holds(GRACE, "tags", "contains", "bet")).isFalse(); // a tag, not a substring
    assertThat(holds(GRACE, "tags", "neq", "churned")).isTrue();
    assertThat(holds(GRACE, "tags", "neq", "vip")).isFalse();
    assertThat(holds(GRACE, "tags", "in", List.of("x", "beta"))).isTrue();
    assertThat(holds(GRACE, "tags", "in", List.of("x", "y"))).isFalse();
    assertThat(holds(GRACE, "tags", "exists", null)).isTrue();
    assertThat(holds(BARE, "tags", "exists", null)).isFalse();
    assertThat(holds(BARE, "tags", "neq", "vip")).isTrue();
  }

  @Test
  void scalarFieldsCompareAsText() {
    assertThat(holds(GRACE, "company", "eq", "Navy")).isTrue();
    assertThat(holds(GRACE, "company", "eq", "navy")).isFalse();
    assertThat(holds(GRACE, "company", "neq", "Army")).isTrue();
    assertThat(holds(GRACE, "company", "neq", "Navy")).isFalse();
    assertThat(holds(GRACE, "attributes.plan", "in", List.of("pro", "team"))).isTrue();
    assertThat(holds(GRACE, "attributes.plan", "in", List.of("free"))).isFalse();
    assertThat(holds(GRACE, "attributes.seats", "eq", "12")).isTrue();
    assertThat(holds(GRACE, "attributes.seats", "eq", 12)).isTrue();
    assertThat(holds(GRACE, "properties.amount", "in", List.of(100, 250))).isTrue();
    assertThat(holds(GRACE, "properties.trial", "eq", true)).isTrue();
    assertThat(holds(GRACE, "properties.trial", "eq", "true")).isTrue();
  }

  @Test
  void containsIsACaseInsensitiveSubstring() {
    assertThat(holds(GRACE, "properties.source", "contains", "google")).isTrue();
    assertThat(holds(GRACE, "properties.source", "contains", "ADS")).isTrue();
    assertThat(holds(GRACE, "properties.source", "contains", "bing")).isFalse();
    assertThat(holds(GRACE, "email", "contains", "@EXAMPLE.com")).isTrue();
  }

  @Test
  void greaterAndLessAreNumericForNumbersElseText() {
    assertThat(holds(GRACE, "properties.amount", "gt", 100)).isTrue();
    // As text "250" < "99"; as numbers it is greater.
    assertThat(holds(GRACE, "properties.amount", "gt", 99)).isTrue();
    assertThat(holds(GRACE, "properties.amount", "lt", 99)).isFalse();
    assertThat(holds(GRACE, "properties.price", "lt", 10)).isTrue();
    assertThat(holds(GRACE, "properties.price", "gt", new BigDecimal("9.49"))).isTrue();
    assertThat(holds(GRACE, "attributes.seats", "gt", "9")).isTrue(); // numeric text is a number
    // Text: "Arlington" < "Boston" < "arlington".
    assertThat(holds(GRACE, "attributes.city", "lt", "Boston")).isTrue();
    assertThat(holds(GRACE, "attributes.city", "gt", "Boston")).isFalse();
    assertThat(holds(GRACE, "attributes.city", "lt", "arlington")).isTrue();
    assertThat(holds(GRACE, "properties.amount", "gt", 250)).isFalse();
    assertThat(holds(GRACE, "properties.amount", "lt", 250)).isFalse();
  }

  @Test
  void missingAndNullValues() {
    for (String field :
        List.of("title", "attributes.none", "properties.none", "properties.missing_value")) {
      assertThat(holds(GRACE, field, "exists", null)).as(field).isFalse();
      assertThat(holds(GRACE, field, "neq", "x")).as(field).isTrue();
      assertThat(holds(GRACE, field, "eq", "x")).as(field).isFalse();
      assertThat(holds(GRACE, field, "in", List.of("x"))).as(field).isFalse();
      assertThat(holds(GRACE, field, "contains", "x")).as(field).isFalse();
      assertThat(holds(GRACE, field, "gt", 0)).as(field).isFalse();
      assertThat(holds(GRACE, field, "lt", 0)).as(field).isFalse();
    }
    assertThat(holds(GRACE, "properties.amount", "exists", null)).isTrue();
    assertThat(holds(GRACE, "properties.trial", "exists", null)).isTrue();
    assertThat(holds(BARE, "email", "exists", null)).isFalse();
  }

  @Test
  void allNeedsEveryCondition() {
    List<Condition> both =
        List.of(new Condition("tags", "eq", "vip"), new Condition("properties.amount", "gt", 200));
    assertThat(ConditionCheck.all(both, GRACE, properties())).isTrue();
    assertThat(ConditionCheck.all(both, BARE, properties())).isFalse();
    assertThat(ConditionCheck.all(List.of(), BARE, Map.of())).isTrue();
  }

  @Test
  void quietHoursMoveAStartToTheirEnd() {
    Trigger.QuietHours overnight = new Trigger.QuietHours("21:00", "08:00");
    java.time.ZoneId ny = java.time.ZoneId.of("America/New_York");
    // 2027-03-01 is a Monday; New York is at UTC-5 then.
    // 21:30 local (02:30Z next day) -> 08:00 local the next day (13:00Z).
    assertThat(overnight.firstAllowed(Instant.parse("2027-03-02T02:30:00Z"), ny))
        .isEqualTo(Instant.parse("2027-03-02T13:00:00Z"));
    // 03:00 local (08:00Z) -> 08:00 local the same day (13:00Z).
    assertThat(overnight.firstAllowed(Instant.parse("2027-03-02T08:00:00Z"), ny))
        .isEqualTo(Instant.parse("2027-03-02T13:00:00Z"));
    // 20:59 local stays; 08:00 local stays (end exclusive).
    assertThat(overnight.firstAllowed(Instant.parse("2027-03-02T01:59:00Z"), ny))
        .isEqualTo(Instant.parse("2027-03-02T01:59:00Z"));
    assertThat(overnight.firstAllowed(Instant.parse("2027-03-02T13:00:00Z"), ny))
        .isEqualTo(Instant.parse("2027-03-02T13:00:00Z"));
    // Within one day: 12:00-13:00 UTC, 12:30 -> 13:00.
    Trigger.QuietHours lunch = new Trigger.QuietHours("12:00", "13:00");
    assertThat(lunch.firstAllowed(Instant.parse("2027-03-02T12:30:00Z"), java.time.ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2027-03-02T13:00:00Z"));
    assertThat(lunch.firstAllowed(Instant.parse("2027-03-02T11:59:00Z"), java.time.ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2027-03-02T11:59:00Z"));
  }
}
