package dev.sequencer.activities.analysis;

import dev.sequencer.analysis.AutoWinnerCheck;
import dev.sequencer.analysis.Decision;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.workflows.campaign.AnalysisActivities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

@Component
public class AnalysisActivitiesImpl implements AnalysisActivities {

  private static final Logger log = LoggerFactory.getLogger(AnalysisActivitiesImpl.class);

  private final AutoWinnerCheck check;
  private final LeadQueries leads;

  public AnalysisActivitiesImpl(AutoWinnerCheck check, LeadQueries leads) {
    this.check = check;
    this.leads = leads;
  }

  @Override
  public String checkAutoWinner(String campaignId) {
    return check
        .check(campaignId)
        .map(
            decision -> {
              int switched = leads.switchUnsentTo(campaignId, decision.winner());
              if (switched > 0) {
                log.info(
                    "campaign {}: {} lead(s) whose hook has not gone out now get variant {}",
                    campaignId,
                    switched,
                    decision.winner());
              }
              return decision;
            })
        .map(Decision::winner)
        .orElse(null);
  }
}
