package dev.sequencer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * 100,000 leads in one CSV request, streamed to the service and by the service into PostgreSQL. The
 * test JVM (and so the service in it) runs with a 768 MB heap: see the app module's pom.
 */
class CsvImportBenchmarkTest {

  static final int ROWS = 100_000;

  private final RunningService service = RunningService.get();

  @Test
  void hundredThousandLeadsInOneCsvRequest() {
    String campaign = service.createOpenEmailCampaign("Large import");
    long start = System.nanoTime();
    var response =
        service.send(
            service
                .request("/api/v1/campaigns/" + campaign + "/leads", RunningService.KEY)
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(CsvImportBenchmarkTest::csv)));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("accepted").asInt()).isEqualTo(ROWS);
    assertThat(response.json().get("rejected").size()).isZero();
    assertThat(
            service
                .get("/api/v1/campaigns/" + campaign + "/leads?limit=1")
                .json()
                .get("total")
                .asLong())
        .isEqualTo(ROWS);
    Runtime runtime = Runtime.getRuntime();
    System.out.printf(
        "BENCHMARK csv-import rows=%d millis=%d rows_per_second=%d max_heap_mb=%d%n",
        ROWS, millis, ROWS * 1000L / Math.max(millis, 1), runtime.maxMemory() / (1024 * 1024));
    Figures.record(
        Figure.of("csv-import-100k-rows", ROWS * 1000.0 / Math.max(millis, 1), "rows/s", null));
  }

  /** The CSV, generated row by row as the request body is read. */
  static InputStream csv() {
    InputStream header =
        new ByteArrayInputStream(
            "lead_id,email,first_name,company,timezone,attributes.city\n"
                .getBytes(StandardCharsets.UTF_8));
    Enumeration<InputStream> rows =
        new Enumeration<>() {
          int next;

          @Override
          public boolean hasMoreElements() {
            return next < ROWS;
          }

          @Override
          public InputStream nextElement() {
            if (next >= ROWS) {
              throw new NoSuchElementException();
            }
            int i = next++;
            String row =
                "big-"
                    + i
                    + ",lead"
                    + i
                    + "@example.com,Lead "
                    + i
                    + ",Company "
                    + (i % 977)
                    + ",America/Chicago,City "
                    + (i % 31)
                    + "\n";
            return new ByteArrayInputStream(row.getBytes(StandardCharsets.UTF_8));
          }
        };
    return new SequenceInputStream(header, new SequenceInputStream(rows));
  }
}
