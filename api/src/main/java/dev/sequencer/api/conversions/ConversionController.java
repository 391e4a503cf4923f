package dev.sequencer.api.conversions;

import dev.sequencer.analysis.conversion.Attribution;
import dev.sequencer.analysis.conversion.ConversionRecorder;
import dev.sequencer.analysis.conversion.Conversions;
import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.store.campaign.Campaign;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/conversions}: a lead of a campaign converted (bought, booked a demo, …). It
 * counts for the campaign's metrics when it is attributed: see {@link Attribution}.
 */
@RestController
@Requires(Permission.CONTROL)
class ConversionController {

  /** Clocks disagree a little; a conversion further ahead of ours than this is refused. */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

  static final BigDecimal MAX_VALUE = new BigDecimal("1000000000000000");

  private final CampaignService campaigns;
  private final Conversions conversions;
  private final ConversionRecorder recorder;
  private final Clock clock;

  ConversionController(
      CampaignService campaigns,
      Conversions conversions,
      ConversionRecorder recorder,
      Clock clock) {
    this.campaigns = campaigns;
    this.conversions = conversions;
    this.recorder = recorder;
    this.clock = clock;
  }

  record ConversionRequest(
      String campaignId,
      String leadId,
      String email,
      String phone,
      String event,
      BigDecimal value,
      String occurredAt) {}

  /**
   * @param attributed whether the conversion counts for the campaign
   * @param basis what it was measured from: {@code message} (the last message sent before it),
   *     {@code holdout} (the holdout lead's enrolment), or null
   * @param duplicate the same conversion (lead, event, occurred_at) had been reported before; this
   *     is that one, and nothing changed
   */
  record ConversionResponse(
      String conversionId,
      String campaignId,
      String leadId,
      String event,
      BigDecimal value,
      Instant occurredAt,
      boolean attributed,
      String basis,
      String step,
      Instant basisAt,
      int attributionWindowDays,
      String reason,
      boolean duplicate) {}

  @PostMapping("/api/v1/conversions")
  @ResponseStatus(HttpStatus.ACCEPTED)
  ConversionResponse convert(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestBody ConversionRequest body) {
    if (body == null) {
      throw InvalidRequestException.of("body", "is missing");
    }
    List<FieldError> errors = new ArrayList<>();
    String campaignId = body.campaignId();
    if (campaignId == null) {
      errors.add(new FieldError("campaign_id", "is required"));
    } else if (!Ids.ID.matcher(campaignId).matches()) {
      errors.add(
          new FieldError(
              "campaign_id",
              "must be 1-128 letters, digits or . _ : @ - starting with a letter or digit"));
    }
    int identifiers =
        (body.leadId() == null ? 0 : 1)
            + (body.email() == null ? 0 : 1)
            + (body.phone() == null ? 0 : 1);
    if (identifiers != 1) {
      errors.add(new FieldError("lead_id", "give exactly one of lead_id, email or phone"));
    } else if (body.leadId() != null && !Ids.ID.matcher(body.leadId()).matches()) {
      errors.add(
          new FieldError(
              "lead_id",
              "must be 1-128 letters, digits or . _ : @ - starting with a letter or digit"));
    }
    String email = null;
    if (identifiers == 1 && body.email() != null) {
      try {
        email = EmailAddresses.normalize(body.email());
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("email", "is not a valid email address"));
      }
    }
    String event = body.event() == null ? null : body.event().strip();
    if (event == null || event.isEmpty()) {
      errors.add(new FieldError("event", "is required"));
    } else if (event.length() > 100) {
      errors.add(new FieldError("event", "must be at most 100 characters"));
    }
    BigDecimal value = body.value();
    if (value != null && value.signum() < 0) {
      errors.add(new FieldError("value", "must be 0 or more"));
    } else if (value != null && value.compareTo(MAX_VALUE) >= 0) {
      errors.add(new FieldError("value", "must be less than " + MAX_VALUE.toPlainString()));
    }
    Instant now = clock.instant();
    Instant occurredAt = now;
    if (body.occurredAt() != null) {
      try {
        occurredAt = Instant.parse(body.occurredAt());
        if (occurredAt.isAfter(now.plus(FUTURE_TOLERANCE))) {
          errors.add(new FieldError("occurred_at", "must not be in the future"));
        }
      } catch (DateTimeParseException e) {
        errors.add(
            new FieldError(
                "occurred_at", "must be an ISO-8601 instant such as 2027-11-24T15:00:00Z"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    Campaign campaign = campaigns.find(org, campaignId);
    List<Conversions.LeadRef> leads = leadsOf(campaign, body, email);
    Conversions.Stored stored = recorder.record(campaign, leads, event, value, occurredAt);
    Conversions.Conversion c = stored.conversion();
    String leadId =
        leads.stream().filter(l -> l.pk() == c.leadPk()).findFirst().orElseThrow().leadId();
    Attribution a = c.attribution();
    return new ConversionResponse(
        c.id(),
        campaign.id(),
        leadId,
        c.event(),
        c.value(),
        c.occurredAt(),
        a.attributed(),
        a.basis(),
        a.step(),
        a.basisAt(),
        a.windowDays(),
        a.reason(),
        stored.duplicate());
  }

  private List<Conversions.LeadRef> leadsOf(
      Campaign campaign, ConversionRequest body, String email) {
    List<Conversions.LeadRef> leads;
    String missing;
    if (body.leadId() != null) {
      leads = conversions.leadById(campaign.id(), body.leadId()).stream().toList();
      missing = "lead " + body.leadId() + " is not in this campaign";
    } else if (email != null) {
      leads = conversions.leadsByEmail(campaign.id(), email);
      missing = "no lead of this campaign has email " + email;
    } else {
      String phone;
      try {
        phone = PhoneNumbers.toE164(body.phone(), campaign.schedule().holidayCalendar());
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.of("phone", "must be an E.164 number such as +14155550100");
      }
      leads = conversions.leadsByPhone(campaign.id(), phone);
      missing = "no lead of this campaign has phone " + phone;
    }
    if (leads.isEmpty()) {
      throw new NotFoundException(missing);
    }
    return leads;
  }
}
