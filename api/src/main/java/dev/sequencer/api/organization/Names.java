package dev.sequencer.api.organization;

import dev.sequencer.api.error.InvalidRequestException;

/** Names people give organizations and keys: shown in lists and logs, so plain one-line text. */
final class Names {

  static final int MAX_LENGTH = 200;

  private Names() {}

  static String checked(String field, String name) {
    if (name == null || name.isBlank()) {
      throw InvalidRequestException.of(field, "is required");
    }
    if (name.length() > MAX_LENGTH) {
      throw InvalidRequestException.of(field, "must be at most " + MAX_LENGTH + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw InvalidRequestException.of(field, "must not contain control characters");
    }
    return name.strip();
  }
}
