package dev.sequencer.api.control;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.AuditRecorder;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.error.FieldError;
import dev.sequencer.api.error.InvalidRequestException;
import dev.sequencer.content.EmailAddresses;
import dev.sequencer.content.PhoneNumbers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/opt-outs")
@Requires(Permission.CONTROL)
class OptOutController {

  private final OptOuts optOuts;

  OptOutController(OptOuts optOuts) {
    this.optOuts = optOuts;
  }

  record OptOutRequest(String email, String phone, String reason, String whatsapp) {}

  record OptOutResult(String channel, String address, int stoppedSequences) {}

  record ResubscribeResult(String channel, String address, boolean wasSuppressed) {}

  @PostMapping
  @ResponseStatus(HttpStatus.ACCEPTED)
  OptOutResult optOut(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestBody OptOutRequest body,
      HttpServletRequest request) {
    Target target = target(body);
    request.setAttribute(AuditRecorder.TARGET, target.address());
    int stopped =
        optOuts.optOut(org, target.channel(), target.address(), "api", body.reason()).size();
    return new OptOutResult(target.channel().toLowerCase(), target.address(), stopped);
  }

  @DeleteMapping
  @ResponseStatus(HttpStatus.ACCEPTED)
  ResubscribeResult resubscribe(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestBody OptOutRequest body,
      HttpServletRequest request) {
    Target target = target(body);
    request.setAttribute(AuditRecorder.TARGET, target.address());
    boolean was =
        optOuts.resubscribe(org, target.channel(), target.address(), "api", body.reason());
    return new ResubscribeResult(target.channel().toLowerCase(), target.address(), was);
  }

  private record Target(String channel, String address) {}

  private static Target target(OptOutRequest body) {
    long given =
        body == null
            ? 0
            : java.util.stream.Stream.of(body.email(), body.phone(), body.whatsapp())
                .filter(java.util.Objects::nonNull)
                .count();
    if (given != 1) {
      throw new InvalidRequestException(
          List.of(new FieldError("email", "give exactly one of email, phone or whatsapp")));
    }
    if (body.whatsapp() != null) {
      try {
        return new Target(OptOuts.WHATSAPP, PhoneNumbers.toE164(body.whatsapp(), null));
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.of(
            "whatsapp", "must be an E.164 number such as +14155550100");
      }
    }
    if (body.email() != null) {
      try {
        return new Target(OptOuts.EMAIL, EmailAddresses.normalize(body.email()));
      } catch (IllegalArgumentException e) {
        throw InvalidRequestException.of("email", "is not a valid email address");
      }
    }
    try {
      return new Target(OptOuts.SMS, PhoneNumbers.toE164(body.phone(), null));
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.of("phone", "must be an E.164 number such as +14155550100");
    }
  }
}
