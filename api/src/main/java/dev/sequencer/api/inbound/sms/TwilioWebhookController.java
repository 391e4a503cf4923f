package dev.sequencer.api.inbound.sms;

import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.Problems;
import dev.sequencer.api.pulse.InboundMeters;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's webhooks: inbound messages ({@code /sms}, answered with TwiML) and delivery status
 * callbacks ({@code /status}). Outside {@code /api}, so no API key: each request proves its origin
 * with {@code X-Twilio-Signature} instead, and a request without a valid one gets 403 and changes
 * nothing.
 */
@RestController
@RequestMapping("/webhooks/twilio")
class TwilioWebhookController {

  /** Two letters (SM, MM) and 32 hexadecimal digits. */
  private static final Pattern MESSAGE_SID = Pattern.compile("[A-Z]{2}[0-9a-fA-F]{32}");

  private final TwilioSignatures signatures;
  private final InboundSms inbound;
  private final DeliveryCallbacks callbacks;
  private final InboundMeters meters;

  TwilioWebhookController(
      TwilioSignatures signatures,
      InboundSms inbound,
      DeliveryCallbacks callbacks,
      InboundMeters meters) {
    this.signatures = signatures;
    this.inbound = inbound;
    this.callbacks = callbacks;
    this.meters = meters;
  }

  @PostMapping("/sms")
  ResponseEntity<?> sms(HttpServletRequest request) {
    Optional<Map<String, String>> sms = signatures.verifiedParameters(request);
    if (sms.isEmpty()) {
      meters.webhook("twilio_sms", "forbidden");
      return forbidden();
    }
    Optional<ResponseEntity<?>> malformed = malformed(sms.get());
    if (malformed.isPresent()) {
      meters.webhook("twilio_sms", "malformed");
      return malformed.get();
    }
    meters.webhook("twilio_sms", "accepted");
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_XML)
        .body(inbound.handle(sms.get()));
  }

  @PostMapping("/status")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  ResponseEntity<?> status(HttpServletRequest request) {
    Optional<Map<String, String>> callback = signatures.verifiedParameters(request);
    if (callback.isEmpty()) {
      meters.webhook("twilio_status", "forbidden");
      return forbidden();
    }
    Optional<ResponseEntity<?>> malformed = malformed(callback.get());
    if (malformed.isPresent()) {
      meters.webhook("twilio_status", "malformed");
      return malformed.get();
    }
    meters.webhook("twilio_status", "accepted");
    callbacks.handle(callback.get());
    return ResponseEntity.noContent().build();
  }

  /**
   * What Twilio never sends, even correctly signed: a NUL character (which no text column can
   * store) or a MessageSid that is not one.
   */
  private static Optional<ResponseEntity<?>> malformed(Map<String, String> form) {
    for (Map.Entry<String, String> field : form.entrySet()) {
      if (field.getValue() != null && field.getValue().indexOf('\u0000') >= 0) {
        return Optional.of(badRequest(field.getKey(), "must not contain NUL characters"));
      }
    }
    String sid = form.get("MessageSid");
    if (sid != null && !MESSAGE_SID.matcher(sid).matches()) {
      return Optional.of(badRequest("MessageSid", "is not a Twilio message SID"));
    }
    return Optional.empty();
  }

  private static ResponseEntity<?> badRequest(String field, String message) {
    return ResponseEntity.badRequest()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.invalid(List.of(new FieldError(field, message))));
  }

  private static ResponseEntity<?> forbidden() {
    return ResponseEntity.status(HttpStatus.FORBIDDEN)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(
            Problems.of(
                HttpStatus.FORBIDDEN,
                "the request does not carry a valid X-Twilio-Signature for this service"));
  }
}
