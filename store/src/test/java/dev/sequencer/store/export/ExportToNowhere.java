package dev.sequencer.store.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A process of its own that exports a campaign's leads through {@link CampaignExports} into a
 * stream that only counts, then prints {@code rows bytes}: run with a heap far smaller than the
 * export.
 */
public final class ExportToNowhere {

  public static void main(String[] args) throws IOException {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(args[0]);
    CampaignExports exports = new CampaignExports(source, new DataSourceTransactionManager(source));
    long[] bytes = {0};
    long[] rows = {0};
    OutputStream counting =
        new OutputStream() {
          @Override
          public void write(int b) {
            bytes[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            bytes[0] += len;
          }
        };
    try (Writer out = new OutputStreamWriter(counting, StandardCharsets.UTF_8)) {
      exports.export(
          args[1],
          CampaignExports.What.valueOf(args[2]),
          header -> write(out, String.join(",", header)),
          row -> {
            rows[0]++;
            write(out, String.join(",", row));
          });
    }
    System.out.println(rows[0] + " " + bytes[0]);
  }

  private static void write(Writer out, String line) {
    try {
      out.write(line);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
