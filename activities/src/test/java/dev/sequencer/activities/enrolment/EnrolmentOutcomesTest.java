package dev.sequencer.activities.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.activities.enrolment.EnrolmentHarness.LeadRow;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.LeadEvent;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.campaign.VariantAssignment;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Enrolment's outcome for each kind of lead, over more than one page: a lead without an address and
 * a lead on the suppression list are suppressed, the holdout is kept out, every other lead gets its
 * variant, its workflow and an "enrolled" entry on its timeline; only those get workflows.
 */
@Timeout(60)
class EnrolmentOutcomesTest extends ActivitiesIntegrationTest {

  private static final int LEADS = 450;

  private String campaignId;

  @AfterEach
  void dropCampaign() {
    if (campaignId != null) {
      jdbc.sql("delete from campaigns where id = ?").param(campaignId).update();
    }
  }

  @Test
  void eachLeadIsSuppressedHeldOutOrStartedOnceWithItsVariant() {
    Campaign campaign =
        fixtures()
            .save(
                CampaignBuilder.email(fixtures().organization())
                    .holdoutPercentage(20)
                    .variant("B", 50)
                    .build());
    campaignId = campaign.id();
    EnrolmentHarness.insertPendingLeads(jdbc, campaign, LEADS);
    // One lead in the first page has no address; one in the second and one in the third are on
    // the organization's suppression list.
    jdbc.sql("update leads set email = null where campaign_id = ? and lead_id = 'l7'")
        .param(campaignId)
        .update();
    Suppressions suppressions = context.getBean(Suppressions.class);
    for (String address : List.of("lead250@example.com", "lead401@example.com")) {
      suppressions.suppress(
          campaign.organizationId(), "EMAIL", address, "api", "test", Instant.now());
    }
    Set<String> suppressed = Set.of("l7", "l250", "l401");

    try (EnrolmentHarness temporal =
        new EnrolmentHarness(
            context, client -> EnrolmentHarness.enrolmentActivities(context, client))) {
      CampaignRunWorkflow run = temporal.startCampaign(campaignId);
      EnrolmentHarness.await(
          "enrolment to complete", Duration.ofSeconds(30), () -> run.state().enrolled() > 0);
      assertThat(run.state().enrolled()).isEqualTo(LEADS);

      List<LeadRow> rows = EnrolmentHarness.leadRows(jdbc, campaignId);
      LeadTimeline timeline = context.getBean(LeadTimeline.class);
      LeadSteps steps = context.getBean(LeadSteps.class);
      Set<String> started =
          rows.stream()
              .filter(row -> row.status().equals("ACTIVE"))
              .map(LeadRow::workflowId)
              .collect(Collectors.toSet());
      for (LeadRow row : rows) {
        String variant =
            VariantAssignment.assign(
                campaignId, row.leadId(), 20, List.of(new VariantAssignment.Allocation("B", 50)));
        List<LeadEvent> events = timeline.of(row.id());
        assertThat(events).as(row.leadId()).hasSize(1);
        LeadEvent event = events.get(0);
        if (suppressed.contains(row.leadId())) {
          assertThat(row.status()).isEqualTo("SUPPRESSED");
          assertThat(row.workflowId()).isNull();
          assertThat(event.event()).isEqualTo("suppressed");
          assertThat(steps.of(row.id())).isEmpty();
          assertThat(event.detail())
              .isEqualTo(
                  row.leadId().equals("l7") ? "no email address" : "on the suppression list");
        } else if (variant.equals(VariantAssignment.HOLDOUT)) {
          assertThat(row.status()).isEqualTo("HOLDOUT");
          assertThat(row.variant()).isNull();
          assertThat(row.workflowId()).isNull();
          assertThat(event.event()).isEqualTo("holdout");
          assertThat(event.detail()).isEqualTo("kept out of all messages to measure lift");
        } else {
          String workflowId = LeadSequenceWorkflow.workflowId(campaignId, row.leadId());
          assertThat(row.status()).isEqualTo("ACTIVE");
          assertThat(row.variant()).isEqualTo(variant);
          assertThat(row.workflowId()).isEqualTo(workflowId);
          assertThat(event.event()).isEqualTo("enrolled");
          assertThat(event.detail()).isEqualTo("variant " + variant + ", workflow " + workflowId);
          // Planned by enrolment itself (these lead workflows are stand-ins that plan nothing).
          assertThat(steps.of(row.id()))
              .as(row.leadId())
              .hasSize(campaign.stepsOf(variant).size())
              .allSatisfy(
                  step -> {
                    assertThat(step.status()).isEqualTo("scheduled");
                    assertThat(step.scheduledAt()).isNotNull();
                  });
        }
      }
      Map<String, Long> byStatus =
          rows.stream().collect(Collectors.groupingBy(LeadRow::status, Collectors.counting()));
      assertThat(byStatus.get("SUPPRESSED")).isEqualTo(3);
      assertThat(byStatus.get("HOLDOUT")).isPositive();
      assertThat(rows.stream().map(LeadRow::variant).filter("B"::equals)).isNotEmpty();
      assertThat(rows.stream().map(LeadRow::variant).filter("A"::equals)).isNotEmpty();

      // Workflows for the active leads only, each started and run once.
      EnrolmentHarness.await(
          "the lead workflows to run",
          Duration.ofSeconds(30),
          () -> temporal.runs.total() >= started.size());
      assertThat(temporal.runs.byWorkflowId().keySet()).isEqualTo(started);
      assertThat(temporal.runs.byWorkflowId().values())
          .extracting(AtomicInteger::get)
          .containsOnly(1);
      assertThat(temporal.starts.refusedTotal()).isZero();
    }
  }
}
