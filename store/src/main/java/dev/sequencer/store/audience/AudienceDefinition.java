package dev.sequencer.store.audience;

import java.util.List;

/**
 * What makes a contact a member of a saved audience. A contact is a member when it matches the
 * filter or is one of the static members, and, either way, carries none of the excluded tags and
 * was not contacted within the last {@code notContactedWithinDays} days. The exclusions hold for
 * static members too: they are the guards against messaging the wrong people or too often, and a
 * hand-picked list is no reason to lift them.
 *
 * <p>An audience with static members and a filter without conditions is exactly its static members;
 * with neither, the filter matches every contact.
 *
 * @param staticMembers contact ids included whatever the filter says
 * @param notContactedWithinDays null when the last contact does not matter
 */
public record AudienceDefinition(
    Filter filter,
    List<String> staticMembers,
    List<String> excludedTags,
    Integer notContactedWithinDays) {

  public AudienceDefinition {
    filter = filter == null ? new Filter(null, null, null) : filter;
    staticMembers = staticMembers == null ? List.of() : List.copyOf(staticMembers);
    excludedTags = excludedTags == null ? List.of() : List.copyOf(excludedTags);
  }

  /** Whether the filter takes part: it has conditions, or there is no list to stand for it. */
  boolean filtersContacts() {
    return filterConditions() > 0 || staticMembers.isEmpty();
  }

  int filterConditions() {
    return filter.all().size() + filter.any().size() + filter.none().size();
  }
}
