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
import dev.sequencer.store.message.MessageStatus;
import dev.sequencer.store.message.Messages;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.suppression.Suppressions;
import dev.sequencer.workflows.lead.LeadOutcome;
import dev.sequencer.workflows.lead.SendActivities;
import dev.sequencer.workflows.lead.SendRequest;
import dev.sequencer.workflows.lead.SendResult;
import dev.sequencer.workflows.schedule.SendPlanner;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
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
    String stop = consentStop(lead, campaign);
    if (stop != null) {
      return SendResult.stopped(stop);
    }
    Instant now = clock.instant();
    ZoneId zone = ZoneId.of(lead.timezone());
    SendPlanner planner = new SendPlanner(CampaignSchedules.rulesOf(campaign));
    if (!planner.isAllowed(now, zone)) {
      // A timer that fired late (worker down overnight) must not send outside the window.
      return defer(lead, request, planner.firstAllowedAtOrAfter(now, zone), "outside_window");
    }
    LocalDate quotaDay = null;
    Integer dailyLimit = campaign.limits() == null ? null : campaign.limits().dailyLimit();
    if (dailyLimit != null) {
      ZoneId campaignZone = ZoneId.of(campaign.schedule().timezone());
      quotaDay = LocalDate.ofInstant(now, campaignZone);
      if (!quota.reserve(campaign.id(), quotaDay, dailyLimit)) {
        Instant nextDay = quotaDay.plusDays(1).atStartOfDay(campaignZone).toInstant();
        return defer(lead, request, planner.firstAllowedAtOrAfter(nextDay, zone), "daily_limit");
      }
    }
    CampaignStep step = campaign.stepsOf(variantOf(lead)).get(request.position());
    Message message = render(campaign, lead, step, key, now);
    if (!messages.begin(message)) {
      return resultOf(messages.byIdempotencyKey(key).orElseThrow());
    }
    try {
      String providerId = deliver(campaign, message);
      Instant sentAt = clock.instant();
      messages.markSent(message.id(), providerId, sentAt);
      leadSteps.markSent(lead.id(), step.type().wireName(), sentAt, message.id());
      timeline.record(
          lead.organizationId(),
          campaign.id(),
          lead.id(),
          message.id(),
          step.type().wireName(),
          "sent",
          describe(message, providerId),
          sentAt);
      return SendResult.sent(sentAt, message.id());
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
          clock.instant());
      if (quotaDay != null) {
        quota.release(campaign.id(), quotaDay);
      }
      return SendResult.failed(e.code());
    } catch (RuntimeException e) {
      // Nothing reached the provider: forget the attempt so the retry may send.
      messages.discard(message.id());
      if (quotaDay != null) {
        quota.release(campaign.id(), quotaDay);
      }
      throw e;
    }
  }

  @Override
  public void finishSequence(long leadPk, LeadOutcome outcome) {
    Lead lead = leads.findById(leadPk).orElseThrow(() -> gone("lead"));
    LeadStatus status = LeadStatus.valueOf(outcome.status().toUpperCase(Locale.ROOT));
    leadQueries.transition(leadPk, status);
    String stepStatus = status == LeadStatus.CANCELLED ? "cancelled" : "skipped";
    String reason = outcome.reason() == null ? status.wireName() : outcome.reason();
    for (LeadStep step : leadSteps.of(leadPk)) {
      if ("scheduled".equals(step.status())) {
        leadSteps.close(leadPk, step.type(), stepStatus, reason);
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

  /** Why this lead may not be messaged now, as the lead status to end with; null when it may. */
  private String consentStop(Lead lead, Campaign campaign) {
    if (lead.status().isFinal()) {
      return lead.status().wireName();
    }
    if (campaign.status() == CampaignStatus.CANCELLED) {
      return "cancelled";
    }
    String channel = campaign.channel().name();
    String address = campaign.channel() == Channel.EMAIL ? lead.email() : lead.phone();
    if (address == null) {
      return "failed";
    }
    if (suppressions.isSuppressed(lead.organizationId(), channel, address)) {
      return "opted_out";
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

  private Message render(Campaign campaign, Lead lead, CampaignStep step, String key, Instant now) {
    Map<String, Object> variables = LeadVariables.of(lead, json);
    String text = templates.render(step.body(), variables, Escaping.NONE);
    boolean isEmail = campaign.channel() == Channel.EMAIL;
    String subject =
        isEmail && step.subject() != null
            ? templates.render(step.subject(), variables, Escaping.NONE)
            : null;
    String html = isEmail ? htmlOf(templates.render(step.body(), variables, Escaping.HTML)) : null;
    return new Message(
        Ids.next("msg"),
        lead.organizationId(),
        campaign.id(),
        lead.id(),
        step.type().wireName(),
        variantOf(lead),
        campaign.channel().name(),
        key,
        isEmail ? lead.email() : lead.phone(),
        subject,
        text,
        html,
        null,
        MessageStatus.SENDING,
        !isEmail && !properties.twilio().sendsThroughTwilio(),
        isEmail ? null : SmsSegments.of(text).segments(),
        null,
        null,
        now,
        null);
  }

  private String deliver(Campaign campaign, Message message) {
    if (campaign.channel() == Channel.EMAIL) {
      String domain =
          campaign.sender().email().substring(campaign.sender().email().indexOf('@') + 1);
      return email.send(
          new OutboundEmail(
              "<" + message.id() + "@" + domain + ">",
              campaign.sender().email(),
              campaign.sender().name(),
              campaign.sender().replyTo(),
              message.recipient(),
              message.subject(),
              message.bodyText(),
              message.bodyHtml()));
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

  private SendResult resultOf(Message message) {
    return switch (message.status()) {
      case FAILED -> SendResult.failed(message.errorCode());
      // SENDING here means a worker died between handing the message over and recording the
      // outcome: it may have gone out, and a duplicate is worse than a gap.
      default ->
          SendResult.sent(
              message.sentAt() == null ? message.createdAt() : message.sentAt(), message.id());
    };
  }

  private static String htmlOf(String escapedBody) {
    StringBuilder html = new StringBuilder("<html><body>");
    for (String paragraph : escapedBody.split("\\R\\s*\\R")) {
      html.append("<p>").append(paragraph.replaceAll("\\R", "<br>")).append("</p>");
    }
    return html.append("</body></html>").toString();
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
