package dev.sequencer.storetest.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Locale;

/**
 * One figure of the bench command: a value, the baseline measured in the same run where there is
 * one (bare Temporal doing the same amount of work), their ratio, and the goal the figure is held
 * to — on the ratio when there is a baseline, on the value otherwise.
 *
 * @param goal {@code ">= 0.8"}, {@code "<= 512"}, or null for a figure without a goal
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(
    value = {"ratio", "met"},
    allowGetters = true)
@JsonPropertyOrder({"figure", "value", "unit", "baseline", "ratio", "goal", "met"})
public record Figure(String figure, double value, String unit, Double baseline, String goal) {

  /** A figure compared with its baseline; both are rates, so more is better. */
  public static Figure against(
      String figure, double value, String unit, double baseline, String goal) {
    return new Figure(figure, round(value), unit, round(baseline), goal);
  }

  /** A figure without a baseline. */
  public static Figure of(String figure, double value, String unit, String goal) {
    return new Figure(figure, round(value), unit, null, goal);
  }

  @JsonProperty
  public Double ratio() {
    return baseline == null || baseline == 0 ? null : round(value / baseline);
  }

  /** Whether the goal is met; null when the figure has none. */
  @JsonProperty
  public Boolean met() {
    if (goal == null) {
      return null;
    }
    String[] parts = goal.trim().split("\\s+");
    double target = Double.parseDouble(parts[1]);
    double actual = baseline != null ? ratio() : value;
    return switch (parts[0]) {
      case ">=" -> actual >= target;
      case "<=" -> actual <= target;
      default -> throw new IllegalArgumentException("goal " + goal + ": use >= or <=");
    };
  }

  /** One row of the table the bench command prints. */
  String row() {
    return String.format(
        Locale.ROOT,
        "| %-34s | %12s %-9s | %12s | %6s | %-8s | %-4s |",
        figure,
        number(value),
        unit,
        baseline == null ? "" : number(baseline),
        ratio() == null ? "" : number(ratio()),
        goal == null ? "" : goal,
        met() == null ? "" : met() ? "yes" : "NO");
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "");
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
