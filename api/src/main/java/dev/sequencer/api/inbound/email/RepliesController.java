package dev.sequencer.api.inbound.email;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.PhoneNumbers;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Replies from other sources (provider webhooks, manual entry), matched and classified. */
@RestController
@Requires(Permission.CONTROL)
class RepliesController {

  private final InboundReplies replies;
  private final Clock clock;

  RepliesController(InboundReplies replies, Clock clock) {
    this.replies = replies;
    this.clock = clock;
  }

  record ReplyRequest(
      String channel,
      String from,
      String body,
      String subject,
      String inReplyTo,
      String receivedAt) {}

  record Matched(String campaignId, String leadId) {}

  record ReplyResult(List<Matched> matched, String classification, String returnDate) {}

  @PostMapping("/api/v1/replies")
  @ResponseStatus(HttpStatus.ACCEPTED)
  ReplyResult reply(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @RequestBody ReplyRequest body) {
    List<FieldError> errors = new ArrayList<>();
    String channel = body.channel() == null ? "email" : body.channel();
    if (!channel.equals("email") && !channel.equals("sms")) {
      errors.add(new FieldError("channel", "must be one of email, sms"));
    }
    String from = null;
    if (body.from() == null || body.from().isBlank()) {
      errors.add(new FieldError("from", "is required"));
    } else {
      try {
        from =
            channel.equals("sms")
                ? PhoneNumbers.toE164(body.from(), null)
                : EmailAddresses.normalize(body.from());
      } catch (IllegalArgumentException e) {
        errors.add(
            new FieldError(
                "from",
                "is not a valid " + (channel.equals("sms") ? "E.164 number" : "email address")));
      }
    }
    if (body.body() == null || body.body().isBlank()) {
      errors.add(new FieldError("body", "is required"));
    }
    Instant receivedAt = clock.instant();
    if (body.receivedAt() != null) {
      try {
        receivedAt = Instant.parse(body.receivedAt());
      } catch (DateTimeParseException e) {
        errors.add(new FieldError("received_at", "must be an ISO-8601 instant"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    List<String> references = new ArrayList<>();
    if (body.inReplyTo() != null && !body.inReplyTo().isBlank()) {
      String id = body.inReplyTo().trim();
      references.add(id.startsWith("<") ? id : "<" + id + ">");
    }
    InboundReplies.Outcome outcome =
        replies.receive(
            new InboundReplies.Received(
                org,
                channel.toUpperCase(java.util.Locale.ROOT),
                null,
                from,
                body.subject(),
                body.body(),
                Map.of(),
                references,
                receivedAt));
    return new ReplyResult(
        outcome.matched().stream().map(l -> new Matched(l.campaignId(), l.leadId())).toList(),
        outcome.classification().replyClass().wireName(),
        outcome.classification().returnDate() == null
            ? null
            : outcome.classification().returnDate().toString());
  }
}
