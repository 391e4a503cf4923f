package dev.sequencer.api.contact;

import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.lead.ImportBodies;
import dev.sequencer.api.lead.LeadFields;
import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.Contacts;
import java.io.InputStream;
import java.io.Reader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVRecord;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Upserts contacts from a JSON array or CSV, streaming: rows are validated and written a thousand
 * at a time, each thousand in one statement. The whole import is one transaction, so a body that
 * turns out malformed half-way changes nothing. A contact id repeated in one import ends with its
 * last row's fields.
 */
@Service
class ContactImporter {

  static final int BATCH = 1000;
  static final Set<String> CSV_COLUMNS =
      Set.of(
          "contact_id",
          "email",
          "phone",
          "whatsapp",
          "first_name",
          "last_name",
          "company",
          "title",
          "timezone",
          "tags");

  static final int MAX_COLUMNS = CSV_COLUMNS.size() + LeadFields.MAX_ATTRIBUTES;

  private final Contacts contacts;
  private final JsonMapper json;
  private final TransactionTemplate transaction;
  private final Clock clock;

  ContactImporter(
      Contacts contacts, JsonMapper json, TransactionTemplate transaction, Clock clock) {
    this.contacts = contacts;
    this.json = json;
    this.transaction = transaction;
    this.clock = clock;
  }

  private ContactImportResult run(String organizationId, Consumer<Batch> parse) {
    return transaction.execute(
        tx -> {
          Batch batch = new Batch(organizationId, clock.instant());
          parse.accept(batch);
          batch.flush();
          return batch.result();
        });
  }

  ContactImportResult importJson(String organizationId, InputStream body) {
    return run(
        organizationId,
        batch ->
            ImportBodies.readJsonArray(
                json, body, ContactRow.class, "contacts", "contact_id", batch));
  }

  ContactImportResult importCsv(String organizationId, Reader body) {
    return run(
        organizationId,
        batch ->
            ImportBodies.readCsv(
                body, ContactImporter::checkHeader, ContactImporter::rowOf, batch));
  }

  private static void checkHeader(List<String> header) {
    List<FieldError> errors =
        ImportBodies.headerErrors(header, CSV_COLUMNS, MAX_COLUMNS, "the contact fields");
    if (!header.contains("contact_id")) {
      errors.add(new FieldError("contact_id", "is a required column"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }

  private static ContactRow rowOf(CSVRecord record, List<String> header) {
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
    String tags = values.get("tags");
    return new ContactRow(
        values.get("contact_id"),
        values.get("email"),
        values.get("phone"),
        values.get("first_name"),
        values.get("last_name"),
        values.get("company"),
        values.get("title"),
        values.get("timezone"),
        tags == null ? List.of() : Arrays.asList(tags.split(";")),
        attributes,
        values.get("whatsapp"));
  }

  /** Rows waiting to be written, and the running result. */
  private final class Batch implements ImportBodies.Rows<ContactRow> {
    private final String organizationId;
    private final Instant at;

    /** The pending rows by contact id: a later row of the same id replaces the earlier one. */
    private final Map<String, Contact> pending = new LinkedHashMap<>();

    private final List<ContactImportResult.Accepted> accepted = new ArrayList<>();
    private final List<ContactImportResult.Rejected> rejected = new ArrayList<>();

    Batch(String organizationId, Instant at) {
      this.organizationId = organizationId;
      this.at = at;
    }

    @Override
    public void add(int index, ContactRow row) {
      List<FieldError> errors = ContactValidator.newErrors();
      Optional<Contact> contact = ContactValidator.validate(row, organizationId, at, errors);
      if (contact.isEmpty()) {
        reject(index, row.contactId(), errors);
        return;
      }
      pending.remove(contact.get().contactId());
      pending.put(contact.get().contactId(), contact.get());
      accepted.add(new ContactImportResult.Accepted(index, contact.get().contactId()));
      if (pending.size() == BATCH) {
        flush();
      }
    }

    @Override
    public void reject(int index, String contactId, List<FieldError> errors) {
      rejected.add(new ContactImportResult.Rejected(index, contactId, errors));
    }

    void flush() {
      if (pending.isEmpty()) {
        return;
      }
      contacts.upsertAll(organizationId, new ArrayList<>(pending.values()), at);
      pending.clear();
    }

    ContactImportResult result() {
      return new ContactImportResult(accepted.size(), accepted, rejected);
    }
  }
}
