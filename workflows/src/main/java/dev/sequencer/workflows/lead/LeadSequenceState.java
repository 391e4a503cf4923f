package dev.sequencer.workflows.lead;

import java.util.List;

/**
 * What the workflow is doing now, for queries from support tools and Temporal UI.
 *
 * @param ending how the sequence ended, once {@code status} is {@link LeadState#ENDED}; else null
 */
public record LeadSequenceState(
    LeadState status, LeadEnding ending, int nextStep, List<PlannedStep> plan) {}
