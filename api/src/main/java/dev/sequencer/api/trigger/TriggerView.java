package dev.sequencer.api.trigger;

import dev.sequencer.store.audience.Condition;
import dev.sequencer.store.trigger.CampaignTriggers;
import dev.sequencer.store.trigger.Trigger;
import java.time.Instant;
import java.util.List;

/**
 * A campaign's trigger as the API shows it.
 *
 * @param activatedAt when the campaign was activated; null before
 */
public record TriggerView(
    String event,
    List<Condition> conditions,
    int delayMinutes,
    Trigger.Frequency frequency,
    Trigger.QuietHours quietHours,
    Instant activatedAt) {

  public static TriggerView of(CampaignTriggers.Stored stored) {
    Trigger t = stored.trigger();
    return new TriggerView(
        t.event(),
        t.conditions(),
        t.delayMinutes(),
        t.frequency(),
        t.quietHours(),
        stored.activatedAt());
  }
}
