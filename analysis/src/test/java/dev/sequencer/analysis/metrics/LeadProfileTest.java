package dev.sequencer.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.store.campaign.StepType;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The definitions of the counts, on packed profiles as {@code lead_metrics.profile} has them. */
class LeadProfileTest {

  static final int HOOK = 1;
  static final int PROOF = 2;
  static final int FOMO = 4;

  /** Packs like the generated column: sent, delivered, opened, clicked, replied step, flags. */
  static int pack(
      int sent,
      int delivered,
      int opened,
      int clicked,
      int repliedStep,
      boolean positive,
      boolean optedOut,
      boolean bounced,
      boolean failed,
      boolean converted) {
    return sent
        | delivered << 4
        | opened << 8
        | clicked << 12
        | repliedStep << 16
        | (positive ? 1 << 20 : 0)
        | (optedOut ? 1 << 21 : 0)
        | (bounced ? 1 << 22 : 0)
        | (failed ? 1 << 23 : 0)
        | (converted ? 1 << 24 : 0);
  }

  static LeadProfile profile(String variant, String status, int profile, long leads, long sent) {
    return new LeadProfile(variant, status, profile, leads, sent, 0, BigDecimal.ZERO);
  }

  @Test
  void stepBitsFollowTheSequenceOrder() {
    assertThat(LeadProfile.bitOf(StepType.HOOK)).isEqualTo(HOOK);
    assertThat(LeadProfile.bitOf(StepType.PROOF)).isEqualTo(PROOF);
    assertThat(LeadProfile.bitOf(StepType.FOMO)).isEqualTo(FOMO);
  }

  @Test
  void decodesEveryField() {
    LeadProfile p =
        profile(
            "A",
            "REPLIED",
            pack(HOOK | PROOF, HOOK, PROOF, PROOF, PROOF, true, true, true, true, true),
            1,
            2);
    assertThat(p.sentSteps()).isEqualTo(3);
    assertThat(p.deliveredSteps()).isEqualTo(1);
    assertThat(p.openedSteps()).isEqualTo(2);
    assertThat(p.clickedSteps()).isEqualTo(2);
    assertThat(p.repliedSteps()).isEqualTo(2);
    assertThat(p.positive()).isTrue();
    assertThat(p.optedOut()).isTrue();
    assertThat(p.bounced()).isTrue();
    assertThat(p.failed()).isTrue();
    assertThat(p.converted()).isTrue();
    assertThat(profile("A", "ACTIVE", 0, 1, 0).replied()).isFalse();
  }

  @Test
  void outcomesCountOnlyForMessagedLeadsExceptFailures() {
    // Opted out (status and event) and converted before any message was sent: none of it counts.
    LeadProfile unmessaged =
        new LeadProfile(
            "A",
            "OPTED_OUT",
            pack(0, 0, 0, 0, 0, false, true, false, false, true),
            3,
            0,
            0,
            new BigDecimal("30"));
    // A hook that could not be handed over fails the lead: counted although never messaged.
    LeadProfile failed =
        profile("A", "FAILED", pack(0, 0, 0, 0, 0, false, false, false, true, false), 2, 0);
    Counts counts = unmessaged.counts().plus(failed.counts());
    assertThat(counts.leads()).isEqualTo(5);
    assertThat(counts.messaged()).isZero();
    assertThat(counts.optedOut()).isZero();
    assertThat(counts.converted()).isZero();
    assertThat(counts.conversionValue()).isEqualByComparingTo("0");
    assertThat(counts.failed()).isEqualTo(2);
  }

  @Test
  void theLeadStatusAlsoMarksOptOutsAndBounces() {
    Counts optedOut =
        profile("B", "OPTED_OUT", pack(HOOK, 0, 0, 0, 0, false, false, false, false, false), 4, 4)
            .counts();
    assertThat(optedOut.optedOut()).isEqualTo(4);
    Counts bounced =
        profile("B", "BOUNCED", pack(HOOK, 0, 0, 0, 0, false, false, false, false, false), 2, 2)
            .counts();
    assertThat(bounced.bounced()).isEqualTo(2);
  }

  @Test
  void foldsIntoTotalsVariantsHoldoutAndSteps() {
    List<LeadProfile> profiles =
        List.of(
            // 10 leads of A: hook and proof sent, replied (positively) to the proof, converted.
            new LeadProfile(
                "A",
                "REPLIED",
                pack(HOOK | PROOF, 0, HOOK, 0, PROOF, true, false, false, false, true),
                10,
                20,
                0,
                new BigDecimal("100.50")),
            // 5 leads of B: hook only, delivered and opened.
            profile(
                "B",
                "ACTIVE",
                pack(HOOK, HOOK, HOOK, 0, 0, false, false, false, false, false),
                5,
                5),
            // 4 holdout leads, one converted; 1 pending lead.
            profile(null, "HOLDOUT", pack(0, 0, 0, 0, 0, false, false, false, false, true), 1, 0),
            profile(null, "HOLDOUT", 0, 3, 0),
            profile(null, "PENDING", 0, 1, 0));
    CampaignMetrics m = LeadProfile.fold("cmp_x", List.of("A", "B", "C"), profiles);

    assertThat(m.totals().leads()).isEqualTo(20);
    assertThat(m.totals().holdout()).isEqualTo(4);
    assertThat(m.totals().messaged()).isEqualTo(15);
    assertThat(m.totals().sent()).isEqualTo(25);
    assertThat(m.totals().opened()).isEqualTo(15);
    assertThat(m.totals().replied()).isEqualTo(10);
    assertThat(m.totals().positiveReplies()).isEqualTo(10);
    assertThat(m.totals().converted()).isEqualTo(10);
    assertThat(m.totals().conversionValue()).isEqualByComparingTo("100.50");
    assertThat(m.byVariant()).containsOnlyKeys("A", "B", "C");
    assertThat(m.byVariant().get("C")).isEqualTo(Counts.ZERO);
    assertThat(m.byVariant().get("A").replyRate()).isEqualTo(1.0);
    assertThat(m.byVariant().get("B").leads()).isEqualTo(5);
    assertThat(m.holdout().leads()).isEqualTo(4);
    assertThat(m.holdout().converted()).isEqualTo(1);
    // Messaged 10/15 converted against a holdout 1/4: lift (2/3 − 1/4) / (1/4) = 5/3.
    assertThat(m.lift()).isCloseTo(5.0 / 3, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(m.byStep()).containsOnlyKeys("hook", "proof", "fomo");
    assertThat(m.byStep().get("hook")).isEqualTo(new StepCounts(15, 5, 15, 0, 0, 0));
    assertThat(m.byStep().get("proof")).isEqualTo(new StepCounts(10, 0, 0, 0, 10, 10));
    assertThat(m.byStep().get("fomo")).isEqualTo(StepCounts.ZERO);
  }
}
