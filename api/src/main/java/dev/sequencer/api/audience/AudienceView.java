package dev.sequencer.api.audience;

import dev.sequencer.store.audience.Audience;
import dev.sequencer.store.audience.Filter;
import java.time.Instant;
import java.util.List;

/** An audience as the API shows it: its definition as given, with empty parts filled in. */
record AudienceView(
    String audienceId,
    String name,
    Filter filter,
    List<String> staticMembers,
    List<String> excludedTags,
    Integer notContactedWithinDays,
    Instant createdAt,
    Instant updatedAt) {

  static AudienceView of(Audience a) {
    return new AudienceView(
        a.id(),
        a.name(),
        a.definition().filter(),
        a.definition().staticMembers(),
        a.definition().excludedTags(),
        a.definition().notContactedWithinDays(),
        a.createdAt(),
        a.updatedAt());
  }
}
