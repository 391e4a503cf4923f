package dev.sequencer.api.console;

import java.util.List;

/**
 * Bar charts as inline SVG, drawn on the server: no script, no library fetched at run time, and the
 * page's Content-Security-Policy needs no exception. Every bar carries a title (read by screen
 * readers and shown on hover) and the chart a text alternative.
 */
final class Charts {

  /** One bar: its label under it and its value. */
  record Bar(String label, long value) {}

  private static final int HEIGHT = 160;
  private static final int BAR = 28;
  private static final int GAP = 10;

  private Charts() {}

  /**
   * @param title what the chart shows, for its accessible name
   */
  static String bars(String title, List<Bar> bars) {
    long max = Math.max(1, bars.stream().mapToLong(Bar::value).max().orElse(1));
    int width = Math.max(120, bars.size() * (BAR + GAP) + GAP);
    StringBuilder svg =
        new StringBuilder()
            .append("<svg class=\"chart\" role=\"img\" width=\"")
            .append(width)
            .append("\" height=\"")
            .append(HEIGHT + 40)
            .append("\" viewBox=\"0 0 ")
            .append(width)
            .append(' ')
            .append(HEIGHT + 40)
            .append("\" aria-label=\"")
            .append(escape(title))
            .append("\"><title>")
            .append(escape(title))
            .append("</title>");
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int h = (int) Math.round((double) bar.value() / max * HEIGHT);
      int x = GAP + i * (BAR + GAP);
      svg.append("<g><title>")
          .append(escape(bar.label() + ": " + bar.value()))
          .append("</title><rect x=\"")
          .append(x)
          .append("\" y=\"")
          .append(HEIGHT - h + 14)
          .append("\" width=\"")
          .append(BAR)
          .append("\" height=\"")
          .append(h)
          .append("\" fill=\"#1d5fa8\"></rect><text x=\"")
          .append(x + BAR / 2)
          .append("\" y=\"")
          .append(HEIGHT - h + 10)
          .append("\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1a1a1a\">")
          .append(bar.value())
          .append("</text><text x=\"")
          .append(x + BAR / 2)
          .append("\" y=\"")
          .append(HEIGHT + 30)
          .append("\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1a1a1a\">")
          .append(escape(bar.label()))
          .append("</text></g>");
    }
    return svg.append("</svg>").toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
