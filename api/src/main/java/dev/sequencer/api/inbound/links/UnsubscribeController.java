package dev.sequencer.api.inbound.links;

import dev.sequencer.api.control.OptOuts;
import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.links.LinkTokens;
import dev.sequencer.store.campaign.CampaignRepository;
import dev.sequencer.store.lead.Lead;
import dev.sequencer.store.lead.LeadRepository;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The unsubscribe link of every email: GET shows a confirmation page, POST (the page's button, or a
 * mail client's RFC 8058 one-click request) opts the address out. Tokens are signed; a forged or
 * altered one gets 404 and changes nothing.
 */
@RestController
class UnsubscribeController {

  private final SequencerProperties properties;
  private final LeadRepository leads;
  private final CampaignRepository campaigns;
  private final OptOuts optOuts;

  UnsubscribeController(
      SequencerProperties properties,
      LeadRepository leads,
      CampaignRepository campaigns,
      OptOuts optOuts) {
    this.properties = properties;
    this.leads = leads;
    this.campaigns = campaigns;
    this.optOuts = optOuts;
  }

  /** Whom a genuine token unsubscribes from which channel. */
  private record Target(Lead lead, String channel, String address) {}

  @GetMapping(value = "/unsubscribe/{token}", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> confirm(@PathVariable String token) {
    return target(token)
        .map(
            t ->
                ResponseEntity.ok(
                    HtmlPages.page(
                        "Unsubscribe",
                        "<p>Stop all messages to <strong>"
                            + HtmlUtils.htmlEscape(t.address())
                            + "</strong> from "
                            + HtmlUtils.htmlEscape(senderOf(t.lead()))
                            + "?</p><form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>")))
        .orElseGet(UnsubscribeController::notFound);
  }

  @PostMapping(value = "/unsubscribe/{token}", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> unsubscribe(@PathVariable String token) {
    Optional<Target> target = target(token);
    if (target.isEmpty()) {
      return notFound();
    }
    Target t = target.get();
    optOuts.optOut(t.lead().organizationId(), t.channel(), t.address(), "link", "unsubscribe link");
    return ResponseEntity.ok(
        HtmlPages.page(
            "Unsubscribed",
            "<p><strong>"
                + HtmlUtils.htmlEscape(t.address())
                + "</strong> will get no more messages from "
                + HtmlUtils.htmlEscape(senderOf(t.lead()))
                + ".</p>"));
  }

  private Optional<Target> target(String token) {
    Optional<List<String>> fields =
        LinkTokens.of(properties.tokenSecret(), properties.tokenSecretsRetired(), Clock.systemUTC())
            .verify(token);
    if (fields.isEmpty() || fields.get().size() != 4 || !"u".equals(fields.get().get(0))) {
      return Optional.empty();
    }
    List<String> f = fields.get();
    long leadPk;
    try {
      leadPk = Long.parseLong(f.get(2));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    String channel = f.get(3);
    return leads
        .findById(leadPk)
        .filter(lead -> lead.organizationId().equals(f.get(1)))
        .flatMap(
            lead -> {
              String address = OptOuts.EMAIL.equals(channel) ? lead.email() : lead.phone();
              return address == null
                  ? Optional.empty()
                  : Optional.of(new Target(lead, channel, address));
            });
  }

  private String senderOf(Lead lead) {
    return campaigns
        .findById(lead.campaignId())
        .map(c -> c.sender().name() != null ? c.sender().name() : c.sender().email())
        .orElse("this sender");
  }

  private static ResponseEntity<String> notFound() {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .contentType(MediaType.TEXT_HTML)
        .body(HtmlPages.page("Link not valid", "<p>This unsubscribe link is not valid.</p>"));
  }
}
