package dev.sequencer.app;

import dev.sequencer.storetest.bench.Figure;
import dev.sequencer.storetest.bench.Figures;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** 100,000 contacts imported as one CSV body over HTTP: validated, normalised and upserted. */
class ContactImportBenchmarkTest {

  private final RunningService service = RunningService.get();

  @Test
  void importsOneHundredThousandCsvRows() {
    String u = "bench" + UUID.randomUUID().toString().substring(0, 8);
    double seconds = ContactsApiTest.importCsv(service, u, 100_000);
    System.out.printf("imported 100000 contacts in %.1f s: %.0f rows/s%n", seconds, 1e5 / seconds);
    Figures.record(Figure.of("contact-import-100k-csv", seconds, "s", "<= 60"));
  }
}
