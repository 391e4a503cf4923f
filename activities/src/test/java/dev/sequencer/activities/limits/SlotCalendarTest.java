package dev.sequencer.activities.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sequencer.activitiestest.ActivitiesIntegrationTest;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.quota.DailyQuota;
import dev.sequencer.store.testing.CampaignBuilder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The daily limit as a calendar of slots, against hand-computed instants: a 09:00–17:00 New York
 * window (8 h) and a limit of 3 make slots 8 h / 3 = 2 h 40 min apart, at 09:00, 11:40 and 14:20,
 * each plus at most 30 s of jitter.
 */
class SlotCalendarTest extends ActivitiesIntegrationTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** Wednesday 2027-02-10, 09:00 in New York. */
  private static final Instant WEDNESDAY_NINE = Instant.parse("2027-02-10T14:00:00Z");

  @Autowired SlotCalendar slots;
  @Autowired DailyQuota quota;
  @Autowired TransactionTemplate transaction;

  @Test
  void stepsDueTogetherTakeSlotsSpreadAcrossTheWindowThenTheNextBusinessDay() {
    Campaign campaign = campaign();
    Lead lead = fixtures().lead(campaign, "slots", "Sam");

    List<SlotCalendar.Slot> taken = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String key = "lead-" + campaign.id() + "-slots-" + i + ":0";
      taken.add(
          transaction.execute(tx -> slots.reserve(campaign, lead, key, WEDNESDAY_NINE, NEW_YORK)));
    }

    assertThat(taken.get(0).at()).isCloseTo(WEDNESDAY_NINE, within(30, ChronoUnit.SECONDS));
    assertThat(taken.get(0).reason()).isNull();
    assertThat(taken.get(1).at())
        .isCloseTo(Instant.parse("2027-02-10T16:40:00Z"), within(30, ChronoUnit.SECONDS));
    assertThat(taken.get(1).reason()).isEqualTo("min_spacing");
    assertThat(taken.get(2).at())
        .isCloseTo(Instant.parse("2027-02-10T19:20:00Z"), within(30, ChronoUnit.SECONDS));
    // The day is full: Thursday 09:00 New York.
    assertThat(taken.get(3).at())
        .isCloseTo(Instant.parse("2027-02-11T14:00:00Z"), within(30, ChronoUnit.SECONDS));
    assertThat(taken.get(3).reason()).isEqualTo("daily_limit");
    assertThat(taken.get(3).day()).isEqualTo(LocalDate.parse("2027-02-11"));
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isEqualTo(3);
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-11"))).isEqualTo(1);
  }

  @Test
  void aStepAskingAgainKeepsItsSlotAndAnEndedSequenceGivesItBack() {
    Campaign campaign = campaign();
    Lead lead = fixtures().lead(campaign, "again", "Ann");
    String key = "lead-" + campaign.id() + "-again:0";

    SlotCalendar.Slot first =
        transaction.execute(tx -> slots.reserve(campaign, lead, key, WEDNESDAY_NINE, NEW_YORK));
    SlotCalendar.Slot again =
        transaction.execute(tx -> slots.reserve(campaign, lead, key, WEDNESDAY_NINE, NEW_YORK));

    assertThat(again.at()).isEqualTo(first.at());
    assertThat(again.fresh()).isFalse();
    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isEqualTo(1);

    transaction.executeWithoutResult(tx -> slots.releaseAll(lead.id()));

    assertThat(quota.used(campaign.id(), LocalDate.parse("2027-02-10"))).isZero();
    assertThat(slots.use(key)).isEmpty();
  }

  @Test
  void aStepPlannedSecondsBeforeTheWindowEndsIsNotJitteredIntoTheNextDay() {
    // Wednesday 16:59:50 New York: ten seconds of the window left, less than the 30 s jitter.
    Instant lateInTheWindow = Instant.parse("2027-02-10T21:59:50Z");
    Instant windowEnd = Instant.parse("2027-02-10T22:00:00Z");
    // Each campaign's first slot is the planned instant; its jitter (stable per key, up to 30 s)
    // would carry two thirds of them past 17:00. Twenty campaigns make an escape all but certain.
    for (int i = 0; i < 20; i++) {
      Campaign campaign = campaign();
      Lead lead = fixtures().lead(campaign, "late", "Lee");
      String key = "lead-" + campaign.id() + "-late:0";
      SlotCalendar.Slot slot =
          transaction.execute(tx -> slots.reserve(campaign, lead, key, lateInTheWindow, NEW_YORK));
      // Either inside Wednesday's window, or on a later day that holds its unit.
      if (slot.day().equals(LocalDate.parse("2027-02-10"))) {
        assertThat(slot.at()).isBefore(windowEnd);
      } else {
        assertThat(LocalDate.ofInstant(slot.at(), NEW_YORK)).isEqualTo(slot.day());
      }
    }
  }

  private Campaign campaign() {
    return fixtures()
        .save(
            CampaignBuilder.email(fixtures().organization())
                .weekdays("America/New_York", LocalTime.of(9, 0), LocalTime.of(17, 0), "US")
                .dailyLimit(3)
                .build());
  }
}
