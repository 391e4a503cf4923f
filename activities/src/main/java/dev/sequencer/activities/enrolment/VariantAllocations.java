package dev.sequencer.activities.enrolment;

import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.workflows.campaign.VariantAssignment;
import java.util.List;
import java.util.Optional;

/** The variants' shares new leads are assigned by, for enrolment and for a simulation of it. */
public final class VariantAllocations {

  private VariantAllocations() {}

  /**
   * The campaign's shares; once the A/B test has a winner, new leads all get the winner (the
   * holdout is still drawn first, so lift stays measurable).
   */
  public static List<VariantAssignment.Allocation> of(Campaign campaign, Optional<String> winner) {
    if (winner.isPresent()) {
      return VariantAssignment.BASE.equals(winner.get())
          ? List.of()
          : List.of(new VariantAssignment.Allocation(winner.get(), 100));
    }
    return campaign.variants().stream()
        .map(v -> new VariantAssignment.Allocation(v.name(), v.allocationPercentage()))
        .toList();
  }
}
