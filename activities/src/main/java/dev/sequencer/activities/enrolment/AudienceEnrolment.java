package dev.sequencer.activities.enrolment;

import dev.sequencer.store.audience.Audience;
import dev.sequencer.store.audience.AudienceMembers;
import dev.sequencer.store.audience.AudienceMembers.Member;
import dev.sequencer.store.audience.Audiences;
import dev.sequencer.store.audience.CampaignAudiences;
import dev.sequencer.store.audience.MemberLeads;
import dev.sequencer.store.campaign.Campaign;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadStatus;
import dev.sequencer.store.suppression.Suppressions;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes the members of a campaign's audience leads of the campaign, before its pending leads are
 * enrolled: a page of members at a time by contact key, each page reported so a retry resumes after
 * it. A member already a lead of the campaign is left as it is, so a retry after a crash, or a
 * recurring campaign's next run, adds only the members not yet there. A one-time campaign does this
 * once, at its start.
 */
@Component
class AudienceEnrolment {

  static final int PAGE = 1_000;

  private static final JsonMapper JSON = JsonMapper.shared();

  private final Audiences audiences;
  private final CampaignAudiences links;
  private final AudienceMembers members;
  private final MemberLeads memberLeads;
  private final Suppressions suppressions;
  private final Clock clock;

  AudienceEnrolment(
      Audiences audiences,
      CampaignAudiences links,
      AudienceMembers members,
      MemberLeads memberLeads,
      Suppressions suppressions,
      Clock clock) {
    this.audiences = audiences;
    this.links = links;
    this.members = members;
    this.memberLeads = memberLeads;
    this.suppressions = suppressions;
    this.clock = clock;
  }

  /**
   * Adds the audience's members after the contact key {@code afterPk} as leads, reporting the last
   * contact key of each page to {@code progress}.
   *
   * @return how many leads were added
   */
  long addMembers(Campaign campaign, long afterPk, LongConsumer progress) {
    Optional<Audience> linked = audiences.ofCampaign(campaign.id());
    if (linked.isEmpty()) {
      return 0;
    }
    boolean recurring =
        campaign.schedule().recurrence() != null && !campaign.schedule().recurrence().isBlank();
    if (!recurring && links.enrolledAt(campaign.id()).isPresent()) {
      return 0;
    }
    Audience audience = linked.get();
    if (!audience.organizationId().equals(campaign.organizationId())) {
      throw new IllegalStateException(
          "campaign " + campaign.id() + " links an audience of another organization");
    }
    Instant now = clock.instant();
    long added = 0;
    for (List<Member> page = members.after(audience, now, afterPk, PAGE);
        !page.isEmpty();
        page = members.after(audience, now, afterPk, PAGE)) {
      added += addPage(campaign, page, now);
      afterPk = page.get(page.size() - 1).pk();
      progress.accept(afterPk);
    }
    links.markEnrolled(campaign.id(), now);
    return added;
  }

  /**
   * One page: members without an address for the campaign's channel, or without an attribute its
   * templates need, are left out; a suppressed address makes a suppressed lead, as a lead import
   * does.
   */
  private int addPage(Campaign campaign, List<Member> page, Instant now) {
    List<String> required = campaign.templateAttributeNames();
    List<Member> reachable =
        page.stream()
            .filter(m -> campaign.reaches(m.email(), m.phone(), m.whatsapp()))
            .filter(m -> hasAll(m, required))
            .toList();
    // A campaign on one channel suppresses a member by that channel's address; one whose steps mix
    // channels leaves it to each step's route.
    Channel only =
        !campaign.mixesChannels()
                && (campaign.channel() == Channel.EMAIL || campaign.channel() == Channel.SMS)
            ? campaign.channel()
            : null;
    Set<String> suppressed =
        only == null
            ? Set.of()
            : suppressions.suppressedAmong(
                campaign.organizationId(),
                only.name(),
                reachable.stream().map(m -> addressOf(m, only)).toList());
    List<Lead> leads = new ArrayList<>(reachable.size());
    List<Long> contacts = new ArrayList<>(reachable.size());
    for (Member m : reachable) {
      leads.add(
          new Lead(
              null,
              campaign.organizationId(),
              campaign.id(),
              m.contactId(),
              m.email(),
              m.phone(),
              m.firstName(),
              m.lastName(),
              m.company(),
              m.title(),
              zoneOr(m.timezone(), campaign.schedule().timezone()),
              m.attributes(),
              only != null && suppressed.contains(addressOf(m, only))
                  ? LeadStatus.SUPPRESSED
                  : LeadStatus.PENDING,
              null,
              null,
              now,
              now,
              null,
              m.whatsapp()));
      contacts.add(m.pk());
    }
    return leads.isEmpty() ? 0 : memberLeads.insert(leads, contacts);
  }

  private static String addressOf(Member member, Channel channel) {
    return channel == Channel.EMAIL ? member.email() : member.phone();
  }

  /**
   * Whether the member has every attribute the campaign's templates use without a fallback: a lead
   * import refuses a lead without one, and a member without one is left out the same way.
   */
  private static boolean hasAll(Member member, List<String> required) {
    if (required.isEmpty()) {
      return true;
    }
    JsonNode attributes = JSON.readTree(member.attributes());
    for (String name : required) {
      JsonNode value = attributes.get(name);
      if (value == null || value.isNull() || value.asString().isBlank()) {
        return false;
      }
    }
    return true;
  }

  /** The contact's zone when it is one, else the campaign's. */
  private static String zoneOr(String zone, String campaignZone) {
    if (zone == null || zone.isBlank()) {
      return campaignZone;
    }
    try {
      ZoneId.of(zone);
      return zone;
    } catch (DateTimeException e) {
      return campaignZone;
    }
  }
}
