package dev.sequencer.workflows.lead;

import java.time.Instant;

/**
 * Asks for the slot of a step of a campaign with a daily limit, keyed like the step's message.
 *
 * @param plannedAt when the plan says the step is due; the slot is never earlier
 */
public record SlotRequest(String workflowId, long leadPk, int position, Instant plannedAt) {}
