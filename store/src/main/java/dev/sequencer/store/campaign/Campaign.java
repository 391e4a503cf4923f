package dev.sequencer.store.campaign;

import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A campaign as stored: its definition and lifecycle state. Steps of all variants are owned.
 *
 * @param revision 1 at creation, counted up by every change of the definition; messages record the
 *     revision they were rendered from
 * @param version optimistic lock of the aggregate, counted up by every write of the row
 */
@Table("campaigns")
public record Campaign(
    @Id String id,
    String organizationId,
    String name,
    Channel channel,
    CampaignStatus status,
    @Embedded.Empty(prefix = "sender_") Sender sender,
    int holdoutPercentage,
    @Embedded.Empty Schedule schedule,
    @Embedded.Empty Limits limits,
    int attributionWindowDays,
    boolean stopOnReply,
    StopScope stopScope,
    boolean trackLinks,
    @Embedded.Empty(prefix = "auto_winner_") AutoWinner autoWinner,
    String templateAttributes,
    Instant startAt,
    String workflowId,
    String cancelReason,
    Instant createdAt,
    Instant updatedAt,
    @MappedCollection(idColumn = "campaign_id", keyColumn = "position") List<CampaignStep> steps,
    @MappedCollection(idColumn = "campaign_id", keyColumn = "position")
        List<CampaignVariant> variants,
    String senderPool,
    @Embedded.Empty(prefix = "auto_pause_") AutoPause autoPause,
    String pauseReason,
    int revision,
    @Embedded.Empty(prefix = "generation_") CampaignGeneration generation,
    @Version Long version) {

  public Campaign withVersion(Long version) {
    return new Campaign(
        id,
        organizationId,
        name,
        channel,
        status,
        sender,
        holdoutPercentage,
        schedule,
        limits,
        attributionWindowDays,
        stopOnReply,
        stopScope,
        trackLinks,
        autoWinner,
        templateAttributes,
        startAt,
        workflowId,
        cancelReason,
        createdAt,
        updatedAt,
        steps,
        variants,
        senderPool,
        autoPause,
        pauseReason,
        revision,
        generation,
        version);
  }

  /** The same campaign sending as {@code sender}: a lead's own sender from the campaign's pool. */
  public Campaign sendingAs(Sender sender) {
    return with(channel, sender);
  }

  /**
   * The campaign as one step on {@code channel} sees it: its windows, limits, consent and provider
   * are those of that channel.
   */
  public Campaign onChannel(Channel channel) {
    return with(channel, sender);
  }

  private Campaign with(Channel channel, Sender sender) {
    return new Campaign(
        id,
        organizationId,
        name,
        channel,
        status,
        sender,
        holdoutPercentage,
        schedule,
        limits,
        attributionWindowDays,
        stopOnReply,
        stopScope,
        trackLinks,
        autoWinner,
        templateAttributes,
        startAt,
        workflowId,
        cancelReason,
        createdAt,
        updatedAt,
        steps,
        variants,
        senderPool,
        autoPause,
        pauseReason,
        revision,
        generation,
        version);
  }

  public Campaign withStatus(CampaignStatus status, Instant now) {
    return new Campaign(
        id,
        organizationId,
        name,
        channel,
        status,
        sender,
        holdoutPercentage,
        schedule,
        limits,
        attributionWindowDays,
        stopOnReply,
        stopScope,
        trackLinks,
        autoWinner,
        templateAttributes,
        startAt,
        workflowId,
        cancelReason,
        createdAt,
        now,
        steps,
        variants,
        senderPool,
        autoPause,
        pauseReason,
        revision,
        generation,
        version);
  }

  public Campaign started(Instant startAt, String workflowId, CampaignStatus status, Instant now) {
    return new Campaign(
        id,
        organizationId,
        name,
        channel,
        status,
        sender,
        holdoutPercentage,
        schedule,
        limits,
        attributionWindowDays,
        stopOnReply,
        stopScope,
        trackLinks,
        autoWinner,
        templateAttributes,
        startAt,
        workflowId,
        cancelReason,
        createdAt,
        now,
        steps,
        variants,
        senderPool,
        autoPause,
        pauseReason,
        revision,
        generation,
        version);
  }

  /** The campaign's pool of registered senders, in order; empty when it has none. */
  public List<String> senderIds() {
    return senderPool == null || senderPool.isBlank()
        ? List.of()
        : List.of(senderPool.trim().split("\\s+"));
  }

  /** The attributes the campaign's templates use without a fallback: every lead must have them. */
  public List<String> templateAttributeNames() {
    return templateAttributes == null || templateAttributes.isBlank()
        ? List.of()
        : List.of(templateAttributes.split(","));
  }

  /** Every channel a step of the campaign may go out on, the campaign's own first. */
  public java.util.Set<Channel> channels() {
    java.util.Set<Channel> channels = new java.util.LinkedHashSet<>();
    channels.add(channel);
    for (CampaignStep step : steps) {
      channels.addAll(step.route(channel));
    }
    return channels;
  }

  /**
   * Whether some step can reach a person with these addresses (any may be null): webhook and in-app
   * steps reach anyone.
   */
  public boolean reaches(String email, String phone, String whatsapp) {
    for (Channel c : channels()) {
      boolean has =
          switch (c) {
            case EMAIL -> email != null;
            case SMS -> phone != null;
            case WHATSAPP -> whatsapp != null;
            case WEBHOOK, IN_APP -> true;
          };
      if (has) {
        return true;
      }
    }
    return false;
  }

  /** Whether some step goes out on a channel other than the campaign's. */
  public boolean mixesChannels() {
    return channels().size() > 1;
  }

  /** The base steps (variant A), in order. */
  public List<CampaignStep> baseSteps() {
    return steps.stream().filter(s -> CampaignVariant.BASE.equals(s.variant())).toList();
  }

  /** The steps a lead of {@code variant} receives: the base steps with the variant's overrides. */
  public List<CampaignStep> stepsOf(String variant) {
    return baseSteps().stream()
        .map(
            base ->
                steps.stream()
                    .filter(s -> s.variant().equals(variant) && s.type() == base.type())
                    .findFirst()
                    .orElse(base))
        .toList();
  }

  /** The same campaign one revision on: its definition changed. */
  public Campaign nextRevision() {
    return new Campaign(
        id,
        organizationId,
        name,
        channel,
        status,
        sender,
        holdoutPercentage,
        schedule,
        limits,
        attributionWindowDays,
        stopOnReply,
        stopScope,
        trackLinks,
        autoWinner,
        templateAttributes,
        startAt,
        workflowId,
        cancelReason,
        createdAt,
        updatedAt,
        steps,
        variants,
        senderPool,
        autoPause,
        pauseReason,
        revision + 1,
        generation,
        version);
  }

  /**
   * Once started, leads have been planned and assigned from the steps, variants and schedule, so
   * those may no longer change (copy and name still may).
   */
  public boolean hasStarted() {
    return status != CampaignStatus.DRAFT;
  }

  /** Completed or cancelled: nothing of it changes any more. */
  public boolean hasEnded() {
    return status == CampaignStatus.COMPLETED || status == CampaignStatus.CANCELLED;
  }
}
