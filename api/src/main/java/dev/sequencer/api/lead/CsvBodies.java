package dev.sequencer.api.lead;

import dev.sequencer.api.error.InvalidRequestException;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/** How an imported CSV body is read, for leads and contacts alike. */
public final class CsvBodies {

  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setIgnoreEmptyLines(true)
          .setTrim(true)
          .get();

  private CsvBodies() {}

  /**
   * A parser of the body, its header row read; a header that commons-csv cannot take is the
   * caller's error.
   */
  public static CSVParser open(Reader body) throws IOException {
    try {
      return CSVParser.builder().setReader(withoutByteOrderMark(body)).setFormat(FORMAT).get();
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.of(
          "header", "every column needs a name, and each name may appear once");
    }
  }

  /** The error of a body that turned out not to be CSV while it was read. */
  public static InvalidRequestException malformed() {
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
