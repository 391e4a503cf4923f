package dev.sequencer.workflows.lead;

import java.time.Instant;

/**
 * A step's reserved slot.
 *
 * @param reason why the slot is later than planned ({@code daily_limit}, {@code min_spacing}), or
 *     null when it is not
 */
public record SlotGrant(Instant at, String reason) {}
