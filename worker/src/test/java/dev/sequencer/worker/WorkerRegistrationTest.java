package dev.sequencer.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.campaign.AnalysisActivities;
import dev.sequencer.workflows.campaign.CampaignRunWorkflow;
import dev.sequencer.workflows.campaign.EnrolmentActivities;
import dev.sequencer.workflows.lead.LeadSequenceWorkflow;
import dev.sequencer.workflows.lead.PlanningActivities;
import dev.sequencer.workflows.lead.SendActivities;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import io.temporal.common.metadata.WorkflowMethodType;
import io.temporal.spring.boot.autoconfigure.template.WorkersTemplate;
import io.temporal.spring.boot.autoconfigure.template.WorkersTemplate.RegisteredActivityInfo;
import io.temporal.spring.boot.autoconfigure.template.WorkersTemplate.RegisteredInfo;
import io.temporal.worker.WorkerFactory;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The DESIGN pitfall: workflow and activity implementations that the starter does not register are
 * silently never run. The worker's real context starts here on the starter's in-process test server
 * (no Temporal to reach); the data source is never connected, because registering workers needs no
 * database (the JDBC dialect is named, Flyway is off).
 */
@SpringBootTest(
    classes = WorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "spring.temporal.test-server.enabled=true",
      "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/never-connected",
      "spring.data.jdbc.dialect=postgresql",
      "spring.flyway.enabled=false",
      "spring.mail.host=localhost"
    })
class WorkerRegistrationTest {

  @Autowired WorkerFactory workerFactory;
  @Autowired WorkersTemplate workers;

  @Test
  void theSequencerWorkerPollsTheSequencerQueue() {
    assertThat(workerFactory.isStarted()).isTrue();
    assertThat(workerFactory.getWorker(TaskQueues.SEQUENCER)).isNotNull();
    assertThat(workers.getRegisteredInfo()).containsOnlyKeys(TaskQueues.SEQUENCER);
  }

  @Test
  void bothWorkflowTypesAreRegistered() {
    List<String> workflowTypes =
        registered().getRegisteredWorkflowInfo().stream()
            .flatMap(info -> info.getMetadata().getWorkflowMethods().stream())
            .filter(method -> method.getType() == WorkflowMethodType.WORKFLOW)
            .map(POJOWorkflowMethodMetadata::getName)
            .toList();

    assertThat(workflowTypes)
        .containsExactlyInAnyOrder(
            LeadSequenceWorkflow.class.getSimpleName(),
            CampaignRunWorkflow.class.getSimpleName(),
            dev.sequencer.workflows.webhook.WebhookEndpointWorkflow.class.getSimpleName());
  }

  @Test
  void everyActivityTheWorkflowsCallIsRegistered() {
    List<String> activityTypes =
        registered().getRegisteredActivityInfo().stream()
            .flatMap(info -> info.getMetadata().getActivityMethods().stream())
            .map(POJOActivityMethodMetadata::getActivityTypeName)
            .toList();

    assertThat(activityTypes)
        .contains("PlanSteps", "SendStep", "FinishSequence", "MarkRunning", "EnrolPending");
    // And every other method of the interfaces the workflows hold stubs of.
    assertThat(activityTypes)
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(
                    PlanningActivities.class,
                    SendActivities.class,
                    EnrolmentActivities.class,
                    AnalysisActivities.class,
                    dev.sequencer.workflows.webhook.WebhookActivities.class,
                    dev.sequencer.workflows.lead.GenerationActivities.class)
                .flatMap(
                    i -> POJOActivityInterfaceMetadata.newInstance(i).getMethodsMetadata().stream())
                .map(POJOActivityMethodMetadata::getActivityTypeName)
                .toList());
    assertThat(registered().getRegisteredActivityInfo())
        .extracting(RegisteredActivityInfo::getBeanName)
        .containsExactlyInAnyOrder(
            "planningActivitiesImpl",
            "sendActivitiesImpl",
            "enrolmentActivitiesImpl",
            "analysisActivitiesImpl",
            "webhookActivitiesImpl",
            "generationActivitiesImpl");
  }

  private RegisteredInfo registered() {
    return workers.getRegisteredInfo().get(TaskQueues.SEQUENCER);
  }
}
