package dev.sequencer.api.campaign;

import dev.sequencer.api.error.InvalidRequestException;
import java.util.regex.Pattern;

/** Path ids: server ids ({@code cmp_…}) and caller lead ids share one safe alphabet. */
public final class Ids {

  /**
   * Letters, digits and {@code . _ : @ -}, 1 to 128 characters, starting with a letter or digit.
   */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

  private Ids() {}

  public static String checked(String field, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw InvalidRequestException.of(
          field, "must be 1-128 letters, digits or . _ : @ - starting with a letter or digit");
    }
    return id;
  }
}
