package dev.sequencer.workflows.campaign;

import java.time.Instant;

/**
 * @param startAt the campaign's start; for a recurring campaign continuing as new, the instant
 *     after which its next run is due
 * @param enrolled leads enrolled by earlier runs of this execution chain (continue-as-new)
 * @param recurring whether the campaign runs at each occurrence of its cron for the leads added
 *     since the previous run, rather than enrolling leads as they come
 */
public record CampaignRunInput(
    String campaignId, Instant startAt, long enrolled, boolean recurring) {

  public CampaignRunInput(String campaignId, Instant startAt, long enrolled) {
    this(campaignId, startAt, enrolled, false);
  }
}
