package dev.sequencer.workflows.campaign;

import io.temporal.activity.ActivityInterface;

/** The campaign's A/B analysis, kept out of workflow code. */
@ActivityInterface
public interface AnalysisActivities {

  /**
   * Decides the A/B test when auto-winner is on, enough leads were messaged and the difference is
   * significant (and passes the opt-out guardrail); once decided, leads whose hook has not gone out
   * are switched to the winner's steps.
   *
   * @return the winning variant, or null while there is none
   */
  String checkAutoWinner(String campaignId);
}
