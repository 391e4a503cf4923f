package dev.sequencer.api.pulse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * What comes back from leads and providers, as Micrometer counters on {@code /actuator/prometheus}:
 * replies by class, opt-outs by channel and source, bounces, inbound webhooks and mailbox polls by
 * outcome.
 */
@Component
public class InboundMeters {

  private final MeterRegistry registry;

  InboundMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A reply matched to a lead, by its class ({@code interested}, {@code out_of_office}, ...). */
  public void reply(String replyClass) {
    Counter.builder("sequencer.replies")
        .description("replies matched to a lead, by class")
        .tag("class", replyClass)
        .register(registry)
        .increment();
  }

  /** An address opted out ({@code source}: api, link, keyword, reply, carrier). */
  public void optOut(String channel, String source) {
    Counter.builder("sequencer.opt.outs")
        .description("addresses opted out, by channel and source")
        .tag("channel", channel)
        .tag("source", source)
        .register(registry)
        .increment();
  }

  /** A permanent bounce of an email address. */
  public void bounce() {
    Counter.builder("sequencer.bounces")
        .description("email addresses that bounced for good")
        .register(registry)
        .increment();
  }

  /** A provider's webhook call ({@code source}: twilio_sms, twilio_status, replies). */
  public void webhook(String source, String outcome) {
    Counter.builder("sequencer.inbound.webhooks")
        .description("inbound webhook calls, by source and outcome")
        .tag("source", source)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** One read of one mailbox ({@code outcome}: ok, error), and the messages it processed. */
  public void mailboxPoll(String outcome, int messages) {
    Counter.builder("sequencer.imap.polls")
        .description("mailbox reads, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    if (messages > 0) {
      Counter.builder("sequencer.imap.messages")
          .description("inbound messages read from mailboxes")
          .register(registry)
          .increment(messages);
    }
  }
}
