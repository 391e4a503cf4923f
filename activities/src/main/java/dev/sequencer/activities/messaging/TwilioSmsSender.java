package dev.sequencer.activities.messaging;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Sends SMS through Twilio's Messages API with the Twilio Java SDK. */
public class TwilioSmsSender implements SmsSender {

  /**
   * Twilio errors that fail the same way on every retry: invalid 'To' (21211), unsubscribed
   * recipient (21610), not a mobile number (21614), invalid 'From' (21212, 21606), blocked or
   * unreachable destinations (21408, 21612).
   */
  static final Set<Integer> PERMANENT_ERRORS =
      Set.of(21211, 21212, 21408, 21606, 21610, 21612, 21614);

  /** Twilio's clock and ours may differ a little: look a bit further back than the attempt. */
  private static final Duration LOOKUP_SLACK = Duration.ofMinutes(2);

  private final TwilioRestClient client;

  public TwilioSmsSender(TwilioRestClient client) {
    this.client = client;
  }

  @Override
  public SmsReceipt send(OutboundSms sms) {
    try {
      var creator =
          sms.contentSid() == null
              ? Message.creator(new PhoneNumber(sms.to()), new PhoneNumber(sms.from()), sms.body())
              // An approved template: Twilio renders it from its variables; no body goes along.
              : Message.creator(
                      new PhoneNumber(sms.to()), new PhoneNumber(sms.from()), (String) null)
                  .setContentSid(sms.contentSid())
                  .setContentVariables(sms.contentVariables());
      if (sms.statusCallbackUrl() != null) {
        creator.setStatusCallback(URI.create(sms.statusCallbackUrl()));
      }
      Message message = creator.create(client);
      return new SmsReceipt(message.getSid(), false);
    } catch (ApiException e) {
      Integer code = e.getCode();
      // A 4xx is the request's own fault and fails again, except throttling (429) and our
      // credentials (401, 403), which an operator can fix while Temporal retries.
      Integer status = e.getStatusCode();
      boolean clientError =
          status != null
              && status >= 400
              && status < 500
              && status != 401
              && status != 403
              && status != 429;
      if (code != null && PERMANENT_ERRORS.contains(code) || clientError) {
        throw new PermanentSendFailure(String.valueOf(code), e.getMessage(), e);
      }
      throw e;
    }
  }

  @Override
  public Optional<String> findAccepted(OutboundSms sms, String knownProviderId, Instant since) {
    if (knownProviderId != null) {
      try {
        return Optional.of(Message.fetcher(knownProviderId).fetch(client).getSid());
      } catch (ApiException e) {
        if (Integer.valueOf(404).equals(e.getStatusCode())) {
          return Optional.empty();
        }
        throw e;
      }
    }
    // Newest first; a message still queued has no date_sent yet, so the creation date decides.
    Instant notBefore = since.minus(LOOKUP_SLACK);
    for (Message message :
        Message.reader()
            .setTo(new PhoneNumber(sms.to()))
            .setFrom(new PhoneNumber(sms.from()))
            .setPageSize(50L)
            .read(client)) {
      if (message.getDateCreated() != null
          && message.getDateCreated().toInstant().isBefore(notBefore)) {
        break;
      }
      // A template's text is Twilio's to render, so its body cannot be compared: only a message
      // created since the attempt itself (no slack), between the same two numbers, can be it.
      boolean template =
          sms.contentSid() != null
              && message.getDateCreated() != null
              && !message.getDateCreated().toInstant().isBefore(since);
      if (template || sms.contentSid() == null && sms.body().equals(message.getBody())) {
        return Optional.of(message.getSid());
      }
    }
    return Optional.empty();
  }
}
