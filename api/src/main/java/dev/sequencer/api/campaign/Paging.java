package dev.sequencer.api.campaign;

import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;

public final class Paging {

  public static final int MAX_LIMIT = 500;

  private Paging() {}

  public static void check(int limit, long offset) {
    List<FieldError> errors = new ArrayList<>();
    if (limit < 1 || limit > MAX_LIMIT) {
      errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
    }
    if (offset < 0) {
      errors.add(new FieldError("offset", "must not be negative"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }
}
