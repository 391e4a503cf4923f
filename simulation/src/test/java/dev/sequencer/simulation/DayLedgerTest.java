package dev.sequencer.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DayLedgerTest {

  private static final LocalDate DAY = LocalDate.of(2027, 1, 4);
  private static final Instant NINE = Instant.parse("2027-01-04T09:00:00Z");
  private static final Instant FIVE = Instant.parse("2027-01-04T17:00:00Z");

  @Test
  void slotsFollowTheStoresRuleSpacedUntilTheDayIsFull() {
    DayLedger ledger = new DayLedger(1, Duration.ZERO, List.of(), List.of());
    Duration fourHours = Duration.ofHours(4);
    assertThat(ledger.takeSlot("c", DAY, 2, NINE, fourHours, FIVE)).contains(NINE);
    assertThat(ledger.takeSlot("c", DAY, 2, NINE, fourHours, FIVE))
        .contains(Instant.parse("2027-01-04T13:00:00Z"));
    assertThat(ledger.takeSlot("c", DAY, 2, NINE, fourHours, FIVE)).isEmpty();
    // A slot that would start at the window's end is no slot, whatever the units left.
    assertThat(
            ledger.takeSlot(
                "c",
                DAY.plusDays(1),
                5,
                FIVE.plus(Duration.ofDays(1)),
                fourHours,
                FIVE.plus(Duration.ofDays(1))))
        .isEmpty();
  }

  @Test
  void aSampleGetsItsShareOfEachDaySpreadOverTheDays() {
    // A tenth of a limit of 125 is 12.5 a day: 12 and 13 on alternate days, 125 over ten days.
    DayLedger ledger = new DayLedger(0.1, Duration.ZERO, List.of(), List.of());
    int total = 0;
    for (int d = 0; d < 10; d++) {
      int taken = 0;
      while (ledger.takeUnit(DAY.plusDays(d), 125)) {
        taken++;
      }
      assertThat(taken).isIn(12, 13);
      total += taken;
    }
    assertThat(total).isEqualTo(125);
  }

  @Test
  void slotsAreHandedOutAtTheStartOfTheirQuarterHourButNeverBeforeTheEarliest() {
    DayLedger ledger = new DayLedger(1, Duration.ofMinutes(15), List.of(), List.of());
    Instant sevenPast = Instant.parse("2027-01-04T09:07:00Z");
    Duration tenMinutes = Duration.ofMinutes(10);
    Optional<Instant> first = ledger.takeSlot("c", DAY, 10, sevenPast, tenMinutes, FIVE);
    Optional<Instant> second = ledger.takeSlot("c", DAY, 10, sevenPast, tenMinutes, FIVE);
    Optional<Instant> third = ledger.takeSlot("c", DAY, 10, sevenPast, tenMinutes, FIVE);
    assertThat(first).contains(sevenPast);
    // 09:17 and 09:27 by the spacing, handed out as 09:15 and 09:15.
    assertThat(second).contains(Instant.parse("2027-01-04T09:15:00Z"));
    assertThat(third).contains(Instant.parse("2027-01-04T09:15:00Z"));
  }
}
