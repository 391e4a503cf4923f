package dev.sequencer.api.lead;

import dev.sequencer.api.error.FieldError;
import java.util.List;

/**
 * The outcome of a lead import: which rows were kept and why the others were not.
 *
 * @param flagged kept rows worth a second look: a role address ({@code info@}, {@code sales@}), an
 *     address or number another lead of the campaign already has, or (with the MX check on) an
 *     address whose domain cannot receive mail
 * @param warnings about the import as a whole, such as an MX check that DNS did not answer
 */
public record ImportResult(
    int accepted,
    List<Accepted> leads,
    List<Rejected> rejected,
    List<Flagged> flagged,
    List<String> warnings) {

  public record Accepted(int index, String leadId) {}

  /** {@code flags}: {@code role_address}, {@code duplicate}, {@code no_mx}. */
  public record Flagged(int index, String leadId, List<String> flags) {}

  public record Rejected(int index, String leadId, List<FieldError> errors) {}
}
