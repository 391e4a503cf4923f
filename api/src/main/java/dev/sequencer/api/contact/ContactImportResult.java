package dev.sequencer.api.contact;

import dev.sequencer.api.error.FieldError;
import java.util.List;

/** The outcome of a contact import: which rows were kept and why the others were not. */
public record ContactImportResult(int accepted, List<Accepted> contacts, List<Rejected> rejected) {

  public record Accepted(int index, String contactId) {}

  public record Rejected(int index, String contactId, List<FieldError> errors) {}
}
