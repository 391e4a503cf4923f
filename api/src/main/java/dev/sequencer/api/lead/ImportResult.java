package dev.sequencer.api.lead;

import dev.sequencer.api.error.FieldError;
import java.util.List;

/** The outcome of a lead import: which rows were kept and why the others were not. */
public record ImportResult(int accepted, List<Accepted> leads, List<Rejected> rejected) {

  public record Accepted(int index, String leadId) {}

  public record Rejected(int index, String leadId, List<FieldError> errors) {}
}
