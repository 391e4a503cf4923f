package dev.sequencer.workflows.lead;

import java.time.Duration;
import java.time.Instant;

/**
 * What a lead's workflow needs to start; everything else is read by activities, so the history
 * holds ids rather than copies of the campaign.
 *
 * @param sequenceStart the campaign's start, or the moment the lead joined a running campaign
 * @param carried the state of the run before, when this run continues it as new; null at first
 * @param sendTimeout how long one attempt of a send may take (its start-to-close timeout, and so
 *     how long a dead worker's attempt holds the step); null for the default of two minutes
 * @param planned the lead's plan, made and stored by enrolment with the rest of its page, so that
 *     the first workflow task needs no planning of its own; null when the run plans it (leads
 *     started before enrolment planned, and runs started elsewhere)
 */
public record LeadSequenceInput(
    String organizationId,
    String campaignId,
    String leadId,
    long leadPk,
    Instant sequenceStart,
    LeadSequenceCarry carried,
    Duration sendTimeout,
    SequencePlan planned) {

  /** A send attempt's start-to-close timeout unless the input names another. */
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofMinutes(2);

  public LeadSequenceInput(
      String organizationId, String campaignId, String leadId, long leadPk, Instant sequenceStart) {
    this(organizationId, campaignId, leadId, leadPk, sequenceStart, null, null, null);
  }

  public LeadSequenceInput(
      String organizationId,
      String campaignId,
      String leadId,
      long leadPk,
      Instant sequenceStart,
      LeadSequenceCarry carried,
      Duration sendTimeout) {
    this(organizationId, campaignId, leadId, leadPk, sequenceStart, carried, sendTimeout, null);
  }

  /** This input with a send timeout other than the default. */
  public LeadSequenceInput withSendTimeout(Duration timeout) {
    return new LeadSequenceInput(
        organizationId, campaignId, leadId, leadPk, sequenceStart, carried, timeout, planned);
  }

  /** This input with the plan enrolment made. */
  public LeadSequenceInput withPlan(SequencePlan plan) {
    return new LeadSequenceInput(
        organizationId, campaignId, leadId, leadPk, sequenceStart, carried, sendTimeout, plan);
  }

  LeadSequenceInput continuedWith(LeadSequenceCarry state) {
    // A continued run carries its plan in its state, not the first run's.
    return new LeadSequenceInput(
        organizationId, campaignId, leadId, leadPk, sequenceStart, state, sendTimeout, null);
  }

  Duration sendTimeoutOrDefault() {
    return sendTimeout == null ? DEFAULT_SEND_TIMEOUT : sendTimeout;
  }
}
