package dev.sequencer.api.sender;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.AuditRecorder;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.campaign.Paging;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.error.UnprocessableException;
import dev.sequencer.api.signal.WorkflowSignals;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.lead.LeadQueries;
import dev.sequencer.store.quota.SenderQuota;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.Senders;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The addresses and numbers an organization sends from, and how much each may send. Registering one
 * makes it the organization's alone: other organizations' campaigns cannot send from it, and what
 * comes back to it (replies, bounces, STOPs) acts only here. Its daily limit, ramp-up and spacing
 * hold across all of the organization's campaigns; a paused sender's leads wait until a person
 * resumes it. Passwords and keys are stored sealed and never returned.
 */
@RestController
@RequestMapping("/api/v1/senders")
class SenderController {

  private static final int MAX_NAME = 100;

  private static final Set<String> FIELDS =
      Set.of(
          "channel",
          "email",
          "phone",
          "name",
          "daily_limit",
          "ramp",
          "min_spacing_seconds",
          "timezone",
          "smtp",
          "imap",
          "dkim");

  private final Senders senders;
  private final SenderQuota quota;
  private final LeadQueries leads;
  private final WorkflowSignals signals;
  private final TransactionTemplate transaction;
  private final JsonMapper json;
  private final Clock clock;

  SenderController(
      Senders senders,
      SenderQuota quota,
      LeadQueries leads,
      WorkflowSignals signals,
      TransactionTemplate transaction,
      JsonMapper json,
      Clock clock) {
    this.senders = senders;
    this.quota = quota;
    this.leads = leads;
    this.signals = signals;
    this.transaction = transaction;
    this.json = json;
    this.clock = clock;
  }

  record SenderPage(
      List<SenderView> senders, long total, int limit, long offset, boolean hasMore) {}

  /** Why a person pauses a sender. */
  record PauseRequest(String reason) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<SenderView> register(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestBody JsonNode raw,
      HttpServletRequest request) {
    SenderBody body = body(raw);
    Channel channel = channel(body.channel());
    String address = address(channel, body);
    String name = name(body.name());
    RegisteredSender.Settings settings =
        SenderSettingsParser.parse(
            body,
            present(raw),
            channel,
            channel == Channel.EMAIL ? address : null,
            RegisteredSender.Settings.none(),
            clock);
    Senders.Registration registration =
        senders.register(org, channel, address, name, "api", settings);
    if (!(registration instanceof Senders.Registration.Owned owned)) {
      throw UnprocessableException.of(field(channel), "is registered by another organization");
    }
    if (!owned.created()) {
      throw new ConflictException(
          "this organization registered " + address + " before, as " + owned.sender().id(),
          List.of(new FieldError(field(channel), "is registered already")));
    }
    request.setAttribute(AuditRecorder.TARGET, owned.sender().id());
    return ResponseEntity.created(URI.create("/api/v1/senders/" + owned.sender().id()))
        .body(view(owned.sender()));
  }

  /**
   * Changes the parts the body names (JSON merge patch): a part set to null is removed, a password
   * or key left out of a part that is given stays as stored. The address and channel stay.
   */
  @PatchMapping("/{senderId}")
  SenderView patch(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String senderId,
      @RequestBody JsonNode raw) {
    RegisteredSender sender = find(org, senderId);
    SenderBody body = body(raw);
    Set<String> present = present(raw);
    if (present.contains("channel") || present.contains("email") || present.contains("phone")) {
      String field =
          present.contains("channel") ? "channel" : present.contains("email") ? "email" : "phone";
      throw InvalidRequestException.of(
          field, "cannot change: register the new address or number as a sender of its own");
    }
    String name = present.contains("name") ? name(body.name()) : sender.name();
    RegisteredSender.Settings settings =
        SenderSettingsParser.parse(
            body,
            present,
            sender.channel(),
            sender.channel() == Channel.EMAIL ? sender.address() : null,
            sender.settings(),
            clock);
    senders.update(org, sender.id(), name, settings);
    return view(find(org, senderId));
  }

  /** A person pauses a sender: its leads wait before their next step until it is resumed. */
  @PostMapping("/{senderId}/pause")
  @Requires(Permission.CONTROL)
  SenderView pause(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String senderId,
      @RequestBody(required = false) PauseRequest body) {
    RegisteredSender sender = find(org, senderId);
    String reason = body == null || body.reason() == null ? "paused by a person" : body.reason();
    if (reason.length() > 500 || reason.chars().anyMatch(Character::isISOControl)) {
      throw InvalidRequestException.of("reason", "must be one line of at most 500 characters");
    }
    senders.pause(sender.id(), reason, "person");
    return view(find(org, senderId));
  }

  /**
   * Lifts a pause, a person's or auto-pause's: the sender's leads that wait for it go on from where
   * they stopped.
   */
  @PostMapping("/{senderId}/resume")
  @Requires(Permission.CONTROL)
  SenderView resume(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String senderId) {
    RegisteredSender sender = find(org, senderId);
    transaction.executeWithoutResult(
        tx -> {
          if (senders.resume(org, sender.id())) {
            for (String workflowId : leads.workflowsWaitingForSender(sender.id())) {
              signals.lead(workflowId, w -> w.resume());
            }
          }
        });
    return view(find(org, senderId));
  }

  @GetMapping
  SenderPage list(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    List<SenderView> page = senders.list(org, limit, offset).stream().map(this::view).toList();
    long total = senders.count(org);
    return new SenderPage(page, total, limit, offset, offset + page.size() < total);
  }

  @GetMapping("/{senderId}")
  SenderView get(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String senderId) {
    return view(find(org, senderId));
  }

  /** Only a sender no campaign still sends from: one that has not ended would lose its sender. */
  @DeleteMapping("/{senderId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String senderId) {
    RegisteredSender sender = find(org, senderId);
    List<String> using = senders.campaignsUsing(sender);
    if (!using.isEmpty()) {
      throw new ConflictException(
          "campaigns that have not ended send from "
              + sender.address()
              + ": "
              + String.join(", ", using)
              + "; cancel them or let them complete first");
    }
    senders.delete(org, sender.id());
  }

  private SenderView view(RegisteredSender sender) {
    LocalDate today = LocalDate.now(clock.withZone(sender.capacity().zone()));
    return SenderView.of(
        sender,
        quota.used(sender.id(), today),
        today,
        SenderSettingsParser.dnsRecord(sender.dkim()));
  }

  private SenderBody body(JsonNode raw) {
    if (raw == null || !raw.isObject()) {
      throw InvalidRequestException.of("body", "must be a JSON object");
    }
    for (String field : present(raw)) {
      if (!FIELDS.contains(field)) {
        throw InvalidRequestException.of(field, "is not a sender field");
      }
    }
    return json.treeToValue(raw, SenderBody.class);
  }

  private static Set<String> present(JsonNode raw) {
    Set<String> names = new HashSet<>();
    raw.properties().forEach(field -> names.add(field.getKey()));
    return names;
  }

  private RegisteredSender find(String org, String senderId) {
    return senders
        .find(org, Ids.checked("sender_id", senderId))
        .orElseThrow(() -> new NotFoundException("sender " + senderId + " does not exist"));
  }

  private static Channel channel(String wire) {
    if ("email".equals(wire)) {
      return Channel.EMAIL;
    }
    if ("sms".equals(wire)) {
      return Channel.SMS;
    }
    throw InvalidRequestException.of("channel", "must be email or sms");
  }

  private static String address(Channel channel, SenderBody body) {
    if (channel == Channel.EMAIL) {
      if (body.phone() != null) {
        throw InvalidRequestException.of("phone", "is for sms senders; an email sender has email");
      }
      if (body.email() == null) {
        throw InvalidRequestException.of("email", "is required for email senders");
      }
      try {
        return EmailAddresses.normalize(body.email());
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.of("email", "is not a valid email address");
      }
    }
    if (body.email() != null) {
      throw InvalidRequestException.of("email", "is for email senders; an sms sender has phone");
    }
    if (body.phone() == null) {
      throw InvalidRequestException.of("phone", "is required for sms senders");
    }
    try {
      return PhoneNumbers.toE164(body.phone(), null);
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.of("phone", "is not a valid E.164 phone number");
    }
  }

  private static String name(String name) {
    if (name == null) {
      return null;
    }
    if (name.length() > MAX_NAME) {
      throw InvalidRequestException.of("name", "must be at most " + MAX_NAME + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      // It becomes the From header's display name: a line break would start a header of its own.
      throw InvalidRequestException.of(
          "name", "must not contain line breaks or control characters");
    }
    return name.strip();
  }

  private static String field(Channel channel) {
    return channel == Channel.EMAIL ? "email" : "phone";
  }
}
