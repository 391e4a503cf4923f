package dev.sequencer.store.campaign;

import org.springframework.data.relational.core.mapping.Table;

/** One step of a variant: what is sent and how many business days after the hook. */
@Table("campaign_steps")
public record CampaignStep(String variant, StepType type, int day, String subject, String body) {}
