package dev.sequencer.activities.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.activities.enrolment.EnrolmentHarness.LeadRow;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.LeadWriter;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.campaign.EnrolmentActivities;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A worker that dies in the middle of enrolment: Temporal retries {@code enrolPending}, the retry
 * resumes after the last heartbeated page, and in the end every lead is active with exactly one
 * workflow, none lost and none started twice. The real campaign run workflow and the real enrolment
 * activity run on Temporal's time-skipping test server against the embedded PostgreSQL; the crash
 * is an {@link Error} thrown where the process would have died.
 */
@Timeout(120)
class EnrolmentCrashTest extends ActivitiesIntegrationTest {

  private static final int LEADS = 2_000;

  /** Enrolment's page size: the pages are the units a retry resumes after. */
  private static final int PAGE = 200;

  private String campaignId;

  @AfterEach
  void dropCampaign() {
    if (campaignId != null) {
      jdbc.sql("delete from campaigns where id = ?").param(campaignId).update();
    }
  }

  /** One call of {@code enrolPending}: its attempt and the lead id it resumed after. */
  record Attempt(int attempt, long resumedAfter) {}

  @Test
  void aWorkerDyingAfterSomeStartsOfAPageLosesAndDuplicatesNoLead() {
    List<LeadRow> rows = campaignWithLeads();
    List<Attempt> attempts = new CopyOnWriteArrayList<>();
    // Dies after the 1,111th accepted start: in the sixth page (leads 1,001 to 1,200).
    int crashAfter = 1_111;
    try (EnrolmentHarness temporal =
        new EnrolmentHarness(context, client -> recording(activity(client), attempts))) {
      temporal.starts.crashOnceAfter(crashAfter);
      CampaignRunWorkflow run = temporal.startCampaign(campaignId);
      awaitEnrolment(temporal, run);

      Set<String> crashedPage = workflowIds(rows.subList(5 * PAGE, 6 * PAGE));
      assertThat(temporal.starts.crashed()).isTrue();
      assertThat(temporal.starts.crashedAfterStarting()).isIn(crashedPage);
      // The retry resumed after the five pages the first attempt finished and heartbeated.
      assertThat(attempts)
          .containsExactly(new Attempt(1, 0), new Attempt(2, rows.get(5 * PAGE - 1).id()));
      // Only leads of the page that died were started again, and each such second start was
      // refused: among them the lead whose start was the last thing the dead worker did, before it
      // could mark that lead active.
      assertThat(temporal.starts.refused().keySet())
          .isNotEmpty()
          .isSubsetOf(crashedPage)
          .contains(temporal.starts.crashedAfterStarting());
      assertThat(temporal.starts.refused().values()).extracting(AtomicInteger::get).containsOnly(1);
      assertEveryLeadActiveWithOneWorkflow(temporal);
    }
  }

  @Test
  void aWorkerDyingBetweenStartingAPageAndMarkingItActiveLosesAndDuplicatesNoLead() {
    List<LeadRow> rows = campaignWithLeads();
    List<Attempt> attempts = new CopyOnWriteArrayList<>();
    // Dies when about to mark the third page active, after starting all of that page's workflows.
    AtomicInteger marks = new AtomicInteger();
    AtomicBoolean crashed = new AtomicBoolean();
    LeadWriter dying =
        new LeadWriter(context.getBean(JdbcTemplate.class)) {
          @Override
          public boolean[] enrol(List<Enrolment> enrolments, Instant at) {
            if (marks.incrementAndGet() == 3 && crashed.compareAndSet(false, true)) {
              throw new StartCounter.SimulatedCrash("worker died before marking a page active");
            }
            return super.enrol(enrolments, at);
          }
        };
    try (EnrolmentHarness temporal =
        new EnrolmentHarness(context, client -> recording(activity(client, dying), attempts))) {
      CampaignRunWorkflow run = temporal.startCampaign(campaignId);
      awaitEnrolment(temporal, run);

      assertThat(crashed).isTrue();
      assertThat(attempts)
          .containsExactly(new Attempt(1, 0), new Attempt(2, rows.get(2 * PAGE - 1).id()));
      // The whole third page had been started; the retry's second start of each of its leads was
      // refused as already started, and the retry still marked them active.
      Set<String> thirdPage = workflowIds(rows.subList(2 * PAGE, 3 * PAGE));
      assertThat(temporal.starts.refused().keySet()).isEqualTo(thirdPage);
      assertThat(temporal.starts.refused().values()).extracting(AtomicInteger::get).containsOnly(1);
      assertEveryLeadActiveWithOneWorkflow(temporal);
    }
  }

  private List<LeadRow> campaignWithLeads() {
    Campaign campaign = fixtures().save(CampaignBuilder.email(fixtures().organization()).build());
    campaignId = campaign.id();
    EnrolmentHarness.insertPendingLeads(jdbc, campaign, LEADS);
    return EnrolmentHarness.leadRows(jdbc, campaignId);
  }

  private EnrolmentActivitiesImpl activity(WorkflowClient client, Object... overrides) {
    return EnrolmentHarness.enrolmentActivities(context, client, overrides);
  }

  /** The activity, recording each call of {@code enrolPending} with where it resumed. */
  private static EnrolmentActivities recording(
      EnrolmentActivities activity, List<Attempt> attempts) {
    return (EnrolmentActivities)
        Proxy.newProxyInstance(
            EnrolmentActivities.class.getClassLoader(),
            new Class<?>[] {EnrolmentActivities.class},
            (proxy, method, args) -> {
              if (method.getName().equals("enrolPending")) {
                ActivityExecutionContext context = Activity.getExecutionContext();
                attempts.add(
                    new Attempt(
                        context.getInfo().getAttempt(),
                        context.getHeartbeatDetails(Long.class).orElse(0L)));
              }
              try {
                return method.invoke(activity, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Waits until the retried enrolment has completed and every lead workflow has run. */
  private void awaitEnrolment(EnrolmentHarness temporal, CampaignRunWorkflow run) {
    EnrolmentHarness.await(
        "enrolment to complete", Duration.ofSeconds(60), () -> run.state().enrolled() > 0);
    EnrolmentHarness.await(
        "every lead workflow to run", Duration.ofSeconds(60), () -> temporal.runs.total() >= LEADS);
  }

  private void assertEveryLeadActiveWithOneWorkflow(EnrolmentHarness temporal) {
    List<LeadRow> rows = EnrolmentHarness.leadRows(jdbc, campaignId);
    assertThat(rows).hasSize(LEADS);
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.status()).isEqualTo("ACTIVE");
              assertThat(row.variant()).isEqualTo("A");
              assertThat(row.workflowId()).isEqualTo(workflowId(row));
            });
    Set<String> expected = workflowIds(rows);
    // Each lead's workflow was accepted once and ran once; no other lead workflow exists.
    assertThat(
            temporal.starts.accepted().entrySet().stream()
                .filter(e -> e.getKey().startsWith("lead-"))
                .collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue().get())))
        .hasSize(LEADS)
        .containsOnlyKeys(expected)
        .allSatisfy((id, count) -> assertThat(count).isOne());
    assertThat(temporal.runs.byWorkflowId().keySet()).isEqualTo(expected);
    assertThat(temporal.runs.byWorkflowId().values())
        .extracting(AtomicInteger::get)
        .containsOnly(1);
    assertThat(temporal.runs.total()).isEqualTo(LEADS);
    assertThat(temporal.runs.mismatches()).isEmpty();
    // One "enrolled" entry on each lead's timeline, none twice.
    assertThat(
            jdbc.sql(
                    "select count(*) from lead_events where campaign_id = ? and event = 'enrolled'"
                        + " group by lead_pk having count(*) > 1")
                .param(campaignId)
                .query(Long.class)
                .list())
        .isEmpty();
    assertThat(
            jdbc.sql(
                    "select count(distinct lead_pk) from lead_events where campaign_id = ?"
                        + " and event = 'enrolled'")
                .param(campaignId)
                .query(Long.class)
                .single())
        .isEqualTo(LEADS);
  }

  private String workflowId(LeadRow row) {
    return LeadSequenceWorkflow.workflowId(campaignId, row.leadId());
  }

  private Set<String> workflowIds(List<LeadRow> rows) {
    return rows.stream().map(this::workflowId).collect(Collectors.toSet());
  }
}
