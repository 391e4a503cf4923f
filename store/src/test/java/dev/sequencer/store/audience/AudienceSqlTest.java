package dev.sequencer.store.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.Contacts;
import dev.sequencer.storetest.StoreIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Audience filters compiled to SQL, against a contact book built by hand: each expected member set
 * is worked out from the table below, not by running another implementation.
 *
 * <pre>
 * id   email / phone        first  company     tags               attributes                        contacted
 * c01  c01@x.test           Ada    Acme        vip, beta          plan=pro seats=12 active=true     never
 * c02  c02@x.test           Bob    Globex      beta               plan=free seats=3                 never
 * c03  +14155550103         -      -           -                  -                                 never
 * c04  c04@x.test           Cy     acme labs   vip                plan="Pro Plus" seats="40"        never
 * c05  c05@x.test           Di     -           churned            plan=null                         2 days ago
 * c06  c06@x.test           Ed     -           vip, churned       seats=100                         30 days ago
 * c07  c07@x.test           Flo    -           beta               seats=2.5                         never
 * c08  c08@x.test           Gus    -           -                  seats="many"                      never
 * c09  c09@x.test           Hal    -           ' or 1=1 --        score="' or 1=1 --"               never
 * c10  c10@x.test           Ida    Initech     vip                plan=pro seats=7                  never
 * </pre>
 *
 * Another organization has a contact that matches every filter; it never shows.
 */
class AudienceSqlTest extends StoreIntegrationTest {

  private static final Instant NOW = Instant.parse("2027-03-10T12:00:00Z");
  private static final String INJECTION = "x'); drop table contacts;--";

  @Autowired Contacts contacts;
  @Autowired AudienceMembers members;

  private String org;

  @BeforeEach
  void contactBook() {
    org = fixtures().organization();
    List<Contact> book = new ArrayList<>();
    book.add(
        contact(
            "c01",
            "c01@x.test",
            null,
            "Ada",
            "Acme",
            tags("vip", "beta"),
            map("plan", "pro", "seats", 12, "active", true)));
    book.add(
        contact(
            "c02",
            "c02@x.test",
            null,
            "Bob",
            "Globex",
            tags("beta"),
            map("plan", "free", "seats", 3)));
    book.add(contact("c03", null, "+14155550103", null, null, tags(), map()));
    book.add(
        contact(
            "c04",
            "c04@x.test",
            null,
            "Cy",
            "acme labs",
            tags("vip"),
            map("plan", "Pro Plus", "seats", "40")));
    book.add(contact("c05", "c05@x.test", null, "Di", null, tags("churned"), map("plan", null)));
    book.add(
        contact("c06", "c06@x.test", null, "Ed", null, tags("vip", "churned"), map("seats", 100)));
    book.add(contact("c07", "c07@x.test", null, "Flo", null, tags("beta"), map("seats", 2.5)));
    book.add(contact("c08", "c08@x.test", null, "Gus", null, tags(), map("seats", "many")));
    book.add(
        contact(
            "c09",
            "c09@x.test",
            null,
            "Hal",
            null,
            tags("' or 1=1 --"),
            map("score", "' or 1=1 --")));
    book.add(
        contact(
            "c10",
            "c10@x.test",
            null,
            "Ida",
            "Initech",
            tags("vip"),
            map("plan", "pro", "seats", 7)));
    contacts.upsert(book);
    contacted("c05", NOW.minus(Duration.ofDays(2)));
    contacted("c06", NOW.minus(Duration.ofDays(30)));
    String other = fixtures().organization();
    contacts.upsert(
        List.of(
            new Contact(
                null,
                other,
                "c01",
                "c01@x.test",
                "+14155550103",
                "Ada",
                null,
                "Acme",
                null,
                null,
                List.of("vip", "beta", "churned"),
                map("plan", "pro", "seats", 12, "active", true),
                null,
                NOW,
                NOW)));
  }

  @Test
  void tagOperators() {
    assertThat(matching(all(c("tags", "eq", "vip")))).containsExactly("c01", "c04", "c06", "c10");
    assertThat(matching(all(c("tags", "contains", "vip"))))
        .containsExactly("c01", "c04", "c06", "c10");
    assertThat(matching(all(c("tags", "neq", "vip"))))
        .containsExactly("c02", "c03", "c05", "c07", "c08", "c09");
    assertThat(matching(all(c("tags", "in", List.of("beta", "churned")))))
        .containsExactly("c01", "c02", "c05", "c06", "c07");
    assertThat(matching(all(c("tags", "exists", null))))
        .containsExactly("c01", "c02", "c04", "c05", "c06", "c07", "c09", "c10");
  }

  @Test
  void attributeOperatorsCompareAsText() {
    assertThat(matching(all(c("attributes.plan", "eq", "pro")))).containsExactly("c01", "c10");
    // neq is true where the attribute is missing or null.
    assertThat(matching(all(c("attributes.plan", "neq", "pro"))))
        .containsExactly("c02", "c03", "c04", "c05", "c06", "c07", "c08", "c09");
    assertThat(matching(all(c("attributes.plan", "in", List.of("free", "Pro Plus")))))
        .containsExactly("c02", "c04");
    assertThat(matching(all(c("attributes.plan", "contains", "PRO"))))
        .containsExactly("c01", "c04", "c10");
    assertThat(matching(all(c("attributes.plan", "exists", null))))
        .containsExactly("c01", "c02", "c04", "c10");
    // A number and a string with the same text are equal; a boolean is its text.
    assertThat(matching(all(c("attributes.seats", "eq", 12)))).containsExactly("c01");
    assertThat(matching(all(c("attributes.seats", "eq", "12")))).containsExactly("c01");
    assertThat(matching(all(c("attributes.seats", "eq", 40)))).containsExactly("c04");
    assertThat(matching(all(c("attributes.seats", "in", List.of(3, "7")))))
        .containsExactly("c02", "c10");
    assertThat(matching(all(c("attributes.active", "eq", true)))).containsExactly("c01");
    assertThat(matching(all(c("attributes.active", "eq", "true")))).containsExactly("c01");
  }

  @Test
  void greaterAndLessCompareNumbersNumericallyAndOtherTextsAsText() {
    // 12, "40" and 100 exceed 10 as numbers; "many" exceeds "10" as text ('m' after '1').
    assertThat(matching(all(c("attributes.seats", "gt", 10))))
        .containsExactly("c01", "c04", "c06", "c08");
    assertThat(matching(all(c("attributes.seats", "lt", 3)))).containsExactly("c07");
    assertThat(matching(all(c("attributes.seats", "lt", 12.5))))
        .containsExactly("c01", "c02", "c07", "c10");
  }

  @Test
  void leadFieldOperators() {
    assertThat(matching(all(c("first_name", "eq", "Ada")))).containsExactly("c01");
    assertThat(matching(all(c("company", "contains", "ACME")))).containsExactly("c01", "c04");
    assertThat(matching(all(c("email", "exists", null))))
        .containsExactly("c01", "c02", "c04", "c05", "c06", "c07", "c08", "c09", "c10");
    assertThat(matching(all(c("phone", "neq", "+14155550103"))))
        .containsExactly("c01", "c02", "c04", "c05", "c06", "c07", "c08", "c09", "c10");
    assertThat(matching(all(c("company", "in", List.of("Globex", "Initech")))))
        .containsExactly("c02", "c10");
    assertThat(matching(all(c("first_name", "lt", 5)))).isEmpty();
    assertThat(matching(all(c("first_name", "gt", 5))))
        .containsExactly("c01", "c02", "c04", "c05", "c06", "c07", "c08", "c09", "c10");
  }

  @Test
  void groupsCombine() {
    assertThat(
            matching(
                new Filter(
                    List.of(c("tags", "in", List.of("vip", "beta"))),
                    List.of(c("attributes.plan", "eq", "pro"), c("attributes.seats", "gt", 50)),
                    List.of(c("tags", "eq", "churned")))))
        .containsExactly("c01", "c10");
    assertThat(
            matching(
                new Filter(
                    null,
                    List.of(c("first_name", "eq", "Bob"), c("first_name", "eq", "Cy")),
                    null)))
        .containsExactly("c02", "c04");
    // none: a condition that is unknown for a contact (no plan) does not exclude it.
    assertThat(matching(new Filter(null, null, List.of(c("attributes.plan", "contains", "pro")))))
        .containsExactly("c02", "c03", "c05", "c06", "c07", "c08", "c09");
    assertThat(matching(new Filter(null, null, null)))
        .containsExactly("c01", "c02", "c03", "c04", "c05", "c06", "c07", "c08", "c09", "c10");
  }

  @Test
  void staticMembersJoinTheFilterAndExclusionsHoldForEveryone() {
    assertThat(
            matching(
                new AudienceDefinition(
                    all(c("tags", "eq", "vip")), List.of("c03", "c05"), List.of("churned"), null)))
        .containsExactly("c01", "c03", "c04", "c10");
    // Static members and no conditions: the list alone.
    assertThat(matching(new AudienceDefinition(null, List.of("c02", "c05", "nobody"), null, null)))
        .containsExactly("c02", "c05");
    assertThat(
            matching(
                new AudienceDefinition(
                    null, List.of("c02", "c05", "c06"), List.of("churned", "vip"), null)))
        .containsExactly("c02");
  }

  @Test
  void notContactedWithinDays() {
    assertThat(matching(new AudienceDefinition(null, null, null, 7)))
        .containsExactly("c01", "c02", "c03", "c04", "c06", "c07", "c08", "c09", "c10");
    assertThat(matching(new AudienceDefinition(null, null, null, 31)))
        .containsExactly("c01", "c02", "c03", "c04", "c07", "c08", "c09", "c10");
  }

  @Test
  void valuesAreBoundSoInjectionsAreJustText() {
    assertThat(matching(all(c("attributes.plan", "eq", "' or 1=1 --")))).isEmpty();
    assertThat(matching(all(c("first_name", "eq", INJECTION)))).isEmpty();
    assertThat(matching(all(c("company", "contains", "%")))).isEmpty();
    assertThat(matching(all(c("attributes.plan", "in", List.of(INJECTION, "') or true --")))))
        .isEmpty();
    // The tag really is that text, so it matches exactly the contact that has it.
    assertThat(matching(all(c("tags", "eq", "' or 1=1 --")))).containsExactly("c09");
    assertThat(matching(all(c("attributes.score", "eq", "' or 1=1 --")))).containsExactly("c09");
    assertThat(matching(new AudienceDefinition(null, List.of(INJECTION), List.of(INJECTION), 1)))
        .isEmpty();
    assertThat(
            jdbc.sql("select count(*) from contacts where organization_id = ?")
                .param(org)
                .query(Long.class)
                .single())
        .isEqualTo(10);
  }

  @Test
  void fieldNamesOutsideTheWhitelistAreRefusedByName() {
    for (String field :
        List.of(
            "attributes.x'); drop table contacts;--",
            "attributes.",
            "attributes.1st",
            "attributes.a b",
            "attributes.a->>'b'",
            "email; drop table contacts",
            "c.id",
            "organization_id",
            "properties.plan",
            "Tags")) {
      InvalidAudienceException refused = refused(all(c(field, "eq", "x")));
      assertThat(refused.field()).as(field).isEqualTo("filter.all[0].field");
    }
    assertThat(
            refused(new Filter(null, null, List.of(c("tags", "eq", "a"), c(null, "eq", "a"))))
                .field())
        .isEqualTo("filter.none[1].field");
    assertThat(
            jdbc.sql("select count(*) from contacts where organization_id = ?")
                .param(org)
                .query(Long.class)
                .single())
        .isEqualTo(10);
  }

  @Test
  void opsAndValueShapesAreChecked() {
    assertThat(refused(all(c("tags", "like", "a"))).field()).isEqualTo("filter.all[0].op");
    assertThat(refused(all(c("tags", "gt", 1))).field()).isEqualTo("filter.all[0].op");
    assertThat(refused(all(c("tags", "eq", 1))).field()).isEqualTo("filter.all[0].value");
    assertThat(refused(all(c("email", "in", "a@x.test"))).field()).isEqualTo("filter.all[0].value");
    assertThat(refused(all(c("email", "in", List.of()))).field()).isEqualTo("filter.all[0].value");
    assertThat(refused(all(c("email", "in", List.of("a", List.of("b"))))).field())
        .isEqualTo("filter.all[0].value[1]");
    assertThat(refused(all(c("email", "exists", "a"))).field()).isEqualTo("filter.all[0].value");
    assertThat(refused(all(c("attributes.seats", "gt", "10"))).field())
        .isEqualTo("filter.all[0].value");
    assertThat(refused(all(c("email", "eq", null))).field()).isEqualTo("filter.all[0].value");
    assertThat(refused(all(c("email", "eq", Map.of("a", 1)))).field())
        .isEqualTo("filter.all[0].value");
    List<Condition> many = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      many.add(c("tags", "eq", "t" + i));
    }
    assertThat(refused(all(many.toArray(Condition[]::new))).field()).isEqualTo("filter");
    assertThat(
            catchThrowableOfType(
                    InvalidAudienceException.class,
                    () -> AudienceSql.check(new AudienceDefinition(null, null, null, 0)))
                .field())
        .isEqualTo("not_contacted_within_days");
    assertThat(
            catchThrowableOfType(
                    InvalidAudienceException.class,
                    () ->
                        AudienceSql.check(
                            new AudienceDefinition(null, null, Arrays.asList("a", " "), null)))
                .field())
        .isEqualTo("excluded_tags[1]");
  }

  private List<String> matching(Filter filter) {
    return matching(new AudienceDefinition(filter, null, null, null));
  }

  private List<String> matching(AudienceDefinition definition) {
    Audience audience = new Audience("aud_test", org, "test", definition, NOW, NOW);
    List<String> ids = members.contactIds(audience, NOW, 500, 0);
    assertThat(members.size(audience, NOW)).isEqualTo(ids.size());
    return ids;
  }

  private static InvalidAudienceException refused(Filter filter) {
    return catchThrowableOfType(
        InvalidAudienceException.class,
        () -> AudienceSql.members("org", new AudienceDefinition(filter, null, null, null), NOW));
  }

  private static Filter all(Condition... conditions) {
    return new Filter(Arrays.asList(conditions), null, null);
  }

  private static Condition c(String field, String op, Object value) {
    return new Condition(field, op, value);
  }

  private static List<String> tags(String... tags) {
    return List.of(tags);
  }

  /** Keys and values in turn; a null value is kept (a JSON null). */
  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private Contact contact(
      String id,
      String email,
      String phone,
      String firstName,
      String company,
      List<String> tags,
      Map<String, Object> attributes) {
    return new Contact(
        null,
        org,
        id,
        email,
        phone,
        firstName,
        null,
        company,
        null,
        null,
        tags,
        attributes,
        null,
        NOW,
        NOW);
  }

  private void contacted(String contactId, Instant at) {
    jdbc.sql(
            "update contacts set last_contacted_at = ? where organization_id = ? and contact_id = ?")
        .params(Timestamp.from(at), org, contactId)
        .update();
  }
}
