package dev.sequencer.workflows.schedule;

import java.time.Instant;

/**
 * A planned step.
 *
 * @param type the step type
 * @param day the step's business-day offset from the hook
 * @param scheduledAt when the step is to be sent
 * @param reason why the step was moved ({@link SendPlanner#reasonNotAllowed}), or null when it was
 *     not moved
 */
public record StepPlan(String type, int day, Instant scheduledAt, String reason) {}
