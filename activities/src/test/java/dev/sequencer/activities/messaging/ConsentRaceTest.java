package dev.sequencer.activities.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.activitiestest.StallingSmtpServer;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.store.testing.CampaignBuilder;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.SendOutcome;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The consent guarantee under concurrency: once a call that accepted an opt-out, a stop or a pause
 * has returned, no further message of that lead or campaign goes out, even when a send was in
 * flight at that moment.
 *
 * <p>The send is the context's own activity bean, delivering to a {@link StallingSmtpServer} on
 * {@link #SMTP_PORT}, which keeps the activity inside its hand-over transaction (holding the lead's
 * row lock and a share lock on the campaign) until the test releases the relay's reply. The API's
 * consent changes are reproduced with the store calls and row locks of {@code OptOuts}, {@code
 * LeadControl} and {@code CampaignControl} (the api module is not on this module's classpath).
 */
class ConsentRaceTest extends ActivitiesIntegrationTest {

  /** Wednesday 2027-02-10, 15:00 UTC: inside the default every-day, all-day UTC window. */
  private static final Instant WEDNESDAY_AFTERNOON = Instant.parse("2027-02-10T15:00:00Z");

  /** How long a consent change must stay blocked behind a send in flight to count as waiting. */
  private static final Duration STILL_BLOCKED = Duration.ofMillis(300);

  private static final long WAIT_SECONDS = 10;

  /** The activity as the worker wires it; its mail sender delivers to {@link #SMTP_PORT}. */
  @Autowired SendActivitiesImpl sending;

  @Autowired PlanningActivitiesImpl planning;
  @Autowired CampaignRepository campaigns;
  @Autowired LeadRepository leads;
  @Autowired LeadQueries leadQueries;
  @Autowired LeadSteps leadSteps;
  @Autowired Messages messages;
  @Autowired Suppressions suppressions;
  @Autowired DailyQuota quota;
  @Autowired TransactionTemplate transaction;

  private StallingSmtpServer relay;
  private ExecutorService threads;

  @BeforeEach
  void startRelay() {
    clock.set(WEDNESDAY_AFTERNOON);
    relay = new StallingSmtpServer(SMTP_PORT);
    threads = Executors.newFixedThreadPool(3);
  }

  @AfterEach
  void stopRelay() throws InterruptedException {
    relay.close();
    threads.shutdownNow();
    assertThat(threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anOptOutDuringASendWaitsForItAndNothingIsSentAfterIt() throws Exception {
    Campaign campaign = emailCampaign();
    Lead lead = enrol(campaign, "racer");

    Future<SendResult> send = threads.submit(() -> sending.sendStep(step(lead, 0, "hook")));
    assertThat(relay.awaitMessageData(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the hook reached the relay")
        .isTrue();
    Future<List<Lead>> optOut =
        threads.submit(() -> optOut(campaign.organizationId(), "racer@example.com"));

    assertStillBlocked(optOut, "from leads where organization_id = ", "for no key update");
    assertThat(send).isNotDone();

    relay.release();
    SendResult hook = send.get(WAIT_SECONDS, TimeUnit.SECONDS);
    List<Lead> optedOut = optOut.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(hook.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(optedOut).extracting(Lead::id).containsExactly(lead.id());
    assertThat(leads.findById(lead.id()).orElseThrow().status()).isEqualTo(LeadStatus.OPTED_OUT);

    // The opt-out call has returned: the next step of the sequence must not go out.
    SendResult proof = sending.sendStep(step(lead, 1, "proof"));

    assertThat(proof).isEqualTo(SendResult.stopped("opted_out"));
    assertThat(relay.accepted()).isEqualTo(1);
    assertThat(relay.messagesReceived()).isEqualTo(1);
    assertThat(relay.connections()).isEqualTo(1);
    assertThat(relay.recipients()).containsExactly("<racer@example.com>");
    assertThat(messages.ofLead(lead.id()))
        .singleElement()
        .satisfies(
            message -> {
              assertThat(message.id()).isEqualTo(hook.messageId());
              assertThat(message.stepType()).isEqualTo("hook");
              assertThat(message.status()).isEqualTo(MessageStatus.SENT);
            });
  }

  @Test
  void aSendAfterAnOptOutIsStoppedAndReachesNoRelay() throws Exception {
    Campaign campaign = emailCampaign();
    Lead lead = enrol(campaign, "early");
    relay.release();

    List<Lead> optedOut =
        threads
            .submit(() -> optOut(campaign.organizationId(), "early@example.com"))
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
    SendResult hook =
        threads
            .submit(() -> sending.sendStep(step(lead, 0, "hook")))
            .get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(optedOut).extracting(Lead::id).containsExactly(lead.id());
    assertThat(hook).isEqualTo(SendResult.stopped("opted_out"));
    assertThat(relay.connections()).isZero();
    assertThat(relay.messagesReceived()).isZero();
    assertThat(messages.ofLead(lead.id())).isEmpty();
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isZero();
  }

  /**
   * The send passes its first consent check (nothing committed yet) while the opt-out holds the
   * lead's row lock; the check under the lock, once the opt-out has committed, stops it.
   */
  @Test
  void aSendThatStartsDuringAnOptOutWaitsForItAndIsStopped() throws Exception {
    Campaign campaign = emailCampaign();
    Lead lead = enrol(campaign, "overlap");
    relay.release();
    CountDownLatch optOutLocked = new CountDownLatch(1);
    CountDownLatch commitOptOut = new CountDownLatch(1);

    Future<List<Lead>> optOut =
        threads.submit(
            () ->
                transaction.execute(
                    tx -> {
                      List<Lead> open =
                          optOutUncommitted(campaign.organizationId(), "overlap@example.com");
                      optOutLocked.countDown();
                      await(commitOptOut);
                      return open;
                    }));
    assertThat(optOutLocked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Future<SendResult> send = threads.submit(() -> sending.sendStep(step(lead, 0, "hook")));

    assertStillBlocked(send, "from leads where id = ", "for no key update");
    commitOptOut.countDown();
    optOut.get(WAIT_SECONDS, TimeUnit.SECONDS);
    SendResult hook = send.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(hook).isEqualTo(SendResult.stopped("opted_out"));
    assertThat(relay.connections()).isZero();
    assertThat(messages.ofLead(lead.id())).isEmpty();
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isZero();
  }

  @Test
  void aCampaignPauseDuringASendWaitsForItAndNothingIsSentAfterIt() throws Exception {
    Campaign campaign = emailCampaign();
    Lead lead = enrol(campaign, "paused");
    Lead other = enrol(campaign, "bystander");

    Future<SendResult> send = threads.submit(() -> sending.sendStep(step(lead, 0, "hook")));
    assertThat(relay.awaitMessageData(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Future<?> pause = threads.submit(() -> pauseCampaign(campaign));

    assertStillBlocked(pause, "from campaigns where id = ", "for no key update");
    assertThat(send).isNotDone();

    relay.release();
    SendResult hook = send.get(WAIT_SECONDS, TimeUnit.SECONDS);
    pause.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(hook.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(campaigns.findById(campaign.id()).orElseThrow().status())
        .isEqualTo(CampaignStatus.PAUSED);

    // The pause call has returned: neither this lead's next step nor another lead's first goes out.
    assertThat(sending.sendStep(step(lead, 1, "proof"))).isEqualTo(SendResult.paused());
    assertThat(sending.sendStep(step(other, 0, "hook"))).isEqualTo(SendResult.paused());
    assertThat(relay.accepted()).isEqualTo(1);
    assertThat(relay.messagesReceived()).isEqualTo(1);
    assertThat(relay.recipients()).containsExactly("<paused@example.com>");
    assertThat(messages.ofLead(lead.id()))
        .extracting(Message::stepType, Message::status)
        .containsExactly(tuple("hook", MessageStatus.SENT));
    assertThat(messages.ofLead(other.id())).isEmpty();
  }

  @Test
  void aPausedLeadIsNotMessagedUntilItIsActiveAgain() throws Exception {
    Campaign campaign = emailCampaign();
    Lead lead = enrol(campaign, "resting");
    relay.release();

    threads
        .submit(() -> setLeadStatus(lead, LeadStatus.PAUSED))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    SendResult whilePaused =
        threads
            .submit(() -> sending.sendStep(step(lead, 0, "hook")))
            .get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(whilePaused).isEqualTo(SendResult.paused());
    assertThat(relay.connections()).isZero();
    assertThat(messages.ofLead(lead.id())).isEmpty();

    threads
        .submit(() -> setLeadStatus(lead, LeadStatus.ACTIVE))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    SendResult resumed =
        threads
            .submit(() -> sending.sendStep(step(lead, 0, "hook")))
            .get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(resumed.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(relay.accepted()).isEqualTo(1);
    assertThat(relay.recipients()).containsExactly("<resting@example.com>");
    assertThat(messages.ofLead(lead.id()))
        .extracting(Message::status)
        .containsExactly(MessageStatus.SENT);
  }

  /**
   * A campaign cancel while a send waits for its lead's row lock (held here by a lead resume that
   * finds the lead active and changes nothing, as {@code LeadControl.resume} does). Both calls must
   * complete: the send before the cancel, or stopped by it.
   *
   * <p>Regression test of a lock-order deadlock. Up to commit cae3374 {@code
   * SendActivitiesImpl.handOver} locked the lead, then the campaign; {@code CampaignControl.cancel}
   * locks the campaign, then (in {@code cancelOpen}) the leads. The send, granted the lead once the
   * resume commits, then waited for the campaign the cancel held, the cancel for the lead the send
   * held, and PostgreSQL aborted one of them with "deadlock detected" (the cancel call failed, or
   * the send threw). Sends must take the campaign's share lock before the lead's.
   */
  @Test
  void aCampaignCancelAndASendWaitingForItsLeadBothComplete() throws Exception {
    Campaign campaign = emailCampaign();
    Lead lead = enrol(campaign, "queued");
    relay.release();
    CountDownLatch leadLocked = new CountDownLatch(1);
    CountDownLatch commitResume = new CountDownLatch(1);

    Future<?> resume =
        threads.submit(
            () ->
                transaction.executeWithoutResult(
                    tx -> {
                      leadQueries.lock(lead.id()).orElseThrow();
                      leadLocked.countDown();
                      await(commitResume);
                    }));
    assertThat(leadLocked.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Future<SendResult> send = threads.submit(() -> sending.sendStep(step(lead, 0, "hook")));
    awaitLockWait("from leads where id = ", "for no key update");
    Future<?> cancel = threads.submit(() -> cancelCampaign(campaign));
    // Both wait now. With sends taking the campaign first, the cancel waits for the campaign row;
    // with the old order (lead first), for the lead row in cancelOpen.
    awaitLockWaits(2, "", "");
    commitResume.countDown();
    resume.get(WAIT_SECONDS, TimeUnit.SECONDS);

    Throwable cancelFailure = failureOf(cancel);
    Throwable sendFailure = failureOf(send);

    assertThat(cancelFailure).as("the cancel call").isNull();
    assertThat(sendFailure).as("the send activity").isNull();
    assertThat(send.get().outcome()).isIn(SendOutcome.SENT, SendOutcome.STOPPED);
    assertThat(sending.sendStep(step(lead, 1, "proof"))).isEqualTo(SendResult.stopped("cancelled"));
    assertThat(relay.accepted()).isLessThanOrEqualTo(1);
  }

  // --- the API's consent changes, at store level ---

  /** {@code OptOuts.optOut} for an email address, in a transaction of its own. */
  private List<Lead> optOut(String organizationId, String address) {
    return transaction.execute(tx -> optOutUncommitted(organizationId, address));
  }

  /**
   * The body of {@code OptOuts.optOut} inside the caller's transaction: suppress the address, lock
   * the organization's open leads with it, end their sequences.
   */
  private List<Lead> optOutUncommitted(String organizationId, String address) {
    suppressions.suppress(organizationId, "EMAIL", address, "api", null, clock.instant());
    List<Lead> open = leadQueries.lockOpenByAddress(organizationId, address, null);
    for (Lead lead : open) {
      leadQueries.transition(lead.id(), LeadStatus.OPTED_OUT);
    }
    return open;
  }

  /** {@code CampaignControl.pause}: lock the campaign row, then mark it paused. */
  private void pauseCampaign(Campaign campaign) {
    transaction.executeWithoutResult(
        tx -> {
          assertThat(campaigns.lockStatus(campaign.id())).contains(CampaignStatus.RUNNING);
          campaigns.updateStatus(campaign.id(), CampaignStatus.PAUSED.name(), null);
        });
  }

  /** {@code CampaignControl.cancel}: lock the campaign row, cancel it and its open leads. */
  private void cancelCampaign(Campaign campaign) {
    transaction.executeWithoutResult(
        tx -> {
          assertThat(campaigns.lockStatus(campaign.id())).contains(CampaignStatus.RUNNING);
          campaigns.updateStatus(campaign.id(), CampaignStatus.CANCELLED.name(), "cancelled");
          leadQueries.cancelOpen(campaign.id());
        });
  }

  /** {@code LeadControl.pause} / {@code resume}: lock the lead row, then move it. */
  private boolean setLeadStatus(Lead lead, LeadStatus status) {
    return Boolean.TRUE.equals(
        transaction.execute(
            tx -> {
              leadQueries.lock(lead.id()).orElseThrow();
              return leadQueries.transition(lead.id(), status);
            }));
  }

  // --- helpers ---

  /**
   * Asserts that {@code blocked} has not finished after {@link #STILL_BLOCKED}, and that it waits
   * for a row lock (not merely runs slowly): see {@link #awaitLockWait}.
   */
  private void assertStillBlocked(Future<?> blocked, String statement, String lock)
      throws Exception {
    assertThatThrownBy(() -> blocked.get(STILL_BLOCKED.toMillis(), TimeUnit.MILLISECONDS))
        .as("still waiting after %s", STILL_BLOCKED)
        .isInstanceOf(TimeoutException.class);
    awaitLockWait(statement, lock);
  }

  /**
   * Waits until the database shows one session of this test's database waiting for a lock in a
   * statement that contains both fragments (lower case).
   */
  private void awaitLockWait(String statement, String lock) throws InterruptedException {
    awaitLockWaits(1, statement, lock);
  }

  /** Waits until {@code sessions} sessions wait for a lock in statements with both fragments. */
  private void awaitLockWaits(int sessions, String statement, String lock)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    int waiting;
    do {
      waiting =
          jdbc.sql(
                  "select count(*) from pg_stat_activity where datname = current_database()"
                      + " and wait_event_type = 'Lock' and state = 'active'"
                      + " and position(:statement in lower(query)) > 0"
                      + " and position(:lock in lower(query)) > 0")
              .param("statement", statement)
              .param("lock", lock)
              .query(Integer.class)
              .single();
      if (waiting == sessions) {
        return;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    assertThat(waiting)
        .as("sessions waiting for a lock in '%s … %s'", statement, lock)
        .isEqualTo(sessions);
  }

  private Campaign emailCampaign() {
    return fixtures()
        .save(CampaignBuilder.email(fixtures().organization()).dailyLimit(100).build());
  }

  /** Inserts the lead and enrols it in variant A with its steps planned from now. */
  private Lead enrol(Campaign campaign, String leadId) {
    Lead lead = fixtures().lead(campaign, leadId, leadId);
    leadQueries.enrol(lead.id(), LeadStatus.ACTIVE, "A", workflowId(lead));
    planning.planSteps(PlanRequest.fromStart(lead.id(), clock.instant()));
    assertThat(leadSteps.of(lead.id())).hasSize(campaign.baseSteps().size());
    return leads.findById(lead.id()).orElseThrow();
  }

  private static String workflowId(Lead lead) {
    return "lead-" + lead.campaignId() + "-" + lead.leadId();
  }

  private static SendRequest step(Lead lead, int position, String type) {
    return new SendRequest(workflowId(lead), lead.id(), position, type, null);
  }

  /** What {@code call} failed with, or null when it completed (within the time limit). */
  private static Throwable failureOf(Future<?> call) throws InterruptedException {
    try {
      call.get(WAIT_SECONDS, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return e;
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the transaction go on");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
