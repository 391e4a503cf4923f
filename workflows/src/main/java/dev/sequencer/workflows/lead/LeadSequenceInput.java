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
 */
public record LeadSequenceInput(
    String organizationId,
    String campaignId,
    String leadId,
    long leadPk,
    Instant sequenceStart,
    LeadSequenceCarry carried,
    Duration sendTimeout) {

  /** A send attempt's start-to-close timeout unless the input names another. */
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofMinutes(2);

  public LeadSequenceInput(
      String organizationId, String campaignId, String leadId, long leadPk, Instant sequenceStart) {
    this(organizationId, campaignId, leadId, leadPk, sequenceStart, null, null);
  }

  /** This input with a send timeout other than the default. */
  public LeadSequenceInput withSendTimeout(Duration timeout) {
    return new LeadSequenceInput(
        organizationId, campaignId, leadId, leadPk, sequenceStart, carried, timeout);
  }

  LeadSequenceInput continuedWith(LeadSequenceCarry state) {
    return new LeadSequenceInput(
        organizationId, campaignId, leadId, leadPk, sequenceStart, state, sendTimeout);
  }

  Duration sendTimeoutOrDefault() {
    return sendTimeout == null ? DEFAULT_SEND_TIMEOUT : sendTimeout;
  }
}
