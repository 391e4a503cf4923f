package dev.sequencer.api.error;

import java.util.List;

/**
 * The request is valid in itself but refers to something its organization may not use (an address
 * or number it has not registered, or another organization's): 422 with the fields.
 */
public class UnprocessableException extends InvalidRequestException {

  public UnprocessableException(List<FieldError> errors) {
    super(errors);
  }

  public static UnprocessableException of(String field, String message) {
    return new UnprocessableException(List.of(new FieldError(field, message)));
  }
}
