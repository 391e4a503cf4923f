package dev.sequencer.store.organization;

import java.util.Locale;
import java.util.Optional;

/** What an organization's key may do: everything, support work, or reading. */
public enum Role {
  ADMIN,
  OPERATOR,
  READ_ONLY;

  /** The role's name on the wire: {@code admin}, {@code operator}, {@code read_only}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> ofWireName(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
