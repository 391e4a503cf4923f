package dev.sequencer.workflows.schedule;

/**
 * A step of a campaign sequence as far as planning is concerned.
 *
 * @param type the step type ("hook", "proof", "fomo", ...)
 * @param day business days after the hook; 0 for the hook
 */
public record StepSpec(String type, int day) {}
