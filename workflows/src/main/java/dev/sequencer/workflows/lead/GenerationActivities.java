package dev.sequencer.workflows.lead;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface GenerationActivities {

  /**
   * Has the model write the lead's generated steps, each checked by the quality gate, and records
   * them on the lead. A step recorded before (a retry, a replay) is not written again.
   */
  void generateCopy(long leadPk);
}
