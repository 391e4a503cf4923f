package dev.sequencer.workflows.lead;

import java.time.LocalDate;

/**
 * The lead is away: the sequence pauses until the business day after {@code returnDate}, or for
 * five business days when the reply named no date.
 */
public record OutOfOffice(LocalDate returnDate) {}
