package dev.sequencer.activities.messaging;

import dev.sequencer.activities.planning.CampaignSchedules;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.Escaping;
import dev.sequencer.content.SmsSegments;
import dev.sequencer.content.TemplateRenderer;
import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.Channel;
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
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.quota.MinuteQuota;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.SendActivities;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import dev.sequencer.workflows.schedule.SendPlanner;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

@Component
public class SendActivitiesImpl implements SendActivities {

  private final CampaignRepository campaigns;
  private final LeadRepository leads;
  private final LeadQueries leadQueries;
  private final LeadSteps leadSteps;
  private final LeadTimeline timeline;
  private final Messages messages;
  private final Suppressions suppressions;
  private final DailyQuota quota;
  private final MessageLinks messageLinks;
  private final EmailComposer composer;
  private final MinuteQuota minuteQuota;
  private final TransactionTemplate transaction;
  private final EmailSender email;
  private final SmsSender sms;
  private final SequencerProperties properties;
  private final JsonMapper json;
  private final Clock clock;
  private final TemplateRenderer templates = new TemplateRenderer();

  public SendActivitiesImpl(
      CampaignRepository campaigns,
      LeadRepository leads,
      LeadQueries leadQueries,
      LeadSteps leadSteps,
      LeadTimeline timeline,
      Messages messages,
      Suppressions suppressions,
      DailyQuota quota,
      MessageLinks messageLinks,
      EmailComposer composer,
      MinuteQuota minuteQuota,
      TransactionTemplate transaction,
      EmailSender email,
      SmsSender sms,
      SequencerProperties properties,
      JsonMapper json,
      Clock clock) {
    this.campaigns = campaigns;
    this.leads = leads;
    this.leadQueries = leadQueries;
    this.leadSteps = leadSteps;
    this.timeline = timeline;
    this.messages = messages;
    this.suppressions = suppressions;
    this.quota = quota;
    this.messageLinks = messageLinks;
    this.composer = composer;
    this.minuteQuota = minuteQuota;
    this.transaction = transaction;
    this.email = email;
    this.sms = sms;
    this.properties = properties;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public SendResult sendStep(SendRequest request) {
    String key = request.workflowId() + ":" + request.position();
    var earlier = messages.byIdempotencyKey(key);
    if (earlier.isPresent()) {
      return resultOf(earlier.get());
    }
    Lead lead = leads.findById(request.leadPk()).orElseThrow(() -> gone("lead"));
    Campaign campaign = campaigns.findById(lead.campaignId()).orElseThrow(() -> gone("campaign"));
    SendResult refused = consent(lead, campaign, campaign.status());
    if (refused != null) {
      return refused;
    }
    Instant now = now(request);
    ZoneId zone = ZoneId.of(lead.timezone());
    SendPlanner planner = new SendPlanner(CampaignSchedules.rulesOf(campaign));
    if (!planner.isAllowed(now, zone)) {
      // A timer that fired late (worker down overnight) must not send outside the window.
      return defer(lead, request, planner.firstAllowedAtOrAfter(now, zone), "outside_window");
    }
    Integer capDays = campaign.limits() == null ? null : campaign.limits().frequencyCapDays();
    if (capDays != null && capDays > 0) {
      String recipient = campaign.channel() == Channel.EMAIL ? lead.email() : lead.phone();
      Duration cap = Duration.ofDays(capDays);
      var last =
          messages.lastSentToOthers(lead.organizationId(), recipient, lead.id(), now.minus(cap));
      if (last.isPresent()) {
        return defer(
            lead,
            request,
            planner.firstAllowedAtOrAfter(last.get().plus(cap), zone),
            "frequency_cap");
      }
    }
    Reservation reservation = new Reservation(campaign, now);
    String exhausted = reservation.take();
    if (exhausted != null) {
      Instant retry = reservation.nextChance(exhausted);
      return defer(lead, request, planner.firstAllowedAtOrAfter(retry, zone), exhausted);
    }
    CampaignStep step = campaign.stepsOf(variantOf(lead)).get(request.position());
    Attempt attempt;
    try {
      attempt = transaction.execute(tx -> handOver(request, campaign, step, key, now));
    } catch (RuntimeException e) {
      // Rolled back: nothing reached the provider, no message row is left, the retry may send.
      reservation.giveBack();
      throw e;
    }
    if (attempt.result() != null) {
      // Refused, failed, or another attempt of the same step sent it: this one used nothing.
      reservation.giveBack();
      return attempt.result();
    }
    // The message is out and its SENDING row committed. Should recording the outcome fail, the
    // retry finds that row and reports the step as sent rather than sending it again.
    Message message = attempt.message();
    Instant sentAt = now(request);
    messages.markSent(message.id(), attempt.providerId(), sentAt);
    leadSteps.markSent(lead.id(), step.type().wireName(), sentAt, message.id());
    timeline.record(
        lead.organizationId(),
        campaign.id(),
        lead.id(),
        message.id(),
        step.type().wireName(),
        "sent",
        describe(message, attempt.providerId()),
        sentAt);
    return SendResult.sent(sentAt, message.id());
  }

  /**
   * Under the lead's row lock (and a share lock on the campaign), checks consent once more, records
   * the attempt and hands the message to the provider. A pause, stop or opt-out takes the same
   * locks, so it either comes before this check or waits until the message is out.
   */
  private Attempt handOver(
      SendRequest request, Campaign campaign, CampaignStep step, String key, Instant now) {
    // Campaign before lead, the order a cancel takes them in, so the two never deadlock.
    CampaignStatus campaignStatus = campaigns.lockStatusShared(campaign.id()).orElseThrow();
    Lead lead = leadQueries.lock(request.leadPk()).orElseThrow(() -> gone("lead"));
    SendResult refused = consent(lead, campaign, campaignStatus);
    if (refused != null) {
      return new Attempt(refused, null, null);
    }
    Rendered rendered = render(campaign, lead, step, key, now);
    Message message = rendered.message();
    if (!messages.begin(message)) {
      return new Attempt(resultOf(messages.byIdempotencyKey(key).orElseThrow()), null, null);
    }
    if (rendered.email() != null) {
      messageLinks.save(message.id(), rendered.email().links());
    }
    try {
      return new Attempt(null, message, deliver(campaign, rendered));
    } catch (PermanentSendFailure e) {
      messages.markFailed(message.id(), e.code(), e.getMessage());
      leadSteps.close(lead.id(), step.type().wireName(), "failed", e.code());
      timeline.record(
          lead.organizationId(),
          campaign.id(),
          lead.id(),
          message.id(),
          step.type().wireName(),
          "failed",
          e.code() + ": " + e.getMessage(),
          now);
      return new Attempt(SendResult.failed(e.code()), null, null);
    }
  }

  /** Either a result that ends the attempt, or a message handed to the provider. */
  private record Attempt(SendResult result, Message message, String providerId) {}

  /** The campaign's per-minute and daily limits, taken for one send and given back if unused. */
  private final class Reservation {
    private final Campaign campaign;
    private final Instant now;
    private final ZoneId campaignZone;
    private LocalDate day;
    private Instant minute;

    Reservation(Campaign campaign, Instant now) {
      this.campaign = campaign;
      this.now = now;
      this.campaignZone = ZoneId.of(campaign.schedule().timezone());
    }

    /**
     * @return null when both limits allow the send, else the reason of the one that does not
     */
    String take() {
      Integer perMinute = campaign.limits() == null ? null : campaign.limits().perMinute();
      Integer daily = campaign.limits() == null ? null : campaign.limits().dailyLimit();
      if (perMinute != null) {
        Instant start = now.truncatedTo(ChronoUnit.MINUTES);
        if (!minuteQuota.reserve(campaign.id(), start, perMinute)) {
          return "per_minute";
        }
        minute = start;
      }
      if (daily != null) {
        LocalDate today = LocalDate.ofInstant(now, campaignZone);
        if (!quota.reserve(campaign.id(), today, daily)) {
          giveBack();
          return "daily_limit";
        }
        day = today;
      }
      return null;
    }

    Instant nextChance(String exhausted) {
      return "per_minute".equals(exhausted)
          ? now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES)
          : LocalDate.ofInstant(now, campaignZone)
              .plusDays(1)
              .atStartOfDay(campaignZone)
              .toInstant();
    }

    void giveBack() {
      if (minute != null) {
        minuteQuota.release(campaign.id(), minute);
        minute = null;
      }
      if (day != null) {
        quota.release(campaign.id(), day);
        day = null;
      }
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
    Lead lead = leads.findById(leadPk).orElseThrow(() -> gone("lead"));
    LeadStatus status = LeadStatus.valueOf(outcome.status().toUpperCase(Locale.ROOT));
    leadQueries.transition(leadPk, status);
    String stepStatus = status == LeadStatus.CANCELLED ? "cancelled" : "skipped";
    // The step says why it was not sent (cancelled, opted_out, ...); the timeline says more.
    for (LeadStep step : leadSteps.of(leadPk)) {
      if ("scheduled".equals(step.status())) {
        leadSteps.close(leadPk, step.type(), stepStatus, status.wireName());
      }
    }
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

  /** Why this lead may not be messaged now, or null when it may. */
  private SendResult consent(Lead lead, Campaign campaign, CampaignStatus campaignStatus) {
    if (lead.status().isFinal()) {
      return SendResult.stopped(lead.status().wireName());
    }
    if (campaignStatus == CampaignStatus.CANCELLED) {
      return SendResult.stopped("cancelled");
    }
    if (lead.status() == LeadStatus.PAUSED || campaignStatus == CampaignStatus.PAUSED) {
      return SendResult.paused();
    }
    String address = campaign.channel() == Channel.EMAIL ? lead.email() : lead.phone();
    if (address == null) {
      return SendResult.stopped("failed");
    }
    if (suppressions.isSuppressed(lead.organizationId(), campaign.channel().name(), address)) {
      return SendResult.stopped("opted_out");
    }
    return null;
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

  /** A message as recorded, and for email what is handed to the relay. */
  private record Rendered(Message message, EmailComposer.ComposedEmail email) {}

  private Rendered render(
      Campaign campaign, Lead lead, CampaignStep step, String key, Instant now) {
    Map<String, Object> variables = LeadVariables.of(lead, json);
    String id = Ids.next("msg");
    boolean isEmail = campaign.channel() == Channel.EMAIL;
    EmailComposer.ComposedEmail composed =
        isEmail ? composer.compose(campaign, lead, step, id, variables) : null;
    String text =
        isEmail ? composed.text() : templates.render(step.body(), variables, Escaping.NONE);
    Message message =
        new Message(
            id,
            lead.organizationId(),
            campaign.id(),
            lead.id(),
            step.type().wireName(),
            variantOf(lead),
            campaign.channel().name(),
            key,
            isEmail ? lead.email() : lead.phone(),
            isEmail ? composed.subject() : null,
            text,
            isEmail ? composed.html() : null,
            // The Message-ID is ours to choose, so it is known before the hand-over: a reply that
            // arrives at once still finds its message.
            isEmail ? messageIdHeader(campaign, id) : null,
            MessageStatus.SENDING,
            !isEmail && !properties.twilio().sendsThroughTwilio(),
            isEmail ? null : SmsSegments.of(text).segments(),
            null,
            null,
            now,
            null);
    return new Rendered(message, composed);
  }

  private String deliver(Campaign campaign, Rendered rendered) {
    Message message = rendered.message();
    if (campaign.channel() == Channel.EMAIL) {
      return email.send(
          new OutboundEmail(
              message.providerMessageId(),
              campaign.sender().email(),
              campaign.sender().name(),
              campaign.sender().replyTo(),
              message.recipient(),
              message.subject(),
              message.bodyText(),
              message.bodyHtml(),
              rendered.email().unsubscribeUrl(),
              rendered.email().unsubscribeMailto()));
    }
    SmsReceipt receipt =
        sms.send(
            new OutboundSms(
                campaign.sender().phone(),
                message.recipient(),
                message.bodyText(),
                properties.publicUrl() + "/webhooks/twilio/status"));
    return receipt.providerId();
  }

  private static String messageIdHeader(Campaign campaign, String messageId) {
    String sender = campaign.sender().email();
    return "<" + messageId + "@" + sender.substring(sender.indexOf('@') + 1) + ">";
  }

  private SendResult resultOf(Message message) {
    if (message.status() == MessageStatus.SENDING) {
      leadSteps.markSent(message.leadPk(), message.stepType(), message.createdAt(), message.id());
    }
    return switch (message.status()) {
      case FAILED -> SendResult.failed(message.errorCode());
      // SENDING here means a worker died between handing the message over and recording the
      // outcome: it may have gone out, and a duplicate is worse than a gap.
      default ->
          SendResult.sent(
              message.sentAt() == null ? message.createdAt() : message.sentAt(), message.id());
    };
  }

  private static String describe(Message message, String providerId) {
    return (message.dryRun() ? "dry run, not handed to a carrier; " : "")
        + message.channel().toLowerCase(Locale.ROOT)
        + " to "
        + message.recipient()
        + " ("
        + providerId
        + ")";
  }

  private static String variantOf(Lead lead) {
    return lead.variant() == null ? "A" : lead.variant();
  }

  private static ApplicationFailure gone(String what) {
    return ApplicationFailure.newNonRetryableFailure(what + " no longer exists", "NotFound");
  }
}
