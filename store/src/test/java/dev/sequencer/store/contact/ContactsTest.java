package dev.sequencer.store.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ContactsTest extends StoreIntegrationTest {

  private static final Instant MONDAY = Instant.parse("2027-03-01T09:00:00Z");

  @Autowired Contacts contacts;

  @Test
  void anUpsertReplacesTheFieldsOfTheSameContactIdAndKeepsItsKey() {
    String org = fixtures().organization();
    long first =
        contacts
            .upsert(
                List.of(
                    contact(
                        org,
                        "c-1",
                        "ada@example.com",
                        List.of("vip", "beta"),
                        Map.of("plan", "pro"))))
            .get(0);
    long again =
        contacts
            .upsert(
                List.of(
                    contact(
                        org, "c-1", "ada@new.example", List.of("churned"), Map.of("seats", 12))))
            .get(0);

    assertThat(again).isEqualTo(first);
    Contact stored = contacts.byContactId(org, "c-1").orElseThrow();
    assertThat(stored.email()).isEqualTo("ada@new.example");
    assertThat(stored.tags()).containsExactly("churned");
    assertThat(stored.attributes()).containsExactly(Map.entry("seats", 12));
    assertThat(contacts.byEmail(org, "ada@new.example")).map(Contact::pk).contains(first);
    assertThat(contacts.byEmail(fixtures().organization(), "ada@new.example")).isEmpty();
  }

  private static Contact contact(
      String org, String id, String email, List<String> tags, Map<String, Object> attributes) {
    return new Contact(
        null,
        org,
        id,
        email,
        null,
        "Ada",
        "Lovelace",
        "Acme",
        null,
        "Europe/London",
        tags,
        attributes,
        null,
        MONDAY,
        MONDAY);
  }
}
