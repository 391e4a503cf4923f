package dev.sequencer.workflows.campaign;

public record CampaignRunState(String phase, long enrolled) {}
