package dev.sequencer.store.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ContactsTest extends StoreIntegrationTest {

  private static final Instant CREATED = Instant.parse("2027-01-04T10:00:00Z");
  private static final Instant UPDATED = Instant.parse("2027-01-05T10:00:00Z");

  @Autowired Contacts contacts;

  private String org;

  @BeforeEach
  void organization() {
    org = fixtures().organization();
  }

  @Test
  void upsertAllInsertsAndReplacesEveryField() {
    contacts.upsertAll(
        org,
        List.of(
            contact("c-1", "a@example.com", List.of("vip", "beta"), Map.of("plan", "pro")),
            contact("c-2", null, List.of(), Map.of())),
        CREATED);
    int written =
        contacts.upsertAll(
            org, List.of(contact("c-1", "b@example.com", List.of("x"), Map.of("n", 3))), UPDATED);

    assertThat(written).isEqualTo(1);
    Contact c1 = contacts.byContactId(org, "c-1").orElseThrow();
    assertThat(c1.email()).isEqualTo("b@example.com");
    assertThat(c1.tags()).containsExactly("x");
    assertThat(c1.attributes()).isEqualTo(Map.of("n", 3));
    assertThat(c1.createdAt()).isEqualTo(CREATED);
    assertThat(c1.updatedAt()).isEqualTo(UPDATED);
    Contact c2 = contacts.byContactId(org, "c-2").orElseThrow();
    assertThat(c2.email()).isNull();
    assertThat(c2.tags()).isEmpty();
    assertThat(contacts.page(org, "x", null, 10, 0))
        .extracting(Contact::contactId)
        .containsExactly("c-1");
    assertThat(contacts.page(org, null, "C-", 10, 0))
        .extracting(Contact::contactId)
        .containsExactly("c-1", "c-2");
    // % is literal in a search.
    assertThat(contacts.count(org, null, "%")).isZero();
  }

  @Test
  void aHundredThousandRowsInBatchesOfAThousand() {
    long start = System.nanoTime();
    for (int batch = 0; batch < 100; batch++) {
      List<Contact> rows = new ArrayList<>(1000);
      for (int i = 0; i < 1000; i++) {
        int n = batch * 1000 + i;
        rows.add(contact("b-" + n, "b" + n + "@example.com", List.of("bulk"), Map.of("n", n)));
      }
      contacts.upsertAll(org, rows, CREATED);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("upserted 100000 contacts in %.1f s: %.0f rows/s%n", seconds, 1e5 / seconds);
    assertThat(contacts.count(org, "bulk", null)).isEqualTo(100_000);
    assertThat(contacts.byContactId(org, "b-99999").orElseThrow().attributes())
        .isEqualTo(Map.of("n", 99999));
  }

  private Contact contact(
      String id, String email, List<String> tags, Map<String, Object> attributes) {
    return new Contact(
        null,
        org,
        id,
        email,
        null,
        "Ada",
        null,
        "Initech",
        null,
        "UTC",
        tags,
        attributes,
        null,
        CREATED,
        UPDATED);
  }
}
