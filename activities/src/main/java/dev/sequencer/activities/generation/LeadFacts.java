package dev.sequencer.activities.generation;

import java.util.Map;

/** What the model may know about a lead: its fields and attributes, nothing else. */
public record LeadFacts(
    String organizationId,
    String firstName,
    String lastName,
    String company,
    String title,
    Map<String, String> attributes) {}
