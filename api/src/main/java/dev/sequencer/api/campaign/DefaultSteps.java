package dev.sequencer.api.campaign;

import dev.sequencer.api.campaign.CampaignRequest.StepBody;
import java.util.List;

/**
 * The Hook → Proof → FOMO sequence a campaign gets when it names no steps: business days 0, 3 and
 * 7, with copy that only uses variables every lead can fill (or falls back).
 */
final class DefaultSteps {

  private DefaultSteps() {}

  static List<StepBody> email() {
    return List.of(
        new StepBody(
            "hook",
            0,
            "A quick idea for {{company|your team}}",
            "Hi {{first_name|there}},\n\nI had an idea that could save {{company|your team}} a few"
                + " hours every week. Worth a 15-minute call?\n"),
        new StepBody(
            "proof",
            3,
            "How teams like {{company|yours}} use it",
            "Hi {{first_name|there}},\n\nTeams like yours cut their manual follow-ups in half in"
                + " the first month. Happy to show you how.\n"),
        new StepBody(
            "fomo",
            7,
            "Last note from me",
            "Hi {{first_name|there}},\n\nI'll close the loop here. If the timing is better later,"
                + " just reply and I'll pick it up.\n"));
  }

  static List<StepBody> sms() {
    return List.of(
        new StepBody(
            "hook",
            0,
            null,
            "Hi {{first_name|there}}, quick idea for {{company|you}}. Open to a chat?"),
        new StepBody(
            "proof",
            3,
            null,
            "Teams like {{company|yours}} halved follow-up time with us. Want the details?"),
        new StepBody(
            "fomo",
            7,
            null,
            "Last note from me, {{first_name|there}}. Reply anytime if the timing improves."));
  }
}
