package dev.sequencer.workflows.lead;

import java.util.List;

/**
 * A lead's planned steps and the zone they were planned in.
 *
 * @param slotted whether the campaign has a daily limit, so each step reserves a slot before it
 *     waits (false in plans recorded before slots existed)
 * @param generated whether a step of the lead's variant has generated copy, written before the
 *     first step waits (false in plans recorded before generation existed)
 */
public record SequencePlan(
    String zone, List<PlannedStep> steps, boolean slotted, boolean generated) {

  public SequencePlan(String zone, List<PlannedStep> steps) {
    this(zone, steps, false, false);
  }

  public SequencePlan(String zone, List<PlannedStep> steps, boolean slotted) {
    this(zone, steps, slotted, false);
  }
}
