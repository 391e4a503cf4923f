package dev.sequencer.store.testing;

import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.AutoPause;
import dev.sequencer.store.campaign.AutoWinner;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.CampaignStatus;
import dev.sequencer.store.campaign.CampaignStep;
import dev.sequencer.store.campaign.CampaignVariant;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.campaign.Limits;
import dev.sequencer.store.campaign.Schedule;
import dev.sequencer.store.campaign.Sender;
import dev.sequencer.store.campaign.StepType;
import dev.sequencer.store.campaign.StopScope;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A new (unsaved) campaign for tests. The defaults send at any instant of any day in UTC (no
 * window, every day a business day, no holiday calendar), with no limits, the Hook → Proof → FOMO
 * steps on business days 0, 3 and 7, and status {@code RUNNING}.
 */
public final class CampaignBuilder {

  private final String organizationId;
  private String id = Ids.next("cmp");
  private String name = "Test campaign";
  private Channel channel;
  private CampaignStatus status = CampaignStatus.RUNNING;
  private Sender sender;
  private int holdoutPercentage;
  private Schedule schedule =
      Schedule.of("UTC", null, null, EnumSet.allOf(DayOfWeek.class), null, Set.of(), null);
  private Limits limits = new Limits(null, null, null);
  private AutoWinner autoWinner = AutoWinner.disabled();
  private AutoPause autoPause = AutoPause.defaults();
  private Boolean trackLinks;
  private final List<CampaignStep> steps = new ArrayList<>();
  private dev.sequencer.store.campaign.CampaignGeneration generation =
      dev.sequencer.store.campaign.CampaignGeneration.defaults();
  private final List<CampaignVariant> variants = new ArrayList<>();
  private Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);

  private CampaignBuilder(String organizationId, Channel channel, Sender sender) {
    this.organizationId = organizationId;
    this.channel = channel;
    this.sender = sender;
  }

  public static CampaignBuilder email(String organizationId) {
    return new CampaignBuilder(
        organizationId, Channel.EMAIL, new Sender("ada@acme.test", "Ada Lovelace", null, null));
  }

  public static CampaignBuilder sms(String organizationId) {
    return new CampaignBuilder(
        organizationId, Channel.SMS, new Sender(null, null, "+15005550006", null));
  }

  public CampaignBuilder id(String id) {
    this.id = id;
    return this;
  }

  public CampaignBuilder name(String name) {
    this.name = name;
    return this;
  }

  public CampaignBuilder status(CampaignStatus status) {
    this.status = status;
    return this;
  }

  public CampaignBuilder sender(Sender sender) {
    this.sender = sender;
    return this;
  }

  public CampaignBuilder holdoutPercentage(int holdoutPercentage) {
    this.holdoutPercentage = holdoutPercentage;
    return this;
  }

  public CampaignBuilder schedule(Schedule schedule) {
    this.schedule = schedule;
    return this;
  }

  /**
   * A schedule in {@code timezone} with a send window, Monday to Friday, and a holiday calendar.
   */
  public CampaignBuilder weekdays(
      String timezone, LocalTime windowStart, LocalTime windowEnd, String holidayCalendar) {
    return schedule(
        Schedule.of(
            timezone,
            windowStart,
            windowEnd,
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            holidayCalendar,
            Set.<LocalDate>of(),
            null));
  }

  public CampaignBuilder limits(Limits limits) {
    this.limits = limits;
    return this;
  }

  public CampaignBuilder dailyLimit(int dailyLimit) {
    return limits(new Limits(dailyLimit, limits.perMinute(), limits.frequencyCapDays()));
  }

  public CampaignBuilder trackLinks(boolean trackLinks) {
    this.trackLinks = trackLinks;
    return this;
  }

  public CampaignBuilder autoPause(AutoPause autoPause) {
    this.autoPause = autoPause;
    return this;
  }

  public CampaignBuilder autoWinner(AutoWinner autoWinner) {
    this.autoWinner = autoWinner;
    return this;
  }

  /** Adds a step; without any, the default Hook → Proof → FOMO steps of variant A are used. */
  public CampaignBuilder step(String variant, StepType type, int day, String subject, String body) {
    steps.add(new CampaignStep(variant, type, day, subject, body));
    return this;
  }

  /** Adds a step as it is, with its own channel and fallback if it has them. */
  public CampaignBuilder step(CampaignStep step) {
    steps.add(step);
    return this;
  }

  /** Adds a step whose copy the model writes for each lead ({@code body} is the fallback). */
  public CampaignBuilder generatedStep(
      String variant,
      StepType type,
      int day,
      String subject,
      String body,
      dev.sequencer.store.campaign.StepGeneration generate) {
    steps.add(new CampaignStep(variant, type, day, subject, body, generate));
    return this;
  }

  public CampaignBuilder generation(dev.sequencer.store.campaign.CampaignGeneration generation) {
    this.generation = generation;
    return this;
  }

  public CampaignBuilder variant(String name, int allocationPercentage) {
    variants.add(new CampaignVariant(name, allocationPercentage));
    return this;
  }

  public CampaignBuilder createdAt(Instant createdAt) {
    this.createdAt = createdAt;
    return this;
  }

  public Campaign build() {
    List<CampaignStep> allSteps = steps.isEmpty() ? defaultSteps() : List.copyOf(steps);
    return new Campaign(
        id,
        organizationId,
        name,
        channel,
        status,
        sender,
        holdoutPercentage,
        schedule,
        limits,
        7,
        true,
        StopScope.LEAD,
        trackLinks != null ? trackLinks : channel == Channel.EMAIL,
        autoWinner,
        "",
        null,
        "campaign-" + id,
        null,
        createdAt,
        createdAt,
        allSteps,
        List.copyOf(variants),
        null,
        autoPause,
        null,
        1,
        generation,
        null);
  }

  private List<CampaignStep> defaultSteps() {
    boolean email = channel == Channel.EMAIL;
    return List.of(
        new CampaignStep(
            "A",
            StepType.HOOK,
            0,
            email ? "Quick idea for {{company|your team}}" : null,
            "Hi {{first_name|there}},\nAn idea for {{company|you}}."),
        new CampaignStep(
            "A", StepType.PROOF, 3, email ? "Proof" : null, "Proof for {{first_name|you}}"),
        new CampaignStep(
            "A", StepType.FOMO, 7, email ? "Last call" : null, "Last call {{first_name|}}"));
  }
}
