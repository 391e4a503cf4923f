package dev.sequencer.workflows.lead;

import java.util.List;

/** What the workflow is doing now, for queries from support tools and Temporal UI. */
public record LeadSequenceState(String status, int nextStep, List<PlannedStep> plan) {}
