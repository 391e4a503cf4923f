package dev.sequencer.workflows.lead;

import java.time.Instant;
import java.util.List;

/**
 * What a lead's workflow carries into its next run when its history grows long (many deferrals, a
 * long pause): everything the loop decides on, so the new run goes on where the old one stopped.
 */
public record LeadSequenceCarry(
    List<PlannedStep> plan,
    int nextStep,
    boolean pausedBySignal,
    boolean pausedInStore,
    Instant sequenceStart,
    Instant lastSentAt,
    int lastSentDay,
    boolean anchorOnPrevious,
    Instant slotFor,
    boolean slotted) {}
