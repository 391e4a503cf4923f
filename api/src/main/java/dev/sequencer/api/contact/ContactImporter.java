package dev.sequencer.api.contact;

import dev.sequencer.api.error.ApiExceptionHandler;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.lead.CsvBodies;
import dev.sequencer.api.lead.LeadFields;
import dev.sequencer.store.contact.Contact;
import dev.sequencer.store.contact.Contacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
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
        batch -> {
          try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
              throw InvalidRequestException.of("body", "must be a JSON array of contacts");
            }
            int index = 0;
            for (JsonToken token = parser.nextToken();
                token != JsonToken.END_ARRAY;
                token = parser.nextToken(), index++) {
              if (token == null) {
                throw InvalidRequestException.of("body", "ends before the array is closed");
              }
              if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                batch.reject(
                    index, null, List.of(new FieldError("[" + index + "]", "must be an object")));
                continue;
              }
              JsonNode node = parser.readValueAsTree();
              ContactRow row;
              try {
                row = json.treeToValue(node, ContactRow.class);
              } catch (JacksonException e) {
                batch.reject(
                    index,
                    node.path("contact_id").asString(null),
                    List.of(ApiExceptionHandler.fieldErrorOf(e)));
                continue;
              }
              batch.add(index, row);
            }
          } catch (JacksonException e) {
            throw InvalidRequestException.of("body", ApiExceptionHandler.notValidJson(e));
          }
        });
  }

  ContactImportResult importCsv(String organizationId, Reader body) {
    return run(
        organizationId,
        batch -> {
          try (CSVParser csv = CsvBodies.open(body)) {
            List<String> header = csv.getHeaderNames();
            checkHeader(header);
            int index = 0;
            for (CSVRecord record : csv) {
              if (record.size() != header.size()) {
                batch.reject(
                    index++,
                    null,
                    List.of(
                        new FieldError(
                            "row " + record.getRecordNumber(),
                            "has " + record.size() + " columns, the header has " + header.size())));
                continue;
              }
              batch.add(index++, rowOf(record, header));
            }
          } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw CsvBodies.malformed();
          }
        });
  }

  private static void checkHeader(List<String> header) {
    List<FieldError> errors = new ArrayList<>();
    if (header.isEmpty()) {
      errors.add(new FieldError("header", "the first row must name the columns"));
    }
    if (header.size() > MAX_COLUMNS) {
      throw InvalidRequestException.of(
          "header",
          "has "
              + header.size()
              + " columns; at most "
              + MAX_COLUMNS
              + " (the contact fields and up to "
              + LeadFields.MAX_ATTRIBUTES
              + " attributes)");
    }
    Set<String> seen = new HashSet<>();
    for (String column : header) {
      if (!CSV_COLUMNS.contains(column) && !column.startsWith("attributes.")) {
        errors.add(new FieldError(column, "is not a known column"));
      } else if (!seen.add(column)) {
        errors.add(new FieldError(column, "appears twice"));
      }
    }
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
        attributes);
  }

  /** Rows waiting to be written, and the running result. */
  private final class Batch {
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

    void add(int index, ContactRow row) {
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

    void reject(int index, String contactId, List<FieldError> errors) {
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
