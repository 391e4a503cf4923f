package dev.sequencer.content;

/** A template that cannot be parsed; the message says what is wrong and where. */
public class TemplateSyntaxException extends IllegalArgumentException {

  private final int line;
  private final int column;

  public TemplateSyntaxException(String message, int line, int column) {
    super(message);
    this.line = line;
    this.column = column;
  }

  /** 1-based line of the offending tag, 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the offending tag, 0 when unknown. */
  public int column() {
    return column;
  }
}
