package dev.sequencer.api.error;

import java.util.List;

/**
 * The request is valid but not in the resource's current state (e.g. editing a running campaign).
 */
public class ConflictException extends RuntimeException {

  private final List<FieldError> errors;

  public ConflictException(String message) {
    this(message, List.of());
  }

  /**
   * @param errors the fields whose change the current state refuses, shown as the problem's {@code
   *     errors}
   */
  public ConflictException(String message, List<FieldError> errors) {
    super(message);
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
