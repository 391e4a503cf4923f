package dev.sequencer.store.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** An entry kept only as the address's hash (an erased person's) suppresses the address. */
class ErasedSuppressionsTest extends StoreIntegrationTest {

  private static final Instant AT = Instant.parse("2027-03-01T12:00:00Z");

  @Autowired Suppressions suppressions;

  private String org;

  @BeforeEach
  void organization() {
    org = fixtures().organization();
  }

  @Test
  void theHashIsTheSharedRule() {
    // Computed independently: printf grace@example.com | sha256sum
    String expected = "sha256:b533d4547eaa5a0fa955965a1ca393ccd2ea013032a105726f232eb41bddc4fa";
    assertThat(SuppressionHash.of("grace@example.com")).isEqualTo(expected);
    assertThat(sqlHash("grace@example.com")).isEqualTo(expected);
  }

  @Test
  void aHashedEntrySuppressesTheAddressInEveryCheck() {
    insertHashed("EMAIL", "erased@example.com");
    suppressions.suppress(org, "EMAIL", "plain@example.com", "api", null, AT);

    assertThat(suppressions.isSuppressed(org, "EMAIL", "erased@example.com")).isTrue();
    assertThat(suppressions.isSuppressed(org, "SMS", "erased@example.com")).isFalse();
    assertThat(suppressions.isSuppressed(org, "EMAIL", "other@example.com")).isFalse();
    assertThat(
            suppressions.suppressedAmong(
                org,
                "EMAIL",
                List.of("erased@example.com", "plain@example.com", "other@example.com")))
        .isEqualTo(Set.of("erased@example.com", "plain@example.com"));
    // Another organization's erased entry is not this one's.
    assertThat(suppressions.isSuppressed(fixtures().organization(), "EMAIL", "erased@example.com"))
        .isFalse();
  }

  @Test
  void aResubscriptionLiftsTheErasedEntryToo() {
    insertHashed("SMS", "+14155550123");
    assertThat(suppressions.resubscribe(org, "SMS", "+14155550123", "api", null, AT)).isTrue();
    assertThat(suppressions.isSuppressed(org, "SMS", "+14155550123")).isFalse();
  }

  private void insertHashed(String channel, String address) {
    jdbc.sql(
            "insert into suppressions (organization_id, channel, address, source, created_at)"
                + " values (?, ?, 'sha256:' || encode(sha256(convert_to(?, 'UTF8')), 'hex'),"
                + " 'link', now())")
        .params(org, channel, address)
        .update();
  }

  private String sqlHash(String address) {
    return jdbc.sql("select 'sha256:' || encode(sha256(convert_to(?, 'UTF8')), 'hex')")
        .param(address)
        .query(String.class)
        .single();
  }
}
