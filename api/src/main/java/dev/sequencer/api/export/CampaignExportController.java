package dev.sequencer.api.export;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.campaign.CampaignService;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.ServiceUnavailableException;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.export.CampaignExports;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A campaign's leads, messages or timeline events as CSV (RFC 4180), streamed as it is read: an
 * export of any size holds a page of rows in memory, and cells that a spreadsheet would run as a
 * formula are neutralised.
 */
@RestController
class CampaignExportController {

  private final CampaignService campaigns;
  private final CampaignExports exports;

  /**
   * Exports running at once in this process: each holds a database connection and a snapshot for as
   * long as its client reads, so a few slow downloads must not take the pool.
   */
  private final Semaphore running;

  CampaignExportController(
      CampaignService campaigns,
      CampaignExports exports,
      @Value("${sequencer.exports.concurrency:2}") int concurrency) {
    this.campaigns = campaigns;
    this.exports = exports;
    this.running = new Semaphore(concurrency);
  }

  @GetMapping("/api/v1/campaigns/{campaignId}/export")
  void export(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String campaignId,
      @RequestParam(required = false) String what,
      HttpServletResponse response)
      throws IOException {
    Campaign campaign = campaigns.find(org, campaignId);
    CampaignExports.What table = what(what);
    if (!running.tryAcquire()) {
      throw new ServiceUnavailableException(
          "as many exports as this service runs at once are running; try again shortly", null);
    }
    try {
      write(campaign, table, response);
    } finally {
      running.release();
    }
  }

  private void write(Campaign campaign, CampaignExports.What table, HttpServletResponse response)
      throws IOException {
    String name = campaign.id() + "-" + table.name().toLowerCase(Locale.ROOT) + ".csv";
    response.setContentType("text/csv; charset=UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
    Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
    try (CSVPrinter csv = CSVFormat.RFC4180.print(writer)) {
      boolean[] headed = {false};
      exports.export(
          campaign.id(),
          table,
          header -> {
            print(csv, header.toArray(String[]::new));
            headed[0] = true;
          },
          row -> {
            for (int i = 0; i < row.length; i++) {
              row[i] = SpreadsheetSafe.cell(row[i]);
            }
            print(csv, row);
          });
      if (!headed[0]) {
        print(csv, exports.columns(table).toArray(String[]::new));
      }
    }
  }

  private static void print(CSVPrinter csv, String[] cells) {
    try {
      csv.printRecord((Object[]) cells);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CampaignExports.What what(String what) {
    if (what == null) {
      throw InvalidRequestException.of("what", "is required: leads, messages or events");
    }
    return switch (what) {
      case "leads" -> CampaignExports.What.LEADS;
      case "messages" -> CampaignExports.What.MESSAGES;
      case "events" -> CampaignExports.What.EVENTS;
      default -> throw InvalidRequestException.of("what", "must be leads, messages or events");
    };
  }
}
