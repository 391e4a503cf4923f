package dev.sequencer.api.console;

import dev.sequencer.analysis.metrics.AbTest;
import dev.sequencer.analysis.metrics.CampaignMetrics;
import dev.sequencer.analysis.metrics.Counts;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The A/B test's result as a sentence: rates, p-value, significance and the winner. */
final class AbTestWords {

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private AbTestWords() {}

  static String of(AbTest test, CampaignMetrics metrics) {
    Map<String, Counts> variants = metrics.byVariant();
    if (variants.size() < 2) {
      return "One variant: there is nothing to compare.";
    }
    List<Map.Entry<String, Counts>> ranked = new ArrayList<>(variants.entrySet());
    ranked.sort(
        Comparator.comparingDouble((Map.Entry<String, Counts> e) -> rate(test, e.getValue()))
            .reversed());
    StringBuilder words = new StringBuilder();
    String metric = test.metric() == null ? "reply rate" : test.metric().replace('_', ' ');
    for (int i = 0; i < ranked.size(); i++) {
      Map.Entry<String, Counts> e = ranked.get(i);
      words
          .append(i == 0 ? "" : i == 1 ? " vs " : ", ")
          .append(e.getKey())
          .append(i == 0 ? "'s " + metric + " " : "'s ")
          .append(percent(rate(test, e.getValue())));
    }
    words.append(String.format(Locale.ENGLISH, ", p = %.3f", test.pValue()));
    long confidence = Math.round(test.confidence() * 100);
    if (!test.minSampleReached()) {
      words.append(": too few messaged leads yet to judge");
    } else if (test.significant()) {
      words.append(", significant at ").append(confidence).append(" %");
    } else {
      words.append(", not significant at ").append(confidence).append(" %");
    }
    if (test.winner() != null) {
      words
          .append("; winner ")
          .append(test.winner())
          .append(test.decidedAt() == null ? "" : " chosen on " + DAY.format(test.decidedAt()));
    }
    return words.append('.').toString();
  }

  private static double rate(AbTest test, Counts counts) {
    return switch (test.metric() == null ? "reply_rate" : test.metric()) {
      case "positive_reply_rate" -> counts.positiveReplyRate();
      case "conversion_rate" -> counts.conversionRate();
      default -> counts.replyRate();
    };
  }

  private static String percent(double rate) {
    return String.format(Locale.ENGLISH, "%.1f %%", rate * 100);
  }
}
