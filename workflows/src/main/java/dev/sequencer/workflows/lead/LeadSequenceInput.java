package dev.sequencer.workflows.lead;

import java.time.Instant;

/**
 * What a lead's workflow needs to start; everything else is read by activities, so the history
 * holds ids rather than copies of the campaign.
 *
 * @param sequenceStart the campaign's start, or the moment the lead joined a running campaign
 * @param carried the state of the run before, when this run continues it as new; null at first
 */
public record LeadSequenceInput(
    String organizationId,
    String campaignId,
    String leadId,
    long leadPk,
    Instant sequenceStart,
    LeadSequenceCarry carried) {

  public LeadSequenceInput(
      String organizationId, String campaignId, String leadId, long leadPk, Instant sequenceStart) {
    this(organizationId, campaignId, leadId, leadPk, sequenceStart, null);
  }

  LeadSequenceInput continuedWith(LeadSequenceCarry state) {
    return new LeadSequenceInput(organizationId, campaignId, leadId, leadPk, sequenceStart, state);
  }
}
