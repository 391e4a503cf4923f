package dev.sequencer.activities.messaging;

import dev.sequencer.activities.limits.SlotCalendar;
import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.generation.LeadGeneration;
import dev.sequencer.store.generation.LeadGenerations;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadRepository;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadStep;
import dev.sequencer.store.lead.LeadSteps;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageLinks;
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.Senders;
import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.SendActivities;
import dev.sequencer.workflows.lead.SendFailureTypes;
import dev.sequencer.workflows.lead.SendOutcome;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import dev.sequencer.workflows.schedule.SendPlanner;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends one step in three moves. First, in one short transaction under the lead's lock: consent,
 * window and limits are checked, and the attempt is committed with its content, Message-ID and
 * units. Then the message is handed to the provider, outside any transaction. Last, the outcome is
 * recorded in one transaction. A retry after a crash anywhere finds the committed attempt and
 * resolves it — it never renders, counts or sends a second, different message.
 */
@Component
public class SendActivitiesImpl implements SendActivities {

  /**
   * How long an attempt holds the hand-over when it runs outside an activity (tests); in an
   * activity, as long as its start-to-close timeout ({@link #handOverLease()}).
   */
  static final Duration HAND_OVER_LEASE = Duration.ofMinutes(2);

  private final CampaignRepository campaigns;
  private final LeadRepository leads;
  private final LeadQueries leadQueries;
  private final LeadSteps leadSteps;
  private final LeadTimeline timeline;
  private final LeadGenerations generations;
  private final Messages messages;
  private final MessageLinks messageLinks;
  private final Consent consent;
  private final SendLimits limits;
  private final SlotCalendar slots;
  private final MessageRenderer renderer;
  private final ProviderHandOver handOver;
  private final SendRecords records;
  private final TransactionTemplate transaction;
  private final SendMetrics metrics;
  private final Clock clock;
  private final Senders senders;
  private final ChannelRouting routing;

  public SendActivitiesImpl(
      CampaignRepository campaigns,
      LeadRepository leads,
      LeadQueries leadQueries,
      LeadSteps leadSteps,
      LeadTimeline timeline,
      Messages messages,
      MessageLinks messageLinks,
      Consent consent,
      SendLimits limits,
      SlotCalendar slots,
      MessageRenderer renderer,
      ProviderHandOver handOver,
      SendRecords records,
      TransactionTemplate transaction,
      SendMetrics metrics,
      Clock clock,
      Senders senders,
      LeadGenerations generations,
      ChannelRouting routing) {
    this.routing = routing;
    this.generations = generations;
    this.senders = senders;
    this.campaigns = campaigns;
    this.leads = leads;
    this.leadQueries = leadQueries;
    this.leadSteps = leadSteps;
    this.timeline = timeline;
    this.messages = messages;
    this.messageLinks = messageLinks;
    this.consent = consent;
    this.limits = limits;
    this.slots = slots;
    this.renderer = renderer;
    this.handOver = handOver;
    this.records = records;
    this.transaction = transaction;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public SendResult sendStep(SendRequest request) {
    try {
      return metrics.count(send(request));
    } catch (RuntimeException e) {
      metrics.countError();
      throw e;
    }
  }

  private SendResult send(SendRequest request) {
    String key = request.workflowId() + ":" + request.position();
    Instant now = now(request);
    String campaignId =
        leads.findById(request.leadPk()).orElseThrow(() -> gone("lead")).campaignId();
    Attempt attempt = transaction.execute(tx -> prepare(request, campaignId, key, now));
    if (attempt.result() != null) {
      return attempt.result();
    }
    Message message = attempt.message();
    if (attempt.resolving()) {
      metrics.countResolved();
    }
    String providerId;
    try {
      providerId =
          attempt.resolving()
              ? handOver.resolve(attempt.campaign(), message, attempt.sender(), now(request))
              : handOver.deliver(attempt.campaign(), message, attempt.sender(), now(request));
    } catch (PermanentSendFailure e) {
      return records.failed(message, e, now(request));
    } catch (RuntimeException e) {
      // The attempt stays committed with its content; the retry hands the same message over.
      releaseQuietly(message);
      throw e;
    }
    try {
      SendResult sent = records.sent(message, attempt.campaign(), providerId, now(request));
      metrics.sent(attempt.campaign().channel().name(), request.workflowTime(), clock.instant());
      return sent;
    } catch (RuntimeException e) {
      // Out, but not recorded: the retry resolves the attempt, handing over the same message.
      releaseQuietly(message);
      throw e;
    }
  }

  /** An attempt ready to hand over, or a result that ends the activity without one. */
  private record Attempt(
      SendResult result,
      Message message,
      Campaign campaign,
      RegisteredSender sender,
      boolean resolving) {
    static Attempt done(SendResult result) {
      return new Attempt(result, null, null, null, false);
    }
  }

  private Attempt prepare(SendRequest request, String campaignId, String key, Instant now) {
    // Campaign before lead, the order a cancel takes them in, so the two never deadlock. A pause,
    // stop or opt-out takes the same locks: it comes before this check or after the commit.
    CampaignStatus status =
        campaigns.lockStatusShared(campaignId).orElseThrow(() -> gone("campaign"));
    Lead lead = leadQueries.lock(request.leadPk()).orElseThrow(() -> gone("lead"));
    Campaign campaign = campaigns.findById(campaignId).orElseThrow(() -> gone("campaign"));
    Optional<Message> earlier = messages.lockByIdempotencyKey(key);
    if (earlier.isPresent() && earlier.get().status() != MessageStatus.SENDING) {
      return Attempt.done(records.settled(earlier.get()));
    }
    CampaignStep step = campaign.stepsOf(MessageRenderer.variantOf(lead)).get(request.position());
    SendResult refused = consent.refusal(lead, campaign, status);
    ChannelRouting.Route route = null;
    if (refused == null) {
      // A retry hands over what its attempt committed, on that attempt's channel.
      route =
          earlier.isPresent()
              ? routing.resume(lead, campaign, step, earlier.get())
              : routing.route(lead, campaign, step);
      refused = route.refusal();
    }
    // The pool's senders send on the campaign's own channel; a step on another channel goes out
    // from the campaign's address for it.
    boolean pooled = route == null || route.channel() == campaign.channel();
    Optional<RegisteredSender> sender =
        lead.senderId() == null || !pooled ? Optional.empty() : senders.byId(lead.senderId());
    if (refused == null && sender.isPresent() && sender.get().paused()) {
      // The lead waits for its sender, as it waits for a paused campaign: until a resume signal.
      leadSteps.waitFrom(lead.id(), request.position(), "sender_paused");
      return Attempt.done(SendResult.paused());
    }
    if (refused != null) {
      if (refused.outcome() == SendOutcome.PAUSED) {
        leadSteps.waitFrom(lead.id(), request.position(), "paused");
      } else if (refused.outcome() == SendOutcome.SKIPPED) {
        skip(lead, request, refused.reason(), now);
      } else if (earlier.isPresent()) {
        records.unconfirmed(earlier.get(), refused.reason(), now);
      }
      return Attempt.done(refused);
    }
    campaign = campaign.onChannel(route.channel());
    if (sender.isPresent()) {
      campaign = SendingAs.sender(campaign, sender.get());
    }
    ZoneId zone = ZoneId.of(lead.timezone());
    SendPlanner planner = CampaignSchedules.plannerFor(campaign, lead);
    if (!planner.isAllowed(now, zone)) {
      // A timer that fired late (worker down overnight) must not send outside the window, nor
      // outside the calling hours of the lead's state.
      return Attempt.done(
          defer(
              lead,
              request,
              planner.firstAllowedAtOrAfter(now, zone),
              planner.reasonNotAllowed(now, zone)));
    }
    Instant attemptTime = attemptTime(now);
    Duration lease = handOverLease();
    if (earlier.isPresent()) {
      if (!messages.claimHandOver(earlier.get().id(), attemptTime, attemptTime.plus(lease))) {
        throw ApplicationFailure.newBuilder()
            .setType(SendFailureTypes.HAND_OVER_IN_PROGRESS)
            .setMessage("another attempt of this step is handing its message over")
            .setNextRetryDelay(lease)
            .build();
      }
      return new Attempt(null, earlier.get(), campaign, sender.orElse(null), true);
    }
    Optional<LeadGeneration> generated =
        step.generated() ? generations.of(lead.id(), step.type().wireName()) : Optional.empty();
    if (generated.isPresent() && generated.get().awaitingReview()) {
      // Like a paused sender: the step waits, taking no quota, until the review's resume signal.
      leadSteps.waitFrom(lead.id(), request.position(), LeadGeneration.AWAITING_REVIEW);
      return Attempt.done(SendResult.paused());
    }
    SendLimits.Decision decision =
        limits.take(campaign, lead, key, route.recipient(), planner, now);
    if (!decision.allowed()) {
      return Attempt.done(defer(lead, request, decision.waitUntil(), decision.reason()));
    }
    if (generated.isPresent() && generated.get().sendable()) {
      // The model's text goes through the same rendering as the template's (tracked links, the
      // unsubscribe footer); the gate made sure it holds no template syntax of its own.
      LeadGeneration g = generated.get();
      step =
          step.withCopy(
              g.subject() == null || g.subject().isBlank() ? step.subject() : g.subject(),
              g.body());
    }
    MessageRenderer.Rendered rendered =
        renderer.render(campaign, lead, step, key, now, route.recipient());
    Message message =
        rendered
            .message()
            .withHoldings(
                decision.day(),
                decision.minute(),
                sender.map(RegisteredSender::id).orElse(null),
                decision.senderDay());
    messages.begin(message, attemptTime.plus(lease));
    if (!rendered.links().isEmpty()) {
      messageLinks.save(message.id(), rendered.links());
    }
    return new Attempt(null, message, campaign, sender.orElse(null), false);
  }

  private void releaseQuietly(Message message) {
    try {
      messages.releaseHandOver(message.id());
    } catch (RuntimeException ignored) {
      // The lease runs out by itself; the retry waits for it.
    }
  }

  /**
   * As long as this attempt's start-to-close timeout: no later attempt starts before Temporal has
   * timed this one out, and then the retry it schedules finds the step free.
   */
  private static Duration handOverLease() {
    try {
      Duration timeout = Activity.getExecutionContext().getInfo().getStartToCloseTimeout();
      return timeout == null || timeout.isZero() ? HAND_OVER_LEASE : timeout;
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return HAND_OVER_LEASE;
    }
  }

  /**
   * The later of the wall clock, the workflow's clock and the time Temporal scheduled this attempt:
   * in a time-skipping test the last two run ahead of the wall clock, and a lease must expire by
   * the clock that schedules the retry.
   */
  private Instant attemptTime(Instant now) {
    try {
      Instant scheduled =
          Instant.ofEpochMilli(
              Activity.getExecutionContext().getInfo().getCurrentAttemptScheduledTimestamp());
      return scheduled.isAfter(now) ? scheduled : now;
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return now;
    }
  }

  private Instant now(SendRequest request) {
    Instant wall = clock.instant();
    return request.workflowTime() != null && request.workflowTime().isAfter(wall)
        ? request.workflowTime()
        : wall;
  }

  @Override
  public void finishSequence(long leadPk, LeadOutcome outcome) {
    Optional<Lead> found = leads.findById(leadPk);
    if (found.isEmpty()) {
      // Deleted with its campaign: there is nothing left to record.
      return;
    }
    Lead lead = found.get();
    LeadStatus status = LeadStatus.valueOf(outcome.status().name());
    transaction.executeWithoutResult(
        tx -> {
          leadQueries.transition(leadPk, status);
          slots.releaseAll(leadPk);
          messages.endUnresolved(leadPk, status.wireName());
          for (LeadStep step : leadSteps.of(leadPk)) {
            if (!"scheduled".equals(step.status())) {
              continue;
            }
            // The step that failed says why; the steps after it, and every step of a sequence
            // that stopped, say why they were not sent (cancelled, opted_out, ...).
            boolean failedHere =
                status == LeadStatus.FAILED
                    && outcome.position() != null
                    && step.position() == outcome.position();
            String stepStatus =
                failedHere ? "failed" : status == LeadStatus.CANCELLED ? "cancelled" : "skipped";
            leadSteps.close(
                leadPk, step.type(), stepStatus, failedHere ? outcome.reason() : status.wireName());
          }
          // A stop from outside (a reply, an opt-out, a bounce) moved the lead to its final status
          // and wrote the timeline entry, with what happened, when it came: one entry per event.
          if (lead.status() != status) {
            timeline.record(
                lead.organizationId(),
                lead.campaignId(),
                leadPk,
                null,
                null,
                status.wireName(),
                outcome.reason(),
                clock.instant());
          }
        });
  }

  /**
   * Closes a step no channel of its route reaches: its reservation is given back, and the timeline
   * says why it was skipped.
   */
  private void skip(Lead lead, SendRequest request, String reason, Instant now) {
    slots.use(request.workflowId() + ":" + request.position()).ifPresent(slots::giveBack);
    if (!leadSteps.close(lead.id(), request.stepType(), "skipped", reason)) {
      // A retry of an attempt that skipped it already: said once is enough.
      return;
    }
    timeline.record(
        lead.organizationId(),
        lead.campaignId(),
        lead.id(),
        null,
        request.stepType(),
        "skipped",
        ChannelRouting.NO_ADDRESS.equals(reason)
            ? "no address on any of the step's channels"
            : "every address of the step's channels bounced",
        now);
  }

  private SendResult defer(Lead lead, SendRequest request, Instant retryAt, String reason) {
    leadSteps.plan(
        lead.id(),
        List.of(
            new LeadStep(
                request.position(), request.stepType(), "scheduled", retryAt, null, reason, null)));
    timeline.record(
        lead.organizationId(),
        lead.campaignId(),
        lead.id(),
        null,
        request.stepType(),
        "deferred",
        reason + ", next attempt " + retryAt,
        clock.instant());
    return SendResult.deferred(retryAt, reason);
  }

  private static ApplicationFailure gone(String what) {
    return ApplicationFailure.newNonRetryableFailure(
        what + " no longer exists", SendFailureTypes.NOT_FOUND);
  }
}
