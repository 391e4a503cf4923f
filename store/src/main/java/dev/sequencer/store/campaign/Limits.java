package dev.sequencer.store.campaign;

/** Sending limits; a null field means no limit of that kind. */
public record Limits(Integer dailyLimit, Integer perMinute, Integer frequencyCapDays) {}
