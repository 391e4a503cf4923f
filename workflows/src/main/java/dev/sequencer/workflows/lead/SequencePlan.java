package dev.sequencer.workflows.lead;

import java.util.List;

/**
 * A lead's planned steps and the zone they were planned in.
 *
 * @param slotted whether the campaign has a daily limit, so each step reserves a slot before it
 *     waits (false in plans recorded before slots existed)
 */
public record SequencePlan(String zone, List<PlannedStep> steps, boolean slotted) {

  public SequencePlan(String zone, List<PlannedStep> steps) {
    this(zone, steps, false);
  }
}
