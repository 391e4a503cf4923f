package dev.sequencer.api.lead;

import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.content.RoleAddresses;
import dev.sequencer.store.Ids;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.lead.LeadWriter;
import dev.sequencer.store.suppression.Suppressions;
import java.io.InputStream;
import java.io.Reader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVRecord;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports leads from a JSON array or CSV, streaming: rows are validated and written in batches, so
 * a 100,000-row file never sits in memory. The whole import is one transaction, so a body that
 * turns out malformed half-way changes nothing.
 */
@Service
public class LeadImporter {

  static final int BATCH = 1000;
  static final Set<String> CSV_COLUMNS =
      Set.of(
          "lead_id",
          "email",
          "phone",
          "whatsapp",
          "first_name",
          "last_name",
          "company",
          "title",
          "timezone");

  static final int MAX_COLUMNS = CSV_COLUMNS.size() + LeadValidator.MAX_ATTRIBUTES;

  private final LeadWriter writer;
  private final LeadQueries leadQueries;
  private final Suppressions suppressions;
  private final JsonMapper json;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final MxCheck mxCheck;

  LeadImporter(
      LeadWriter writer,
      LeadQueries leadQueries,
      Suppressions suppressions,
      JsonMapper json,
      TransactionTemplate transaction,
      Clock clock,
      MxCheck mxCheck) {
    this.writer = writer;
    this.leadQueries = leadQueries;
    this.suppressions = suppressions;
    this.json = json;
    this.transaction = transaction;
    this.clock = clock;
    this.mxCheck = mxCheck;
  }

  /**
   * Runs {@code parse} in the import's transaction, then waits for the MX answers (if the check is
   * on) after the commit, so no database connection is held while DNS answers.
   */
  private ImportResult run(Campaign campaign, java.util.function.Consumer<Batch> parse) {
    try (MxCheck.Run mx = mxCheck.start()) {
      Batch batch =
          transaction.execute(
              tx -> {
                Batch rows = new Batch(campaign, mx);
                parse.accept(rows);
                rows.flush();
                return rows;
              });
      return batch.result();
    }
  }

  public ImportResult importJson(Campaign campaign, InputStream body) {
    return run(
        campaign,
        batch -> ImportBodies.readJsonArray(json, body, LeadRow.class, "leads", "lead_id", batch));
  }

  public ImportResult importCsv(Campaign campaign, Reader body) {
    return run(
        campaign,
        batch -> ImportBodies.readCsv(body, LeadImporter::checkHeader, LeadImporter::rowOf, batch));
  }

  private static void checkHeader(List<String> header) {
    List<FieldError> errors =
        ImportBodies.headerErrors(header, CSV_COLUMNS, MAX_COLUMNS, "the lead fields");
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }

  private static LeadRow rowOf(CSVRecord record, List<String> header) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String column = header.get(i);
      String value = record.get(i);
      if (column.startsWith("attributes.")) {
        if (!value.isEmpty()) {
          attributes.put(column.substring("attributes.".length()), value);
        }
      } else {
        values.put(column, value.isEmpty() ? null : value);
      }
    }
    return new LeadRow(
        values.get("lead_id"),
        values.get("email"),
        values.get("phone"),
        values.get("first_name"),
        values.get("last_name"),
        values.get("company"),
        values.get("title"),
        values.get("timezone"),
        attributes,
        values.get("whatsapp"));
  }

  private static String domainOf(String address) {
    return address.substring(address.lastIndexOf('@') + 1);
  }

  /** An accepted row whose address's domain is looked up. */
  private record MxCandidate(int index, String leadId, String domain) {}

  /** Rows waiting to be written, and the running result. */
  private final class Batch implements ImportBodies.Rows<LeadRow> {
    private final Campaign campaign;
    private final List<String> requiredAttributes;
    private final List<Integer> indexes = new ArrayList<>(BATCH);
    private final List<LeadValidator.ValidLead> pending = new ArrayList<>(BATCH);
    private final List<ImportResult.Accepted> accepted = new ArrayList<>();
    private final List<ImportResult.Rejected> rejected = new ArrayList<>();
    private final List<ImportResult.Flagged> flagged = new ArrayList<>();

    /** The addresses (or numbers) of this import's accepted rows, to flag a second one. */
    private final Set<String> seen = new HashSet<>();

    private final MxCheck.Run mx;

    /**
     * Whether the campaign had leads before this import: if not, an address is a duplicate only
     * within the import ({@link #seen}), and no batch needs to look in the table.
     */
    private final boolean campaignHadLeads;

    /** The accepted rows whose domain is being looked up, in index order. */
    private final List<MxCandidate> mxCandidates = new ArrayList<>();

    Batch(Campaign campaign, MxCheck.Run mx) {
      this.campaign = campaign;
      this.campaignHadLeads = leadQueries.hasLeads(campaign.id());
      this.requiredAttributes = campaign.templateAttributeNames();
      this.mx = mx;
    }

    @Override
    public void add(int index, LeadRow row) {
      List<FieldError> errors = LeadValidator.newErrors();
      Optional<LeadValidator.ValidLead> lead =
          LeadValidator.validate(row, campaign, requiredAttributes, errors);
      if (lead.isEmpty()) {
        reject(index, row.leadId(), errors);
        return;
      }
      indexes.add(index);
      pending.add(lead.get());
      if (mxCheck.enabled() && campaign.channel() == Channel.EMAIL) {
        // Looked up from now on, while the rest of the body is read and written.
        mx.check(domainOf(lead.get().email()));
      }
      if (pending.size() == BATCH) {
        flush();
      }
    }

    @Override
    public void reject(int index, String leadId, List<FieldError> errors) {
      rejected.add(new ImportResult.Rejected(index, leadId, errors));
    }

    /** The result, once the rows are written: waits for the MX answers within their budget. */
    ImportResult result() {
      rejected.sort((a, b) -> Integer.compare(a.index(), b.index()));
      MxCheck.Outcome outcome = mx.finish();
      List<ImportResult.Flagged> all = flagged;
      if (!outcome.noMail().isEmpty()) {
        TreeMap<Integer, ImportResult.Flagged> byIndex = new TreeMap<>();
        flagged.forEach(f -> byIndex.put(f.index(), f));
        for (MxCandidate candidate : mxCandidates) {
          if (outcome.noMail().contains(candidate.domain())) {
            ImportResult.Flagged before = byIndex.get(candidate.index());
            List<String> flags = new ArrayList<>(before == null ? List.of() : before.flags());
            flags.add("no_mx");
            byIndex.put(
                candidate.index(),
                new ImportResult.Flagged(
                    candidate.index(), candidate.leadId(), List.copyOf(flags)));
          }
        }
        all = new ArrayList<>(byIndex.values());
      }
      return new ImportResult(accepted.size(), accepted, rejected, all, outcome.warnings());
    }

    void flush() {
      if (pending.isEmpty()) {
        return;
      }
      boolean email = campaign.channel() == Channel.EMAIL;
      // A campaign on one channel suppresses the lead at once; one whose steps mix channels checks
      // each step's route when it is due (an address suppressed on one channel may be reached on
      // another, unless it opted out).
      Channel only = campaign.mixesChannels() ? null : campaign.channel();
      Set<String> suppressed =
          only == null || !only.suppressible()
              ? Set.of()
              : suppressions.suppressedAmong(
                  campaign.organizationId(),
                  only.name(),
                  pending.stream().map(l -> l.addressOn(only)).filter(a -> a != null).toList());
      Instant now = clock.instant();
      List<Lead> leads = new ArrayList<>(pending.size());
      for (LeadValidator.ValidLead l : pending) {
        String leadId = l.leadId() == null ? Ids.next("ld") : l.leadId();
        String primary = only == null ? null : l.addressOn(only);
        LeadStatus status =
            primary != null && suppressed.contains(primary)
                ? LeadStatus.SUPPRESSED
                : LeadStatus.PENDING;
        leads.add(
            new Lead(
                null,
                campaign.organizationId(),
                campaign.id(),
                leadId,
                l.email(),
                l.phone(),
                l.firstName(),
                l.lastName(),
                l.company(),
                l.title(),
                l.timezone(),
                json.writeValueAsString(l.attributes()),
                status,
                null,
                null,
                now,
                now,
                null,
                l.whatsapp()));
      }
      List<String> addresses =
          leads.stream().map(l -> email ? l.email() : l.phone()).filter(a -> a != null).toList();
      Set<String> alreadyThere =
          campaignHadLeads ? leadQueries.addressesAmong(campaign.id(), email, addresses) : Set.of();
      boolean[] inserted = writer.insert(leads);
      for (int i = 0; i < leads.size(); i++) {
        if (inserted[i]) {
          accepted.add(new ImportResult.Accepted(indexes.get(i), leads.get(i).leadId()));
          String address = email ? leads.get(i).email() : leads.get(i).phone();
          List<String> flags = new ArrayList<>(2);
          if (email && address != null && RoleAddresses.isRole(address)) {
            flags.add("role_address");
          }
          if (address != null && (alreadyThere.contains(address) || !seen.add(address))) {
            flags.add("duplicate");
          }
          if (email && address != null && mxCheck.enabled()) {
            mxCandidates.add(
                new MxCandidate(indexes.get(i), leads.get(i).leadId(), domainOf(address)));
          }
          if (!flags.isEmpty()) {
            flagged.add(
                new ImportResult.Flagged(
                    indexes.get(i), leads.get(i).leadId(), List.copyOf(flags)));
          }
        } else {
          reject(
              indexes.get(i),
              leads.get(i).leadId(),
              List.of(new FieldError("lead_id", "is already in this campaign")));
        }
      }
      indexes.clear();
      pending.clear();
    }
  }
}
