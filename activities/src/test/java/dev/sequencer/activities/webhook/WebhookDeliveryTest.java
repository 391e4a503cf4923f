package dev.sequencer.activities.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.testing.WebhookReceiver;
import dev.sequencer.store.testing.WebhookReceiver.Answer;
import dev.sequencer.store.webhook.WebhookDeliveries;
import dev.sequencer.store.webhook.WebhookDelivery;
import dev.sequencer.store.webhook.WebhookEndpoint;
import dev.sequencer.store.webhook.WebhookEndpoints;
import dev.sequencer.store.webhook.WebhookTargets;
import dev.sequencer.workflows.TaskQueues;
import dev.sequencer.workflows.webhook.WebhookEndpointWorkflow;
import dev.sequencer.workflows.webhook.WebhookEndpointWorkflowImpl;
import dev.sequencer.workflows.webhook.WebhookWakeUp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An endpoint's workflow on Temporal's time-skipping test server, its real activity, the store and
 * a receiver on the loopback interface: signed deliveries, retries after 500s and timeouts, order
 * per lead, a day of failures, and addresses the policy refuses at connection time.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebhookDeliveryTest extends ActivitiesIntegrationTest {

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private WebhookReceiver receiver;
  private WebhookActivitiesImpl activities;
  private WebhookEndpoints endpoints;
  private WebhookDeliveries deliveries;

  @BeforeEach
  void start() {
    endpoints = context.getBean(WebhookEndpoints.class);
    deliveries = context.getBean(WebhookDeliveries.class);
    receiver = new WebhookReceiver();
  }

  /** Starts the test server with activities that apply {@code targets}. */
  private void temporal(WebhookTargets targets) {
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    Worker worker = env.newWorker(TaskQueues.SEQUENCER);
    worker.registerWorkflowImplementationTypes(WebhookEndpointWorkflowImpl.class);
    activities =
        new WebhookActivitiesImpl(
            endpoints,
            deliveries,
            targets,
            Clock.systemUTC(),
            new SimpleMeterRegistry(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            8);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (env != null) {
      env.close();
    }
    if (activities != null) {
      activities.destroy();
    }
    receiver.close();
  }

  private static String secret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  /** Queues an event as the store's triggers do; returns its id. */
  private String publish(String org, String type, String key, String n) {
    jdbc.sql("select webhook_publish(?, ?, 'cmp_test', ?, jsonb_build_object('n', ?::text), now())")
        .params(org, type, key, n)
        .query((rs, i) -> 1)
        .list();
    return jdbc.sql(
            "select e.id from webhook_events e where e.organization_id = ?"
                + " and e.payload -> 'data' ->> 'n' = ?")
        .params(org, n)
        .query(String.class)
        .single();
  }

  private List<WebhookDelivery> log(String endpointId) {
    return deliveries.log(endpointId, null, 500, 0);
  }

  private WebhookDelivery delivery(String endpointId, String eventId) {
    return log(endpointId).stream()
        .filter(d -> d.eventId().equals(eventId))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void eachLeadsEventsArriveInOrderSignedAndAFailedOneIsTriedAgainBeforeTheNext() throws Exception {
    temporal(new WebhookTargets(false, true, ""));
    String org = fixtures().organization();
    String secret = secret();
    WebhookEndpoint endpoint = endpoints.create(org, receiver.url("/hooks"), List.of("*"), secret);
    String a1 = publish(org, "message.sent", "lead:1", "a1");
    String b1 = publish(org, "message.sent", "lead:2", "b1");
    String a2 = publish(org, "message.opened", "lead:1", "a2");
    String b2 = publish(org, "message.clicked", "lead:2", "b2");
    String a3 = publish(org, "message.replied", "lead:1", "a3");
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    receiver.answer(
        call -> call.id().equals(a1) && failedOnce.add(a1) ? Answer.of(500) : Answer.of(200));

    WebhookWakeUp.send(client, endpoint.id());
    WebhookReceiver.await(
        "five deliveries to succeed",
        Duration.ofSeconds(60),
        () -> deliveries.count(endpoint.id(), WebhookDelivery.SUCCEEDED) == 5);

    List<WebhookReceiver.Call> calls = receiver.calls();
    // Lead 1's second event waited for its first, which failed once (a 500) and was tried again.
    assertThat(calls.stream().map(WebhookReceiver.Call::id).filter(Set.of(a1, a2, a3)::contains))
        .containsExactly(a1, a1, a2, a3);
    assertThat(calls.stream().map(WebhookReceiver.Call::id).filter(Set.of(b1, b2)::contains))
        .containsExactly(b1, b2);
    Webhook verifier = new Webhook(secret);
    for (WebhookReceiver.Call call : calls) {
      verifier.verify(call.body(), call.headers());
      assertThat(call.header("webhook-signature")).startsWith("v1,");
      assertThat(call.json().get("timestamp").asString()).isNotBlank();
    }
    WebhookReceiver.Call firstOfLead =
        calls.stream().filter(c -> c.id().equals(a1)).findFirst().orElseThrow();
    assertThat(firstOfLead.type()).isEqualTo("message.sent");
    assertThat(firstOfLead.data().get("n").asString()).isEqualTo("a1");
    WebhookDelivery first = delivery(endpoint.id(), a1);
    assertThat(first.attempts()).isEqualTo(2);
    assertThat(first.responseStatus()).isEqualTo(200);
    assertThat(delivery(endpoint.id(), a2).attempts()).isEqualTo(1);
    // A signature made with another secret does not verify.
    WebhookReceiver.Call any = calls.get(1);
    assertThatThrownBy(() -> new Webhook(secret()).verify(any.body(), any.headers()))
        .isInstanceOf(com.standardwebhooks.exceptions.WebhookVerificationException.class);
  }

  @Test
  void anAnswerThatTimesOutIsAFailureTriedAgain() {
    temporal(new WebhookTargets(false, true, ""));
    String org = fixtures().organization();
    WebhookEndpoint endpoint = endpoints.create(org, receiver.url("/slow"), List.of("*"), secret());
    String event = publish(org, "campaign.started", "campaign:x", "slow");
    Set<String> slowOnce = ConcurrentHashMap.newKeySet();
    receiver.answer(
        call ->
            slowOnce.add(call.id())
                ? new Answer(200, Duration.ofSeconds(3), null)
                : Answer.of(200));

    WebhookWakeUp.send(client, endpoint.id());
    WebhookReceiver.await(
        "the delivery to succeed",
        Duration.ofSeconds(60),
        () -> deliveries.count(endpoint.id(), WebhookDelivery.SUCCEEDED) == 1);

    assertThat(receiver.calls()).extracting(WebhookReceiver.Call::id).containsExactly(event, event);
    assertThat(delivery(endpoint.id(), event).attempts()).isEqualTo(2);
  }

  @Test
  void anEndpointThatFailsForADayIsDisabledSayingWhyAndGetsNoMoreEvents() throws Exception {
    temporal(new WebhookTargets(false, true, ""));
    String org = fixtures().organization();
    WebhookEndpoint endpoint = endpoints.create(org, receiver.url("/down"), List.of("*"), secret());
    String event = publish(org, "message.sent", "lead:7", "down");
    receiver.answer(call -> Answer.of(500));

    WebhookWakeUp.send(client, endpoint.id());
    // The day of retries passes on the test server's skipping clock.
    client
        .newUntypedWorkflowStub(WebhookEndpointWorkflow.workflowId(endpoint.id()))
        .getResult(90, TimeUnit.SECONDS, Void.class);

    WebhookEndpoint disabled = endpoints.find(endpoint.id()).orElseThrow();
    assertThat(disabled.status()).isEqualTo(WebhookEndpoint.DISABLED);
    assertThat(disabled.disabledReason()).contains("24 hours").contains("HTTP 500");
    WebhookDelivery given = delivery(endpoint.id(), event);
    assertThat(given.status()).isEqualTo(WebhookDelivery.FAILED);
    // 5 s doubling to an hour, each ±20 %: ten attempts take 68–102 min, and the other 22.3–22.9
    // hours come at 48–72 min apart, so a day holds 29 to 42 attempts (hand-computed).
    assertThat(given.attempts()).isBetween(29, 42);
    Instant first =
        jdbc.sql("select first_attempt_at from webhook_deliveries where event_id = ?")
            .param(event)
            .query(java.sql.Timestamp.class)
            .single()
            .toInstant();
    // The last attempt comes at the end of the day (its timer fires a moment after).
    assertThat(Duration.between(first, given.lastAttemptAt()))
        .isBetween(Duration.ofHours(24), Duration.ofHours(24).plusMinutes(1));
    assertThat(receiver.calls()).hasSize(given.attempts());

    // A disabled endpoint gets nothing new queued; enabled again, it does.
    publish(org, "message.sent", "lead:7", "while-disabled");
    assertThat(log(endpoint.id())).hasSize(1);
    assertThat(endpoints.enable(org, endpoint.id(), Instant.now())).isTrue();
    publish(org, "message.sent", "lead:8", "after");
    assertThat(log(endpoint.id())).hasSize(2);
  }

  @Test
  void aHostThatResolvesToARefusedAddressIsNeverCalledAndRedirectsAreNotFollowed() {
    // Production's policy: the endpoint was registered when its name resolved to a public address
    // (stored here directly), and now resolves to loopback.
    temporal(new WebhookTargets(false, false, ""));
    String org = fixtures().organization();
    WebhookEndpoint endpoint =
        endpoints.create(org, receiver.url("/internal"), List.of("*"), secret());
    String event = publish(org, "message.sent", "lead:9", "ssrf");

    WebhookWakeUp.send(client, endpoint.id());
    WebhookReceiver.await(
        "the attempt to be recorded",
        Duration.ofSeconds(30),
        () -> delivery(endpoint.id(), event).attempts() > 0);

    assertThat(receiver.calls()).isEmpty();
    assertThat(delivery(endpoint.id(), event).lastError())
        .isEqualTo("refused: host 127.0.0.1 resolves to an address that is not public");
  }

  @Test
  void aRedirectIsAFailureAndIsNotFollowed() {
    temporal(new WebhookTargets(false, true, ""));
    String org = fixtures().organization();
    WebhookEndpoint endpoint =
        endpoints.create(org, receiver.url("/moved"), List.of("*"), secret());
    String event = publish(org, "message.sent", "lead:10", "moved");
    receiver.answer(call -> new Answer(302, Duration.ZERO, receiver.url("/elsewhere")));

    WebhookWakeUp.send(client, endpoint.id());
    WebhookReceiver.await(
        "the attempt to be recorded",
        Duration.ofSeconds(30),
        () -> delivery(endpoint.id(), event).attempts() > 0);

    assertThat(receiver.calls()).extracting(WebhookReceiver.Call::path).containsOnly("/moved");
    WebhookDelivery moved = delivery(endpoint.id(), event);
    assertThat(moved.responseStatus()).isEqualTo(302);
    assertThat(moved.status()).isEqualTo(WebhookDelivery.PENDING);
  }
}
