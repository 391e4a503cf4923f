package dev.sequencer.api.lead;

import dev.sequencer.api.error.ApiExceptionHandler;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How an imported body is read, for leads and contacts alike: a JSON array or CSV, streamed row by
 * row into {@link Rows}; a row that cannot be read is rejected on its own, a body that is not JSON
 * or CSV at all fails the whole import.
 */
public final class ImportBodies {

  /** Where the rows of a body go. */
  public interface Rows<T> {
    void add(int index, T row);

    void reject(int index, String id, List<FieldError> errors);
  }

  /**
   * Reads a JSON array of objects as {@code type}.
   *
   * @param what the rows' plural name, for the error of a body that is not an array
   * @param idField the rows' id field, named in the rejection of a row of the wrong shape
   */
  public static <T> void readJsonArray(
      JsonMapper json, InputStream body, Class<T> type, String what, String idField, Rows<T> rows) {
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw InvalidRequestException.of("body", "must be a JSON array of " + what);
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
          rows.reject(index, null, List.of(new FieldError("[" + index + "]", "must be an object")));
          continue;
        }
        JsonNode node = parser.readValueAsTree();
        T row;
        try {
          row = json.treeToValue(node, type);
        } catch (JacksonException e) {
          rows.reject(
              index,
              node.path(idField).asString(null),
              List.of(ApiExceptionHandler.fieldErrorOf(e)));
          continue;
        }
        rows.add(index, row);
      }
    } catch (JacksonException e) {
      throw InvalidRequestException.of("body", ApiExceptionHandler.notValidJson(e));
    }
  }

  /**
   * Reads CSV: the header, checked by {@code checkHeader}, then each row as {@code rowOf} makes it;
   * a row with another number of columns than the header is rejected.
   */
  public static <T> void readCsv(
      Reader body,
      java.util.function.Consumer<List<String>> checkHeader,
      BiFunction<CSVRecord, List<String>, T> rowOf,
      Rows<T> rows) {
    try (CSVParser csv = open(body)) {
      List<String> header = csv.getHeaderNames();
      checkHeader.accept(header);
      int index = 0;
      for (CSVRecord record : csv) {
        if (record.size() != header.size()) {
          rows.reject(
              index++,
              null,
              List.of(
                  new FieldError(
                      "row " + record.getRecordNumber(),
                      "has " + record.size() + " columns, the header has " + header.size())));
          continue;
        }
        rows.add(index++, rowOf.apply(record, header));
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      throw malformed();
    }
  }

  /**
   * The errors of a header: none, too many, unknown or repeated columns; {@code attributes.<key>}
   * columns are always known.
   *
   * @param fields what the known columns are, for the error of too many ("the lead fields")
   * @throws InvalidRequestException at once when there are more than {@code maxColumns}
   */
  public static List<FieldError> headerErrors(
      List<String> header, Set<String> known, int maxColumns, String fields) {
    List<FieldError> errors = new ArrayList<>();
    if (header.isEmpty()) {
      errors.add(new FieldError("header", "the first row must name the columns"));
    }
    if (header.size() > maxColumns) {
      throw InvalidRequestException.of(
          "header",
          "has "
              + header.size()
              + " columns; at most "
              + maxColumns
              + " ("
              + fields
              + " and up to "
              + LeadFields.MAX_ATTRIBUTES
              + " attributes)");
    }
    Set<String> seen = new HashSet<>();
    for (String column : header) {
      if (!known.contains(column) && !column.startsWith("attributes.")) {
        errors.add(new FieldError(column, "is not a known column"));
      } else if (!seen.add(column)) {
        errors.add(new FieldError(column, "appears twice"));
      }
    }
    return errors;
  }

  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setIgnoreEmptyLines(true)
          .setTrim(true)
          .get();

  private ImportBodies() {}

  /**
   * A parser of the body, its header row read; a header that commons-csv cannot take is the
   * caller's error.
   */
  static CSVParser open(Reader body) throws IOException {
    try {
      return CSVParser.builder().setReader(withoutByteOrderMark(body)).setFormat(FORMAT).get();
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.of(
          "header", "every column needs a name, and each name may appear once");
    }
  }

  /** The error of a body that turned out not to be CSV while it was read. */
  static InvalidRequestException malformed() {
    return InvalidRequestException.of(
        "body",
        "is not valid CSV: each quoted field must be closed, with nothing but a comma or"
            + " the end of the line after its closing quote");
  }

  /** Spreadsheets export CSV with a UTF-8 byte-order mark, which is not part of the header. */
  private static Reader withoutByteOrderMark(Reader body) throws IOException {
    PushbackReader reader = new PushbackReader(body, 1);
    int first = reader.read();
    if (first != -1 && first != '\uFEFF') {
      reader.unread(first);
    }
    return reader;
  }
}
