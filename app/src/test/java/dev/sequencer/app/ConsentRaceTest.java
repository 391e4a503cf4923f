package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sequencer.activities.messaging.SendActivitiesImpl;
import dev.sequencer.activities.planning.PlanningActivitiesImpl;
import dev.sequencer.api.control.CampaignControl;
import dev.sequencer.api.control.LeadControl;
import dev.sequencer.api.control.OptOuts;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.workflows.lead.LeadEnding;
import dev.sequencer.workflows.lead.PlanRequest;
import dev.sequencer.workflows.lead.SendOutcome;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consent guarantee under concurrency, through the API's own classes: once a call that accepted
 * an opt-out, a stop or a pause has returned, no further message of that lead or campaign goes out,
 * and a send that was in flight when the call began has completed (the call waited for it).
 *
 * <p>The whole service runs in this JVM with its mail sender pointed at a {@link
 * StallingSmtpServer}, which keeps a send inside its hand-over to the provider (no transaction, no
 * lock held) until the test releases the relay's reply. The consent changes are the context's
 * {@link OptOuts}, {@link LeadControl} and {@link CampaignControl} beans, the send the worker's
 * {@link SendActivitiesImpl}, called directly for the steps the test chooses.
 *
 * <p>The campaigns are never started: no workflow runs that could send on its own and muddle the
 * relay's count. Their leads are enrolled as a start would enrol them (workflow ids of workflows
 * that do not exist, so the calls' signals find nothing to tell, which they treat as no error).
 */
class ConsentRaceTest {

  /**
   * How long a call must keep waiting behind a send in flight to count as waiting for it. Longer
   * than the lock timeout of the pause calls' transactions ({@code ShortTransactions}, 500 ms): had
   * the send held its row locks through the hand-over, a pause would have given up (409) by then
   * instead of still waiting.
   */
  private static final Duration STILL_WAITING = Duration.ofSeconds(1);

  /** Once the relay answers, the send records its outcome and the waiting call returns in this. */
  private static final long FEW_SECONDS = 5;

  private static final long WAIT_SECONDS = 10;

  /** Where the context's mail sender delivers; each test binds its own relay here. */
  private static final int SMTP_PORT = RunningService.freePortOutsideEphemeralRange();

  private static RunningService service;

  private static OptOuts optOuts;
  private static LeadControl leadControl;
  private static CampaignControl campaignControl;
  private static SendActivitiesImpl sending;
  private static PlanningActivitiesImpl planning;
  private static CampaignRepository campaigns;
  private static LeadRepository leads;
  private static LeadQueries leadQueries;
  private static Messages messages;
  private static DailyQuota quota;
  private static Clock clock;

  private StallingSmtpServer relay;
  private ExecutorService threads;

  @BeforeAll
  static void startService() {
    // A context of its own: the shared one delivers to GreenMail, which never holds a message.
    service =
        RunningService.start(
            "--SMTP_HOST=127.0.0.1", "--SMTP_PORT=" + SMTP_PORT, "--SMTP_STARTTLS=false");
    optOuts = service.bean(OptOuts.class);
    leadControl = service.bean(LeadControl.class);
    campaignControl = service.bean(CampaignControl.class);
    sending = service.bean(SendActivitiesImpl.class);
    planning = service.bean(PlanningActivitiesImpl.class);
    campaigns = service.bean(CampaignRepository.class);
    leads = service.bean(LeadRepository.class);
    leadQueries = service.bean(LeadQueries.class);
    messages = service.bean(Messages.class);
    quota = service.bean(DailyQuota.class);
    clock = service.bean(Clock.class);
  }

  @AfterAll
  static void stopService() {
    if (service != null) {
      service.context.close();
    }
  }

  @BeforeEach
  void startRelay() {
    relay = new StallingSmtpServer(SMTP_PORT);
    threads = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void stopRelay() throws InterruptedException {
    relay.close();
    threads.shutdownNow();
    assertThat(threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anOptOutDuringASendWaitsForItsOutcomeAndNothingIsSentAfterIt() throws Exception {
    Campaign campaign = runningCampaign("Opt-out race", "racer");
    Lead lead = enrolled(campaign, "racer");

    Future<SendResult> send = threads.submit(() -> sending.sendStep(step(lead, 0, "hook")));
    assertThat(relay.awaitMessageData(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the hook reached the relay")
        .isTrue();
    Future<List<Lead>> optOut =
        threads.submit(
            () ->
                optOuts.optOut(
                    lead.organizationId(), OptOuts.EMAIL, "racer@example.com", "api", null));

    assertStillWaiting(optOut, "the opt-out");
    assertThat(send).isNotDone();

    relay.release();
    List<Lead> optedOut = optOut.get(FEW_SECONDS, TimeUnit.SECONDS);
    // Read before waiting for the send: the opt-out may only return once the hook's outcome is
    // recorded, not merely once the relay has answered.
    List<Message> whenOptOutReturned = messages.ofLead(lead.id());
    SendResult hook = send.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(hook.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(whenOptOutReturned)
        .extracting(Message::id, Message::status)
        .containsExactly(tuple(hook.messageId(), MessageStatus.SENT));
    assertThat(optedOut).extracting(Lead::id).containsExactly(lead.id());
    assertThat(status(lead)).isEqualTo(LeadStatus.OPTED_OUT);

    // The opt-out call has returned: the next step of the sequence must not go out.
    SendResult proof = sending.sendStep(step(lead, 1, "proof"));

    assertThat(proof).isEqualTo(SendResult.stopped(LeadEnding.OPTED_OUT));
    assertThat(relay.messagesReceived()).isEqualTo(1);
    assertThat(relay.accepted()).isEqualTo(1);
    assertThat(relay.connections()).isEqualTo(1);
    assertThat(relay.recipients()).containsExactly("<racer@example.com>");
    assertThat(messages.ofLead(lead.id()))
        .extracting(Message::stepType, Message::status)
        .containsExactly(tuple("hook", MessageStatus.SENT));
    assertThat(quota.used(campaign.id(), today())).isEqualTo(1);
  }

  @Test
  void aSendAfterAnOptOutIsStoppedAndLeavesNoTrace() throws Exception {
    Campaign campaign = runningCampaign("Opt-out first", "early");
    Lead lead = enrolled(campaign, "early");
    // Nothing may be held: a send that wrongly went out should be seen going out, not hang.
    relay.release();

    List<Lead> optedOut =
        threads
            .submit(
                () ->
                    optOuts.optOut(
                        lead.organizationId(), OptOuts.EMAIL, "early@example.com", "api", null))
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
    SendResult hook = sending.sendStep(step(lead, 0, "hook"));

    assertThat(optedOut).extracting(Lead::id).containsExactly(lead.id());
    assertThat(hook).isEqualTo(SendResult.stopped(LeadEnding.OPTED_OUT));
    assertThat(relay.connections()).isZero();
    assertThat(relay.messagesReceived()).isZero();
    assertThat(messages.ofLead(lead.id())).isEmpty();
    assertThat(quota.used(campaign.id(), today())).isZero();
  }

  @Test
  void aCampaignPauseDuringASendWaitsForItAndNothingIsSentAfterIt() throws Exception {
    Campaign campaign = runningCampaign("Pause race", "paused", "bystander");
    Lead lead = enrolled(campaign, "paused");
    Lead other = enrolled(campaign, "bystander");

    Future<SendResult> send = threads.submit(() -> sending.sendStep(step(lead, 0, "hook")));
    assertThat(relay.awaitMessageData(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Future<?> pause = threads.submit(() -> campaignControl.pause(campaign));

    // The send holds no lock while the relay has it: a pause that met one would give up with a
    // 409 after its lock timeout instead of waiting.
    assertStillWaiting(pause, "the campaign pause");
    assertThat(send).isNotDone();

    relay.release();
    pause.get(FEW_SECONDS, TimeUnit.SECONDS);
    List<Message> whenPauseReturned = messages.ofLead(lead.id());
    SendResult hook = send.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(hook.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(whenPauseReturned).extracting(Message::status).containsExactly(MessageStatus.SENT);
    assertThat(campaigns.findById(campaign.id()).orElseThrow().status())
        .isEqualTo(CampaignStatus.PAUSED);

    // The pause has returned: neither this lead's next step nor another lead's first goes out.
    assertThat(sending.sendStep(step(lead, 1, "proof"))).isEqualTo(SendResult.paused());
    assertThat(sending.sendStep(step(other, 0, "hook"))).isEqualTo(SendResult.paused());
    assertThat(relay.messagesReceived()).isEqualTo(1);
    assertThat(relay.accepted()).isEqualTo(1);
    assertThat(relay.recipients()).containsExactly("<paused@example.com>");
    assertThat(messages.ofLead(lead.id()))
        .extracting(Message::stepType, Message::status)
        .containsExactly(tuple("hook", MessageStatus.SENT));
    assertThat(messages.ofLead(other.id())).isEmpty();
  }

  @Test
  void aLeadPauseDuringASendWaitsForItAndNothingIsSentAfterIt() throws Exception {
    Campaign campaign = runningCampaign("Lead pause race", "resting");
    Lead lead = enrolled(campaign, "resting");

    Future<SendResult> send = threads.submit(() -> sending.sendStep(step(lead, 0, "hook")));
    assertThat(relay.awaitMessageData(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Future<Lead> pause =
        threads.submit(() -> leadControl.pause(campaign.id(), "resting", "support"));

    // Like the campaign pause, a lead pause gives up after a moment on a locked row (409).
    assertStillWaiting(pause, "the lead pause");
    assertThat(send).isNotDone();

    relay.release();
    pause.get(FEW_SECONDS, TimeUnit.SECONDS);
    List<Message> whenPauseReturned = messages.ofLead(lead.id());
    SendResult hook = send.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(hook.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(whenPauseReturned).extracting(Message::status).containsExactly(MessageStatus.SENT);
    assertThat(status(lead)).isEqualTo(LeadStatus.PAUSED);

    // The pause has returned: the lead's next step waits instead of going out.
    assertThat(sending.sendStep(step(lead, 1, "proof"))).isEqualTo(SendResult.paused());
    assertThat(relay.messagesReceived()).isEqualTo(1);
    assertThat(relay.accepted()).isEqualTo(1);
    assertThat(relay.recipients()).containsExactly("<resting@example.com>");
    assertThat(messages.ofLead(lead.id()))
        .extracting(Message::stepType, Message::status)
        .containsExactly(tuple("hook", MessageStatus.SENT));
  }

  /**
   * A reply ends the sequence through {@code LeadControl.stop}, as {@code ReplyActions} calls it.
   */
  @Test
  void aStopOnReplyDuringASendWaitsForItAndNothingIsSentAfterIt() throws Exception {
    Campaign campaign = runningCampaign("Reply race", "answering");
    Lead lead = enrolled(campaign, "answering");

    Future<SendResult> send = threads.submit(() -> sending.sendStep(step(lead, 0, "hook")));
    assertThat(relay.awaitMessageData(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    Future<Boolean> stop =
        threads.submit(
            () ->
                leadControl.stop(lead, LeadStatus.REPLIED, "replied", "interested: tell me more"));

    assertStillWaiting(stop, "the stop");
    assertThat(send).isNotDone();

    relay.release();
    boolean stopped = stop.get(FEW_SECONDS, TimeUnit.SECONDS);
    List<Message> whenStopReturned = messages.ofLead(lead.id());
    SendResult hook = send.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(stopped).as("the lead was still open").isTrue();
    assertThat(hook.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(whenStopReturned).extracting(Message::status).containsExactly(MessageStatus.SENT);
    assertThat(status(lead)).isEqualTo(LeadStatus.REPLIED);

    // The stop has returned: the sequence is over, the next step ends it without a message.
    assertThat(sending.sendStep(step(lead, 1, "proof")))
        .isEqualTo(SendResult.stopped(LeadEnding.REPLIED));
    assertThat(relay.messagesReceived()).isEqualTo(1);
    assertThat(relay.accepted()).isEqualTo(1);
    assertThat(relay.recipients()).containsExactly("<answering@example.com>");
    assertThat(messages.ofLead(lead.id()))
        .extracting(Message::stepType, Message::status)
        .containsExactly(tuple("hook", MessageStatus.SENT));
  }

  // --- helpers ---

  /**
   * Asserts that {@code call} is neither done nor failed after {@link #STILL_WAITING}: a call that
   * returned would let a message out after it, one that failed (a 409) would not have waited.
   */
  private static void assertStillWaiting(Future<?> call, String what) {
    assertThatThrownBy(() -> call.get(STILL_WAITING.toMillis(), TimeUnit.MILLISECONDS))
        .as("%s still waiting after %s while the relay holds the message", what, STILL_WAITING)
        .isInstanceOf(TimeoutException.class);
  }

  /**
   * A running email campaign with a daily limit (so that a send takes a quota unit), open at every
   * instant of every day, with these leads ({@code <leadId>@example.com}) imported through the API.
   * It is marked running without a start, so no campaign run or lead workflow exists.
   */
  private static Campaign runningCampaign(String name, String... leadIds) {
    RunningService.Response created =
        service.post(
            "/api/v1/campaigns",
            """
            {"name": "%s", "channel": "email",
             "sender": {"email": "ada@acme.test", "name": "Ada Lovelace"},
             "steps": [
               {"type": "hook", "day": 0, "subject": "Quick idea", "body": "Hi {{first_name|there}}"},
               {"type": "proof", "day": 3, "subject": "Proof", "body": "Proof for {{first_name|you}}"}],
             "schedule": {"timezone": "UTC", "holiday_calendar": null,
                          "business_days": ["MON","TUE","WED","THU","FRI","SAT","SUN"]},
             "limits": {"daily_limit": 100}}
            """
                .formatted(name));
    assertThat(created.status()).as("campaign created: %s", created).isEqualTo(201);
    String campaignId = created.json().get("campaign_id").asString();
    StringBuilder imported = new StringBuilder("[");
    for (String leadId : leadIds) {
      imported
          .append(imported.length() > 1 ? ", " : "")
          .append("{\"lead_id\": \"%s\", \"email\": \"%s@example.com\"}".formatted(leadId, leadId));
    }
    RunningService.Response added =
        service.post("/api/v1/campaigns/" + campaignId + "/leads", imported.append("]").toString());
    assertThat(added.status()).as("leads added: %s", added).isLessThan(300);
    campaigns.updateStatus(campaignId, CampaignStatus.RUNNING.name(), null);
    return campaigns.findById(campaignId).orElseThrow();
  }

  /** Enrols the lead in variant A, as a start does, with its steps planned from now. */
  private static Lead enrolled(Campaign campaign, String leadId) {
    Lead lead = leads.findByCampaignIdAndLeadId(campaign.id(), leadId).orElseThrow();
    leadQueries.enrol(lead.id(), LeadStatus.ACTIVE, "A", "lead-" + campaign.id() + "-" + leadId);
    planning.planSteps(PlanRequest.fromStart(lead.id(), clock.instant()));
    Lead enrolled = leads.findById(lead.id()).orElseThrow();
    assertThat(enrolled.status()).isEqualTo(LeadStatus.ACTIVE);
    return enrolled;
  }

  private static SendRequest step(Lead lead, int position, String type) {
    return new SendRequest(lead.workflowId(), lead.id(), position, type, null);
  }

  private static LeadStatus status(Lead lead) {
    return leads.findById(lead.id()).orElseThrow().status();
  }

  /** The campaign's day (its schedule is in UTC), which holds the units of today's sends. */
  private static LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
