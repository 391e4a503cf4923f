package dev.sequencer.workflows.schedule;

import java.time.LocalTime;

/** The daily send window in lead local time: from {@code start} up to, excluding, {@code end}. */
final class SendWindow {

  private final LocalTime start;
  private final LocalTime end; // null = end of day

  SendWindow(LocalTime start, LocalTime end) {
    this.start = start == null ? LocalTime.MIDNIGHT : start;
    this.end = end;
  }

  /** The first local time of a day at which sending is allowed. */
  LocalTime start() {
    return start;
  }

  boolean contains(LocalTime time) {
    return !time.isBefore(start) && (end == null || time.isBefore(end));
  }

  /** Whether no time of day is in the window. */
  boolean isEmpty() {
    return end != null && !end.isAfter(start);
  }

  /** The part of this window inside {@code hours}; empty when they do not overlap. */
  SendWindow within(CallingHours.Hours hours) {
    LocalTime from = hours.start().isAfter(start) ? hours.start() : start;
    LocalTime to = end == null || hours.end().isBefore(end) ? hours.end() : end;
    return new SendWindow(from, to);
  }

  @Override
  public String toString() {
    return start + "-" + (end == null ? "24:00" : end);
  }
}
