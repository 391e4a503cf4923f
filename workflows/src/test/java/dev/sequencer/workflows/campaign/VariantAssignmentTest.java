package dev.sequencer.workflows.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.workflows.campaign.VariantAssignment.Allocation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Counts over 1,000 leads are checked against binomial ranges of about ±3.5 standard deviations:
 * wide enough for any fair hash, narrow enough to catch a skewed or constant one. The hash is
 * deterministic, so these counts never change from run to run.
 */
class VariantAssignmentTest {

  private static final List<String> LEADS =
      IntStream.range(0, 1_000).mapToObj(i -> "lead-" + i).toList();
  private static final List<Allocation> B_30 = List.of(new Allocation("B", 30));

  @Test
  void bGetsAboutItsShare() {
    Map<String, Long> counts = counts("camp-1", 0, B_30);

    // Binomial(1000, 0.3): mean 300, standard deviation 14.5.
    assertThat(counts.get("B")).isBetween(250L, 350L);
    assertThat(counts.get("A")).isEqualTo(1_000 - counts.get("B"));
    assertThat(counts).containsOnlyKeys("A", "B");
  }

  @Test
  void holdoutGetsAboutItsShareAndVariantsSplitTheRest() {
    Map<String, Long> counts = counts("camp-1", 10, B_30);

    // Binomial(1000, 0.1): mean 100, standard deviation 9.5.
    long holdout = counts.get(VariantAssignment.HOLDOUT);
    assertThat(holdout).isBetween(70L, 130L);
    // The holdout is drawn from its own hash: B keeps about 30 % of the others.
    assertThat((double) counts.get("B") / (1_000 - holdout)).isBetween(0.25, 0.35);
    assertThat(counts.get("A") + counts.get("B") + holdout).isEqualTo(1_000);
  }

  @Test
  void severalVariantsEachGetTheirShare() {
    List<Allocation> allocations = List.of(new Allocation("B", 20), new Allocation("C", 30));

    Map<String, Long> counts = counts("camp-1", 0, allocations);

    assertThat(counts.get("A")).isBetween(445L, 555L); // mean 500, sd 15.8
    assertThat(counts.get("B")).isBetween(155L, 245L); // mean 200, sd 12.6
    assertThat(counts.get("C")).isBetween(250L, 350L); // mean 300, sd 14.5
  }

  @Test
  void theSameLeadAlwaysGetsTheSameAnswer() {
    for (String lead : LEADS) {
      String first = VariantAssignment.assign("camp-1", lead, 10, B_30);
      // A fresh list with equal content, as a re-enrolment after a restart would build it.
      String again = VariantAssignment.assign("camp-1", lead, 10, List.of(new Allocation("B", 30)));
      assertThat(again).as(lead).isEqualTo(first);
    }
  }

  @Test
  void differentCampaignsSplitTheSameLeadsDifferently() {
    Set<String> inB1 = leadsIn("camp-1", "B");
    Set<String> inB2 = leadsIn("camp-2", "B");

    assertThat(inB2).isNotEqualTo(inB1);
    // Independent splits share about 0.3 × 0.3 × 1000 = 90 leads in B, not ~300.
    long inBoth = inB1.stream().filter(inB2::contains).count();
    assertThat(inBoth).isBetween(55L, 125L);
  }

  @Test
  void noHoldoutMeansNoLeadIsHeldOutAndAFullAllocationLeavesNoA() {
    assertThat(counts("camp-1", 0, B_30)).doesNotContainKey(VariantAssignment.HOLDOUT);
    assertThat(counts("camp-1", 0, List.of(new Allocation("B", 100)))).containsOnlyKeys("B");
    assertThat(counts("camp-1", 100, B_30)).containsOnlyKeys(VariantAssignment.HOLDOUT);
  }

  @Test
  void bucketsCoverTheirWholeRange() {
    List<Integer> buckets =
        LEADS.stream().map(lead -> VariantAssignment.bucket("variant", "camp-1", lead)).toList();

    assertThat(buckets).allSatisfy(b -> assertThat(b).isBetween(0, 9_999));
    // Each tenth of the range gets about 100 of the 1,000 leads (sd 9.5).
    Map<Integer, Long> tenths =
        buckets.stream().collect(Collectors.groupingBy(b -> b / 1_000, Collectors.counting()));
    assertThat(tenths).hasSize(10);
    assertThat(tenths.values()).allSatisfy(n -> assertThat(n).isBetween(65L, 135L));
  }

  private static Map<String, Long> counts(
      String campaign, int holdoutPercentage, List<Allocation> allocations) {
    return LEADS.stream()
        .map(lead -> VariantAssignment.assign(campaign, lead, holdoutPercentage, allocations))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  private static Set<String> leadsIn(String campaign, String variant) {
    return LEADS.stream()
        .filter(lead -> variant.equals(VariantAssignment.assign(campaign, lead, 0, B_30)))
        .collect(Collectors.toSet());
  }
}
