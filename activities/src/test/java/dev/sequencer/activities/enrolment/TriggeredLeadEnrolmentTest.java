package dev.sequencer.activities.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.store.trigger.CampaignTriggers;
import dev.sequencer.store.trigger.Trigger;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lead a trigger enrolled whose sequence could not be started at once waits pending; the
 * campaign's enrolment then starts it from its own start (event time plus delay), not from the
 * moment enrolment runs. And a triggered campaign never completes by itself.
 */
@Timeout(60)
class TriggeredLeadEnrolmentTest extends ActivitiesIntegrationTest {

  /** Far ahead, so it cannot be "now" whatever the date the test runs on. */
  private static final Instant EVENT_START = Instant.parse("2031-05-06T14:25:00Z");

  private String campaignId;

  @AfterEach
  void dropCampaign() {
    if (campaignId != null) {
      jdbc.sql("delete from campaigns where id = ?").param(campaignId).update();
    }
  }

  @Test
  void aPendingTriggeredLeadStartsFromItsOwnStart() {
    Campaign campaign = fixtures().save(CampaignBuilder.email(fixtures().organization()).build());
    campaignId = campaign.id();
    context
        .getBean(CampaignTriggers.class)
        .save(
            campaignId,
            campaign.organizationId(),
            new Trigger("signed_up", List.of(), 0, null, null));
    EnrolmentHarness.insertPendingLeads(jdbc, campaign, 2);
    long contact =
        jdbc.sql(
                "insert into contacts (organization_id, contact_id, created_at, updated_at)"
                    + " values (?, 'trig-1', now(), now()) returning id")
            .param(campaign.organizationId())
            .query(Long.class)
            .single();
    long triggered = leadPk("l1");
    jdbc.sql(
            "insert into trigger_enrolments (campaign_id, contact_pk, lead_pk, enrolled_at,"
                + " start_at) values (?, ?, ?, ?, ?)")
        .params(
            campaignId,
            contact,
            triggered,
            Timestamp.from(EVENT_START),
            Timestamp.from(EVENT_START))
        .update();

    try (EnrolmentHarness temporal =
        new EnrolmentHarness(
            context, client -> EnrolmentHarness.enrolmentActivities(context, client))) {
      CampaignRunWorkflow run = temporal.startCampaign(campaignId);
      EnrolmentHarness.await(
          "enrolment to complete", Duration.ofSeconds(30), () -> run.state().enrolled() == 2);
    }
    LeadSteps steps = context.getBean(LeadSteps.class);
    // Every day is a business day and the whole day the window: the hook is planned at the start.
    assertThat(steps.of(triggered).get(0).scheduledAt()).isEqualTo(EVENT_START);
    // The other lead starts with the run, on the test server's clock.
    assertThat(steps.of(leadPk("l2")).get(0).scheduledAt()).isNotEqualTo(EVENT_START);

    // Every lead of the campaign is done; a triggered campaign still does not complete.
    jdbc.sql("update leads set status = 'COMPLETED' where campaign_id = ?")
        .param(campaignId)
        .update();
    jdbc.sql("update campaigns set status = 'RUNNING' where id = ?").param(campaignId).update();
    EnrolmentActivitiesImpl activities = context.getBean(EnrolmentActivitiesImpl.class);
    assertThat(activities.completeIfDone(campaignId)).isFalse();
    context.getBean(CampaignTriggers.class).delete(campaignId);
    assertThat(activities.completeIfDone(campaignId)).isTrue();
  }

  private long leadPk(String leadId) {
    return jdbc.sql("select id from leads where campaign_id = ? and lead_id = ?")
        .params(campaignId, leadId)
        .query(Long.class)
        .single();
  }
}
