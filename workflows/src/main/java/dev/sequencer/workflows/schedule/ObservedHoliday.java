package dev.sequencer.workflows.schedule;

import java.time.LocalDate;

/** A holiday on the date it is observed (a day off), with its English name. */
record ObservedHoliday(LocalDate date, String name) {}
