package dev.sequencer.workflows.lead;

import java.util.List;

/**
 * What the workflow is doing now, for queries from support tools and Temporal UI.
 *
 * @param triggerEvents how many trigger events the lead received (the enrolling one included)
 * @param lastTriggerEvent the type of the last one, or null
 * @param ending how the sequence ended, once {@code status} is {@link LeadState#ENDED}; else null
 */
public record LeadSequenceState(
    LeadState status,
    LeadEnding ending,
    int nextStep,
    List<PlannedStep> plan,
    int triggerEvents,
    String lastTriggerEvent) {

  public LeadSequenceState(
      LeadState status, LeadEnding ending, int nextStep, List<PlannedStep> plan) {
    this(status, ending, nextStep, plan, 0, null);
  }
}
