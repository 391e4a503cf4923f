package dev.sequencer.workflows.lead;

/**
 * Ends a sequence from outside: {@code status} is the lead status it ends with ({@code replied},
 * {@code opted_out}, {@code bounced}, {@code cancelled}).
 */
public record Stop(LeadEnding status, String reason) {}
