package dev.sequencer.store.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.StoreIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SuppressionsTest extends StoreIntegrationTest {

  private static final Instant OPTED_OUT_AT = Instant.parse("2027-03-01T12:00:00Z");
  private static final Instant RESUBSCRIBED_AT = Instant.parse("2027-03-02T08:30:00Z");

  @Autowired Suppressions suppressions;

  private String org;

  @BeforeEach
  void organization() {
    org = fixtures().organization();
  }

  @Test
  void suppressIsRecordedAndAudited() {
    boolean added =
        suppressions.suppress(
            org, "EMAIL", "grace@example.com", "link", "unsubscribe page", OPTED_OUT_AT);
    boolean addedAgain =
        suppressions.suppress(org, "EMAIL", "grace@example.com", "api", null, OPTED_OUT_AT);

    assertThat(added).isTrue();
    assertThat(addedAgain).isFalse();
    assertThat(suppressions.isSuppressed(org, "EMAIL", "grace@example.com")).isTrue();
    Map<String, Object> row =
        jdbc.sql("select * from suppressions where organization_id = ?")
            .param(org)
            .query()
            .singleRow();
    assertThat(row)
        .containsEntry("channel", "EMAIL")
        .containsEntry("address", "grace@example.com")
        .containsEntry("source", "link");
    List<Map<String, Object>> audit = audit();
    assertThat(audit).isNotEmpty();
    assertThat(audit.get(0))
        .containsEntry("action", "opt_out")
        .containsEntry("source", "link")
        .containsEntry("detail", "unsubscribe page")
        .containsEntry("address", "grace@example.com");
    assertThat(((java.sql.Timestamp) audit.get(0).get("at")).toInstant()).isEqualTo(OPTED_OUT_AT);
  }

  @Test
  void suppressionIsPerOrganizationAndChannel() {
    String other = fixtures().organization();
    suppressions.suppress(org, "SMS", "+14155550100", "keyword", "STOP", OPTED_OUT_AT);

    assertThat(suppressions.isSuppressed(org, "SMS", "+14155550100")).isTrue();
    assertThat(suppressions.isSuppressed(org, "EMAIL", "+14155550100")).isFalse();
    assertThat(suppressions.isSuppressed(other, "SMS", "+14155550100")).isFalse();
  }

  @Test
  void resubscribeLiftsTheSuppressionAndIsAudited() {
    suppressions.suppress(org, "EMAIL", "alan@example.com", "reply", null, OPTED_OUT_AT);

    boolean lifted =
        suppressions.resubscribe(
            org, "EMAIL", "alan@example.com", "api", "asked by phone", RESUBSCRIBED_AT);

    assertThat(lifted).isTrue();
    assertThat(suppressions.isSuppressed(org, "EMAIL", "alan@example.com")).isFalse();
    assertThat(audit())
        .extracting(r -> r.get("action") + "/" + r.get("source") + "/" + r.get("detail"))
        .containsExactly("opt_out/reply/null", "resubscribe/api/asked by phone");
    assertThat(
            suppressions.resubscribe(
                org, "EMAIL", "alan@example.com", "api", null, RESUBSCRIBED_AT))
        .isFalse();
    // Suppressed again after a re-subscription.
    assertThat(
            suppressions.suppress(org, "EMAIL", "alan@example.com", "api", null, RESUBSCRIBED_AT))
        .isTrue();
    assertThat(suppressions.isSuppressed(org, "EMAIL", "alan@example.com")).isTrue();
  }

  @Test
  void suppressedAmongAnswersForAWholeBatch() {
    suppressions.suppress(org, "EMAIL", "a@example.com", "api", null, OPTED_OUT_AT);
    suppressions.suppress(org, "EMAIL", "c@example.com", "bounce", "550 5.1.1", OPTED_OUT_AT);
    suppressions.suppress(org, "SMS", "b@example.com", "api", null, OPTED_OUT_AT);

    assertThat(
            suppressions.suppressedAmong(
                org,
                "EMAIL",
                List.of("a@example.com", "b@example.com", "c@example.com", "d@example.com")))
        .containsExactlyInAnyOrder("a@example.com", "c@example.com");
    assertThat(suppressions.suppressedAmong(org, "EMAIL", List.of("d@example.com"))).isEmpty();
    assertThat(suppressions.suppressedAmong(org, "EMAIL", List.of())).isEmpty();
    assertThat(
            suppressions.suppressedAmong(
                fixtures().organization(), "EMAIL", List.of("a@example.com")))
        .isEmpty();
  }

  private List<Map<String, Object>> audit() {
    return jdbc.sql("select * from suppression_audit where organization_id = ? order by id")
        .param(org)
        .query()
        .listOfRows();
  }
}
