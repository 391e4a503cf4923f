package dev.sequencer.store.audience;

import java.util.List;

/**
 * Groups of conditions: every one of {@code all}, at least one of {@code any} (when it has any),
 * none of {@code none}. An empty filter matches every contact.
 */
public record Filter(List<Condition> all, List<Condition> any, List<Condition> none) {

  public Filter {
    all = all == null ? List.of() : List.copyOf(all);
    any = any == null ? List.of() : List.copyOf(any);
    none = none == null ? List.of() : List.copyOf(none);
  }
}
