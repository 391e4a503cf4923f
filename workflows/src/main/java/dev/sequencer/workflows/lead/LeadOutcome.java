package dev.sequencer.workflows.lead;

/** How a lead's sequence ended: the lead status it left, and why. */
public record LeadOutcome(String status, String reason) {}
