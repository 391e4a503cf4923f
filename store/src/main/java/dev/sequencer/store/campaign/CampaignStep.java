package dev.sequencer.store.campaign;

import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.Table;

/** One step of a variant: what is sent and how many business days after the hook. */
@Table("campaign_steps")
public record CampaignStep(
    String variant,
    StepType type,
    int day,
    String subject,
    String body,
    @Embedded.Nullable(prefix = "generate_") StepGeneration generate) {

  public CampaignStep(String variant, StepType type, int day, String subject, String body) {
    this(variant, type, day, subject, body, null);
  }

  /** Whether the model writes this step's copy for each lead. */
  public boolean generated() {
    return generate != null;
  }

  /** An email follow-up without a subject of its own goes out as a reply in the hook's thread. */
  public boolean repliesInThread() {
    return type != StepType.HOOK && (subject == null || subject.isBlank());
  }
}
