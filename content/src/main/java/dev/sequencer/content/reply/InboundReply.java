package dev.sequencer.content.reply;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A reply as it arrived.
 *
 * @param subject the subject line; {@code null} becomes empty (SMS has none)
 * @param body the plain-text body, quotes and signature included; {@code null} becomes empty
 * @param headers message headers; names are compared case-insensitively ({@code
 *     headers().get("auto-submitted")} finds {@code Auto-Submitted}); may be empty (SMS,
 *     API-submitted replies); {@code null} becomes empty
 * @param receivedOn the date the reply arrived, in the recipient's zone; return dates without a
 *     year are resolved against it
 */
public record InboundReply(
    String subject, String body, Map<String, List<String>> headers, LocalDate receivedOn) {

  public InboundReply {
    Objects.requireNonNull(receivedOn, "receivedOn");
    subject = subject == null ? "" : subject;
    body = body == null ? "" : body;
    headers = caseInsensitiveCopy(headers);
  }

  /** The first value of a header, or {@code null} when the header is absent. */
  String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static Map<String, List<String>> caseInsensitiveCopy(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      headers.forEach(
          (name, values) -> {
            if (name == null || values == null) {
              return;
            }
            List<String> merged = new ArrayList<>(copy.getOrDefault(name, List.of()));
            values.stream().filter(Objects::nonNull).forEach(merged::add);
            copy.put(name, List.copyOf(merged));
          });
    }
    return Collections.unmodifiableMap(copy);
  }
}
