package dev.sequencer.api.sender;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.AuditRecorder;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.campaign.Paging;
import dev.sequencer.api.error.ConflictException;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.api.error.NotFoundException;
import dev.sequencer.api.error.UnprocessableException;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.PhoneNumbers;
import dev.sequencer.store.campaign.Channel;
import dev.sequencer.store.sender.RegisteredSender;
import dev.sequencer.store.sender.Senders;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The addresses and numbers an organization sends from. Registering one makes it the organization's
 * alone: other organizations' campaigns cannot send from it, and what comes back to it (replies,
 * bounces, STOPs) acts only here.
 */
@RestController
@RequestMapping("/api/v1/senders")
class SenderController {

  private static final int MAX_NAME = 100;

  private final Senders senders;

  SenderController(Senders senders) {
    this.senders = senders;
  }

  record NewSenderRequest(String channel, String email, String phone, String name) {}

  record SenderResponse(
      String senderId,
      String status,
      String channel,
      String email,
      String phone,
      String name,
      String registeredBy,
      Instant createdAt) {
    static SenderResponse of(RegisteredSender sender) {
      boolean email = sender.channel() == Channel.EMAIL;
      return new SenderResponse(
          sender.id(),
          "active",
          sender.channel().wireName(),
          email ? sender.address() : null,
          email ? null : sender.address(),
          sender.name(),
          sender.registeredBy(),
          sender.createdAt());
    }
  }

  record SenderPage(
      List<SenderResponse> senders, long total, int limit, long offset, boolean hasMore) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  ResponseEntity<SenderResponse> register(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestBody NewSenderRequest body,
      HttpServletRequest request) {
    if (body == null) {
      throw InvalidRequestException.of("body", "is required");
    }
    Channel channel = channel(body.channel());
    String address = address(channel, body);
    String name = name(body.name());
    Senders.Registration registration = senders.register(org, channel, address, name, "api");
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
        .body(SenderResponse.of(owned.sender()));
  }

  @GetMapping
  SenderPage list(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    List<SenderResponse> page =
        senders.list(org, limit, offset).stream().map(SenderResponse::of).toList();
    long total = senders.count(org);
    return new SenderPage(page, total, limit, offset, offset + page.size() < total);
  }

  @GetMapping("/{senderId}")
  SenderResponse get(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String senderId) {
    return SenderResponse.of(find(org, senderId));
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

  private static String address(Channel channel, NewSenderRequest body) {
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
