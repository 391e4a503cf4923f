package dev.sequencer.app;

import static dev.sequencer.app.CampaignApiTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.LeadState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Pause, resume, cancel and opt-out through the API, against the running service. */
class ControlApiTest {

  private final RunningService service = RunningService.get();

  @Test
  void aFutureCampaignShowsEachLeadsPlanAtOnceAndCanBePausedResumedAndCancelled() throws Exception {
    String campaign = service.createOpenEmailCampaign("Future");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"f-1\", \"email\": \"f1@example.com\"}, {\"lead_id\": \"f-2\", \"email\": \"f2@example.com\"}]");
    Instant startAt = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    var started =
        service.post(
            "/api/v1/campaigns/" + campaign + "/start", "{\"start_at\": \"" + startAt + "\"}");
    assertThat(started.status()).isEqualTo(202);
    assertThat(started.json().get("status").asString()).isEqualTo("scheduled");

    // Enrolment stores the plan just before it marks the lead active.
    JsonNode lead =
        await(
            () -> lead(campaign, "f-1"),
            l -> l.get("steps").size() == 3 && "active".equals(l.get("status").asString()));
    assertThat(Instant.parse(lead.get("steps").get(0).get("scheduled_at").asString()))
        .isEqualTo(startAt);
    assertThat(Instant.parse(lead.get("steps").get(1).get("scheduled_at").asString()))
        .isEqualTo(startAt.plus(3, ChronoUnit.DAYS));

    // Moved to a later start before it began: the plan follows.
    Instant later = startAt.plus(1, ChronoUnit.DAYS);
    var moved =
        service.post(
            "/api/v1/campaigns/" + campaign + "/start", "{\"start_at\": \"" + later + "\"}");
    assertThat(moved.status()).isEqualTo(202);
    assertThat(moved.json().get("start_at").asString()).isEqualTo(later.toString());
    await(
        () -> lead(campaign, "f-1"),
        l -> Instant.parse(l.get("steps").get(0).get("scheduled_at").asString()).equals(later));
    CampaignApiTest.assertInvalid(
        service.post(
            "/api/v1/campaigns/" + campaign + "/start",
            "{\"start_at\": \"" + Instant.now().minus(1, ChronoUnit.HOURS) + "\"}"),
        "start_at");

    // One lead paused and resumed by support.
    var paused = service.post("/api/v1/campaigns/" + campaign + "/leads/f-1/pause", "{}");
    assertThat(paused.status()).isEqualTo(202);
    assertThat(lead(campaign, "f-1").get("status").asString()).isEqualTo("paused");
    LeadSequenceWorkflow workflow =
        service
            .bean(WorkflowClient.class)
            .newWorkflowStub(LeadSequenceWorkflow.class, "lead-" + campaign + "-f-1");
    await(() -> workflow.state().status(), LeadState.PAUSED::equals);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/leads/f-1/resume", "{}").status())
        .isEqualTo(202);
    assertThat(lead(campaign, "f-1").get("status").asString()).isEqualTo("active");
    await(() -> workflow.state().status(), LeadState.ACTIVE::equals);
    assertThat(lead(campaign, "f-1").get("timeline").toString()).contains("paused", "resumed");

    // The whole campaign paused and resumed: every lead shows it at once, in the store that each
    // send checks; the workflows learn it when a step falls due.
    var pausedCampaign = service.post("/api/v1/campaigns/" + campaign + "/pause", "{}");
    assertThat(pausedCampaign.json().get("status").asString()).isEqualTo("paused");
    assertThat(lead(campaign, "f-1").get("status").asString()).isEqualTo("paused");
    assertThat(lead(campaign, "f-1").get("timeline").toString()).contains("campaign paused");
    var resumed = service.post("/api/v1/campaigns/" + campaign + "/resume", "{}");
    assertThat(resumed.json().get("status").asString()).isEqualTo("scheduled");
    assertThat(lead(campaign, "f-1").get("status").asString()).isEqualTo("active");
    assertThat(lead(campaign, "f-1").get("timeline").toString()).contains("campaign resumed");
    assertThat(workflow.state().status()).isEqualTo(LeadState.ACTIVE);

    // Cancelled: every lead ends, and so does every workflow.
    var cancelled =
        service.post("/api/v1/campaigns/" + campaign + "/cancel", "{\"reason\": \"wrong list\"}");
    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
    assertThat(lead(campaign, "f-2").get("status").asString()).isEqualTo("cancelled");
    await(
        () -> status("lead-" + campaign + "-f-2"),
        s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    await(
        () -> status("campaign-" + campaign),
        s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    JsonNode ended =
        await(
            () -> lead(campaign, "f-2"),
            l -> l.get("steps").get(0).get("status").asString().equals("cancelled"));
    assertThat(ended.get("steps").get(0).get("reason").asString()).isEqualTo("cancelled");
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/resume", "{}").status())
        .isEqualTo(409);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/leads/f-1/resume", "{}").status())
        .isEqualTo(409);
  }

  @Test
  void aLeadPausedBySupportStaysPausedThroughACampaignPauseAndResume() throws Exception {
    String campaign = service.createOpenEmailCampaign("Support pause");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"p-1\", \"email\": \"p1@example.com\"},"
            + " {\"lead_id\": \"p-2\", \"email\": \"p2@example.com\"}]");
    Instant startAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    service.post("/api/v1/campaigns/" + campaign + "/start", "{\"start_at\": \"" + startAt + "\"}");
    WorkflowClient client = service.bean(WorkflowClient.class);
    LeadSequenceWorkflow supportPaused =
        client.newWorkflowStub(LeadSequenceWorkflow.class, "lead-" + campaign + "-p-1");
    LeadSequenceWorkflow other =
        client.newWorkflowStub(LeadSequenceWorkflow.class, "lead-" + campaign + "-p-2");
    await(() -> lead(campaign, "p-2"), l -> l.get("steps").size() == 3);
    await(() -> lead(campaign, "p-1"), l -> l.get("steps").size() == 3);

    assertThat(service.post("/api/v1/campaigns/" + campaign + "/leads/p-1/pause", "{}").status())
        .isEqualTo(202);
    await(() -> supportPaused.state().status(), LeadState.PAUSED::equals);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/pause", "{}").status())
        .isEqualTo(202);
    assertThat(lead(campaign, "p-2").get("status").asString()).isEqualTo("paused");
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/resume", "{}").status())
        .isEqualTo(202);
    assertThat(lead(campaign, "p-1").get("status").asString()).isEqualTo("paused");
    assertThat(lead(campaign, "p-2").get("status").asString()).isEqualTo("active");
    assertThat(supportPaused.state().status()).isEqualTo(LeadState.PAUSED);
    assertThat(other.state().status()).isEqualTo(LeadState.ACTIVE);

    // Paused with its campaign, then by support: the campaign's resume leaves it paused too.
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/pause", "{}").status())
        .isEqualTo(202);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/leads/p-2/pause", "{}").status())
        .isEqualTo(202);
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/resume", "{}").status())
        .isEqualTo(202);
    assertThat(lead(campaign, "p-2").get("status").asString()).isEqualTo("paused");
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/leads/p-2/resume", "{}").status())
        .isEqualTo(202);
    assertThat(lead(campaign, "p-2").get("status").asString()).isEqualTo("active");

    // Its own resume is what resumes it.
    assertThat(service.post("/api/v1/campaigns/" + campaign + "/leads/p-1/resume", "{}").status())
        .isEqualTo(202);
    await(() -> supportPaused.state().status(), LeadState.ACTIVE::equals);
    assertThat(lead(campaign, "p-1").get("status").asString()).isEqualTo("active");
  }

  @Test
  void anOptOutStopsEverySequenceOfTheAddressAndIsAudited() throws Exception {
    String first = service.createOpenEmailCampaign("Opt-out A");
    String second = service.createOpenEmailCampaign("Opt-out B");
    for (String campaign : new String[] {first, second}) {
      service.post(
          "/api/v1/campaigns/" + campaign + "/leads",
          "[{\"lead_id\": \"o-1\", \"email\": \"leave.me@example.com\"}]");
    }
    // One after the other: started together, either hook could go first and the frequency cap
    // would hold the other.
    service.post("/api/v1/campaigns/" + first + "/start", "{}");
    await(
        () -> lead(first, "o-1"),
        l ->
            l.get("steps").size() == 3
                && "sent".equals(l.get("steps").get(0).get("status").asString()));
    service.post("/api/v1/campaigns/" + second + "/start", "{}");
    await(() -> lead(second, "o-1"), l -> l.get("steps").size() == 3);

    var optOut = service.post("/api/v1/opt-outs", "{\"email\": \"Leave.Me@Example.com\"}");
    assertThat(optOut.status()).isEqualTo(202);
    assertThat(optOut.json().get("stopped_sequences").asInt()).isEqualTo(2);
    assertThat(lead(first, "o-1").get("status").asString()).isEqualTo("opted_out");
    assertThat(lead(second, "o-1").get("status").asString()).isEqualTo("opted_out");
    await(
        () -> status("lead-" + first + "-o-1"),
        s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    JsonNode stopped =
        await(
            () -> lead(first, "o-1"),
            l -> "skipped".equals(l.get("steps").get(1).get("status").asString()));
    assertThat(stopped.get("steps").get(1).get("reason").asString()).isEqualTo("opted_out");

    // A lead enrolled later with the same address is suppressed.
    String third = service.createOpenEmailCampaign("Opt-out C");
    service.post(
        "/api/v1/campaigns/" + third + "/leads",
        "[{\"lead_id\": \"o-1\", \"email\": \"leave.me@example.com\"}]");
    assertThat(lead(third, "o-1").get("status").asString()).isEqualTo("suppressed");

    var resubscribed =
        service.send(
            service
                .request("/api/v1/opt-outs", RunningService.KEY)
                .header("Content-Type", "application/json")
                .method(
                    "DELETE",
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"email\": \"leave.me@example.com\"}")));
    assertThat(resubscribed.status()).isEqualTo(202);
    assertThat(resubscribed.json().get("was_suppressed").asBoolean()).isTrue();
    long audit =
        service
            .bean(JdbcClient.class)
            .sql("select count(*) from suppression_audit where address = 'leave.me@example.com'")
            .query(Long.class)
            .single();
    assertThat(audit).isEqualTo(2);

    assertInvalid(service.post("/api/v1/opt-outs", "{}"), "email");
    assertInvalid(service.post("/api/v1/opt-outs", "{\"phone\": \"12\"}"), "phone");
  }

  @Test
  void previewRendersEachStepForALead() {
    String campaign = service.createOpenEmailCampaign("Preview");
    var preview =
        service.post(
            "/api/v1/campaigns/" + campaign + "/preview",
            "{\"lead\": {\"email\": \"p@example.com\", \"first_name\": \"Pia\", \"company\": \"Acme\"}}");
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    JsonNode steps = preview.json().get("steps");
    assertThat(steps.get(0).get("subject").asString()).isEqualTo("Quick idea for Acme");
    assertThat(steps.get(0).get("body").asString()).isEqualTo("Hi Pia,\nAn idea for Acme.");
    assertThat(steps.get(2).get("body").asString()).isEqualTo("Last call Pia");
    assertInvalid(
        service.post(
            "/api/v1/campaigns/" + campaign + "/preview", "{\"lead\": {\"email\": \"nope\"}}"),
        "lead.email");
    assertInvalid(
        service.post(
            "/api/v1/campaigns/" + campaign + "/preview",
            "{\"lead\": {\"email\": \"p@example.com\"}, \"variant\": \"Z\"}"),
        "variant");
  }

  @Test
  void thePreviewIsWhatIsSentFooterIncluded() throws Exception {
    String campaign = service.createOpenEmailCampaign("Preview as sent");
    String lead =
        "{\"email\": \"pia@example.com\", \"first_name\": \"Pia\", \"company\": \"Acme\"}";
    JsonNode hook =
        service
            .post("/api/v1/campaigns/" + campaign + "/preview", "{\"lead\": " + lead + "}")
            .json()
            .get("steps")
            .get(0);
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"pia\", \"email\": \"pia@example.com\", \"first_name\": \"Pia\","
            + " \"company\": \"Acme\"}]");
    service.post("/api/v1/campaigns/" + campaign + "/start", "{}");
    JsonNode sent =
        await(
                () -> service.get("/api/v1/campaigns/" + campaign + "/leads/pia").json(),
                l -> l.get("messages") != null && l.get("messages").size() > 0)
            .get("messages")
            .get(0);

    // The same text, footer and all; only the lead's own token differs from the placeholder.
    assertThat(hook.get("text").asString())
        .endsWith("/unsubscribe/{the lead's unsubscribe token}\n")
        .startsWith("Hi Pia,\nAn idea for Acme.\n\n--\nUnsubscribe: ");
    assertThat(sent.get("body").asString().replaceAll("/unsubscribe/\\S+", "/unsubscribe/T"))
        .isEqualTo(hook.get("text").asString().replaceAll("/unsubscribe/.+", "/unsubscribe/T"));
    assertThat(sent.get("subject").asString()).isEqualTo(hook.get("subject").asString());
    assertThat(hook.get("html").asString())
        .contains("<p>Hi Pia,<br>An idea for Acme.</p>")
        .contains(">Unsubscribe</a>");
  }

  @Test
  void thePreviewRefusesALeadWithoutAnAttributeTheTemplatesNeed() {
    var created =
        service.post(
            "/api/v1/campaigns",
            "{\"name\": \"Needs city\", \"channel\": \"email\", \"sender\": {\"email\":"
                + " \"ada@acme.test\"}, \"template_attributes\": [\"city\"], \"steps\": [{\"type\":"
                + " \"hook\", \"day\": 0, \"subject\": \"In {{city}}\", \"body\": \"Hi\"}]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String campaign = created.json().get("campaign_id").asString();

    assertInvalid(
        service.post(
            "/api/v1/campaigns/" + campaign + "/preview",
            "{\"lead\": {\"email\": \"p@example.com\"}}"),
        "lead.attributes.city");
    var withCity =
        service.post(
            "/api/v1/campaigns/" + campaign + "/preview",
            "{\"lead\": {\"email\": \"p@example.com\", \"attributes\": {\"city\": \"Oslo\"}}}");
    assertThat(withCity.json().get("steps").get(0).get("subject").asString()).isEqualTo("In Oslo");
  }

  /**
   * A signal committed by a process that died before delivering it (written here straight to the
   * outbox, as that process left it) reaches its workflow all the same: the dispatcher's poll finds
   * it. Its claim had run out; it is delivered once and removed.
   */
  @Test
  void aSignalLeftInTheOutboxByAProcessThatDiedIsDelivered() throws Exception {
    String campaign = service.createOpenEmailCampaign("Outbox leftovers");
    service.post(
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"lead_id\": \"o-1\", \"email\": \"o1@example.com\"}]");
    Instant startAt = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    service.post("/api/v1/campaigns/" + campaign + "/start", "{\"start_at\": \"" + startAt + "\"}");
    String workflowId = "lead-" + campaign + "-o-1";
    // The enrolment records the plan before it starts the workflow, and the workflow id after.
    await(
        () -> lead(campaign, "o-1"),
        l -> l.get("steps").size() == 3 && workflowId.equals(l.path("workflow_id").asString()));
    WorkflowClient client = service.bean(WorkflowClient.class);
    LeadSequenceWorkflow workflow = client.newWorkflowStub(LeadSequenceWorkflow.class, workflowId);
    assertThat(workflow.state().status()).isEqualTo(LeadState.ACTIVE);

    byte[] reason =
        client
            .getOptions()
            .getDataConverter()
            .toPayloads("left behind")
            .orElseThrow()
            .toByteArray();
    JdbcClient jdbc = service.bean(JdbcClient.class);
    jdbc.sql(
            "insert into signal_outbox (workflow_id, signal, arguments, attempts, claimed_until)"
                + " values (?, 'pause', ?, 1, now() - interval '1 second')")
        .params(workflowId, reason)
        .update();

    await(() -> workflow.state().status(), LeadState.PAUSED::equals);
    await(
        () ->
            jdbc.sql("select count(*) from signal_outbox where workflow_id = ?")
                .param(workflowId)
                .query(Long.class)
                .single(),
        left -> left == 0);
  }

  private JsonNode lead(String campaign, String leadId) {
    return service.get("/api/v1/campaigns/" + campaign + "/leads/" + leadId).json();
  }

  private WorkflowExecutionStatus status(String workflowId) {
    return service
            .bean(WorkflowClient.class)
            .fetchHistory(workflowId)
            .getHistory()
            .getEventsList()
            .isEmpty()
        ? null
        : service
            .bean(WorkflowClient.class)
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(
                        io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(workflowId))
                    .build())
            .getWorkflowExecutionInfo()
            .getStatus();
  }

  /**
   * Polls until {@code done}. A minute: the crash and fault tests run beside the other classes, and
   * while their processes start the two cores are busy for many seconds.
   */
  static <T> T await(Supplier<T> value, java.util.function.Predicate<T> done)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    T last = null;
    while (Instant.now().isBefore(deadline)) {
      last = value.get();
      if (last != null && done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("condition not reached within 60 s; last value: " + last);
  }
}
