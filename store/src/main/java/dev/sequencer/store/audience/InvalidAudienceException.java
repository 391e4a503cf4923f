package dev.sequencer.store.audience;

/** A part of an audience's definition that cannot be compiled, named as the API names it. */
public class InvalidAudienceException extends IllegalArgumentException {

  private final String field;

  public InvalidAudienceException(String field, String message) {
    super(field + " " + message);
    this.field = field;
  }

  /** The part, e.g. {@code filter.all[2].value} or {@code excluded_tags[0]}. */
  public String field() {
    return field;
  }

  /** The message without the field's name. */
  public String reason() {
    return getMessage().substring(field.length() + 1);
  }
}
