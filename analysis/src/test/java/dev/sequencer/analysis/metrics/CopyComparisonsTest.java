package dev.sequencer.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sequencer.analysistest.AnalysisIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.StepGeneration;
import dev.sequencer.store.campaign.StepType;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.testing.CampaignBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Generated and template copy compared as two variants, on a hand-computed 2×2 table. */
class CopyComparisonsTest extends AnalysisIntegrationTest {

  @Autowired CopyComparisons comparisons;

  private void sent(Campaign campaign, Lead lead, boolean generated, boolean replied) {
    String id = "msg_cc_" + lead.id();
    jdbc.sql(
            "insert into messages (id, organization_id, campaign_id, lead_pk, step_type, channel,"
                + " idempotency_key, recipient, body_text, status, created_at, sent_at, updated_at)"
                + " values (?, ?, ?, ?, 'hook', 'EMAIL', ?, ?, 'Hi', 'SENT', now(), now(), now())")
        .params(id, campaign.organizationId(), campaign.id(), lead.id(), id, lead.email())
        .update();
    jdbc.sql(
            "insert into lead_generations (lead_pk, step, status, body, attempts)"
                + " values (?, 'hook', ?, 'Hi', 1)")
        .params(lead.id(), generated ? "accepted" : "rejected")
        .update();
    if (replied) {
      jdbc.sql(
              "insert into lead_events (organization_id, campaign_id, lead_pk, event, detail, at)"
                  + " values (?, ?, ?, 'replied', 'interested: yes', now())")
          .params(campaign.organizationId(), campaign.id(), lead.id())
          .update();
    }
  }

  @Test
  void repliesOfGeneratedAndTemplateLeadsAreTestedLikeTwoVariants() {
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .generatedStep(
                        "A",
                        StepType.HOOK,
                        0,
                        "Hi",
                        "Hi {{first_name}}",
                        new StepGeneration(null, null, 80))
                    .build());
    // Generated: 3 of 4 replied. Template (the gate refused theirs): 1 of 6.
    for (int i = 0; i < 10; i++) {
      Lead lead = fixtures().lead(campaign, "cc-" + i, "Lead" + i);
      boolean generated = i < 4;
      sent(campaign, lead, generated, generated ? i < 3 : i == 4);
    }
    // A lead not messaged yet counts for neither.
    fixtures().lead(campaign, "cc-waiting", "Waiting");

    CopyComparison c = comparisons.of(campaign.id());

    assertThat(c.generated()).isEqualTo(new CopyComparison.Group(4, 3, 0.75));
    assertThat(c.template().leads()).isEqualTo(6);
    assertThat(c.template().replied()).isEqualTo(1);
    // Observed [[3, 1], [1, 5]], expected [[1.6, 2.4], [2.4, 3.6]]:
    // 1.96 × (1/1.6 + 2/2.4 + 1/3.6) = 3.40278; P(χ²(1) > 3.40278) = 0.0651.
    assertThat(c.statistic()).isCloseTo(3.40278, within(1e-4));
    assertThat(c.pValue()).isCloseTo(0.0651, within(5e-4));
    assertThat(c.significant()).isFalse();
  }
}
