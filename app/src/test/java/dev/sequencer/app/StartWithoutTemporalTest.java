package dev.sequencer.app;

import static dev.sequencer.app.ControlApiTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.concurrency.ChangeLeases;
import dev.sequencer.api.concurrency.ShortTransactions;
import dev.sequencer.api.error.ServiceUnavailableException;
import dev.sequencer.api.sender.SenderOwnership;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignRuns;
import dev.sequencer.store.campaign.CampaignTransitions;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.campaign.CampaignRunInput;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A start that Temporal does not take never leaves a campaign scheduled without its run. */
class StartWithoutTemporalTest {

  private final RunningService service = RunningService.get();

  @Test
  void aStartTemporalDoesNotAnswerLeavesTheCampaignADraftThatStartsLater() throws Exception {
    String campaign = service.createOpenEmailCampaign("Temporal down");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"t-1\", \"email\": \"t1@example.com\"}]");
    WorkflowServiceStubs closedPort =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + RunningService.freePort())
                .build());
    try {
      CampaignService withTemporalDown = campaignService(WorkflowClient.newInstance(closedPort));
      Instant began = Instant.now();
      assertThatThrownBy(() -> withTemporalDown.start(organizationOf(campaign), campaign, null))
          .isInstanceOf(ServiceUnavailableException.class)
          .hasMessageContaining("still a draft");
      // Bounded by the deadline of Temporal calls, not the client's minute of retries.
      assertThat(Duration.between(began, Instant.now())).isLessThan(Duration.ofSeconds(15));
    } finally {
      closedPort.shutdownNow();
    }

    JsonNode draft = service.get("/api/v1/campaigns/" + campaign).json();
    assertThat(draft.get("status").asString()).isEqualTo("draft");
    assertThat(draft.get("start_at").isNull()).isTrue();
    assertThat(draft.get("workflow_id").isNull()).isTrue();
    assertThat(lead(campaign, "t-1").get("status").asString()).isEqualTo("pending");

    var started = service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    await(() -> lead(campaign, "t-1"), l -> l.get("status").asString().equals("active"));
  }

  @Test
  void aRunLeftOverFromAnUnansweredStartEnrolsNothingAndTheNextStartReplacesIt() throws Exception {
    String campaign = service.createOpenEmailCampaign("Left-over run");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"r-1\", \"email\": \"r1@example.com\"}]");
    // As if a start had reached Temporal but its answer had not come back: the run exists, and
    // the campaign went back to draft.
    WorkflowClient client = service.bean(WorkflowClient.class);
    String runId = CampaignRunWorkflow.workflowId(campaign);
    CampaignRunWorkflow leftOver =
        client.newWorkflowStub(
            CampaignRunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(runId)
                .setTaskQueue(TaskQueues.SEQUENCER)
                .build());
    String firstRun =
        WorkflowClient.start(leftOver::run, new CampaignRunInput(campaign, Instant.now(), 0, false))
            .getRunId();
    await(() -> enrolmentsCompleted(client, runId), n -> n >= 1);
    assertThat(lead(campaign, "r-1").get("status").asString()).isEqualTo("pending");

    var started = service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    await(() -> lead(campaign, "r-1"), l -> l.get("status").asString().equals("active"));
    assertThat(
            client
                .getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(
                    io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace("default")
                        .setExecution(
                            io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                                .setWorkflowId(runId)
                                .setRunId(firstRun))
                        .build())
                .getWorkflowExecutionInfo()
                .getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
  }

  private CampaignService campaignService(WorkflowClient workflows) {
    return new CampaignService(
        service.bean(CampaignRepository.class),
        service.bean(CampaignTransitions.class),
        service.bean(CampaignRuns.class),
        service.bean(LeadQueries.class),
        workflows,
        service.bean(JsonMapper.class),
        service.bean(JdbcClient.class),
        service.bean(ChangeLeases.class),
        service.bean(ShortTransactions.class),
        service.bean(SenderOwnership.class),
        service.bean(dev.sequencer.api.audience.CampaignAudienceLinks.class),
        Clock.systemUTC(),
        service.bean(dev.sequencer.store.trigger.CampaignTriggers.class),
        service.bean(dev.sequencer.config.GenerationSettings.class),
        service.bean(dev.sequencer.store.generation.LeadGenerations.class),
        service.bean(dev.sequencer.api.signal.WorkflowSignals.class),
        service.bean(dev.sequencer.store.webhook.WebhookTargets.class));
  }

  private String organizationOf(String campaign) {
    return service
        .bean(JdbcClient.class)
        .sql("select organization_id from campaigns where id = ?")
        .param(campaign)
        .query(String.class)
        .single();
  }

  /** How many enrolPending activities of the run's latest execution have completed. */
  private static long enrolmentsCompleted(WorkflowClient client, String workflowId) {
    List<HistoryEvent> events = client.fetchHistory(workflowId).getHistory().getEventsList();
    List<Long> enrolments =
        events.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
            .filter(
                e ->
                    e.getActivityTaskScheduledEventAttributes()
                        .getActivityType()
                        .getName()
                        .equalsIgnoreCase("enrolPending"))
            .map(HistoryEvent::getEventId)
            .toList();
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
        .filter(
            e ->
                enrolments.contains(
                    e.getActivityTaskCompletedEventAttributes().getScheduledEventId()))
        .count();
  }

  private JsonNode lead(String campaign, String leadId) {
    return service.get("/api/v1/campaigns/" + campaign + "/leads/" + leadId).json();
  }
}
