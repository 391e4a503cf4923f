package dev.sequencer.api.inbound.links;

import dev.sequencer.config.SequencerProperties;
import dev.sequencer.content.links.BodyLinks;
import dev.sequencer.content.links.LinkTokens;
import dev.sequencer.store.lead.LeadTimeline;
import dev.sequencer.store.message.Message;
import dev.sequencer.store.message.MessageLinks;
import dev.sequencer.store.message.Messages;
import java.net.URI;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Open pixel and click redirect. A click token names a message and the position of a link in it, so
 * it can only lead to a link that message contained: there is no open redirect.
 */
@RestController
class TrackingController {

  private static final Logger log = LoggerFactory.getLogger(TrackingController.class);

  /** The smallest transparent GIF. */
  private static final byte[] PIXEL =
      Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

  private final SequencerProperties properties;
  private final Messages messages;
  private final MessageLinks links;
  private final LeadTimeline timeline;
  private final Clock clock;

  TrackingController(
      SequencerProperties properties,
      Messages messages,
      MessageLinks links,
      LeadTimeline timeline,
      Clock clock) {
    this.properties = properties;
    this.messages = messages;
    this.links = links;
    this.timeline = timeline;
    this.clock = clock;
  }

  @GetMapping("/t/o/{token}")
  ResponseEntity<byte[]> open(@PathVariable String token) {
    Optional<Message> message = verified(token, "o", 2).flatMap(f -> messages.byId(f.get(1)));
    if (message.isEmpty()) {
      return ResponseEntity.notFound().build();
    }
    Message m = message.get();
    // Only the first open counts: mail clients and proxies fetch images again and again.
    if (!timeline.hasMessageEvent(m.id(), "opened")) {
      timeline.record(
          m.organizationId(),
          m.campaignId(),
          m.leadPk(),
          m.id(),
          m.stepType(),
          "opened",
          null,
          clock.instant());
    }
    return ResponseEntity.ok()
        .contentType(MediaType.IMAGE_GIF)
        .cacheControl(CacheControl.noStore())
        .body(PIXEL);
  }

  @GetMapping("/t/c/{token}")
  @ResponseStatus(HttpStatus.FOUND)
  ResponseEntity<Void> click(@PathVariable String token) {
    Optional<List<String>> fields = verified(token, "c", 3);
    if (fields.isEmpty()) {
      return ResponseEntity.notFound().build();
    }
    int position;
    try {
      position = Integer.parseInt(fields.get().get(2));
    } catch (NumberFormatException e) {
      return ResponseEntity.notFound().build();
    }
    Optional<Message> message = messages.byId(fields.get().get(1));
    Optional<String> url = message.flatMap(m -> links.link(m.id(), position));
    if (url.isEmpty()) {
      return ResponseEntity.notFound().build();
    }
    if (!BodyLinks.isValid(url.get())) {
      // A link a lead's own values made invalid (a template inside the URL): nowhere to go.
      log.warn(
          "link {} of message {} is not a valid URL; click not followed",
          position,
          message.get().id());
      return ResponseEntity.notFound().build();
    }
    Message m = message.get();
    timeline.record(
        m.organizationId(),
        m.campaignId(),
        m.leadPk(),
        m.id(),
        m.stepType(),
        "clicked",
        url.get(),
        clock.instant());
    return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(url.get())).build();
  }

  private Optional<List<String>> verified(String token, String kind, int size) {
    return LinkTokens.of(properties.tokenSecret(), properties.tokenSecretsRetired(), clock)
        .verify(token)
        .filter(f -> f.size() == size && kind.equals(f.get(0)));
  }
}
