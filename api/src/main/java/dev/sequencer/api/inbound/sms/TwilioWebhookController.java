package dev.sequencer.api.inbound.sms;

import dev.sequencer.api.error.Problems;
import dev.sequencer.api.pulse.InboundMeters;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
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
    meters.webhook("twilio_sms", "accepted");
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_XML)
        .body(inbound.handle(sms.get()));
  }

  @PostMapping("/status")
  ResponseEntity<?> status(HttpServletRequest request) {
    Optional<Map<String, String>> callback = signatures.verifiedParameters(request);
    if (callback.isEmpty()) {
      meters.webhook("twilio_status", "forbidden");
      return forbidden();
    }
    meters.webhook("twilio_status", "accepted");
    callbacks.handle(callback.get());
    return ResponseEntity.noContent().build();
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
