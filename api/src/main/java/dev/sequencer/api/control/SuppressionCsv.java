package dev.sequencer.api.control;

import dev.sequencer.store.suppression.SuppressionQueries;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The suppression list as CSV ({@code channel,address,source,created_at}), streamed row by row. */
public final class SuppressionCsv {

  private SuppressionCsv() {}

  public static void write(
      SuppressionQueries suppressions,
      String organizationId,
      String search,
      String channel,
      HttpServletResponse response)
      throws IOException {
    response.setContentType("text/csv; charset=UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"suppressions.csv\"");
    Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
    try (CSVPrinter csv =
        CSVFormat.RFC4180
            .builder()
            .setHeader("channel", "address", "source", "created_at")
            .get()
            .print(writer)) {
      suppressions.each(
          organizationId,
          search,
          channel,
          s -> {
            try {
              csv.printRecord(
                  s.channel().toLowerCase(Locale.ROOT),
                  s.address(),
                  s.source(),
                  s.createdAt().toString());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
