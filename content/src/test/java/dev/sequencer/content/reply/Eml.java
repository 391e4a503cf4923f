package dev.sequencer.content.reply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a stored plain-text message from {@code src/test/resources/replies/} into an {@link
 * InboundReply}: the header block up to the first empty line (folded lines unfolded), the body
 * after it, and the received date from the {@code Date} header.
 */
final class Eml {

  private Eml() {}

  static InboundReply load(String name) {
    String raw = resource(name).replace("\r\n", "\n");
    int split = raw.indexOf("\n\n");
    String headerBlock = raw.substring(0, split).replaceAll("\n[ \t]+", " ");
    String body = raw.substring(split + 2);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line : headerBlock.split("\n")) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }
    String date = headers.get("Date").get(0);
    LocalDate receivedOn =
        ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toLocalDate();
    String subject = headers.getOrDefault("Subject", List.of("")).get(0);
    return new InboundReply(subject, body, headers, receivedOn);
  }

  static String resource(String name) {
    try (InputStream in = Eml.class.getResourceAsStream("/replies/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("No test message " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
