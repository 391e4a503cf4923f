package dev.sequencer.store.campaign;

import org.springframework.data.relational.core.mapping.Table;

/** An A/B variant and the share of leads it gets; variant A (the base steps) takes the rest. */
@Table("campaign_variants")
public record CampaignVariant(String name, int allocationPercentage) {
  public static final String BASE = "A";
}
