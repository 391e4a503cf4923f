package dev.sequencer.api.export;

/**
 * Cells a spreadsheet would run as a formula ({@code = + - @}, or a tab or carriage return first)
 * get a leading apostrophe, as OWASP's CSV injection guidance says: the text reads the same, and
 * nothing in it runs when the file is opened.
 */
final class SpreadsheetSafe {

  private SpreadsheetSafe() {}

  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    char first = value.charAt(0);
    return first == '='
            || first == '+'
            || first == '-'
            || first == '@'
            || first == '\t'
            || first == '\r'
        ? "'" + value
        : value;
  }
}
