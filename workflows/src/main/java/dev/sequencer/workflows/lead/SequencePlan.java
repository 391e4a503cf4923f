package dev.sequencer.workflows.lead;

import java.util.List;

/** A lead's planned steps and the zone they were planned in. */
public record SequencePlan(String zone, List<PlannedStep> steps) {}
