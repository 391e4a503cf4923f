package dev.sequencer.workflows.campaign;

import java.time.Instant;

/**
 * @param enrolled leads enrolled by earlier runs of this execution chain (continue-as-new)
 */
public record CampaignRunInput(String campaignId, Instant startAt, long enrolled) {}
